import TsctlModel

extension CheckRender {
    /// The timestamping counters (as counters, `_total`) and clock health
    /// (gauges), with node_exporter's `device` label.
    static func healthMetrics(_ snapshot: Snapshot) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ rows: [(String, String)]) {
            guard !rows.isEmpty else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in rows { out += "\(name){\(labels)} \(value)\n" }
        }
        let stats: [(String, KeyPath<TsStats, UInt64?>, String)] = [
            ("tx_pkts", \.txPkts, "Packets with a hardware transmit timestamp delivered (ETHTOOL_A_TS_STAT_TX_PKTS)."),
            ("tx_lost", \.txLost, "Hardware transmit timestamps requested but never delivered (ETHTOOL_A_TS_STAT_TX_LOST)."),
            ("tx_err", \.txErr, "Hardware transmit timestamps that failed (ETHTOOL_A_TS_STAT_TX_ERR)."),
            (
                "tx_onestep_pkts_unconfirmed", \.txOnestepPktsUnconfirmed,
                "One-step PTP packets sent without confirmation (ETHTOOL_A_TS_STAT_TX_ONESTEP_PKTS_UNCONFIRMED)."
            )
        ]
        for (name, path, help) in stats {
            family(
                "tsctl_ts_\(name)_total", "counter", help,
                snapshot.interfaces.compactMap { itf in
                    guard let t = itf.tsStats, t.state == .read, let v = t[keyPath: path] else { return nil }
                    return ("device=\"\(promEscape(itf.displayName))\"", String(v))
                })
        }
        var offset: [(String, String)] = [], freq: [(String, String)] = [], advancing: [(String, String)] = []
        var info: [(String, String)] = [], window: [(String, String)] = [], resolution: [(String, String)] = []
        for itf in snapshot.interfaces {
            for c in itf.phcs {
                let labels = "device=\"\(promEscape(itf.displayName))\",phc=\"ptp\(c.index)\""
                info.append((labels + ",clock_name=\"\(promEscape(c.clockName ?? ""))\"", "1"))
                guard let h = c.health, h.state == .read else { continue }
                if let o = h.offsetToRealtimeNs { offset.append((labels, String(Double(o) / 1e9))) }
                if let f = h.frequencyPPB { freq.append((labels, String(Double(f) / 1e9))) }
                if let a = h.advances { advancing.append((labels, a ? "1" : "0")) }
                if let r = h.read {
                    let m = ",method=\"\(promEscape(r.method))\""
                    if let v = r.windowMinNs { window.append((labels + m + ",stat=\"min\"", String(v))) }
                    if let v = r.windowMedianNs { window.append((labels + m + ",stat=\"median\"", String(v))) }
                }
                if let v = h.resolutionNs { resolution.append((labels, String(v))) }
            }
        }
        family("tsctl_phc_info", "gauge", "Each PTP hardware clock of an interface, with its clock_name (value 1).", info)
        family("tsctl_phc_offset_realtime_seconds", "gauge", "PTP hardware clock minus CLOCK_REALTIME, in seconds.", offset)
        family(
            "tsctl_phc_frequency_adjustment_ratio", "gauge",
            "Frequency adjustment of the PTP hardware clock (timex.freq), as a ratio.", freq)
        family("tsctl_phc_advancing", "gauge", "1 when the PTP hardware clock advanced between two reads, 0 when stopped.", advancing)
        family(
            "tsctl_phc_read_window_ns", "gauge",
            "System-time window around one reading of the PTP hardware clock (PTP_SYS_OFFSET_EXTENDED samples), min and median, in ns.",
            window)
        family("tsctl_phc_resolution_ns", "gauge", "Resolution the readings of the PTP hardware clock show, in ns.", resolution)
        return out
    }
}
