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

extension ClockHealth: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) {
        s.beginObject()
        s.field("state", state.rawValue)
        s.field("offset_to_realtime_ns", offsetToRealtimeNs.map { Int($0) })
        s.field("offset_method", method)
        s.field("frequency_ppb", frequencyPPB)
        s.field("advances", advances)
        s.field("advanced_ns", advancedNs.map { Int($0) })
        s.field("interval_ns", intervalNs.map { Int($0) })
        s.key("offsets_to_phcs")
        s.beginArray()
        for o in offsetsToPHCs {
            s.beginObject()
            s.field("phc_index", o.phcIndex)
            s.field("offset_ns", Int(o.offsetNs))
            s.endObject()
        }
        s.endArray()
        s.key("read")
        if let read {
            s.beginObject()
            s.field("method", read.method)
            s.field("window_min_ns", read.windowMinNs.map { Int($0) })
            s.field("window_median_ns", read.windowMedianNs.map { Int($0) })
            s.field("samples", read.samples)
            s.endObject()
        } else {
            s.null()
        }
        s.field("resolution_ns", resolutionNs.map { Int($0) })
        s.field("errno", errno)
        s.field("message", message)
        s.endObject()
    }

    init(json o: JSON, path: String) throws(SnapshotDecodeError) {
        guard let st = o["state"]?.stringValue, let state = State(rawValue: st) else {
            throw SnapshotDecodeError(path: "\(path).state", message: "expected \"read\" or \"unavailable\"")
        }
        var offsets: [PHCOffset] = []
        for item in o["offsets_to_phcs"]?.arrayValue ?? [] {
            guard let i = item["phc_index"]?.intValue, let n = item["offset_ns"]?.intValue else {
                throw SnapshotDecodeError(path: "\(path).offsets_to_phcs", message: "each entry needs phc_index and offset_ns")
            }
            offsets.append(PHCOffset(phcIndex: i, offsetNs: Int64(n)))
        }
        var read: ClockRead?
        if let r = o["read"], r != .null {
            guard let m = r["method"]?.stringValue, let n = r["samples"]?.intValue else {
                throw SnapshotDecodeError(path: "\(path).read", message: "needs method and samples")
            }
            read = ClockRead(
                method: m, windowMinNs: r["window_min_ns"]?.intValue.map(Int64.init),
                windowMedianNs: r["window_median_ns"]?.intValue.map(Int64.init), samples: n)
        }
        self.init(
            state: state, offsetToRealtimeNs: o["offset_to_realtime_ns"]?.intValue.map(Int64.init),
            method: o["offset_method"]?.stringValue, frequencyPPB: o["frequency_ppb"]?.intValue,
            advances: o["advances"]?.boolValue, advancedNs: o["advanced_ns"]?.intValue.map(Int64.init),
            intervalNs: o["interval_ns"]?.intValue.map(Int64.init), offsetsToPHCs: offsets,
            read: read, resolutionNs: o["resolution_ns"]?.intValue.map(Int64.init), errno: o["errno"]?.intValue,
            message: o["message"]?.stringValue)
    }
}
