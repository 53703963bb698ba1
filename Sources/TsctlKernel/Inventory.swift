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
        case .invalidInterfaceName(let n, let why): return InterfaceName.refusal([n]) ?? why
        case .noSuchInterface(let n): return "no such interface: \(InterfaceName.display(n))"
        case .netlink(let e): return e.description
        case .system(let e): return e.description
        }
    }
}

/// Reads the kernel for snapshots: a dump per message type, one batch of
/// per-interface requests (`gather`), then the pure assembly
/// (SnapshotAssembly.swift) turns what was read into the snapshot.
public final class Inventory {
    public let client: EthtoolClient
    public let rtnl: RtnlClient
    /// sysfs, uname, if_indextoname, SIOCGHWTSTAMP: live, or replayed in tests.
    public let system: any SystemReader
    let sysfs: String

    /// Opens a second generic netlink socket, for dumps made on a second thread
    /// (`show --all` in text); nil where there is none (a replayed trace).
    let genlSocket: (() throws(NetlinkError) -> NetlinkTransport)?

    public init(
        client: EthtoolClient, rtnl: RtnlClient, system: any SystemReader = LiveSystem(), sysfsRoot: String = "/sys",
        genlSocket: (() throws(NetlinkError) -> NetlinkTransport)? = nil
    ) {
        self.client = client
        self.rtnl = rtnl
        self.system = system
        self.sysfs = sysfsRoot
        self.genlSocket = genlSocket
    }

