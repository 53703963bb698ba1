public import TsctlModel

// Snapshot <-> JSON (schema_version 1, Schemas/show.schema.json). One name per
// concept, the kernel's words, snake_case.

extension Optional where Wrapped == Int {
    package var json: JSON { map { .int($0) } ?? .null }
}

extension Optional where Wrapped == String {
    package var json: JSON { map { .string($0) } ?? .null }
}

extension Optional where Wrapped == Bool {
    package var json: JSON { map { .bool($0) } ?? .null }
}

extension Capabilities {
    func emit<S: JSONSink>(into s: inout S) {
        s.field("timestamping", strings: timestamping)
        s.field("tx_types", strings: txTypes.map(\.name))
        s.field("rx_filters", strings: rxFilters.map(\.name))
    }
}

extension Snapshot: JSONEmitting {
    /// Gives `output` the pretty-printed document and a newline in pieces as it
    /// goes: the bytes `json.serialized()` gives, without building them whole.
    public func writeJSON(_ output: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(output) { output in
            var w = JSONByteWriter(output: output)
            emit(into: &w)
            w.finish()
        }
    }

    public func emit<S: JSONSink>(into s: inout S) {
        Self.beginDocument(kernel: kernel, into: &s)
        Self.emit(interfaces, after: nil, into: &s)
        s.endArray()
        s.endObject()
    }

    /// The document up to its `interfaces` array, opened.
    static func beginDocument<S: JSONSink>(kernel: KernelInfo, into s: inout S) {
        s.beginObject()
        s.field("schema_version", Snapshot.schemaVersion)
        s.key("kernel")
        kernel.emit(into: &s)
        s.key("interfaces")
        s.beginArray()
    }

    /// Interfaces as elements of the open array; `last`: the one written just before
    /// the first of them (its runs of fields are compared with the first's).
    static func emit<S: JSONSink>(_ interfaces: [InterfaceSnapshot], after last: InterfaceSnapshot?, into s: inout S) {
        // Each element is copied out to be lent to `emit` (memory an unsafe pointer
        // reads could change during the call); its neighbour is compared through the
        // pointer field by field, not copied whole as well. The pointers are used only
        // inside the closures, within the array's count.
        interfaces.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress, b.count > 0 else { return }
            if var before = last {
                withUnsafePointer(to: &before) { p[0].emit(into: &s, previous: $0) }
            } else {
                p[0].emit(into: &s, previous: nil)
            }
            for i in 1..<b.count { p[i].emit(into: &s, previous: p + (i - 1)) }
        }
    }
}

/// `show --json`'s document written as its interfaces come, a chunk at a time:
/// the same bytes `Snapshot.writeJSON` writes of the whole snapshot. The kernel
/// part comes first, so it must be known before the first chunk.
public struct SnapshotJSONStream {
    private var w: JSONByteWriter
    private var begun = false
    /// The interface written last: the next one's runs are compared with it.
    private var last: InterfaceSnapshot?

    /// `output` takes each full buffer; it must outlive the stream.
    public init(output: @escaping (UnsafeRawBufferPointer) -> Void) { w = JSONByteWriter(output: output) }

    public mutating func add(_ part: [InterfaceSnapshot], kernel: KernelInfo) {
        begin(kernel)
        Snapshot.emit(part, after: last, into: &w)
        if let l = part.last { last = l }
    }

    /// Ends the document (an empty one: `kernel` is its kernel part).
    public mutating func finish(kernel: KernelInfo) {
        begin(kernel)
        w.endArray()
        w.endObject()
        w.finish()
    }

    private mutating func begin(_ kernel: KernelInfo) {
        guard !begun else { return }
        begun = true
        Snapshot.beginDocument(kernel: kernel, into: &w)
    }
}

/// Optional's ==, without the copies of both values its switch over the pair made
/// (for large values such as Advertised and TsStats, most of the comparison).
private func same<T: Equatable>(_ a: T?, _ b: T?) -> Bool {
    guard let x = a else { return b == nil }
    guard let y = b else { return false }
    return x == y
}

/// The same bytes (or both nil).
private func sameBytes(_ a: String?, _ b: String?) -> Bool { sameName(a, b) }

