// The kernel's string sets for timestamping (interface names: InterfaceName.swift).

/// Names the kernel gives to the timestamping string sets (stable, bits appended).
/// Used when a reply is compact or a request must name a bit; replies in verbose
/// form carry their own names and those win.
public enum TimestampingNames {
    /// ETH_SS_SOF_TIMESTAMPING (12): 16 bits in 6.1, 18 in 6.12, 19 in 6.18.
    public static let sofTimestamping = [
        "hardware-transmit", "software-transmit", "hardware-receive", "software-receive",
        "software-system-clock", "hardware-legacy-clock", "hardware-raw-clock", "option-id",
        "sched-transmit", "ack-transmit", "option-cmsg", "option-tsonly", "option-stats",
        "option-pktinfo", "option-tx-swhw", "bind-phc", "option-id-tcp", "option-rx-filter",
        "tx-completion"
    ]
    /// ETH_SS_TS_TX_TYPES (13): HWTSTAMP_TX_*.
    public static let txTypes = ["off", "on", "onestep-sync", "onestep-p2p"]
    /// ETH_SS_TS_RX_FILTERS (14): HWTSTAMP_FILTER_*.
    public static let rxFilters = [
        "none", "all", "some", "ptpv1-l4-event", "ptpv1-l4-sync", "ptpv1-l4-delay-req",
        "ptpv2-l4-event", "ptpv2-l4-sync", "ptpv2-l4-delay-req", "ptpv2-l2-event",
        "ptpv2-l2-sync", "ptpv2-l2-delay-req", "ptpv2-event", "ptpv2-sync",
        "ptpv2-delay-req", "ntp-all"
    ]
    /// ETH_SS_TS_FLAGS (22, 6.14): HWTSTAMP_FLAG_*.
    public static let hwtstampFlags = ["bonded-phc-index"]
}
