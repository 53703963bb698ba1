import TsctlModel

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

extension ShowText {
    /// One line per PTP clock whose health was read (show --clocks).
    static func clockLines(_ itf: InterfaceSnapshot, style s: TextStyle) -> [String] {
        itf.phcs.compactMap { c -> String? in
            guard let h = c.health else { return nil }
            let line = "  " + s.dim(pad("ptp\(c.index)", 11))
            guard h.state == .read else { return line + s.yellow("cannot be read: ") + (h.message ?? "error") }
            var parts: [String] = []
            if let o = h.offsetToRealtimeNs {
                parts.append("\(signedSeconds(o)) to realtime" + (h.method.map { s.dim(" (\($0))") } ?? ""))
            } else if let m = h.message {
                parts.append(s.yellow("offset unknown: ") + m)
            }
            for o in h.offsetsToPHCs { parts.append("\(signedSeconds(o.offsetNs)) to ptp\(o.phcIndex)") }
            if let f = h.frequencyPPB { parts.append("freq \(f >= 0 ? "+" : "")\(f) ppb") }
            switch h.advances {
            case true?: parts.append("advancing")
            case false?: parts.append(s.red("NOT ADVANCING"))
            case nil: break
            }
            if let r = h.read {
                var read = "read " + (r.method == "precise" ? "precise" : r.method)
                if let lo = r.windowMinNs, let mid = r.windowMedianNs {
                    read += " window \(duration(lo)) min, \(duration(mid)) median" + s.dim(" (\(r.samples) samples)")
                }
                parts.append(read)
            }
            if let res = h.resolutionNs { parts.append("resolution \(duration(res))") }
            return line + parts.joined(separator: ", ")
        }
    }

    /// A short time: "812 ns", "41.2 µs", "2.31 ms".
    static func duration(_ ns: Int64) -> String { ClockMeasurement.duration(ns) }

    /// Nanoseconds as seconds with a sign: "+0.000012345 s", "-3.000000001 s".
    static func signedSeconds(_ ns: Int64) -> String {
        let sign = ns < 0 ? "-" : "+"
        let m = ns.magnitude
        let frac = String(m % 1_000_000_000)
        return "\(sign)\(m / 1_000_000_000).\(String(repeating: "0", count: 9 - frac.count))\(frac) s"
    }
}
