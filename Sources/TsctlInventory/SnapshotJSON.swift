// Snapshot <-> JSON (schema_version 1, Schemas/show.schema.json). One name per
// concept, the kernel's words, snake_case.

extension Optional where Wrapped == Int {
    var json: JSON { map { .int($0) } ?? .null }
}

extension Optional where Wrapped == String {
    var json: JSON { map { .string($0) } ?? .null }
}

extension Optional where Wrapped == Bool {
    var json: JSON { map { .bool($0) } ?? .null }
}

private func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }

extension Capabilities {
    var jsonFields: [(String, JSON)] {
        [("timestamping", strings(timestamping)), ("tx_types", strings(txTypes)), ("rx_filters", strings(rxFilters))]
    }
}

extension Snapshot {
    /// Writes `json` pretty-printed to a file descriptor, one interface at a
    /// time: the bytes `json.serialized()` gives, without holding them all.
    public func writeJSON(toFileDescriptor fd: Int32) {
        var head = self
        head.interfaces = []
        guard case .object(var fields) = head.json, fields.last?.0 == "interfaces" else { return }
        fields.removeLast()
        JSON.writeStreaming(toFileDescriptor: fd, fields: fields, arrayKey: "interfaces", count: interfaces.count) {
            interfaces[$0].json
        }
    }

    public var json: JSON {
        .object([
            ("schema_version", .int(Snapshot.schemaVersion)),
            ("kernel", .object([
                ("release", .string(kernel.release)),
                ("ethtool_netlink", .bool(kernel.ethtoolNetlink)),
                ("features", .object([
                    ("tsinfo", .bool(kernel.features.tsinfo)),
                    ("phy_get", .bool(kernel.features.phyGet)),
                    ("tsconfig", .bool(kernel.features.tsconfig)),
                    ("hwtstamp_source", kernel.features.hwtstampSource.json),
                ])),
            ])),
            ("interfaces", .array(interfaces.map(\.json))),
        ])
    }
}

extension InterfaceSnapshot {
    public var json: JSON {
        .object([
            ("name", .string(name)),
            ("ifindex", .int(ifindex)),
            ("driver", driver.json),
            ("device", device.json),
            ("kind", kind.json),
            ("lower", lower.json),
            ("master", master.json),
            ("bond_active_slave", bondActiveSlave.json),
            ("advertised", advertised.map { a in
                .object([
                    ("phc_index", a.phcIndex.json),
                    ("qualifier", (a.qualifier?.name).json),
                    ("layer", (a.layer?.rawValue).json),
                    ("phy_index", a.phyIndex.json),
                ] + a.capabilities.jsonFields)
            } ?? .null),
            ("providers", .array(providers.map { p in
                let caps: [(String, JSON)] = p.capabilities?.jsonFields
                    ?? [("timestamping", .null), ("tx_types", .null), ("rx_filters", .null)]
                return .object([
                    ("layer", .string(p.layer.rawValue)),
                    ("phc_index", .int(p.phcIndex)),
                    ("qualifier", .string(p.qualifier.name)),
                    ("phy_index", p.phyIndex.json),
                ] + caps + [
                    ("reported_by", .string(p.reportedBy.rawValue)),
                    ("advertised", .bool(p.advertised)),
                    ("active", .bool(p.active)),
                ])
            })),
            ("phys", .array(phys.map { y in
                .object([
                    ("phy_index", .int(y.phyIndex)),
                    ("driver", y.driver.json),
                    ("name", .string(y.name)),
                    ("upstream", .string(y.upstream.rawValue)),
                    ("upstream_phy_index", y.upstreamPhyIndex.json),
                    ("upstream_sfp", y.upstreamSFP.json),
                    ("downstream_sfp", y.downstreamSFP.json),
                ])
            })),
            ("phcs", .array(phcs.map { c in
                .object([
                    ("index", .int(c.index)),
                    ("device", .string(c.device)),
                    ("present", .bool(c.present)),
                    ("clock_name", c.clockName.json),
                    ("owner", c.owner.json),
                    ("owner_bus", c.ownerBus.json),
                    ("max_adjustment", c.maxAdjustment.json),
                    ("n_pins", c.nPins.json),
                    ("n_alarms", c.nAlarms.json),
                    ("n_external_timestamps", c.nExternalTimestamps.json),
                    ("n_periodic_outputs", c.nPeriodicOutputs.json),
                    ("pps", c.pps.json),
                ])
            })),
            ("active", active.json),
        ])
    }
}