    /// The live kernel; with TSCTL_TRACE=FILE every netlink datagram and system
    /// read is also written to FILE (KernelTrace).
    public static func open() throws(InventoryError) -> Inventory {
        do {
            let genl: NetlinkTransport = try LibnlSocket()
            let route: NetlinkTransport = try LibnlSocket.route()
            // A trace records the complete reading (every link dumped), the one its replay knows.
            if let trace = KernelTrace.fromEnvironment() {
                return Inventory(
                    client: try EthtoolClient(transport: trace.recording(genl, "genl")),
                    rtnl: RtnlClient(transport: trace.recording(route, "route")), system: trace.recording(LiveSystem()))
            }
            let filtered = { () throws(NetlinkError) -> NetlinkTransport in try LibnlSocket.routeFiltered() }
            // The second thread's dumps are small (PHY_GET): 4 datagrams a read, not 64.
            let second = { () throws(NetlinkError) -> NetlinkTransport in try LibnlSocket(datagramsPerReceive: 4) }
            return Inventory(
                client: try EthtoolClient(transport: genl), rtnl: RtnlClient(transport: route, filterSocket: filtered),
                genlSocket: second)
        } catch {
            throw .netlink(error)
        }
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

    /// How much of each link a snapshot describes.
    public enum Detail: Sendable {
        /// Every field of every link (JSON, check, a baseline): one dump of every link.
        case complete
        /// What text prints: kind, lower device and active slave only for stacked
        /// devices, the parent device and driver only for devices that have one
        /// (LinkListing.swift). Listing every interface it makes no dump of every link.
        case printed
    }

    public func snapshot(names: [String]?, detail: Detail = .complete) throws(InventoryError) -> Snapshot {
        if names == nil, detail == .complete {
            var all: [InterfaceSnapshot] = []
            if let kernel = try completeListing(chunk: 256, expect: { all.reserveCapacity($0) }, each: { part, _ in all += part }) {
                return Snapshot(kernel: kernel, interfaces: all)
            }
        }
        var snap = try SnapshotAssembly.assemble(try gather(names: names, detail: detail), system: system, sysfsRoot: sysfs)
        attachTsStats(&snap.interfaces)
        return snap
    }

    /// The snapshot handed to `each` `chunk` interfaces at a time (their statistics
    /// read), as `snapshot` would hold them; returns the kernel part. Peak memory
    /// holds the readings and one chunk, not every interface.
    /// `kernelFirst`: `each` gets the final kernel part (SnapshotAssembly.assemble).
    public func snapshot(
        names: [String]?, detail: Detail, chunk: Int, kernelFirst: Bool = false,
        each: (inout [InterfaceSnapshot], KernelInfo) -> Void
    ) throws(InventoryError) -> KernelInfo {
        if names == nil, detail == .complete, let kernel = try completeListing(chunk: chunk, each: each) { return kernel }
        let r = try gather(names: names, detail: detail)
        return try SnapshotAssembly.assemble(r, system: system, sysfsRoot: sysfs, chunk: chunk, kernelFirst: kernelFirst) { part, kernel in
            attachTsStats(&part)
            each(&part, kernel)
        }.kernel
    }

    /// Every netlink read a snapshot needs, nothing assembled yet.
    ///
    /// One request at a time. The link dump is not made beside the ethtool dumps on a
    /// second thread: each datagram of either is filled under the RTNL lock, so the two
    /// would take turns in the kernel (at 10001 links that overlapped only their decoding,
    /// 2 to 13% of the wall time) while another user of the lock waited behind both
    /// (p99 about 85 µs instead of about 30 µs, ethtool's being 28 to 360 µs).
    public func gather(names: [String]?, detail: Detail = .complete) throws(InventoryError) -> InventoryReadings {
        if names == nil, detail == .printed, var r = try printedListing() {
            perInterface(&r)
            return r
        }
        let targets = try self.targets(names)
        var r = try ethtoolDumps(names: names, targets: targets)
        perInterface(&r)
        return r
    }

    /// Many names: the unfiltered dumps cost less than one filtered dump each.
    private static func filtered(_ names: [String]?, _ targets: [LinkReply]) -> Bool { names != nil && targets.count <= 8 }

    /// The dumps of the ethtool family (a filtered one per target for a few names).
    func ethtoolDumps(names: [String]?, targets: [LinkReply]) throws(InventoryError) -> InventoryReadings {
        // Before 6.14 (no TSCONFIG ops) the dump is one message per device and
        // says nothing the *do* does not; from 6.14 it lists every provider.
        let perProvider = client.hasTsconfig
        let filtered = Self.filtered(names, targets)
        // Many interfaces: compact bitsets, named by the kernel's string sets.
        if names == nil && !client.compact {
            do { try client.useCompactBitsets() } catch { throw .netlink(error) }
        }
        var r = readings(names: names, targets: targets, release: system.kernelRelease())
        do {
            if perProvider {
                // Where one unfiltered dump of many devices can crash the kernel, one per device.
                let each = filtered || TsinfoDumpTrap.affected(release: r.release)
                r.add(tsinfoDump: try dumpEach(each, targets, client.tsinfoDump))
            }
            if client.hasPhyGet { r.add(phys: try dumpEach(filtered, targets, client.phyDump)) }
        } catch {
            throw .netlink(error)
        }
        if !client.hasTsinfo {
            throw .netlink(.opMissing(family: Ethtool.familyName, op: "TSINFO_GET", since: "5.7"))
        }
        // Where asking a stacked device can crash the kernel, the TSCONFIG dump (it
        // walks every device) is not sent: the release alone decides (StackedDeviceTrap).
        if perProvider && Self.tsconfigDumped(listingAll: names == nil, trapped: trapped(r)) {
            r.set(tsconfigDump: try? client.tsconfigDump())
        }
        return r
    }

    /// Readings with nothing read yet but what the family offers.
    func readings(names: [String]?, targets: [LinkReply], release: String) -> InventoryReadings {
        InventoryReadings(
            names: names, targets: targets, release: release,
            features: KernelFeatures(tsinfo: client.hasTsinfo, phyGet: client.hasPhyGet, tsconfig: client.hasTsconfig, hwtstampSource: nil))
    }

    func trapped(_ r: InventoryReadings) -> Bool {
        StackedDeviceTrap.verdict(release: r.release, hasTsconfig: client.hasTsconfig).affected
    }

    /// What needs the links: which device each TSCONFIG_GET goes to, one batch of
    /// per-interface requests, the PHYs below stacked devices.
    private func perInterface(_ r: inout InventoryReadings) {
        let targets = r.targets
        let perProvider = client.hasTsconfig
        // Where asking a stacked device can crash the kernel, no request goes to it
        // either: it is read through the device below it.
        let link = linkLookup(targets)
        r.tsconfigReads = Self.tsconfigReads(targets, listingAll: r.names == nil, trapped: trapped(r), link: link)
        // Listing every interface on 6.14+, the dumps stand in for per-interface
        // requests wherever they say the same: a device with one TSINFO entry, no
        // PHC and no PHY is advertised as that entry (nothing else can be active),
        // and a device missing from the TSCONFIG dump answered EOPNOTSUPP.
        // One batch of what is left: TSINFO do (advertised), TSCONFIG_GET (active),
        // by the ifindex the link request resolved (one lookup by name, not one per request).
        // (Targets by position, not each copied: a link is a large value.)
        var specs: [RequestSpec] = []
        var asked: [(index: UInt32, tsinfo: Int, tsconfig: Int?)] = []
        for k in targets.indices {
            let i = targets[k].index
            if r.dumpsStandIn(for: i) { continue }
            var slot: (index: UInt32, tsinfo: Int, tsconfig: Int?) = (i, specs.count, nil)
            specs.append(client.tsinfoRequest(.index(i)))
            if perProvider, case .success(let device)? = r.tsconfigReads.ask(targets[k]) {
                slot.tsconfig = specs.count
                specs.append(client.tsconfigRequest(.name(device)))
            }
            asked.append(slot)
        }
        let outcomes = client.batch(specs)
        for slot in asked {
            r.tsinfo[slot.index] = client.decodeTsinfo(outcomes[slot.tsinfo])
            if let k = slot.tsconfig { r.tsconfig[slot.index] = client.decodeTsconfig(outcomes[k]) }
        }
        // A stacked device has no PHY of its own: the PHYs of the device below it
        // name the clock when the kernel does not (before 6.16).
        let dumpedAll = !Self.filtered(r.names, targets)
        for k in targets.indices where StackedKind.isStacked(targets[k].kind) {
            let below = stackedPhys(targets[k], phys: &r.phys, dumpedAll: dumpedAll, link: link)
            if !below.isEmpty { r.stackedPhys[targets[k].index] = below }
        }
    }

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
            timestamping: r.timestamping?.names ?? [], txTypes: r.txTypes?.values() ?? [],
            rxFilters: r.rxFilters?.values() ?? [])
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
            txType: r.txType?.values(TxTypeTable.self).first, rxFilter: r.rxFilter?.values(RxFilterTable.self).first,
            flags: r.flags?.values() ?? [])
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
    static func activeViaIoctl(_ read: Result<HwtstampIoctl.Config, SystemError>, advertisedLayer: Layer?) -> ActiveConfig {
        switch read {
        case .success(let c): return activeConfig(ioctl: c)
        case .failure(let error):
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
        func value<T>(_ v: Int32) -> KernelValue<T> {
            v >= 0 ? KernelValue<T>(index: UInt32(v)) : KernelValue<T>(kernelName: "value-\(v)")
        }
        return ActiveConfig(
            readVia: .ioctl, txType: value(c.txType), rxFilter: value(c.rxFilter),
            flags: HwtstampFlags(bits: UInt32(bitPattern: c.flags)).flags)
    }
}

