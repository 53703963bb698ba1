public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

// A desired-state file (TOML) -> DesiredState.

extension DesiredState {
    static let settingKeys = ["source", "qualifier", "tx", "rx", "flags", "require", "for"]
    static let interfaceKeys = ["name", "driver", "optional"] + settingKeys

    public static func parse(_ text: String, file: String) throws(DesiredStateError) -> DesiredState {
        let root: TOMLTable
        do { root = try TOML.parse(text) } catch {
            throw DesiredStateError(file: file, position: error.position, message: error.message)
        }
        func fail(_ at: SourcePosition, _ m: String) -> DesiredStateError {
            DesiredStateError(file: file, position: at, message: m)
        }
        for (key, item) in root.entries where !["version", "defaults", "interface"].contains(key) {
            throw fail(item.keyPosition, "unknown key \"\(key)\"; a desired-state file has version, [defaults] and [[interface]]")
        }
        if let v = root["version"] {
            guard case .integer(1) = v.value else { throw fail(v.position, "version must be 1") }
        }
        var defaults = Desired()
        if let d = root["defaults"] {
            guard case .table(let t) = d.value else { throw fail(d.position, "defaults must be a [defaults] table") }
            defaults = try settings(t, allowed: settingKeys, base: Desired(), fail: fail)
        }
        var out: [DesiredInterface] = []
        if let list = root["interface"] {
            guard case .tables(let tables) = list.value else {
                throw fail(list.position, "interface must be written as [[interface]] tables")
            }
            for t in tables {
                var entry = DesiredInterface(name: nil, driver: nil, desired: Desired(), position: t.position)
                entry.desired = try settings(t, allowed: interfaceKeys, base: defaults, fail: fail)
                if let n = t["name"] {
                    entry.name = try string(n, "name", fail)
                    let plain = entry.name!.contains { "*?[".contains($0) } ? nil : InterfaceName.problem(entry.name!)
                    if let plain { throw fail(n.position, "name \"\(entry.name!)\" is not an interface name: \(plain)") }
                }
                if let d = t["driver"] { entry.driver = try string(d, "driver", fail) }
                if let o = t["optional"] {
                    guard case .boolean(let b) = o.value else { throw fail(o.position, "optional must be true or false") }
                    entry.optional = b
                }
                if entry.name == nil && entry.driver == nil {
                    throw fail(t.position, "an [[interface]] needs name = \"IFACE\" (or a glob) or driver = \"DRIVER\"")
                }
                out.append(entry)
            }
        }
        if out.isEmpty {
            throw DesiredStateError(file: file, position: nil, message: "no [[interface]] entries; nothing to apply or check")
        }
        return DesiredState(file: file, interfaces: out)
    }

    static func string(
        _ item: TOMLItem, _ key: String,
        _ fail: (SourcePosition, String) -> DesiredStateError
    ) throws(DesiredStateError) -> String {
        guard case .string(let s) = item.value else { throw fail(item.position, "\(key) must be a string, not \(item.value.typeName)") }
        return s
    }

    /// A tx type, rx filter or flag by the kernel's name, from the one table.
    static func kernelValue<Table>(
        _ item: TOMLItem, _ key: String,
        _ fail: (SourcePosition, String) -> DesiredStateError
    ) throws(DesiredStateError) -> KernelValue<Table> {
        let s = try string(item, key, fail)
        guard let v = KernelValue<Table>(name: s) else {
            throw fail(item.position, "\(key) \"\(s)\" is not one of: \(Table.names.joined(separator: ", "))")
        }
        return v
    }

    static func oneOf(
        _ item: TOMLItem, _ key: String, _ valid: [String],
        _ fail: (SourcePosition, String) -> DesiredStateError
    ) throws(DesiredStateError) -> String {
        let s = try string(item, key, fail)
        guard valid.contains(s) else {
            throw fail(item.position, "\(key) \"\(s)\" is not one of: \(valid.joined(separator: ", "))")
        }
        return s
    }

    static func settings(
        _ t: TOMLTable, allowed: [String], base: Desired,
        fail: (SourcePosition, String) -> DesiredStateError
    ) throws(DesiredStateError) -> Desired {
        var d = base
        for (key, item) in t.entries {
            switch key {
            case "source":
                let s = try string(item, key, fail)
                guard let spec = SourceSpec(s) else { throw fail(item.position, "source \"\(s)\" is not one of: \(SourceSpec.help)") }
                d.source = spec
            case "qualifier":
                d.qualifier = Qualifier(name: try oneOf(item, key, ["precise", "approx"], fail))
            case "tx": d.txType = try kernelValue(item, key, fail)
            case "rx": d.rxFilter = try kernelValue(item, key, fail)
            case "flags":
                guard case .array(let items) = item.value else { throw fail(item.position, "flags must be an array of strings") }
                var flags: [HwtstampFlag] = []
                for f in items { flags.append(try kernelValue(f, "flag", fail)) }
                d.flags = flags
            case "require":
                guard case .boolean(let b) = item.value else { throw fail(item.position, "require must be true or false") }
                d.require = b
            case "for":
                guard case .array(let items) = item.value else {
                    throw fail(item.position, "for must be an array of strings, e.g. for = [\"ptp\"]")
                }
                var uses: [TimestampingUse] = []
                for u in items {
                    let name = try oneOf(u, "for", TimestampingUse.allCases.map(\.rawValue), fail)
                    if let use = TimestampingUse(rawValue: name), !uses.contains(use) { uses.append(use) }
                }
                d.uses = uses
            case _ where allowed.contains(key):
                break  // name/driver/optional: read by the caller
            default:
                let near = allowed.min { editDistance($0, key) < editDistance($1, key) }
                let hint = near.map { editDistance($0, key) <= 2 ? " (did you mean \"\($0)\"?)" : "" } ?? ""
                throw fail(item.keyPosition, "unknown key \"\(key)\"\(hint); known keys: \(allowed.joined(separator: ", "))")
            }
        }
        return d
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