extension ActiveConfig {
    public var json: JSON {
        .object([
            ("state", .string(isConfigured ? "configured" : "unavailable")),
            ("read_via", (readVia?.rawValue).json),
            ("phc_index", phcIndex.json),
            ("qualifier", (qualifier?.name).json),
            ("layer", (layer?.rawValue).json),
            ("phy_index", phyIndex.json),
            ("tx_type", txType.json),
            ("rx_filter", rxFilter.json),
            ("flags", strings(flags)),
            ("reason", (unavailable?.rawValue).json),
            ("errno", errno.json),
            ("message", message.json),
        ])
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
        var r = Reader(path: "$")
        let v = try r.int(json["schema_version"], "schema_version")
        guard v == Snapshot.schemaVersion else {
            throw SnapshotDecodeError(path: "$.schema_version", message: "is \(v); this tsctl reads schema_version \(Snapshot.schemaVersion)")
        }
        let k = try r.object(json["kernel"], "kernel")
        let f = try r.object(k["features"], "kernel.features")
        kernel = KernelInfo(
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
        interfaces = ifs
    }
}

extension InterfaceSnapshot {
    init(json o: JSON, path: String) throws(SnapshotDecodeError) {
        var r = Reader(path: "$." + path)
        name = try r.string(o["name"], "name")
        ifindex = try r.int(o["ifindex"], "ifindex")
        driver = try r.optString(o["driver"], "driver")
        device = try r.optString(o["device"], "device")
        kind = try r.optString(o["kind"], "kind")
        lower = try r.optString(o["lower"], "lower")
        master = try r.optString(o["master"], "master")
        bondActiveSlave = try r.optString(o["bond_active_slave"], "bond_active_slave")
        if let a = o["advertised"], !a.isNull {
            advertised = Advertised(
                phcIndex: try r.optInt(a["phc_index"], "advertised.phc_index"),
                qualifier: try r.optQualifier(a["qualifier"], "advertised.qualifier"),
                layer: try r.optLayer(a["layer"], "advertised.layer"),
                phyIndex: try r.optInt(a["phy_index"], "advertised.phy_index"),
                capabilities: try r.caps(a, "advertised")!)
        } else {
            advertised = nil
        }
        var ps: [Provider] = []
        for (i, p) in try r.array(o["providers"], "providers").enumerated() {
            let at = "providers[\(i)]"
            guard let layer = try r.optLayer(p["layer"], at + ".layer"),
                  let q = try r.optQualifier(p["qualifier"], at + ".qualifier"),
                  let rb = ReportedBy(rawValue: try r.string(p["reported_by"], at + ".reported_by"))
            else { throw SnapshotDecodeError(path: "$.\(path).\(at)", message: "layer, qualifier and reported_by are required") }
            ps.append(Provider(layer: layer, phcIndex: try r.int(p["phc_index"], at + ".phc_index"), qualifier: q,
                               phyIndex: try r.optInt(p["phy_index"], at + ".phy_index"),
                               capabilities: try r.caps(p, at), reportedBy: rb,
                               advertised: try r.bool(p["advertised"], at + ".advertised"),
                               active: try r.bool(p["active"], at + ".active")))
        }
        providers = ps
        var ys: [Phy] = []
        for (i, y) in try r.array(o["phys"], "phys").enumerated() {
            let at = "phys[\(i)]"
            ys.append(Phy(phyIndex: try r.int(y["phy_index"], at + ".phy_index"),
                          driver: try r.optString(y["driver"], at + ".driver"),
                          name: try r.string(y["name"], at + ".name"),
                          upstream: try r.optLayer(y["upstream"], at + ".upstream") ?? .mac,
                          upstreamPhyIndex: try r.optInt(y["upstream_phy_index"], at + ".upstream_phy_index"),
                          upstreamSFP: try r.optString(y["upstream_sfp"], at + ".upstream_sfp"),
                          downstreamSFP: try r.optString(y["downstream_sfp"], at + ".downstream_sfp")))
        }
        phys = ys
        var cs: [PHC] = []
        for (i, c) in try r.array(o["phcs"], "phcs").enumerated() {
            let at = "phcs[\(i)]"
            cs.append(PHC(index: try r.int(c["index"], at + ".index"),
                          clockName: try r.optString(c["clock_name"], at + ".clock_name"),
                          owner: try r.optString(c["owner"], at + ".owner"),
                          ownerBus: try r.optString(c["owner_bus"], at + ".owner_bus"),
                          maxAdjustment: try r.optInt(c["max_adjustment"], at + ".max_adjustment"),
                          nPins: try r.optInt(c["n_pins"], at + ".n_pins"),
                          nAlarms: try r.optInt(c["n_alarms"], at + ".n_alarms"),
                          nExternalTimestamps: try r.optInt(c["n_external_timestamps"], at + ".n_external_timestamps"),
                          nPeriodicOutputs: try r.optInt(c["n_periodic_outputs"], at + ".n_periodic_outputs"),
                          pps: try r.optBool(c["pps"], at + ".pps"),
                          present: try r.bool(c["present"], at + ".present")))
        }
        phcs = cs
        let a = try r.object(o["active"], "active")
        let state = try r.string(a["state"], "active.state")
        var reason: UnavailableReason?
        if state == "unavailable" {
            guard let rs = try r.optString(a["reason"], "active.reason"), let rr = UnavailableReason(rawValue: rs) else {
                throw SnapshotDecodeError(path: "$.\(path).active.reason", message: "an unavailable config needs a known reason")
            }
            reason = rr
        }
        active = ActiveConfig(
            readVia: (try r.optString(a["read_via"], "active.read_via")).flatMap(ActiveConfig.ReadVia.init(rawValue:)),
            phcIndex: try r.optInt(a["phc_index"], "active.phc_index"),
            qualifier: try r.optQualifier(a["qualifier"], "active.qualifier"),
            layer: try r.optLayer(a["layer"], "active.layer"),
            phyIndex: try r.optInt(a["phy_index"], "active.phy_index"),
            txType: try r.optString(a["tx_type"], "active.tx_type"),
            rxFilter: try r.optString(a["rx_filter"], "active.rx_filter"),
            flags: try r.stringArray(a["flags"], "active.flags") ?? [],
            unavailable: reason,
            errno: try r.optInt(a["errno"], "active.errno"),
            message: try r.optString(a["message"], "active.message"))
    }
}

/// Typed reads with the JSON path in every error.
private struct Reader {
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
        return Capabilities(timestamping: ts, txTypes: try stringArray(o["tx_types"], at + ".tx_types") ?? [],
                            rxFilters: try stringArray(o["rx_filters"], at + ".rx_filters") ?? [])
    }
}
