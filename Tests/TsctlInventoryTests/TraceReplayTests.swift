import Foundation
import Testing
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlTestSupport

/// Snapshots assembled again from real kernels' answers: each trace in Traces/
/// was recorded with TSCTL_TRACE while `tsctl show --json` ran (on this
/// machine's kernel by Scripts/fixtures/capture-traces, in the QEMU test bed by
/// tb_inspect), and NAME.json is what that run printed. Replaying the trace must
/// send the very same requests and print the very same document.
struct TraceReplayTests {
    static func load(_ name: String) throws -> (KernelTrace.Replay, JSON) {
        let dir = Bundle.module.url(forResource: "Traces", withExtension: nil)!
        let trace = try String(contentsOf: dir.appendingPathComponent(name + ".trace"), encoding: .utf8)
        let json = try String(contentsOf: dir.appendingPathComponent(name + ".json"), encoding: .utf8)
        return (try KernelTrace.Replay(trace), try JSON.parse(json))
    }

    /// The names the recorded run asked for, from its JSON: all of them for --all.
    static func replay(_ name: String, names: [String]?) throws -> (Snapshot, JSON, KernelTrace.Replay) {
        let (replay, printed) = try load(name)
        let snap = try replay.inventory().snapshot(names: names)
        return (snap, printed, replay)
    }