extension InterfaceSnapshot: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) { emit(into: &s, previous: nil) }

    /// Which runs of fields equal those of the interface written just before (after
    /// the name and index, most do).
    struct SameRuns {
        var link = false, advertised = false, providers = false, active = false
    }

    /// String's == is Unicode canonical equivalence, under which interfaces named
    /// "caf\u{E9}" and "cafe\u{301}" are the same; they are different names, and a
    /// repeated run must be the same bytes. So every name a run holds (interfaces,
    /// drivers, PHYs, clocks, messages) is also compared byte for byte; the rest are
    /// the kernel's ASCII names and numbers.
    func sameRuns(as p: UnsafePointer<InterfaceSnapshot>) -> SameRuns {
        SameRuns(
            link: sameBytes(p.pointee.driver, driver) && sameBytes(p.pointee.device, device) && sameBytes(p.pointee.kind, kind)
                && sameBytes(p.pointee.lower, lower) && sameBytes(p.pointee.master, master)
                && sameBytes(p.pointee.bondActiveSlave, bondActiveSlave),
            advertised: same(p.pointee.advertised, advertised),
            providers: p.pointee.providers == providers && p.pointee.phys == phys && p.pointee.phcs == phcs
                && zip(p.pointee.phys, phys).allSatisfy { a, b in
                    sameBytes(a.driver, b.driver) && sameBytes(a.name, b.name) && sameBytes(a.upstreamSFP, b.upstreamSFP)
                        && sameBytes(a.downstreamSFP, b.downstreamSFP)
                }
                && zip(p.pointee.phcs, phcs).allSatisfy { a, b in
                    sameBytes(a.clockName, b.clockName) && sameBytes(a.owner, b.owner) && sameBytes(a.ownerBus, b.ownerBus)
                },
            active: p.pointee.active == active && sameBytes(p.pointee.active.readFrom, active.readFrom)
                && sameBytes(p.pointee.active.message, active.message)
                && same(p.pointee.tsStats, tsStats) && sameBytes(p.pointee.tsStats?.message, tsStats?.message))
    }

    /// `previous`: the interface written just before, whose runs of fields a sink may
    /// repeat where this one's are equal.
    func emit<S: JSONSink>(into s: inout S, previous: UnsafePointer<InterfaceSnapshot>?) {
        let same = previous.map(sameRuns) ?? SameRuns()
        s.beginObject()
        s.field("name", name)
        // Not UTF-8: "name" has \xNN for those bytes, name_bytes the bytes themselves.
        if !OSString.isUTF8(name) { s.field("name_bytes", OSString.hex(name)) }
        s.field("ifindex", ifindex)
        s.run(0, same: same.link) { s in emitLink(into: &s) }
        s.run(1, same: same.advertised) { s in emitAdvertised(into: &s) }
        s.run(2, same: same.providers) { s in emitProviders(into: &s) }
        s.run(3, same: same.active) { s in
            s.key("active")
            active.emit(into: &s)
            s.key("ts_stats")
            if let t = tsStats { t.emit(into: &s) } else { s.null() }
        }
        s.endObject()
    }

    private func emitLink<S: JSONSink>(into s: inout S) {
        s.field("driver", driver)
        s.field("device", device)
        s.field("kind", kind)
        s.field("lower", lower)
        s.field("master", master)
        s.field("bond_active_slave", bondActiveSlave)
    }

    private func emitAdvertised<S: JSONSink>(into s: inout S) {
        s.key("advertised")
        if let a = advertised {
            s.beginObject()
            s.field("phc_index", a.phcIndex)
            s.field("qualifier", a.qualifier?.name)
            s.field("layer", a.layer?.rawValue)
            s.field("phy_index", a.phyIndex)
            a.capabilities.emit(into: &s)
            s.endObject()
        } else {
            s.null()
        }
    }

    /// The providers, PHYs and clocks.
    private func emitProviders<S: JSONSink>(into s: inout S) {
        s.key("providers")
        s.beginArray()
        for p in providers {
            s.beginObject()
            s.field("layer", p.layer.rawValue)
            s.field("phc_index", p.phcIndex)
            s.field("qualifier", p.qualifier.name)
            s.field("phy_index", p.phyIndex)
            if let c = p.capabilities {
                c.emit(into: &s)
            } else {
                s.field("timestamping", strings: nil)
                s.field("tx_types", strings: nil)
                s.field("rx_filters", strings: nil)
            }
            s.field("reported_by", p.reportedBy.rawValue)
            s.field("advertised", p.advertised)
            s.field("active", p.active)
            s.endObject()
        }
        s.endArray()
        s.key("phys")
        s.beginArray()
        for y in phys {
            s.beginObject()
            s.field("phy_index", y.phyIndex)
            s.field("driver", y.driver)
            s.field("name", y.name)
            s.field("upstream", y.upstream.rawValue)
            s.field("upstream_phy_index", y.upstreamPhyIndex)
            s.field("upstream_sfp", y.upstreamSFP)
            s.field("downstream_sfp", y.downstreamSFP)
            s.endObject()
        }
        s.endArray()
        s.key("phcs")
        s.beginArray()
        for c in phcs {
            s.beginObject()
            s.field("index", c.index)
            s.field("device", c.device)
            s.field("present", c.present)
            s.field("layer", c.layer?.rawValue)
            s.field("clock_name", c.clockName)
            s.field("owner", c.owner)
            s.field("owner_bus", c.ownerBus)
            s.field("max_adjustment", c.maxAdjustment)
            s.field("n_pins", c.nPins)
            s.field("n_alarms", c.nAlarms)
            s.field("n_external_timestamps", c.nExternalTimestamps)
            s.field("n_periodic_outputs", c.nPeriodicOutputs)
            s.field("pps", c.pps)
            s.key("health")
            if let h = c.health { h.emit(into: &s) } else { s.null() }
            s.endObject()
        }
        s.endArray()
    }
}

