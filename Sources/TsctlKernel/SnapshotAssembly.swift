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
    var tsconfigReads = Inventory.TsconfigReads(dump: false)
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

    /// The entries of a TSINFO dump, by device.
    mutating func add(tsinfoDump: [TsinfoReply]) {
        // Most devices have one entry: room for them all at once, not grown in steps.
        self.tsinfoDump.reserveCapacity(self.tsinfoDump.count + tsinfoDump.count)
        for d in tsinfoDump { self.tsinfoDump[d.device.ifindex, default: []].append(d) }
    }

    /// The PHYs of a PHY_GET dump, by device.
    mutating func add(phys: [PhyReply]) {
        for d in phys { self.phys[d.device.ifindex, default: []].append(d) }
    }

    /// Whether the dumps stand in for device `i`'s per-device requests: one TSINFO entry,
    /// without a PHC, no PHY, and a TSCONFIG dump made (a device missing from it answered
    /// EOPNOTSUPP): nothing but that entry can be advertised or active.
    func dumpsStandIn(for i: UInt32) -> Bool {
        guard tsconfigDump != nil, let entries = tsinfoDump[i], entries.count == 1, entries[0].phcIndex == nil else { return false }
        return phys.isEmpty || (phys[i] ?? []).isEmpty
    }

    /// A TSCONFIG dump by device (its first reply for each), or nil where none was made.
    mutating func set(tsconfigDump dump: [TsconfigReply]?) {
        tsconfigDump = dump.map { Dictionary($0.map { ($0.device.ifindex, $0) }, uniquingKeysWith: { a, _ in a }) }
    }
}

/// Readings -> Snapshot. It sends nothing: netlink answers come in the
/// readings, and sysfs and SIOCGHWTSTAMP answers through the SystemReader it is
/// given (the live system in tsctl, a recorded trace in tests).
public enum SnapshotAssembly {
    public static func assemble(
        _ r: InventoryReadings, system: any SystemReader, sysfsRoot sysfs: String = "/sys"
    ) throws(InventoryError) -> Snapshot {
        try assemble(r, system: system, sysfsRoot: sysfs, chunk: nil)
    }

    /// With a `chunk` size, the interfaces are handed to `each` that many at a time
    /// (with the kernel as known so far: its hwtstampSource only at the end) and the
    /// snapshot returned holds none: text never holds ten thousand at once.
    /// `kernelFirst`: `each` is handed the kernel as it will be at the end (its
    /// hwtstampSource too), found by a first pass over the readings that also throws
    /// what the assembly would, before any interface is handed out: a document can
    /// then be written as it is assembled, and never half of one.
    static func assemble(
        _ r: InventoryReadings, system: any SystemReader, sysfsRoot sysfs: String, chunk: Int?, kernelFirst: Bool = false,
        each: (inout [InterfaceSnapshot], KernelInfo) -> Void = { _, _ in }
    ) throws(InventoryError) -> Snapshot {
        var a = Assembler(r, system: system, sysfsRoot: sysfs)
        var interfaces: [InterfaceSnapshot] = []
        interfaces.reserveCapacity(chunk ?? r.targets.count)
        let kernelSoFar = kernelFirst ? try finalKernel(r) : KernelInfo(release: r.release, ethtoolNetlink: true, features: r.features)
        for t in r.targets {
            try a.add(t, r, below: r.stackedPhys.isEmpty ? [] : r.stackedPhys[t.index] ?? [], to: &interfaces)
            if let chunk, interfaces.count == chunk {
                each(&interfaces, kernelSoFar)
                interfaces.removeAll(keepingCapacity: true)
            }
        }
        if chunk != nil, !interfaces.isEmpty {
            each(&interfaces, kernelSoFar)
            interfaces.removeAll()
        }
        return Snapshot(kernel: a.seen.kernel(r), interfaces: interfaces)
    }

    /// What the assembly carries from one interface to the next.
    struct Assembler {
        let system: any SystemReader
        let sysfs: String
        /// Names by ifindex: the targets', built the first time a link names another
        /// (a lower device, a master; most name none), or the links read so far.
        private var nameOf: [UInt32: String]?
        private let targets: [LinkReply]
        // Whether a kind is stacked, for the kind of the link before: links come in
        // runs of one kind, and the set hashes the name each time.
        private var lastKind: (kind: String, stacked: Bool)?
        private(set) var seen = SourceSeen()
        // What a device the TSCONFIG dump left out (it answered EOPNOTSUPP) gets, built
        // once per advertised layer: its error text cost a tenth of show --all.
        private var leftOutOfDump = LeftOutOfDump()
        private var ptp: PTPDirectory
        private let blank = InterfaceSnapshot(name: "", ifindex: 0, active: .unavailable(.error))

