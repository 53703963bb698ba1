import Testing

@testable import TsctlChange
@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlNetlink
@testable import TsctlSystem

/// Which kernels can oops on TSCONFIG to a stacked device (CVE-2025-40255): the one table.
@Suite struct StackedDeviceTrapTests {
    func affected(_ release: String, tsconfig: Bool = true) -> Bool {
        StackedDeviceTrap.verdict(release: release, hasTsconfig: tsconfig).affected
    }

    @Test func theFixedVersionTable() {
        // 6.14 brought TSCONFIG and the bug; 6.14-6.16 ended without the fix.
        for r in ["6.14.0", "6.14-rc1", "6.15.11", "6.16.3+deb13-amd64", "6.16.12+deb13-amd64"] {
            #expect(affected(r), "\(r)")
        }
        // 6.17.y: the backport arrived in 6.17.10.
        #expect(affected("6.17.9"))
        #expect(affected("6.17.8+deb13-amd64"))
        #expect(!affected("6.17.10"))
        #expect(!affected("6.17.13+deb13-amd64"))
        // Mainline: fixed in 6.18-rc6.
        #expect(affected("6.18.0-rc5"))
        #expect(affected("6.18-rc5"))
        #expect(!affected("6.18.0-rc6"))
        #expect(!affected("6.18.0"))
        #expect(!affected("6.18.44-fc-v782"), "this machine's kernel: the fast path")
        #expect(!affected("6.19.14+deb13-amd64"))
        #expect(!affected("7.2.13+deb14-amd64"))
        #expect(!affected("7.3.4+deb13-amd64"))
    }

    @Test func withoutTsconfigThereIsNothingToAvoid() {
        #expect(!affected("6.12.57+deb13-amd64", tsconfig: false))
        #expect(!affected("6.1.0-40-amd64", tsconfig: false))
        #expect(!affected("garbage", tsconfig: false))
    }

    @Test func theSafeSideWhenTheReleaseSaysTooLittle() {
        // Unreadable, or TSCONFIG on an older base (a vendor backport): assume the bug.
        #expect(affected("garbage"))
        #expect(affected(""))
        #expect(affected("6.12.0-55.9.1.el10_0.x86_64"))
        // A vendor 6.17 with patch level 0 may or may not carry the backport.
        #expect(affected("6.17.0-8-generic"))
        let v = StackedDeviceTrap.verdict(release: "6.16.12+deb13-amd64", hasTsconfig: true)
        #expect(v.reason == "6.16 never got the fix (CVE-2025-40255)")
        #expect(StackedDeviceTrap.verdict(release: "6.17.9", hasTsconfig: true).reason.contains("before 6.17.10"))
        #expect(StackedDeviceTrap.verdict(release: "6.18.0-rc5", hasTsconfig: true).reason.contains("before 6.18-rc6"))
    }

    @Test func releaseParsing() {
        #expect(StackedDeviceTrap.Version(release: "6.18-rc5") == StackedDeviceTrap.Version(6, 18, 0, rc: 5))
        #expect(StackedDeviceTrap.Version(release: "6.16.12+deb13-amd64") == StackedDeviceTrap.Version(6, 16, 12))
        #expect(StackedDeviceTrap.Version(release: "6.18.0-rc6") ?? StackedDeviceTrap.Version(0, 0) < StackedDeviceTrap.Version(6, 18))
        #expect(StackedDeviceTrap.Version(release: "6") == nil)
        #expect(StackedDeviceTrap.Version(release: "6.18-rcX") == nil)
    }
}

/// Which device a stacked device is read through, where asking it can crash the kernel.
@Suite struct DeviceBelowTests {
    func link(
        _ i: UInt32, _ name: String, kind: String? = nil, lower: UInt32? = nil, other: Bool = false,
        slave: UInt32? = nil
    ) -> LinkReply {
        LinkReply(
            index: i, name: name, kind: kind, link: lower, linkInOtherNamespace: other, master: nil,
            bondActiveSlave: slave, parentDevice: nil, parentKnown: true)
    }

    func below(_ t: LinkReply, _ links: [LinkReply]) -> Result<String, NoDeviceBelow> {
        Inventory.deviceBelow(t) { i in links.first { $0.index == i } }.map(\.name)
    }

    @Test func vlanMacvlanAndBondAreReadThroughTheDeviceBelow() {
        let eth1 = link(2, "eth1"), eth2 = link(3, "eth2")
        let bond = link(10, "bond0", kind: "bond", slave: 3)
        let links = [eth1, eth2, bond]
        #expect(below(link(5, "eth1.7", kind: "vlan", lower: 2), links) == .success("eth1"))
        #expect(below(link(6, "mv0", kind: "macvlan", lower: 2), links) == .success("eth1"))
        #expect(below(bond, links) == .success("eth2"), "a bond: its active slave")
        #expect(below(link(7, "bond0.9", kind: "vlan", lower: 10), links) == .success("eth2"), "through a bond too")
        #expect(below(eth1, links) == .success("eth1"), "a plain device is its own")
        #expect(below(link(8, "veth0", kind: "veth", lower: 9), links) == .success("veth0"), "a veth's link is its peer, not a lower")
    }

