public import TsctlModel
public import TsctlNetlink
public import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

public enum InventoryError: Error, Equatable, CustomStringConvertible {
    case invalidInterfaceName(String, reason: String)
    case noSuchInterface(String)
    case netlink(NetlinkError)
    case system(SystemError)

    public var description: String {
        switch self {
        case .invalidInterfaceName(let n, let why): return "invalid interface name \"\(InterfaceName.display(n))\": \(why)"
        case .noSuchInterface(let n): return "no such interface: \(InterfaceName.display(n))"
        case .netlink(let e): return e.description
        case .system(let e): return e.description
        }
    }
}

/// Builds snapshots from the kernel: a dump per message type, one batch of
/// per-interface requests, and sysfs for the clocks those name.
public final class Inventory {
    public let client: EthtoolClient
    public let rtnl: RtnlClient
    private let sysfs: String

    public init(client: EthtoolClient, rtnl: RtnlClient, sysfsRoot: String = "/sys") {
        self.client = client
        self.rtnl = rtnl
        self.sysfs = sysfsRoot
    }

    public static func open() throws(InventoryError) -> Inventory {
        do { return Inventory(client: try EthtoolClient.open(), rtnl: try RtnlClient.open()) } catch { throw .netlink(error) }
    }

    /// Validates names before any request.
    public static func validate(_ names: [String]) throws(InventoryError) {
        for n in names {
            if let why = InterfaceName.problem(n) { throw .invalidInterfaceName(n, reason: why) }
        }
    }

    /// The links to report: the named ones (each must exist), or all of them.
    public func targets(_ names: [String]?) throws(InventoryError) -> [LinkReply] {
        guard let names else {
            do { return try rtnl.links() } catch { throw .netlink(error) }
        }
        try Self.validate(names)
        var out: [LinkReply] = []
        for (n, r) in zip(names, rtnl.links(named: names)) {
            switch r {
            case .success(let l): if !out.contains(where: { $0.index == l.index }) { out.append(l) }
            case .failure(let e): throw e.isNoDevice ? .noSuchInterface(n) : .netlink(e)
            }
        }
        return out
    }

