/// ETHTOOL_GET_TS_INFO as ptp4l reads it.
public struct IoctlView: Equatable, Sendable {
    public var phcIndex: Int?
    public init(phcIndex: Int?) { self.phcIndex = phcIndex }
}

/// Everything `check` read from the kernel and the host, in one value: the
/// snapshot (with the devices below stacked ones and clock health), the
/// legacy ioctl per interface, the PTP daemons, counters read twice, probes.
/// Failures keep their errno (KernelFailure) until a finding renders them.
public struct Evidence: Sendable {
    public var snapshot: Snapshot
    /// Per interface with a hardware provider: what the legacy ioctl reports,
    /// or the failure (errno and message) that kept it from answering.
    public var ioctl: [NameKey: Result<IoctlView, KernelFailure>]
    /// nil when /proc could not be scanned.
    public var daemons: [PTPDaemon]?
    /// Processes named like PTP daemons that were not believed, and config files not read.
    public var ignoredDaemons: [IgnoredDaemon]
    /// Probe results (check --probe): which clock really stamped a frame.
    public var observations: [NameKey: Observation]
    /// Timestamping counters read twice (check --sample), by interface.
    public var statsSamples: [NameKey: TsStatsSample]

    public init(
        snapshot: Snapshot, ioctl: [NameKey: Result<IoctlView, KernelFailure>] = [:], daemons: [PTPDaemon]? = [],
        ignoredDaemons: [IgnoredDaemon] = [], observations: [NameKey: Observation] = [:],
        statsSamples: [NameKey: TsStatsSample] = [:]
    ) {
        self.snapshot = snapshot
        self.ioctl = ioctl
        self.daemons = daemons
        self.ignoredDaemons = ignoredDaemons
        self.observations = observations
        self.statsSamples = statsSamples
    }
}
