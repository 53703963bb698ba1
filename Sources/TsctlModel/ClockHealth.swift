// Clock health of a PHC: read from /dev/ptpN (usually root only), so only
// when asked (show --clocks, check), never as part of the plain snapshot.

public struct ClockHealth: Equatable, Sendable {
    public enum State: String, Sendable { case read, unavailable }

    public var state: State
    /// PHC minus CLOCK_REALTIME, nanoseconds.
    public var offsetToRealtimeNs: Int64?
    /// "precise" (PTP_SYS_OFFSET_PRECISE), "extended" or "basic".
    public var method: String?
    /// timex.freq of the clock in parts per billion (what ptp4l/phc2sys steer).
    public var frequencyPPB: Int?
    /// Whether two reads a few milliseconds apart differ.
    public var advances: Bool?
    /// How far the clock moved between those reads, and how far CLOCK_MONOTONIC did.
    public var advancedNs: Int64?
    public var intervalNs: Int64?
    /// This clock minus each other clock of the same interface, nanoseconds.
    public var offsetsToPHCs: [PHCOffset]
    /// How the clock reads (windows of its readings) and the resolution they show.
    public var read: ClockRead?
    public var resolutionNs: Int64?
    public var errno: Int?
    public var message: String?

    public struct PHCOffset: Equatable, Sendable {
        public var phcIndex: Int
        public var offsetNs: Int64
        public init(phcIndex: Int, offsetNs: Int64) {
            self.phcIndex = phcIndex
            self.offsetNs = offsetNs
        }
    }

    public init(
        state: State = .read, offsetToRealtimeNs: Int64? = nil, method: String? = nil, frequencyPPB: Int? = nil,
        advances: Bool? = nil, advancedNs: Int64? = nil, intervalNs: Int64? = nil, offsetsToPHCs: [PHCOffset] = [],
        read: ClockRead? = nil, resolutionNs: Int64? = nil, errno: Int? = nil, message: String? = nil
    ) {
        self.state = state
        self.offsetToRealtimeNs = offsetToRealtimeNs
        self.method = method
        self.frequencyPPB = frequencyPPB
        self.advances = advances
        self.advancedNs = advancedNs
        self.intervalNs = intervalNs
        self.offsetsToPHCs = offsetsToPHCs
        self.read = read
        self.resolutionNs = resolutionNs
        self.errno = errno
        self.message = message
    }
}