extension ActiveConfig: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) {
        s.beginObject()
        s.field("state", isConfigured ? "configured" : "unavailable")
        s.field("read_via", readVia?.rawValue)
        s.field("read_from", readFrom)
        s.field("phc_index", phcIndex)
        s.field("qualifier", qualifier?.name)
        s.field("layer", layer?.rawValue)
        s.field("phy_index", phyIndex)
        s.field("tx_type", txType?.name)
        s.field("rx_filter", rxFilter?.name)
        s.field("flags", strings: flags.map(\.name))
        s.field("reason", unavailable?.rawValue)
        s.field("errno", errno)
        s.field("message", message)
        s.endObject()
    }
}

// MARK: reading a saved snapshot back (check --baseline)

public struct SnapshotDecodeError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

extension Snapshot {
    public init(json: JSON) throws(SnapshotDecodeError) {
        let r = Reader(path: "$")
        let v = try r.int(json["schema_version"], "schema_version")
        guard v == Snapshot.schemaVersion else {
            throw SnapshotDecodeError(
                path: "$.schema_version", message: "is \(v); this tsctl reads schema_version \(Snapshot.schemaVersion)")
        }
        let k = try r.object(json["kernel"], "kernel")
        let f = try r.object(k["features"], "kernel.features")
        let kernel = KernelInfo(
            release: try r.string(k["release"], "kernel.release"),
            ethtoolNetlink: try r.bool(k["ethtool_netlink"], "kernel.ethtool_netlink"),
            features: KernelFeatures(
                tsinfo: try r.bool(f["tsinfo"], "kernel.features.tsinfo"),
                phyGet: try r.bool(f["phy_get"], "kernel.features.phy_get"),
                tsconfig: try r.bool(f["tsconfig"], "kernel.features.tsconfig"),
                hwtstampSource: try r.optBool(f["hwtstamp_source"], "kernel.features.hwtstamp_source")))
        var ifs: [InterfaceSnapshot] = []
        for (i, item) in try r.array(json["interfaces"], "interfaces").enumerated() {
            ifs.append(try InterfaceSnapshot(json: item, path: "interfaces[\(i)]"))
        }
        self.init(kernel: kernel, interfaces: ifs)
    }
}

extension InterfaceSnapshot {
    init(json o: JSON, path: String) throws(SnapshotDecodeError) {
        let r = Reader(path: "$." + path)
        // Read in the document's order, so the first error is the first in the file.
        let name = try r.interfaceName(o)
        let ifindex = try r.int(o["ifindex"], "ifindex")
        let driver = try r.optString(o["driver"], "driver")
        let device = try r.optString(o["device"], "device")
        let kind = try r.optString(o["kind"], "kind")
        let lower = try r.optString(o["lower"], "lower")
        let master = try r.optString(o["master"], "master")
        let bondActiveSlave = try r.optString(o["bond_active_slave"], "bond_active_slave")
        let advertised = try r.advertised(o["advertised"])
        let providers = try r.providers(o["providers"])
        let phys = try r.phys(o["phys"])
        let phcs = try r.phcs(o["phcs"])
        let active = try r.active(o["active"])
        self.init(
            name: name, ifindex: ifindex, driver: driver, advertised: advertised, providers: providers, phys: phys,
            phcs: phcs, active: active)
        self.device = device
        self.kind = kind
        self.lower = lower
        self.master = master
        self.bondActiveSlave = bondActiveSlave
        // Added after schema_version 1 first shipped: older documents lack it.
        if let t = o["ts_stats"], !t.isNull { tsStats = try TsStats(json: t, path: "\(r.path).ts_stats") }
    }
}

