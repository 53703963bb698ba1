// Per-device timestamping statistics (the driver's get_ts_stats, 6.10+) as the
// snapshot carries them. A counter the driver does not report is nil, never 0.

public struct TsStats: Equatable, Sendable {
    public enum State: String, Sendable { case read, unavailable }

    public var state: State
    public var txPkts: UInt64?
    public var txLost: UInt64?
    public var txErr: UInt64?
    public var txOnestepPktsUnconfirmed: UInt64?
    /// Why they could not be read (state unavailable).
    public var errno: Int?
    public var message: String?

    public init(
        state: State = .read, txPkts: UInt64? = nil, txLost: UInt64? = nil, txErr: UInt64? = nil,
        txOnestepPktsUnconfirmed: UInt64? = nil, errno: Int? = nil, message: String? = nil
    ) {
        self.state = state
        self.txPkts = txPkts
        self.txLost = txLost
        self.txErr = txErr
        self.txOnestepPktsUnconfirmed = txOnestepPktsUnconfirmed
        self.errno = errno
        self.message = message
    }

    /// True when the driver reported at least one counter.
    public var hasCounters: Bool {
        txPkts != nil || txLost != nil || txErr != nil || txOnestepPktsUnconfirmed != nil
    }

    /// The counters by the kernel's names (ETHTOOL_A_TS_STAT_*, as ethtool -I -T prints them), reported ones only.
    public var counters: [(name: String, value: UInt64)] {
        var out: [(String, UInt64)] = []
        if let v = txPkts { out.append(("tx_pkts", v)) }
        if let v = txLost { out.append(("tx_lost", v)) }
        if let v = txErr { out.append(("tx_err", v)) }
        if let v = txOnestepPktsUnconfirmed { out.append(("tx_onestep_pkts_unconfirmed", v)) }
        return out
    }
}

/// Two reads of one interface's counters a known time apart (check --sample).
public struct TsStatsSample: Equatable, Sendable {
    public var before: TsStats
    public var after: TsStats
    public var seconds: Double

    public init(before: TsStats, after: TsStats, seconds: Double) {
        self.before = before
        self.after = after
        self.seconds = seconds
    }

    /// How much a counter grew; nil when either read lacks it. A counter that
    /// went down (driver reset) counts from 0, as Prometheus' rate() does.
    public func growth(_ counter: KeyPath<TsStats, UInt64?>) -> UInt64? {
        guard let a = before[keyPath: counter], let b = after[keyPath: counter] else { return nil }
        return b >= a ? b - a : b
    }
}
