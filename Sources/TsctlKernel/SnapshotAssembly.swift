public import TsctlModel
public import TsctlNetlink
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// What `Inventory.gather` read over netlink for one snapshot, nothing
/// assembled: the links, the dumps, and each target's TSINFO and TSCONFIG
/// answer (nil where none was asked).
public struct InventoryReadings: Sendable {
    /// The names asked for; nil for every interface.
    public var names: [String]?
    public var targets: [LinkReply]
    public var release: String
    /// What the ethtool family offers (hwtstampSource is the assembly's to say).
    public var features: KernelFeatures
    public var tsinfoDump: [UInt32: [TsinfoReply]] = [:]
    public var phys: [UInt32: [PhyReply]] = [:]
    /// The TSCONFIG_GET dump, when it stands in for per-device requests.
    public var tsconfigDump: [UInt32: TsconfigReply]?
    /// Which device each target's TSCONFIG_GET went to (StackedRead.swift).
    var tsconfigReads = Inventory.TsconfigReads(dump: false, ask: [:])
    /// Per target: the TSINFO *do* (absent: the dump's one entry stands in).
    public var tsinfo: [UInt32: Result<TsinfoReply, NetlinkError>] = [:]
    /// Per target: the TSCONFIG_GET *do*, when one was sent.
    public var tsconfig: [UInt32: Result<TsconfigReply, NetlinkError>] = [:]
    /// Per stacked target: the PHYs of the device below it.
    public var stackedPhys: [UInt32: [Phy]] = [:]

    public init(names: [String]?, targets: [LinkReply], release: String, features: KernelFeatures) {
        self.names = names
        self.targets = targets
        self.release = release
        self.features = features
    }
}

/// Readings -> Snapshot. It sends nothing: netlink answers come in the
/// readings, and sysfs and SIOCGHWTSTAMP answers through the SystemReader it is
/// given (the live system in tsctl, a recorded trace in tests).
public enum SnapshotAssembly {
    public static func assemble(
        _ r: InventoryReadings, system: any SystemReader, sysfsRoot sysfs: String = "/sys"
    ) throws(InventoryError) -> Snapshot {
        var nameOf: [UInt32: String] = [:]
        for t in r.targets { nameOf[t.index] = t.name }
        func name(_ i: UInt32?) -> String? { i.flatMap { nameOf[$0] ?? system.interfaceName($0) } }
        let perProvider = r.features.tsconfig
        var sawPHC = false, sawSource = false
        // What a device the TSCONFIG dump left out (it answered EOPNOTSUPP) gets, built
        // once per advertised layer: its error text cost a tenth of show --all.
        var leftOutOfDump: [Layer?: ActiveConfig] = [:]
        var ptp = PTPDirectory(sysfs: sysfs, system: system)
        var interfaces: [InterfaceSnapshot] = []
        interfaces.reserveCapacity(r.targets.count)
        for t in r.targets {
            let entries = r.tsinfoDump[t.index] ?? []
            let advReply: TsinfoReply
            switch r.tsinfo[t.index] ?? .success(entries[0]) {
            case .success(let a): advReply = a
            case .failure(let e):
                if e.isNoDevice { if r.names != nil { throw .noSuchInterface(t.name) } else { continue } }
                throw .netlink(e)
            }
            for e in entries + [advReply] where e.phcIndex != nil {
                sawPHC = true
                if e.source != nil { sawSource = true }
            }
            var snap = InterfaceSnapshot(name: t.name, ifindex: Int(t.index), active: .unavailable(.error))
            // The link message names the parent device; sysfs is asked only when
            // there is one (or the kernel is too old to say).
            if !t.parentKnown || t.parentDevice != nil {
                snap.device = t.parentDevice ?? system.readLink("\(sysfs)/class/net/\(t.name)/device").map(Sys.baseName)
                if snap.device != nil {
                    snap.driver = system.readLink("\(sysfs)/class/net/\(t.name)/device/driver").map(Sys.baseName)
                }
            }
            snap.kind = t.kind
            if let k = t.kind, Inventory.stackedKinds.contains(k), !t.linkInOtherNamespace { snap.lower = name(t.link) }
            snap.master = name(t.master)
            snap.bondActiveSlave = name(t.bondActiveSlave)
            snap.phys = (r.phys[t.index] ?? []).map(Inventory.phy)
            let below = r.stackedPhys[t.index] ?? []
            providers(&snap, t, entries: entries, advReply: advReply, perProvider: perProvider, below: below, ptp: &ptp)
            active(&snap, t, r, perProvider: perProvider, leftOutOfDump: &leftOutOfDump, system: system)
            // Every clock this interface names.
            var seen = Set<Int>()
            for idx in snap.providers.map(\.phcIndex) + [snap.advertised?.phcIndex, snap.active.phcIndex].compactMap({ $0 })
            where seen.insert(idx).inserted {
                var c = ptp.info(idx)
                let owned = ptp.clocksOwned(by: t.name).filter { $0.0 == idx }.map(\.1)
                c.layer = LayerAttribution.owner(of: c, device: snap.device, phys: snap.phys + below, sysfsLayers: owned)?.layer
                snap.phcs.append(c)
            }
            interfaces.append(snap)
        }
        var features = r.features
        features.hwtstampSource = sawPHC ? sawSource : nil
        return Snapshot(kernel: KernelInfo(release: r.release, ethtoolNetlink: true, features: features), interfaces: interfaces)
    }

