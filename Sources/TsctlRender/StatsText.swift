import TsctlInventory

extension ShowText {
    /// The driver's timestamping counters, by the kernel's names; nil when
    /// they were not asked (no hardware provider).
    static func statsLine(_ t: TsStats?, style s: TextStyle) -> String? {
        guard let t else { return nil }
        var line = "  " + s.dim("stats      ")
        switch t.state {
        case .unavailable:
            line += s.yellow("cannot be read: ") + (t.message ?? "error") + (t.errno.map { " [errno \($0)]" } ?? "")
        case .read where !t.hasCounters:
            line += s.dim("the driver reports no timestamping counters (get_ts_stats)")
        case .read:
            line += t.counters.map { c in
                let v = "\(c.name) \(c.value)"
                return (c.name == "tx_lost" || c.name == "tx_err") && c.value > 0 ? s.yellow(v) : v
            }.joined(separator: ", ")
        }
        return line
    }
}