        /// `names`: the links known by ifindex where they are not `r.targets` (read
        /// as they arrive); nil: the targets'.
        init(_ r: InventoryReadings, system: any SystemReader, sysfsRoot: String, names: [UInt32: String]? = nil) {
            self.system = system
            self.sysfs = sysfsRoot
            self.targets = r.targets
            self.nameOf = names
            self.ptp = PTPDirectory(sysfs: sysfsRoot, system: system)
        }

        /// Names of the links read so far, for an assembly fed as they arrive.
        mutating func know(_ l: LinkReply) { nameOf![l.index] = l.name }

        /// The name of a link read so far (`know`), else nil.
        func known(_ i: UInt32) -> String? { nameOf?[i] }

        mutating func name(_ i: UInt32?) -> String? {
            guard let i else { return nil }
            if nameOf == nil {
                var m = [UInt32: String](minimumCapacity: targets.count)
                for t in targets { m[t.index] = t.name }
                nameOf = m
            }
            return nameOf?[i] ?? system.interfaceName(i)
        }

        mutating func isStacked(_ k: String) -> Bool {
            if let l = lastKind, l.kind == k { return l.stacked }
            let stacked = StackedKind.below(k) == .lower
            lastKind = (k, stacked)
            return stacked
        }

        /// Appends the interface `t` is (none for a device gone meanwhile).
        mutating func add(_ t: LinkReply, _ r: InventoryReadings, below: [Phy], to interfaces: inout [InterfaceSnapshot])
            throws(InventoryError)
        {
            guard let (entries, advReply) = try advertised(t, r) else { return }
            seen.saw(entries, advReply)
            // A copy of one blank snapshot, filled in place: building each anew cost
            // more than the copy, and one built aside and then appended was copied whole.
            interfaces.append(blank)
            interfaces[interfaces.count - 1].name = t.name
            interfaces[interfaces.count - 1].ifindex = Int(t.index)
            fill(&interfaces[interfaces.count - 1], t, r, entries: entries, advReply: advReply, below: below)
        }

        /// Everything but the name and index.
        mutating func fill(
            _ snap: inout InterfaceSnapshot, _ t: LinkReply, _ r: InventoryReadings, entries: [TsinfoReply], advReply: TsinfoReply,
            below: [Phy]
        ) {
            // The link message names the parent device; sysfs is asked only when
            // there is one (or the kernel is too old to say).
            if !t.parentKnown || t.parentDevice != nil {
                snap.device = t.parentDevice ?? system.readLink("\(sysfs)/class/net/\(t.name)/device").map(Sys.baseName)
                if snap.device != nil {
                    snap.driver = system.readLink("\(sysfs)/class/net/\(t.name)/device/driver").map(Sys.baseName)
                }
            }
            snap.kind = t.kind
            if let k = t.kind, t.link != nil, !t.linkInOtherNamespace, isStacked(k) { snap.lower = name(t.link) }
            snap.master = name(t.master)
            snap.bondActiveSlave = name(t.bondActiveSlave)
            if !r.phys.isEmpty, let ps = r.phys[t.index] { snap.phys = ps.map(Inventory.phy) }
            let perProvider = r.features.tsconfig
            providers(&snap, t, entries: entries, advReply: advReply, perProvider: perProvider, below: below, ptp: &ptp)
            active(&snap, t, r, perProvider: perProvider, leftOutOfDump: &leftOutOfDump, system: system)
            clocks(&snap, below: below, ptp: &ptp)
        }
    }

    /// The kernel part of the snapshot `assemble` makes of `r`, without assembling
    /// it: the same advertised replies looked at, the same errors thrown.
    static func finalKernel(_ r: InventoryReadings) throws(InventoryError) -> KernelInfo {
        var seen = SourceSeen()
        for t in r.targets {
            guard let (entries, advReply) = try advertised(t, r) else { continue }
            seen.saw(entries, advReply)
        }
        return seen.kernel(r)
    }

    /// A target's TSINFO dump entries and the reply it is advertised by; nil for a
    /// device gone meanwhile while every interface is listed (named, it is an error).
    static func advertised(_ t: LinkReply, _ r: InventoryReadings) throws(InventoryError) -> ([TsinfoReply], TsinfoReply)? {
        // Empty tables are common (no PHYs, every device answered by the dumps):
        // a look-up in them would still hash the index.
        let entries = r.tsinfoDump.isEmpty ? [] : r.tsinfoDump[t.index] ?? []
        switch r.tsinfo.isEmpty ? nil : r.tsinfo[t.index] {
        case nil: return (entries, entries[0])
        case .success(let a)?: return (entries, a)
        case .failure(let e)?:
            if e.isNoDevice { if r.names != nil { throw .noSuchInterface(t.name) } else { return nil } }
            throw .netlink(e)
        }
    }