    static var all: [String] {
        let dir = Bundle.module.url(forResource: "Traces", withExtension: nil)!
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".trace") }.map { String($0.dropLast(6)) }.sorted()
    }

    @Test(arguments: all)
    func replayPrintsWhatTheKernelRunPrinted(name: String) throws {
        let (replay, printed) = try Self.load(name)
        let names: [String]? = name.hasSuffix("-all") ? nil : [String(name.split(separator: "-").last!)]
        let snap = try replay.inventory().snapshot(names: names)
        #expect(replay.deviations.isEmpty, "\(replay.deviations)")
        #expect(snap.json == printed)
    }

    @Test func hostNamespaceHasNoHardwareProviderAndStackingIsKept() throws {
        let (snap, _, _) = try Self.replay("host-all", names: nil)
        #expect(Set(snap.interfaces.map(\.name)) == ["lo", "veth0", "veth1", "mv0", "br0"])
        let byName = Dictionary(uniqueKeysWithValues: snap.interfaces.map { ($0.name, $0) })
        #expect(byName["mv0"]?.kind == "macvlan")
        #expect(byName["mv0"]?.lower == "veth0")
        #expect(byName["veth1"]?.master == "br0")
        for itf in snap.interfaces {
            #expect(itf.providers.isEmpty, "\(itf.name) has no hardware clock")
            #expect(itf.advertised?.phcIndex == nil)
        }
    }

    static func interface(_ snap: Snapshot, _ name: String) throws -> InterfaceSnapshot {
        try #require(snap.interfaces.first { $0.name == name })
    }

    /// igb and e1000e under QEMU: one MAC provider each; 7.x names it active via
    /// TSCONFIG, 6.1 reads SIOCGHWTSTAMP and says which layer it advertises.
    @Test(arguments: ["sid", "bookworm"])
    func intelNICsHaveOneMACProviderEach(kernel: String) throws {
        let (snap, _, replay) = try Self.replay("bed-\(kernel)-intel-nics-all", names: nil)
        #expect(replay.deviations.isEmpty)
        for (name, driver, phc) in [("eth0", "igb", 0), ("eth1", "e1000e", 1)] {
            let itf = try Self.interface(snap, name)
            #expect(itf.driver == driver)
            #expect(itf.providers.map(\.layer) == [.mac])
            #expect(itf.providers.map(\.phcIndex) == [phc])
            #expect(itf.advertised?.layer == .mac && itf.advertised?.phcIndex == phc)
            #expect(itf.active.txType == "off" && itf.active.rxFilter == "none")
            if kernel == "sid" {
                #expect(itf.active.readVia == .tsconfig && itf.active.layer == .mac && itf.active.phcIndex == phc)
            } else {
                #expect(itf.active.readVia == .ioctl, "6.1 has no TSCONFIG")
            }
        }
        #expect(snap.kernel.features.tsconfig == (kernel == "sid"))
        #expect(snap.kernel.features.hwtstampSource == (kernel == "sid"))
    }

    /// The test module's MAC+PHY device, the PHY the default provider.
    @Test func macAndPHYOn7xThePHYAdvertisedAndActive() throws {
        let (snap, _, _) = try Self.replay("bed-sid-mac-phy-phy-default-all", names: nil)
        let eth0 = try Self.interface(snap, "eth0")
        #expect(eth0.providers.map(\.layer) == [.mac, .phy])
        #expect(eth0.providers.map(\.phcIndex) == [0, 1])
        #expect(eth0.providers[1].phyIndex == 1)
        #expect(eth0.providers.map(\.reportedBy) == [.tsinfoDump, .tsinfoDump])
        #expect(eth0.advertised?.layer == .phy && eth0.advertised?.phcIndex == 1)
        #expect(eth0.active.readVia == .tsconfig && eth0.active.layer == .phy && eth0.active.phcIndex == 1)
        #expect(eth0.phys.map(\.driver) == ["tsctl_testdev PHY"])
    }

    /// 6.1 advertises only the PHY; the MAC's clock is found in sysfs, and
    /// SIOCGHWTSTAMP cannot say which one is active.
    @Test func macAndPHYOn61TheMACClockFromSysfs() throws {
        let (snap, _, _) = try Self.replay("bed-bookworm-mac-phy-phy-default-all", names: nil)
        let eth0 = try Self.interface(snap, "eth0")
        #expect(eth0.providers.map(\.layer) == [.phy, .mac])
        #expect(eth0.providers.map(\.phcIndex) == [1, 0])
        #expect(eth0.providers.map(\.reportedBy) == [.tsinfoDump, .sysfs])
        #expect(eth0.advertised?.layer == .phy && eth0.advertised?.phcIndex == 1)
        #expect(!eth0.active.isConfigured && eth0.active.readVia == .ioctl)
        #expect(snap.kernel.features.tsconfig == false && snap.kernel.features.phyGet == false)
    }

    /// 6.16 can oops on TSCONFIG to a stacked device: the VLAN and macvlan are
    /// read through igb (SIOCGHWTSTAMP: igb does not take TSCONFIG there) and
    /// the bond through its active slave. 7.x asks each device itself.
    @Test(arguments: ["bpo-6.16", "sid"])
    func stackedDevicesAreReadThroughTheDeviceBelowWhereAskingThemIsUnsafe(kernel: String) throws {
        let (snap, _, replay) = try Self.replay("bed-\(kernel)-stacked-igb-all", names: nil)
        #expect(replay.deviations.isEmpty)
        let trapped = kernel == "bpo-6.16"
        for (name, kind, below, phc) in [("eth0.7", "vlan", "eth0", 0), ("mv0", "macvlan", "eth0", 0), ("bond0", "bond", "eth1", 1)] {
            let itf = try Self.interface(snap, name)
            #expect(itf.kind == kind)
            #expect(itf.providers.map(\.phcIndex) == [phc] && itf.advertised?.phcIndex == phc)
            #expect(itf.active.isConfigured)
            #expect(itf.active.readFrom == (trapped ? below : nil))
        }
        #expect(try Self.interface(snap, "eth0.7").lower == "eth0")
        #expect(try Self.interface(snap, "bond0").bondActiveSlave == "eth1")
        #expect(try Self.interface(snap, "eth1").master == "bond0")
        #expect(try Self.interface(snap, "eth0").active.readVia == (trapped ? .ioctl : .tsconfig))
    }

    /// A VLAN and a macvlan over a device whose PHY timestamps. 6.12 names no
    /// source: the PHYs of the device below place the clock on the PHY, with its
    /// index. 7.2 (the MAC selected at the first inspection) says so itself.
    @Test func stackedDevicesOverAPHYTakeThePHYsLayerAndIndex() throws {
        let (old, _, _) = try Self.replay("bed-trixie-stacked-over-phy-all", names: nil)
        #expect(old.kernel.features.hwtstampSource == false && old.kernel.features.phyGet)
        for name in ["vl7", "mv0"] {
            let itf = try Self.interface(old, name)
            #expect(itf.lower == "eth0" && itf.phys.isEmpty)
            #expect(itf.providers.map(\.layer) == [.phy] && itf.providers.map(\.phyIndex) == [1])
            #expect(itf.advertised?.layer == .phy && itf.advertised?.phyIndex == 1)
            #expect(itf.phcs.map(\.layer) == [.phy])
        }
        let (new, _, _) = try Self.replay("bed-sid-stacked-over-phy-all", names: nil)
        #expect(try Self.interface(new, "eth0").providers.map(\.layer) == [.mac, .phy])
        for name in ["vl7", "mv0"] {
            let itf = try Self.interface(new, name)
            #expect(itf.advertised?.layer == .mac && itf.active.layer == .mac && itf.active.phcIndex == 0)
        }
    }

    @Test func aDifferentRequestIsADeviationNotAnAnswer() throws {
        let (replay, _) = try Self.load("host-veth0")
        // The recording asked for veth0; asking for lo sends other bytes.
        #expect(throws: (any Error).self) { try replay.inventory().snapshot(names: ["lo"]) }
        #expect(!replay.deviations.isEmpty)
    }

    @Test func escapingKeepsEveryByte() {
        for s in ["plain", "a\\b", "tab\there", "caf\u{e9}", OSString.decode([0x65, 0xff, 0x0a])] {
            #expect(KernelTrace.unescape(KernelTrace.escape(s)[...]) == s)
        }
        #expect(KernelTrace.escape("a b\n") == "a b\\x0a")
    }

    @Test func malformedTracesAreRefusedWithTheLine() {
        #expect(throws: KernelTrace.Replay.ParseError.line(1, "hex outside a datagram")) { try KernelTrace.Replay("0000") }
        #expect(throws: KernelTrace.Replay.ParseError.line(2, "not hex: zz")) { try KernelTrace.Replay("> genl\nzz") }
        #expect(throws: KernelTrace.Replay.ParseError.line(1, "an answer without a question")) { try KernelTrace.Replay("= x") }
    }
}
