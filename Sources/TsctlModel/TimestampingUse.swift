/// What a host needs hardware timestamping for, and what that asks of a
/// provider (`check --for`, `for = [...]` in a desired-state file).
public enum TimestampingUse: String, CaseIterable, Sendable {
    /// ptp4l: transmit timestamps and an rx filter that stamps PTP event messages.
    case ptp
    /// chrony's NTP hardware timestamping (hwtimestamp): every received packet
    /// stamped (rx all, or the NTP filter).
    case ntp

    /// The rx filters that serve this use, the one to ask for first.
    public var rxFilters: [RxFilter] {
        switch self {
        case .ptp: return ["ptpv2-event", "ptpv2-l4-event", "ptpv2-l2-event", "all"]
        case .ntp: return ["all", "ntp-all"]
        }
    }

    /// The tx types that serve this use; empty: any (chrony uses transmit
    /// timestamps when it gets them, and does without).
    public var txTypes: [TxType] {
        switch self {
        case .ptp: return ["on"]
        case .ntp: return []
        }
    }

    public var who: String {
        switch self {
        case .ptp: return "ptp4l"
        case .ntp: return "chrony's NTP hardware timestamping"
        }
    }

    /// What it needs, in a few words.
    public var needs: String {
        switch self {
        case .ptp: return "tx on and a PTP rx filter (ptpv2-event, its l2/l4 variant, or all)"
        case .ntp: return "rx all (or ntp-all)"
        }
    }

    /// Whether a provider with these capabilities can serve the use.
    public func served(by c: Capabilities) -> Bool {
        (txTypes.isEmpty || txTypes.contains { c.txTypes.contains($0) }) && rxFilters.contains { c.rxFilters.contains($0) }
    }

    /// The set line's tx and rx for a provider that serves the use.
    public func settings(for c: Capabilities) -> (tx: TxType, rx: RxFilter) {
        let tx = txTypes.first { c.txTypes.contains($0) } ?? (c.txTypes.contains("on") ? "on" : "off")
        return (tx, rxFilters.first { c.rxFilters.contains($0) } ?? "all")
    }
}