/// The parts of an interface object (`r.path` is the interface's).
extension Reader {
    func interfaceName(_ o: JSON) throws(SnapshotDecodeError) -> String {
        let name = try string(o["name"], "name")
        guard let hex = try optString(o["name_bytes"], "name_bytes") else { return name }
        guard let n = OSString.fromHex(hex), OSString.text(n) == name else {
            throw fail("name_bytes", "expected the hex bytes of \"name\", got \"\(hex)\"")
        }
        return n
    }

    func advertised(_ a: JSON?) throws(SnapshotDecodeError) -> Advertised? {
        guard let a, !a.isNull else { return nil }
        guard let caps = try caps(a, "advertised") else {
            throw fail("advertised.timestamping", "missing: expected an array of strings")
        }
        return Advertised(
            phcIndex: try optInt(a["phc_index"], "advertised.phc_index"),
            qualifier: try optQualifier(a["qualifier"], "advertised.qualifier"),
            layer: try optLayer(a["layer"], "advertised.layer"),
            phyIndex: try optInt(a["phy_index"], "advertised.phy_index"),
            capabilities: caps)
    }

    func providers(_ v: JSON?) throws(SnapshotDecodeError) -> [Provider] {
        var ps: [Provider] = []
        for (i, p) in try array(v, "providers").enumerated() {
            let at = "providers[\(i)]"
            guard let layer = try optLayer(p["layer"], at + ".layer"),
                let q = try optQualifier(p["qualifier"], at + ".qualifier"),
                let rb = ReportedBy(rawValue: try string(p["reported_by"], at + ".reported_by"))
            else { throw fail(at, "layer, qualifier and reported_by are required") }
            ps.append(
                Provider(
                    layer: layer, phcIndex: try int(p["phc_index"], at + ".phc_index"), qualifier: q,
                    phyIndex: try optInt(p["phy_index"], at + ".phy_index"),
                    capabilities: try caps(p, at), reportedBy: rb,
                    advertised: try bool(p["advertised"], at + ".advertised"),
                    active: try bool(p["active"], at + ".active")))
        }
        return ps
    }

    func phys(_ v: JSON?) throws(SnapshotDecodeError) -> [Phy] {
        var ys: [Phy] = []
        for (i, y) in try array(v, "phys").enumerated() {
            let at = "phys[\(i)]"
            ys.append(
                Phy(
                    phyIndex: try int(y["phy_index"], at + ".phy_index"),
                    driver: try optString(y["driver"], at + ".driver"),
                    name: try string(y["name"], at + ".name"),
                    upstream: try optLayer(y["upstream"], at + ".upstream") ?? .mac,
                    upstreamPhyIndex: try optInt(y["upstream_phy_index"], at + ".upstream_phy_index"),
                    upstreamSFP: try optString(y["upstream_sfp"], at + ".upstream_sfp"),
                    downstreamSFP: try optString(y["downstream_sfp"], at + ".downstream_sfp")))
        }
        return ys
    }

    func phcs(_ v: JSON?) throws(SnapshotDecodeError) -> [PHC] {
        var cs: [PHC] = []
        for (i, c) in try array(v, "phcs").enumerated() {
            let at = "phcs[\(i)]"
            var phc = PHC(
                index: try int(c["index"], at + ".index"),
                clockName: try optString(c["clock_name"], at + ".clock_name"),
                owner: try optString(c["owner"], at + ".owner"),
                ownerBus: try optString(c["owner_bus"], at + ".owner_bus"),
                maxAdjustment: try optInt(c["max_adjustment"], at + ".max_adjustment"),
                nPins: try optInt(c["n_pins"], at + ".n_pins"),
                nAlarms: try optInt(c["n_alarms"], at + ".n_alarms"),
                nExternalTimestamps: try optInt(c["n_external_timestamps"], at + ".n_external_timestamps"),
                nPeriodicOutputs: try optInt(c["n_periodic_outputs"], at + ".n_periodic_outputs"),
                pps: try optBool(c["pps"], at + ".pps"),
                present: try bool(c["present"], at + ".present"),
                layer: try optLayer(c["layer"], at + ".layer"))
            if let h = c["health"], !h.isNull { phc.health = try ClockHealth(json: h, path: "\(path).\(at).health") }
            cs.append(phc)
        }
        return cs
    }

