#if canImport(Glibc)
import Glibc
#endif

/// Which provider a user asks for.
public enum SourceSpec: Equatable, Sendable, CustomStringConvertible {
    case mac
    /// A PHY: nil means "the only timestamping PHY".
    case phy(Int?)
    /// A provider by its PHC index.
    case phc(Int)

    public init?(_ s: String) {
        switch s {
        case "mac": self = .mac
        case "phy": self = .phy(nil)
        default:
            if s.hasPrefix("phy:"), let n = Int(s.dropFirst(4)), n >= 1 { self = .phy(n); return }
            if s.hasPrefix("phc:"), let n = Int(s.dropFirst(4)), n >= 0 { self = .phc(n); return }
            return nil
        }
    }

    public var description: String {
        switch self {
        case .mac: return Layer.mac.providerLabel(phyIndex: nil)
        case .phy(let n): return Layer.phy.providerLabel(phyIndex: n)
        case .phc(let n): return "phc:\(n)"
        }
    }

    public static let help = "mac, phy, phy:N (PHY index N) or phc:N (PHC index N)"
}

/// The timestamping configuration wanted on one interface (all optional:
/// what is not said is left as it is).
public struct Desired: Equatable, Sendable {
    public var source: SourceSpec?
    public var qualifier: Qualifier?
    public var txType: TxType?
    public var rxFilter: RxFilter?
    public var flags: [HwtstampFlag]?
    /// Fail unless the provider exists.
    public var require: Bool
    /// What the interface's timestamping is for (`for = ["ptp", "ntp"]`): check
    /// judges whether the active provider can serve it; apply changes nothing for it.
    public var uses: [TimestampingUse] = []

    public init(
        source: SourceSpec? = nil, qualifier: Qualifier? = nil, txType: TxType? = nil,
        rxFilter: RxFilter? = nil, flags: [HwtstampFlag]? = nil, require: Bool = false
    ) {
        self.source = source
        self.qualifier = qualifier
        self.txType = txType
        self.rxFilter = rxFilter
        self.flags = flags
        self.require = require
    }

    public var isEmpty: Bool { source == nil && qualifier == nil && txType == nil && rxFilter == nil && flags == nil }
}

/// One `[[interface]]` entry: which interfaces, and what they should have.
public struct DesiredInterface: Equatable, Sendable {
    /// An interface name or a shell glob (eth*, lan[0-3]).
    public var name: String?
    /// A driver name or glob (mvpp2, igb).
    public var driver: String?
    public var desired: Desired
    public var position: SourcePosition
    /// `optional = true`: matching no interface is not an error.
    public var optional = false

    public var isGlob: Bool { name.map { $0.contains(where: { "*?[".contains($0) }) } ?? true }

    public func matches(_ itf: InterfaceSnapshot) -> Bool {
        if let name, fnmatch(name, itf.name, 0) != 0 { return false }
        if let driver {
            guard let d = itf.driver, fnmatch(driver, d, 0) == 0 else { return false }
        }
        return true
    }

    public var label: String {
        [name.map { "name \"\($0)\"" }, driver.map { "driver \"\($0)\"" }].compactMap { $0 }.joined(separator: ", ")
    }
}

public struct DesiredState: Equatable, Sendable {
    public var file: String
    public var interfaces: [DesiredInterface]

    public init(file: String, interfaces: [DesiredInterface]) {
        self.file = file
        self.interfaces = interfaces
    }
}

/// A problem in a desired-state file: where, and what to write instead.
public struct DesiredStateError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var message: String
    public var description: String {
        position.map { "\(file):\($0.line):\($0.column): \(message)" } ?? "\(file): \(message)"
    }
}

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

/// Why a source spec does not name exactly one provider of an interface.
public enum ResolveError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchProvider(String)
    case ambiguous(String)

    public var description: String {
        switch self {
        case .noSuchProvider(let s), .ambiguous(let s): return s
        }
    }
}

extension SourceSpec {
    /// The provider of `itf` this spec names, with `qualifier` (precise if nil).
    public func resolve(in itf: InterfaceSnapshot, qualifier: Qualifier?) -> Result<Provider, ResolveError> {
        let q = qualifier ?? .precise
        let have = itf.providers.map(\.label).joined(separator: ", ")
        let listing = have.isEmpty ? "it has no hardware timestamp provider" : "it has: \(have)"
        let found: [Provider]
        switch self {
        case .mac: found = itf.providers.filter { $0.layer == .mac && $0.qualifier == q }
        case .phy(nil):
            found = itf.providers.filter { $0.layer == .phy && $0.qualifier == q }
            if found.count > 1 {
                return .failure(
                    .ambiguous(
                        "\(itf.displayName) has \(found.count) timestamping PHYs; name one: "
                            + found.map(\.label).joined(separator: ", ")))
            }
        case .phy(let n?): found = itf.providers.filter { $0.layer == .phy && $0.phyIndex == n && $0.qualifier == q }
        case .phc(let n): found = itf.providers.filter { $0.phcIndex == n && $0.qualifier == q }
        }
        guard let p = found.first else {
            let what = q == .precise ? description : "\(description) \(q.name)"
            // The same provider with the other qualifier: name the option that reaches it.
            var hint = ""
            if qualifier == nil, case .phc(let n) = self, let other = itf.providers.first(where: { $0.phcIndex == n }) {
                hint = "; ptp\(n) is the \(other.qualifier.name) \(other.layer.rawValue) provider: add --qualifier \(other.qualifier.name)"
            }
            return .failure(.noSuchProvider("\(itf.displayName) has no \(what) timestamp provider; \(listing)\(hint)"))
        }
        return .success(p)
    }
}

extension DesiredState {
    /// The file with each plain name that names none of `interfaces` replaced
    /// by what `primaryName` says it is: an altname (`ip link property add ...
    /// altname`, which systemd gives NICs) becomes its interface's name, as the
    /// kernel, `show` and `set` take it. Globs, drivers and names that are
    /// neither stay as they are.
    public func resolvingAltnames(in interfaces: [InterfaceSnapshot], primaryNames: ([String]) -> [String?]) -> DesiredState {
        var out = self
        let known = Set(interfaces.map(\.key))
        let ask = out.interfaces.indices.filter { i in
            guard let n = out.interfaces[i].name, !out.interfaces[i].isGlob else { return false }
            return !known.contains(NameKey(n)) && InterfaceName.problem(n) == nil
        }
        guard !ask.isEmpty else { return out }
        // One batch of look-ups for them all.
        let answers = primaryNames(ask.map { out.interfaces[$0].name! })
        for (i, primary) in zip(ask, answers) {
            if let primary, !sameName(primary, out.interfaces[i].name) { out.interfaces[i].name = primary }
        }
        return out
    }
}
