/// The observed view: which clock really stamped a transmitted frame.
public struct Observation: Equatable, Sendable {
    public struct ClockOffset: Equatable, Sendable {
        public var phcIndex: Int
        /// Timestamp minus the clock's time when it was read, in nanoseconds.
        public var offsetNanoseconds: Int64

        public init(phcIndex: Int, offsetNanoseconds: Int64) {
            self.phcIndex = phcIndex
            self.offsetNanoseconds = offsetNanoseconds
        }
    }

    public var interface: String
    /// The raw hardware timestamp, in nanoseconds; nil when none came back.
    public var timestampNanoseconds: Int64?
    /// The provider whose clock the timestamp belongs to, when conclusive.
    public var phcIndex: Int?
    public var layer: Layer?
    public var phyIndex: Int?
    public var clocks: [ClockOffset]
    public var verdict: String
    /// The probe could not run for lack of privilege (exit 6, not 1).
    public var permissionDenied = false

    public var conclusive: Bool { phcIndex != nil }

    public init(
        interface: String, timestampNanoseconds: Int64? = nil, phcIndex: Int? = nil, layer: Layer? = nil,
        phyIndex: Int? = nil, clocks: [ClockOffset], verdict: String, permissionDenied: Bool = false
    ) {
        self.interface = interface
        self.timestampNanoseconds = timestampNanoseconds
        self.phcIndex = phcIndex
        self.layer = layer
        self.phyIndex = phyIndex
        self.clocks = clocks
        self.verdict = verdict
        self.permissionDenied = permissionDenied
    }
}

/// Which clock stamped a probe frame; the kernel-facing side sends it.
public enum Prober {
    /// Conclusive when one clock is within a second of the timestamp and every
    /// other one is at least ten times further away.
    public static func match(_ obs: Observation, _ itf: InterfaceSnapshot) -> Observation {
        var o = obs
        let sorted = o.clocks.sorted { abs($0.offsetNanoseconds) < abs($1.offsetNanoseconds) }
        guard let best = sorted.first else {
            o.verdict = "a hardware timestamp came back but no provider clock could be read (/dev/ptpN needs root)"
            return o
        }
        let b = abs(best.offsetNanoseconds)
        let runnerUp = sorted.dropFirst().first.map { abs($0.offsetNanoseconds) }
        guard b < 1_000_000_000, runnerUp.map({ $0 >= max(b * 10, 500_000_000) }) ?? true else {
            o.verdict = "inconclusive: the provider clocks are too close to each other to tell which one stamped the frame"
            return o
        }
        let p = itf.providers.first { $0.phcIndex == best.phcIndex }
        o.phcIndex = best.phcIndex
        o.layer = p?.layer
        o.phyIndex = p?.phyIndex
        o.verdict = "stamped by \(p?.label ?? "PHC") ptp\(best.phcIndex) (timestamp within \(b / 1000) µs of its clock)"
        return o
    }
}