    /// Whether any reply looked at named a PHC, and any such one its source: the
    /// kernel's hwtstampSource (nil where no PHC says either way).
    struct SourceSeen {
        var phc = false, source = false

        mutating func saw(_ entries: [TsinfoReply], _ advertised: TsinfoReply) {
            for e in entries { saw(e) }
            saw(advertised)
        }

        mutating func saw(_ e: TsinfoReply) {
            guard e.phcIndex != nil else { return }
            phc = true
            if e.source != nil { source = true }
        }

        func kernel(_ r: InventoryReadings) -> KernelInfo {
            var features = r.features
            features.hwtstampSource = phc ? source : nil
            return KernelInfo(release: r.release, ethtoolNetlink: true, features: features)
        }
    }

    /// Every clock the interface names, each once, in the order named.
    static func clocks(_ snap: inout InterfaceSnapshot, below: [Phy], ptp: inout PTPDirectory) {
        var named = snap.providers.map(\.phcIndex)
        if let i = snap.advertised?.phcIndex { named.append(i) }
        if let i = snap.active.phcIndex { named.append(i) }
        for (k, idx) in named.enumerated() where !named[..<k].contains(idx) {
            var c = ptp.info(idx)
            // A provider's clock has its provider's layer: one answer for both lists
            // (a stacked device has no device of its own for sysfs to place its
            // lower device's MAC clock by).
            if let p = snap.providers.first(where: { $0.phcIndex == idx }) {
                c.layer = p.layer
            } else {
                let owned = ptp.clocksOwned(by: snap.name).filter { $0.0 == idx }.map(\.1)
                c.layer = LayerAttribution.owner(of: c, device: snap.device, phys: snap.phys + below, sysfsLayers: owned)?.layer
            }
            snap.phcs.append(c)
        }
    }

    /// The providers and the advertised one.
    static func providers(
        _ snap: inout InterfaceSnapshot, _ t: LinkReply, entries: [TsinfoReply], advReply: TsinfoReply, perProvider: Bool,
        below: [Phy], ptp: inout PTPDirectory
    ) {
        func layerOf(_ r: TsinfoReply) -> (Layer, Int?) {
            layer(of: r, name: snap.name, device: snap.device, phys: snap.phys + below, ptp: &ptp)
        }
        if perProvider {
            var ps: [Provider] = []
            for r in entries {
                guard let phc = r.phcIndex else { continue }
                let (layer, phyIndex) = layerOf(r)
                ps.append(
                    Provider(
                        layer: layer, phcIndex: Int(phc), qualifier: Qualifier(kernel: r.provider?.qualifier ?? 0),
                        phyIndex: phyIndex, capabilities: Inventory.caps(r), reportedBy: .tsinfoDump))
            }
            snap.providers = ps
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

    /// What a device left out of the TSCONFIG dump gets, per advertised layer.
    struct LeftOutOfDump {
        private var byLayer: [ActiveConfig?] = [nil, nil, nil]
        private static func slot(_ l: Layer?) -> Int {
            switch l {
            case nil: return 0
            case .mac?: return 1
            case .phy?: return 2
            }
        }
        subscript(_ l: Layer?) -> ActiveConfig? {
            get { byLayer[Self.slot(l)] }
            set { byLayer[Self.slot(l)] = newValue }
        }
    }

    /// The active configuration, and which provider it is.
    static func active(
        _ snap: inout InterfaceSnapshot, _ t: LinkReply, _ r: InventoryReadings, perProvider: Bool,
        leftOutOfDump: inout LeftOutOfDump, system: any SystemReader
    ) {
        let ask = r.tsconfigReads.ask(t)
        if perProvider, case .failure(let why)? = ask {
            snap.active = .unavailable(.stackedLowerUnknown, message: why.why)
        } else if !r.tsconfig.isEmpty, let reply = r.tsconfig[t.index] {
            let device = (try? ask?.get()) ?? t.name
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

    /// The layer of a TSINFO reply (LayerAttribution says how) on the interface
    /// `name`; `phys`: its own PHYs and those of the device a stacked one takes its
    /// timestamps from.
    static func layer(of r: TsinfoReply, name: String, device: String?, phys: [Phy], ptp: inout PTPDirectory) -> (Layer, Int?) {
        let source = LayerAttribution.kernelSays(
            source: r.source.map { $0 == Ethtool.SOURCE_PHYLIB ? .phylib : .netdev }, phyIndex: r.phyIndex.map(Int.init))
        let phc = r.phcIndex.map { ptp.info(Int($0)) }
        let owned = phc.map { c in ptp.clocksOwned(by: name).filter { $0.0 == c.index }.map(\.1) } ?? []
        let l = LayerAttribution.provider(kernelSays: source, phc: phc, device: device, phys: phys, sysfsLayers: owned)
        return (l.layer, l.phyIndex)
    }
}
