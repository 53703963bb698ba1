import TsctlModel
import TsctlNetlink
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// Why a stacked device has no device below it to read.
struct NoDeviceBelow: Error, Equatable {
    var why: String
}

// Reading a stacked device's configuration without asking it (StackedDeviceTrap), and
// reading a driver that refuses TSCONFIG through the legacy ioctl.
extension Inventory {
    /// The device a stacked device takes its timestamps from: through vlan/macvlan
    /// lower devices and bond active slaves, down to the first one that is not itself
    /// stacked. Failure: why there is none, in words.
    static func deviceBelow(_ t: LinkReply, link: (UInt32) -> LinkReply?) -> Result<LinkReply, NoDeviceBelow> {
        var cur = t
        for _ in 0..<8 {
            guard let how = StackedKind.below(cur.kind) else { return .success(cur) }
            let next: UInt32?
            if how == .activeSlave {
                guard let s = cur.bondActiveSlave else {
                    return .failure(NoDeviceBelow(why: "\(cur.name) is a bond without an active slave"))
                }
                next = s
            } else {
                if cur.linkInOtherNamespace {
                    return .failure(NoDeviceBelow(why: "\(cur.name)'s lower device is in another network namespace"))
                }
                next = cur.link
            }
            guard let n = next, n != cur.index, let below = link(n) else {
                return .failure(NoDeviceBelow(why: "\(cur.name)'s lower device cannot be found"))
            }
            cur = below
        }
        return .failure(NoDeviceBelow(why: "\(InterfaceName.display(t.name)) is stacked more than 8 levels deep"))
    }

    /// The PHYs of the device a stacked target takes its timestamps from (none for any
    /// other device, or before PHY_GET): from the PHY dump already made, else one PHY
    /// dump filtered on that device.
    func stackedPhys(
        _ t: LinkReply, phys: inout [UInt32: [PhyReply]], dumpedAll: Bool,
        link: (UInt32) -> LinkReply?
    ) -> [Phy] {
        // The kind first: most links have none here, and the family's ops are a look-up.
        guard StackedKind.isStacked(t.kind), client.hasPhyGet,
            case .success(let below) = Self.deviceBelow(t, link: link), below.index != t.index
        else { return [] }
        if phys[below.index] == nil && !dumpedAll {
            phys[below.index] = (try? client.phyDump(.index(below.index))) ?? []
        }
        return (phys[below.index] ?? []).map(Self.phy)
    }

    /// How the active configurations are read: whether the TSCONFIG_GET dump may stand
    /// in for per-device requests (listing every interface), and which device each
    /// target's TSCONFIG_GET goes to: itself, or where asking a stacked device can
    /// crash the kernel, the device below it (failure: nothing is asked).
    struct TsconfigReads: Equatable {
        var dump: Bool
        /// Where asking a stacked device can crash the kernel, the device each target's
        /// TSCONFIG_GET goes to, by ifindex; nil elsewhere: each device asks itself
        /// (no table of a thousand names that say the same).
        var redirected: [UInt32: Result<String, NoDeviceBelow>]?

        /// The device `t`'s TSCONFIG_GET goes to (failure: nothing is asked).
        func ask(_ t: LinkReply) -> Result<String, NoDeviceBelow>? {
            guard let redirected else { return .success(t.name) }
            return redirected[t.index]
        }
    }

    static func tsconfigReads(
        _ targets: [LinkReply], listingAll: Bool, trapped: Bool,
        link: (UInt32) -> LinkReply?
    ) -> TsconfigReads {
        var reads = TsconfigReads(dump: tsconfigDumped(listingAll: listingAll, trapped: trapped))
        guard trapped else { return reads }
        var redirected: [UInt32: Result<String, NoDeviceBelow>] = [:]
        for t in targets { redirected[t.index] = deviceBelow(t, link: link).map(\.name) }
        reads.redirected = redirected
        return reads
    }

    /// Whether the TSCONFIG_GET dump is sent: listing every interface, and never where
    /// it could reach a stacked device that oopses (it walks every device). It depends
    /// on no link, so it is decided before the link dump is read.
    static func tsconfigDumped(listingAll: Bool, trapped: Bool) -> Bool { listingAll && !trapped }

    /// Links by index: the targets, and for a device below one that was named, one
    /// link dump, only then. The targets' table is built on the first look-up: most
    /// listings (no stacked device) make none.
    func linkLookup(_ targets: [LinkReply]) -> (UInt32) -> LinkReply? {
        var byIndex: [UInt32: LinkReply]?
        var all: [UInt32: LinkReply]?
        return { [rtnl] i in
            if byIndex == nil {
                var m = [UInt32: LinkReply](minimumCapacity: targets.count)
                for t in targets { m[t.index] = t }
                byIndex = m
            }
            if let l = byIndex?[i] { return l }
            if all == nil {
                all = [:]
                for l in (try? rtnl.links()) ?? [] { all![l.index] = l }
            }
            return all![i]
        }
    }

    /// A driver that answers TSCONFIG_GET with EOPNOTSUPP may still answer
    /// SIOCGHWTSTAMP (an unconverted driver, up to 6.19; 7.0 removed that path): use
    /// it when it does, else keep the TSCONFIG answer. Only devices with a hardware
    /// clock are asked, so interfaces without one cost nothing more.
    static func withIoctlFallback(_ active: ActiveConfig, device: String, snap: InterfaceSnapshot, system: any SystemReader) -> ActiveConfig
    {
        guard active.readVia == .tsconfig, active.unavailable == .driverUnsupported, active.errno == Int(EOPNOTSUPP),
            snap.hasHardwareProvider
        else { return active }
        let legacy = activeViaIoctl(system.hwtstampConfig(device), advertisedLayer: snap.advertised?.layer)
        return legacy.isConfigured ? legacy : active
    }
}