    public func snapshot(names: [String]?) throws(InventoryError) -> Snapshot {
        let targets = try self.targets(names)
        var nameOf: [UInt32: String] = [:]
        for t in targets { nameOf[t.index] = t.name }
        func name(_ i: UInt32?) -> String? { i.flatMap { nameOf[$0] ?? Sys.interfaceName($0) } }
        // Before 6.14 (no TSCONFIG ops) the dump is one message per device and
        // says nothing the *do* does not; from 6.14 it lists every provider.
        let perProvider = client.hasTsconfig
        let filtered = names != nil && targets.count <= 8
        // Many interfaces: compact bitsets, named by the kernel's string sets.
        if names == nil && !client.compact {
            do { try client.useCompactBitsets() } catch { throw .netlink(error) }
        }
        var dumps: [UInt32: [TsinfoReply]] = [:]
        var phys: [UInt32: [PhyReply]] = [:]
        do {
            if perProvider {
                for r in try dumpEach(filtered, targets, client.tsinfoDump) { dumps[r.device.ifindex, default: []].append(r) }
            }
            if client.hasPhyGet {
                for r in try dumpEach(filtered, targets, client.phyDump) { phys[r.device.ifindex, default: []].append(r) }
            }
        } catch {
            throw .netlink(error)
        }
        if !client.hasTsinfo {
            throw .netlink(.opMissing(family: Ethtool.familyName, op: "TSINFO_GET", since: "5.7"))
        }

        // Where asking a stacked device can crash the kernel, neither the TSCONFIG dump
        // (it walks every device) nor a request to such a device is sent: they are
        // read through the device below them.
        let release = Sys.kernelRelease()
        let trapped = StackedDeviceTrap.verdict(release: release, hasTsconfig: client.hasTsconfig).affected
        let link = linkLookup(targets)
        let reads = Self.tsconfigReads(targets, listingAll: names == nil, trapped: trapped, link: link)
        // Listing every interface on 6.14+, the dumps stand in for per-interface
        // requests wherever they say the same: a device with one TSINFO entry, no
        // PHC and no PHY is advertised as that entry (nothing else can be active),
        // and a device missing from the TSCONFIG dump answered EOPNOTSUPP.
        var configs: [UInt32: TsconfigReply]?
        if perProvider && reads.dump {
            configs = try? Dictionary(client.tsconfigDump().map { ($0.device.ifindex, $0) }, uniquingKeysWith: { a, _ in a })
        }
        // One batch of what is left: TSINFO do (advertised), TSCONFIG_GET (active),
        // by the ifindex the link request resolved (one lookup by name, not one per request).
        var specs: [RequestSpec] = []
        var slots: [(tsinfo: Int?, tsconfig: Int?)] = []
        slots.reserveCapacity(targets.count)
        for t in targets {
            let entries = dumps[t.index] ?? []
            let simple = configs != nil && entries.count == 1 && entries[0].phcIndex == nil && (phys[t.index] ?? []).isEmpty
            var slot: (tsinfo: Int?, tsconfig: Int?) = (nil, nil)
            if !simple {
                slot.tsinfo = specs.count
                specs.append(client.tsinfoRequest(.index(t.index)))
                if perProvider {
                    if case .success(let device)? = reads.ask[t.index] {
                        slot.tsconfig = specs.count
                        specs.append(client.tsconfigRequest(.name(device)))
                    }
                }
            }
            slots.append(slot)
        }
        let outcomes = client.batch(specs)

        var sawPHC = false, sawSource = false
        // What a device the TSCONFIG dump left out (it answered EOPNOTSUPP) gets, built
        // once per advertised layer: its error text cost a tenth of show --all.
        var leftOutOfDump: [Layer?: ActiveConfig] = [:]
        var ptp = PTPDirectory(sysfs: sysfs)
        var interfaces: [InterfaceSnapshot] = []
        interfaces.reserveCapacity(targets.count)
        for (i, t) in targets.enumerated() {
            let advReply: TsinfoReply
            switch slots[i].tsinfo.map({ client.decodeTsinfo(outcomes[$0]) }) ?? .success(dumps[t.index]![0]) {
            case .success(let r): advReply = r
            case .failure(let e):
                if e.isNoDevice { if names != nil { throw .noSuchInterface(t.name) } else { continue } }
                throw .netlink(e)
            }
            let entries = dumps[t.index] ?? []
            for r in entries + [advReply] where r.phcIndex != nil {
                sawPHC = true
                if r.source != nil { sawSource = true }
            }
            var snap = InterfaceSnapshot(name: t.name, ifindex: Int(t.index), active: .unavailable(.error))
            // The link message names the parent device; sysfs is asked only when
            // there is one (or the kernel is too old to say).
            if !t.parentKnown || t.parentDevice != nil {
                snap.device = t.parentDevice ?? Sys.readLink("\(sysfs)/class/net/\(t.name)/device").map(Sys.baseName)
                if snap.device != nil {
                    snap.driver = Sys.readLink("\(sysfs)/class/net/\(t.name)/device/driver").map(Sys.baseName)
                }
            }
            snap.kind = t.kind
            if let k = t.kind, Self.stackedKinds.contains(k), !t.linkInOtherNamespace { snap.lower = name(t.link) }
            snap.master = name(t.master)
            snap.bondActiveSlave = name(t.bondActiveSlave)
            snap.phys = (phys[t.index] ?? []).map(Self.phy)
            // A stacked device has no PHY of its own: the PHYs of the device below it
            // name the clock when the kernel does not (before 6.16).
            let below = stackedPhys(t, phys: &phys, dumpedAll: !filtered, link: link)
            let layerOf = { (r: TsinfoReply) -> (Layer, Int?) in
                self.layer(of: r, snap: snap, below: below, ptp: &ptp)
            }
            // Providers.
            if perProvider {
                snap.providers = entries.compactMap { r in
                    guard let phc = r.phcIndex else { return nil }
                    let (layer, phyIndex) = layerOf(r)
                    return Provider(
                        layer: layer, phcIndex: Int(phc), qualifier: Qualifier(kernel: r.provider?.qualifier ?? 0),
                        phyIndex: phyIndex, capabilities: Self.caps(r), reportedBy: .tsinfoDump)
                }
            } else {
                if let phc = advReply.phcIndex {
                    let (layer, phyIndex) = layerOf(advReply)
                    snap.providers.append(
                        Provider(
                            layer: layer, phcIndex: Int(phc), qualifier: .precise, phyIndex: phyIndex,
                            capabilities: Self.caps(advReply), reportedBy: .tsinfoDump))
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
            // Advertised.
            var adv = Advertised(
                phcIndex: advReply.phcIndex.map(Int.init),
                qualifier: advReply.provider.map { Qualifier(kernel: $0.qualifier) },
                capabilities: Self.caps(advReply))
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
            // Active.
            if perProvider, case .failure(let why)? = reads.ask[t.index] {
                snap.active = .unavailable(.stackedLowerUnknown, message: why.why)
            } else if let k = slots[i].tsconfig {
                let device = (try? reads.ask[t.index]?.get()) ?? t.name
                snap.active = Self.withIoctlFallback(
                    Self.active(client.decodeTsconfig(outcomes[k]), snap: snap),
                    device: device, snap: snap)
                snap.active.readFrom = device == t.name ? nil : device
            } else if perProvider {
                if let c = configs?[t.index] {
                    snap.active = Self.activeConfig(c)
                } else if let known = leftOutOfDump[snap.advertised?.layer] {
                    snap.active = known
                } else {
                    let e = NetlinkError.kernel(KernelError(errno: EOPNOTSUPP, request: "TSCONFIG_GET dump"))
                    snap.active = Self.active(.failure(e), snap: snap)
                    leftOutOfDump[snap.advertised?.layer] = snap.active
                }
            } else {
                snap.active = Self.activeViaIoctl(t.name, advertisedLayer: adv.layer)
            }
            if let k = snap.providers.firstIndex(where: { p in
                snap.active.phcIndex == p.phcIndex && snap.active.qualifier == p.qualifier
            }) {
                snap.providers[k].active = true
                snap.active.layer = snap.providers[k].layer
                snap.active.phyIndex = snap.providers[k].phyIndex
            }
            // Every clock this interface names.
            var seen = Set<Int>()
            for idx in snap.providers.map(\.phcIndex) + [adv.phcIndex, snap.active.phcIndex].compactMap({ $0 })
            where seen.insert(idx).inserted {
                var c = ptp.info(idx)
                let owned = ptp.clocksOwned(by: t.name).filter { $0.0 == idx }.map(\.1)
                c.layer = LayerAttribution.owner(of: c, device: snap.device, phys: snap.phys + below, sysfsLayers: owned)?.layer
                snap.phcs.append(c)
            }
            interfaces.append(snap)
        }
        attachTsStats(&interfaces)
        let features = KernelFeatures(
            tsinfo: client.hasTsinfo, phyGet: client.hasPhyGet, tsconfig: client.hasTsconfig,
            hwtstampSource: sawPHC ? sawSource : nil)
        return Snapshot(
            kernel: KernelInfo(release: release, ethtoolNetlink: true, features: features),
            interfaces: interfaces)
    }

    /// Kinds whose timestamping is their lower device's.
    static let stackedKinds: Set<String> = ["vlan", "macvlan", "macvtap", "ipvlan", "ipvtap"]

    /// A filtered dump per named interface (cheap for a few), else one dump of all.
    private func dumpEach<T>(
        _ filtered: Bool, _ targets: [LinkReply],
        _ dump: (DeviceSelector?) throws(NetlinkError) -> [T]
    ) throws(NetlinkError) -> [T] {
        guard filtered else { return try dump(nil) }
        var out: [T] = []
        for t in targets { out += try dump(.index(t.index)) }
        return out
    }

    static func phy(_ p: PhyReply) -> Phy {
        Phy(
            phyIndex: Int(p.index), driver: p.driver, name: p.name, upstream: p.upstreamType == Ethtool.UPSTREAM_PHY ? .phy : .mac,
            upstreamPhyIndex: p.upstreamIndex.map(Int.init), upstreamSFP: p.upstreamSFP, downstreamSFP: p.downstreamSFP)
    }

    static func caps(_ r: TsinfoReply) -> Capabilities {
        Capabilities(
            timestamping: r.timestamping?.names ?? [], txTypes: r.txTypes?.names ?? [],
            rxFilters: r.rxFilters?.names ?? [])
    }

    /// The layer of a TSINFO reply (LayerAttribution says how); `below`: the PHYs of the
    /// device a stacked one takes its timestamps from.
    private func layer(of r: TsinfoReply, snap: InterfaceSnapshot, below: [Phy], ptp: inout PTPDirectory) -> (Layer, Int?) {
        let source = LayerAttribution.kernelSays(
            source: r.source.map { $0 == Ethtool.SOURCE_PHYLIB ? .phylib : .netdev }, phyIndex: r.phyIndex.map(Int.init))
        let phc = r.phcIndex.map { ptp.info(Int($0)) }
        let owned = phc.map { c in ptp.clocksOwned(by: snap.name).filter { $0.0 == c.index }.map(\.1) } ?? []
        let l = LayerAttribution.provider(
            kernelSays: source, phc: phc, device: snap.device, phys: snap.phys + below, sysfsLayers: owned)
        return (l.layer, l.phyIndex)
    }

    static func active(_ result: Result<TsconfigReply, NetlinkError>, snap: InterfaceSnapshot) -> ActiveConfig {
        switch result {
        case .success(let r): return activeConfig(r)
        case .failure(let e):
            return unavailable(e, advertisedLayer: snap.advertised?.layer, via: .tsconfig)
        }
    }

    /// A TSCONFIG_GET (or TSCONFIG_SET) reply in the kernel's names, kept as they came.
    static func activeConfig(_ r: TsconfigReply) -> ActiveConfig {
        ActiveConfig(
            readVia: .tsconfig, phcIndex: r.provider.map { Int($0.phcIndex) },
            qualifier: r.provider.map { Qualifier(kernel: $0.qualifier) },
            txType: r.txType?.names.first, rxFilter: r.rxFilter?.names.first, flags: r.flags?.names ?? [])
    }

    static func unavailable(_ e: NetlinkError, advertisedLayer: Layer?, via: ActiveConfig.ReadVia) -> ActiveConfig {
        if case .opMissing = e { return .unavailable(.kernelTooOld, message: e.description) }
        var message: String?
        if case .kernel(let k) = e { message = k.message }
        let errno = e.errno.map(Int.init)
        let reason = unavailableReason(e.failure.kind, advertisedLayer: advertisedLayer)
        let text = reason == .error ? message ?? e.description : message ?? e.errno.map { String(cString: strerror($0)) }
        return .unavailable(reason, errno: errno, message: text, via: via)
    }

    /// Why a read of the active config failed, from what its errno means.
    static func unavailableReason(_ kind: FailureKind, advertisedLayer: Layer?) -> UnavailableReason {
        switch kind {
        // A refusal is the driver's, or (6.6-6.18) the core's PHY stub when a PHY is the default.
        case .notSupported: return advertisedLayer == .phy ? .phyReadbackUnsupported : .driverUnsupported
        case .noSuchDevice: return .noPHC
        case .permission: return .permission
        case .usage, .other: return .error
        }
    }

    /// Before 6.14: SIOCGHWTSTAMP, which the MAC driver answers (or not).
    static func activeViaIoctl(_ name: String, advertisedLayer: Layer?) -> ActiveConfig {
        do {
            return activeConfig(ioctl: try HwtstampIoctl.getConfig(name))
        } catch {
            // The ioctl exists on every kernel tsctl runs on: a driver without it
            // answers EINVAL (dev_eth_ioctl's default) as well as EOPNOTSUPP.
            let kind = error.errno == EINVAL ? .notSupported : Errno.kind(error.errno)
            return .unavailable(
                unavailableReason(kind, advertisedLayer: advertisedLayer), errno: Int(error.errno),
                message: String(cString: strerror(error.errno)), via: .ioctl)
        }
    }

    /// struct hwtstamp_config in the kernel's names (a number beyond tsctl's table is kept as value-N).
    static func activeConfig(ioctl c: HwtstampIoctl.Config) -> ActiveConfig {
        func name<T>(_ v: Int32, _: T.Type) -> String where T: KernelNameTable {
            v >= 0 ? KernelValue<T>(index: UInt32(v)).name : "value-\(v)"
        }
        return ActiveConfig(
            readVia: .ioctl, txType: name(c.txType, TxTypeTable.self), rxFilter: name(c.rxFilter, RxFilterTable.self),
            flags: HwtstampFlags(bits: UInt32(bitPattern: c.flags)).names)
    }
}

/// /sys/class/ptp, read once and only when a clock is asked about.
struct PTPDirectory {
    let sysfs: String
    private var cache: [Int: PHC] = [:]
    private var owners: [String: [Int]]?  // owner device realpath -> PHC indexes
    private var owned: [String: [(Int, Layer)]] = [:]  // per interface, asked up to three times

    init(sysfs: String) { self.sysfs = sysfs }

    mutating func info(_ index: Int) -> PHC {
        if let c = cache[index] { return c }
        let dir = "\(sysfs)/class/ptp/ptp\(index)"
        var c = PHC(index: index, present: Sys.exists(dir))
        if c.present {
            c.clockName = Sys.readAttr(dir + "/clock_name")
            c.owner = Sys.readLink(dir + "/device").map(Sys.baseName)
            c.ownerBus = Sys.readLink(dir + "/device/subsystem").map(Sys.baseName)
            c.maxAdjustment = Sys.readInt(dir + "/max_adjustment")
            c.nPins = Sys.readInt(dir + "/n_programmable_pins")
            c.nAlarms = Sys.readInt(dir + "/n_alarms")
            c.nExternalTimestamps = Sys.readInt(dir + "/n_external_timestamps")
            c.nPeriodicOutputs = Sys.readInt(dir + "/n_periodic_outputs")
            c.pps = Sys.readInt(dir + "/pps_available").map { $0 != 0 }
        }
        cache[index] = c
        return c
    }

    /// PHCs whose device is this netdev's parent (MAC) or its attached PHY.
    mutating func clocksOwned(by ifname: String) -> [(Int, Layer)] {
        if owners == nil {
            var map: [String: [Int]] = [:]
            for entry in Sys.listDirectory("\(sysfs)/class/ptp") ?? [] where entry.hasPrefix("ptp") {
                guard let n = Int(entry.dropFirst(3)),
                    let owner = Sys.realPath("\(sysfs)/class/ptp/\(entry)/device")
                else { continue }
                map[owner, default: []].append(n)
            }
            owners = map
        }
        guard let owners, !owners.isEmpty else { return [] }
        if let known = owned[ifname] { return known }
        var out: [(Int, Layer)] = []
        if let mac = Sys.realPath("\(sysfs)/class/net/\(ifname)/device") {
            out += (owners[mac] ?? []).sorted().map { ($0, .mac) }
        }
        if let phy = Sys.realPath("\(sysfs)/class/net/\(ifname)/phydev") {
            out += (owners[phy] ?? []).sorted().map { ($0, .phy) }
        }
        owned[ifname] = out
        return out
    }
}