/// /sys/class/ptp, read once and only when a clock is asked about.
struct PTPDirectory {
    let sysfs: String
    let system: any SystemReader
    private var cache: [Int: PHC] = [:]
    private var owners: [String: [Int]]?  // owner device realpath -> PHC indexes
    private var owned: [String: [(Int, Layer)]] = [:]  // per interface, asked up to three times

    init(sysfs: String, system: any SystemReader) {
        self.sysfs = sysfs
        self.system = system
    }

    mutating func info(_ index: Int) -> PHC {
        if let c = cache[index] { return c }
        let dir = "\(sysfs)/class/ptp/ptp\(index)"
        var c = PHC(index: index, present: system.exists(dir))
        if c.present {
            c.clockName = system.readAttr(dir + "/clock_name")
            c.owner = system.readLink(dir + "/device").map(Sys.baseName)
            c.ownerBus = system.readLink(dir + "/device/subsystem").map(Sys.baseName)
            c.maxAdjustment = system.readInt(dir + "/max_adjustment")
            c.nPins = system.readInt(dir + "/n_programmable_pins")
            c.nAlarms = system.readInt(dir + "/n_alarms")
            c.nExternalTimestamps = system.readInt(dir + "/n_external_timestamps")
            c.nPeriodicOutputs = system.readInt(dir + "/n_periodic_outputs")
            c.pps = system.readInt(dir + "/pps_available").map { $0 != 0 }
        }
        cache[index] = c
        return c
    }

    /// PHCs whose device is this netdev's parent (MAC) or its attached PHY.
    mutating func clocksOwned(by ifname: String) -> [(Int, Layer)] {
        if owners == nil {
            var map: [String: [Int]] = [:]
            for entry in system.listDirectory("\(sysfs)/class/ptp") ?? [] where entry.hasPrefix("ptp") {
                guard let n = Int(entry.dropFirst(3)),
                    let owner = system.realPath("\(sysfs)/class/ptp/\(entry)/device")
                else { continue }
                map[owner, default: []].append(n)
            }
            owners = map
        }
        guard let owners, !owners.isEmpty else { return [] }
        if let known = owned[ifname] { return known }
        var out: [(Int, Layer)] = []
        if let mac = system.realPath("\(sysfs)/class/net/\(ifname)/device") {
            out += (owners[mac] ?? []).sorted().map { ($0, .mac) }
        }
        if let phy = system.realPath("\(sysfs)/class/net/\(ifname)/phydev") {
            out += (owners[phy] ?? []).sorted().map { ($0, .phy) }
        }
        owned[ifname] = out
        return out
    }
}