    @Test func theReadPathOnAnAffectedKernelNeverReachesAStackedDevice() {
        let links = [
            link(2, "eth1"), link(3, "eth2"), link(5, "eth1.7", kind: "vlan", lower: 2),
            link(6, "mv0", kind: "macvlan", lower: 2), link(10, "bond0", kind: "bond", slave: 3),
            link(11, "bond1", kind: "bond")
        ]
        let lookup = { (i: UInt32) in links.first { $0.index == i } }
        let trapped = Inventory.tsconfigReads(links, listingAll: true, trapped: true, link: lookup)
        #expect(!trapped.dump, "the TSCONFIG_GET dump walks every device")
        #expect(trapped.ask(lookup(2)!) == .success("eth1"))
        #expect(trapped.ask(lookup(5)!) == .success("eth1"))
        #expect(trapped.ask(lookup(6)!) == .success("eth1"))
        #expect(trapped.ask(lookup(10)!) == .success("eth2"))
        #expect(trapped.ask(lookup(11)!) == .failure(NoDeviceBelow(why: "bond1 is a bond without an active slave")))
        for (i, asked) in trapped.redirected ?? [:] {
            let name = try? asked.get()
            #expect(name.map { n in links.first { $0.name == n }?.kind == nil } ?? true, "ifindex \(i) asks \(name ?? "-")")
        }
        // A fixed kernel: the dump when listing everything, and each device asked itself.
        let fixed = Inventory.tsconfigReads(links, listingAll: true, trapped: false, link: lookup)
        #expect(fixed.dump)
        #expect(fixed.ask(lookup(5)!) == .success("eth1.7") && fixed.ask(lookup(10)!) == .success("bond0"))
        #expect(!Inventory.tsconfigReads(links, listingAll: false, trapped: false, link: lookup).dump)
    }

    @Test func noDeviceBelowIsSaidNotGuessed() {
        #expect(below(link(10, "bond0", kind: "bond"), []) == .failure(NoDeviceBelow(why: "bond0 is a bond without an active slave")))
        #expect(
            below(link(6, "mv0", kind: "macvlan", lower: 2, other: true), [])
                == .failure(NoDeviceBelow(why: "mv0's lower device is in another network namespace")))
        #expect(
            below(link(5, "eth1.7", kind: "vlan", lower: 2), []) == .failure(NoDeviceBelow(why: "eth1.7's lower device cannot be found")))
        #expect(below(link(5, "x", kind: "vlan", lower: 5), []) == .failure(NoDeviceBelow(why: "x's lower device cannot be found")))
        let loop = [link(1, "a", kind: "vlan", lower: 2), link(2, "b", kind: "vlan", lower: 1)]
        #expect(below(loop[0], loop) == .failure(NoDeviceBelow(why: "a is stacked more than 8 levels deep")))
    }
}

/// Which kernels list every device's providers one device at a time (TsinfoDumpTrap).
@Suite struct TsinfoDumpTrapTests {
    @Test func theSeriesWithoutTheFixAreAffected() {
        for r in ["6.14.0", "6.15.11", "6.16.12+deb13-amd64", "6.17.13", "6.19.4", "not-a-release"] {
            #expect(TsinfoDumpTrap.affected(release: r), "\(r)")
        }
        for r in ["6.12.48+deb13-amd64", "6.1.0-41-amd64", "6.18.44-fc-v1300", "7.0.9", "7.1.0", "7.2.13+deb14-amd64", "7.3.4"] {
            #expect(!TsinfoDumpTrap.affected(release: r), "\(r)")
        }
    }
}

/// A DSA conduit whose switch ports timestamp is not configured (the kernel's
/// netlink path lacks the ioctl's veto); one whose ports do not may be.
@Suite struct DSAConduitTests {
    @Test func aConduitOfATimestampingSwitchIsRefused() {
        let why = DSAConduit.refusal(conduit: "eth0", timestampingPorts: [("swp0", 3), ("swp1", 3)])
        #expect(why?.hasPrefix("eth0 is the conduit of a DSA switch whose ports timestamp (swp0 ptp3, swp1 ptp3)") == true)
        #expect(why?.contains("configure the switch ports instead; nothing was changed") == true)
        #expect(DSAConduit.refusal(conduit: "eth0", timestampingPorts: []) == nil)
    }
}