    /// The providers and the advertised one.
    static func providers(
        _ snap: inout InterfaceSnapshot, _ t: LinkReply, entries: [TsinfoReply], advReply: TsinfoReply, perProvider: Bool,
        below: [Phy], ptp: inout PTPDirectory
    ) {
        let current = snap
        func layerOf(_ r: TsinfoReply) -> (Layer, Int?) { layer(of: r, snap: current, below: below, ptp: &ptp) }
        if perProvider {
            snap.providers = entries.compactMap { r in
                guard let phc = r.phcIndex else { return nil }
                let (layer, phyIndex) = layerOf(r)
                return Provider(
                    layer: layer, phcIndex: Int(phc), qualifier: Qualifier(kernel: r.provider?.qualifier ?? 0),
                    phyIndex: phyIndex, capabilities: Inventory.caps(r), reportedBy: .tsinfoDump)
            }
        } else {
            if let phc = advReply.phcIndex {
                let (layer, phyIndex) = layerOf(advReply)
                snap.providers.append(
                    Provider(
                        layer: layer, phcIndex: Int(phc), qualifier: .precise, phyIndex: phyIndex,
                        capabilities: Inventory.caps(advReply), reportedBy: .tsinfoDump))
            }
            // Old kernels show one provider; the others exist only in sysfs.
            for (phc, layer) in ptp.clocksOwned(by: t.name) where !snap.providers.contains(where: { $0.phcIndex == phc }) {
                snap.providers.append(
                    Provider(
                        layer: layer, phcIndex: phc, qualifier: .precise,
                        phyIndex: layer == .phy ? snap.phys.first?.phyIndex : nil,
                        capabilities: nil, reportedBy: .sysfs))
            }
        }
        var adv = Advertised(
            phcIndex: advReply.phcIndex.map(Int.init),
            qualifier: advReply.provider.map { Qualifier(kernel: $0.qualifier) },
            capabilities: Inventory.caps(advReply))
        if advReply.phcIndex != nil {
            let (layer, phyIndex) = layerOf(advReply)
            adv.layer = layer
            adv.phyIndex = phyIndex
            if let k = snap.providers.firstIndex(where: { p in
                p.phcIndex == adv.phcIndex && p.qualifier == (adv.qualifier ?? .precise)
            }) {
                snap.providers[k].advertised = true
            }
        }
        snap.advertised = adv
    }

    /// The active configuration, and which provider it is.
    static func active(
        _ snap: inout InterfaceSnapshot, _ t: LinkReply, _ r: InventoryReadings, perProvider: Bool,
        leftOutOfDump: inout [Layer?: ActiveConfig], system: any SystemReader
    ) {
        if perProvider, case .failure(let why)? = r.tsconfigReads.ask[t.index] {
            snap.active = .unavailable(.stackedLowerUnknown, message: why.why)
        } else if let reply = r.tsconfig[t.index] {
            let device = (try? r.tsconfigReads.ask[t.index]?.get()) ?? t.name
            snap.active = Inventory.withIoctlFallback(
                Inventory.active(reply, snap: snap), device: device, snap: snap, system: system)
            snap.active.readFrom = device == t.name ? nil : device
        } else if perProvider {
            if let c = r.tsconfigDump?[t.index] {
                snap.active = Inventory.active(.success(c), snap: snap)
            } else if let known = leftOutOfDump[snap.advertised?.layer] {
                snap.active = known
            } else {
                let e = NetlinkError.kernel(KernelError(errno: EOPNOTSUPP, request: "TSCONFIG_GET dump"))
                snap.active = Inventory.active(.failure(e), snap: snap)
                leftOutOfDump[snap.advertised?.layer] = snap.active
            }
        } else {
            snap.active = Inventory.activeViaIoctl(system.hwtstampConfig(t.name), advertisedLayer: snap.advertised?.layer)
        }
        if let k = snap.providers.firstIndex(where: { p in
            snap.active.phcIndex == p.phcIndex && snap.active.qualifier == p.qualifier
        }) {
            snap.providers[k].active = true
            snap.active.layer = snap.providers[k].layer
            snap.active.phyIndex = snap.providers[k].phyIndex
        }
    }

    /// The layer of a TSINFO reply (LayerAttribution says how); `below`: the PHYs of the
    /// device a stacked one takes its timestamps from.
    static func layer(of r: TsinfoReply, snap: InterfaceSnapshot, below: [Phy], ptp: inout PTPDirectory) -> (Layer, Int?) {
        let source = LayerAttribution.kernelSays(
            source: r.source.map { $0 == Ethtool.SOURCE_PHYLIB ? .phylib : .netdev }, phyIndex: r.phyIndex.map(Int.init))
        let phc = r.phcIndex.map { ptp.info(Int($0)) }
        let owned = phc.map { c in ptp.clocksOwned(by: snap.name).filter { $0.0 == c.index }.map(\.1) } ?? []
        let l = LayerAttribution.provider(
            kernelSays: source, phc: phc, device: snap.device, phys: snap.phys + below, sysfsLayers: owned)
        return (l.layer, l.phyIndex)
    }
}