    func active(_ v: JSON?) throws(SnapshotDecodeError) -> ActiveConfig {
        let a = try object(v, "active")
        let state = try string(a["state"], "active.state")
        var reason: UnavailableReason?
        if state == "unavailable" {
            guard let rs = try optString(a["reason"], "active.reason"), let rr = UnavailableReason(rawValue: rs) else {
                throw fail("active.reason", "an unavailable config needs a known reason")
            }
            reason = rr
        }
        var active = ActiveConfig(
            readVia: (try optString(a["read_via"], "active.read_via")).flatMap(ActiveConfig.ReadVia.init(rawValue:)),
            phcIndex: try optInt(a["phc_index"], "active.phc_index"),
            qualifier: try optQualifier(a["qualifier"], "active.qualifier"),
            layer: try optLayer(a["layer"], "active.layer"),
            phyIndex: try optInt(a["phy_index"], "active.phy_index"),
            txType: try optString(a["tx_type"], "active.tx_type").map(TxType.init(kernelName:)),
            rxFilter: try optString(a["rx_filter"], "active.rx_filter").map(RxFilter.init(kernelName:)),
            flags: (try stringArray(a["flags"], "active.flags") ?? []).map(HwtstampFlag.init(kernelName:)),
            unavailable: reason,
            errno: try optInt(a["errno"], "active.errno"),
            message: try optString(a["message"], "active.message"))
        active.readFrom = try optString(a["read_from"], "active.read_from")
        return active
    }
}

/// Typed reads with the JSON path in every error.
struct Reader {
    var path: String

    func fail(_ key: String, _ what: String) -> SnapshotDecodeError {
        SnapshotDecodeError(path: "\(path).\(key)", message: what)
    }
    func object(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> JSON {
        guard let v, case .object = v else { throw fail(key, "expected an object") }
        return v
    }
    func array(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> [JSON] {
        guard let a = v?.arrayValue else { throw fail(key, "expected an array") }
        return a
    }
    func string(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> String {
        guard let s = v?.stringValue else { throw fail(key, "expected a string") }
        return s
    }
    func int(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Int {
        guard let i = v?.intValue else { throw fail(key, "expected an integer") }
        return i
    }
    func bool(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Bool {
        guard let b = v?.boolValue else { throw fail(key, "expected true or false") }
        return b
    }
    func optString(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> String? {
        guard let v, !v.isNull else { return nil }
        return try string(v, key)
    }
    func optInt(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Int? {
        guard let v, !v.isNull else { return nil }
        return try int(v, key)
    }
    func optBool(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Bool? {
        guard let v, !v.isNull else { return nil }
        return try bool(v, key)
    }
    func optLayer(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Layer? {
        guard let s = try optString(v, key) else { return nil }
        guard let l = Layer(rawValue: s) else { throw fail(key, "expected \"mac\" or \"phy\", got \"\(s)\"") }
        return l
    }
    func optQualifier(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> Qualifier? {
        guard let s = try optString(v, key) else { return nil }
        guard let q = Qualifier(name: s) else { throw fail(key, "expected \"precise\" or \"approx\", got \"\(s)\"") }
        return q
    }
    func stringArray(_ v: JSON?, _ key: String) throws(SnapshotDecodeError) -> [String]? {
        guard let v, !v.isNull else { return nil }
        var out: [String] = []
        for item in try array(v, key) { out.append(try string(item, key)) }
        return out
    }
    func caps(_ o: JSON, _ at: String) throws(SnapshotDecodeError) -> Capabilities? {
        guard let ts = try stringArray(o["timestamping"], at + ".timestamping") else { return nil }
        return Capabilities(
            timestamping: ts, txTypes: (try stringArray(o["tx_types"], at + ".tx_types") ?? []).map(TxType.init(kernelName:)),
            rxFilters: (try stringArray(o["rx_filters"], at + ".rx_filters") ?? []).map(RxFilter.init(kernelName:)))
    }
}
