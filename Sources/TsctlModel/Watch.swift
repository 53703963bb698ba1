/// What `tsctl watch` follows per interface, each as one comparable line.
public struct WatchState: Equatable, Sendable {
    public static let fields = ["link", "providers", "advertised", "active", "phys"]
    public var values: [String: String]

    public init(_ itf: InterfaceSnapshot, link: String) {
        func clock(_ phc: Int?) -> String { phc.map { "ptp\($0)" } ?? "no PHC" }
        let providers = itf.providers.map { "\($0.label) ptp\($0.phcIndex)" }
        var advertised = "none"
        if let a = itf.advertised {
            advertised =
                a.phcIndex == nil
                ? "software only"
                : [a.layer?.providerLabel(phyIndex: a.phyIndex), clock(a.phcIndex)]
                    .compactMap { $0 }.joined(separator: " ")
        }
        let act = itf.active
        var active: String
        if act.isConfigured {
            let p = itf.providers.first { $0.active }
            active =
                (act.phcIndex != nil ? "\(p?.label ?? "PHC") \(clock(act.phcIndex)), " : "")
                + "tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")"
            if !act.flags.isEmpty { active += ", flags " + act.flags.joined(separator: ",") }
        } else {
            active = "unreadable (\(act.unavailable?.rawValue ?? "error"))"
        }
        let phys = itf.phys.map { "\($0.phyIndex) \($0.driver ?? $0.name)" }
        values = [
            "link": link, "providers": providers.isEmpty ? "none" : providers.joined(separator: ", "),
            "advertised": advertised, "active": active, "phys": phys.isEmpty ? "none" : phys.joined(separator: ", ")
        ]
    }

    public var line: String { Self.fields.map { "\($0) \(values[$0] ?? "?")" }.joined(separator: "; ") }
}

/// One line of `tsctl watch` output.
public enum WatchEvent: Equatable, Sendable {
    case state(String, WatchState)
    case added(String, WatchState)
    case removed(String)
    case changed(String, field: String, before: String, after: String)

    /// The events that turn `old` into `new` (interfaces in `new`'s order).
    public static func diff(_ old: [(String, WatchState)], _ new: [(String, WatchState)]) -> [WatchEvent] {
        var out: [WatchEvent] = []
        let before = Dictionary(old, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new, uniquingKeysWith: { a, _ in a })
        for (name, _) in old where after[name] == nil { out.append(.removed(name)) }
        for (name, s) in new {
            guard let o = before[name] else { out.append(.added(name, s)); continue }
            for f in WatchState.fields where o.values[f] != s.values[f] {
                out.append(.changed(name, field: f, before: o.values[f] ?? "", after: s.values[f] ?? ""))
            }
        }
        return out
    }
}
