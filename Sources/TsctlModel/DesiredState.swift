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

    public init(name: String?, driver: String?, desired: Desired, position: SourcePosition, optional: Bool = false) {
        self.name = name
        self.driver = driver
        self.desired = desired
        self.position = position
        self.optional = optional
    }

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

    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String {
        position.map { "\(file):\($0.line):\($0.column): \(message)" } ?? "\(file): \(message)"
    }
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
