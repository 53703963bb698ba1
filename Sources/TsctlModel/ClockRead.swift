// How a PHC reads: the window of system time around each reading (what
// phc2sys and chrony see as the uncertainty of one offset measurement) and
// the resolution its readings show. Pure functions over the kernel's samples.

/// The read windows of a PHC, from PTP_SYS_OFFSET_EXTENDED (or PTP_SYS_OFFSET) samples.
public struct ClockRead: Equatable, Sendable {
    /// How phc2sys would read the clock, best the driver offers: "precise"
    /// (PTP_SYS_OFFSET_PRECISE, a cross-timestamp with no window), "extended" or "basic".
    public var method: String
    /// The narrowest and the median system-time window around one PHC reading,
    /// nanoseconds; always from EXTENDED (or basic) samples, so clocks compare on one scale.
    public var windowMinNs: Int64?
    public var windowMedianNs: Int64?
    /// How many readings the windows come from.
    public var samples: Int

    public init(method: String, windowMinNs: Int64?, windowMedianNs: Int64?, samples: Int) {
        self.method = method
        self.windowMinNs = windowMinNs
        self.windowMedianNs = windowMedianNs
        self.samples = samples
    }
}

/// One PHC reading between two system-time readings, nanoseconds.
public struct ClockSample: Equatable, Sendable {
    public var before: Int64
    public var phc: Int64
    public var after: Int64
    public init(before: Int64, phc: Int64, after: Int64) {
        self.before = before
        self.phc = phc
        self.after = after
    }
}

public enum ClockMeasurement {
    /// The narrowest and the median window (after - before) of the samples; nil
    /// without samples. A window below zero (the system clock stepped between the
    /// two readings) says nothing of the PHC and is left out.
    public static func windows(_ samples: [ClockSample]) -> (min: Int64, median: Int64)? {
        let w = samples.map { $0.after - $0.before }.filter { $0 >= 0 }.sorted()
        guard let first = w.first else { return nil }
        let mid = w.count / 2
        let median = w.count % 2 == 1 ? w[mid] : (w[mid - 1] + w[mid]) / 2
        return (first, median)
    }

    /// The fewest distinct readings from which a step is believed: with fewer,
    /// the greatest common divisor of the steps is as likely chance as grain.
    public static let resolutionReadings = 6

    /// The resolution the readings show: the greatest common divisor of the steps
    /// between distinct readings. A counter that moves in 8 ns ticks gives steps
    /// that are all multiples of 8; a clock whose readings land on any nanosecond
    /// gives 1. nil with fewer than `resolutionReadings` distinct readings (a
    /// stopped clock, or one coarser than the time the readings took).
    public static func resolution(_ readings: [Int64]) -> Int64? {
        var distinct = readings.sorted()
        distinct = distinct.enumerated().filter { $0.offset == 0 || $0.element != distinct[$0.offset - 1] }.map(\.element)
        guard distinct.count >= resolutionReadings else { return nil }
        var g: Int64 = 0
        for i in 1..<distinct.count { g = gcd(g, distinct[i] - distinct[i - 1]) }
        return g
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a.magnitude, b.magnitude)
        while y != 0 { (x, y) = (y, x % y) }
        return Int64(x)
    }

    /// A short time for a window or a resolution: "812 ns", "41.2 µs", "2.31 ms".
    public static func duration(_ ns: Int64) -> String {
        func fixed(_ v: Int64, _ unit: Int64, _ digits: Int) -> String {
            var scale: Int64 = 1
            for _ in 0..<digits { scale *= 10 }
            let r = (v * scale + unit / 2) / unit
            let frac = String(r % scale)
            return "\(r / scale).\(String(repeating: "0", count: digits - frac.count))\(frac)"
        }
        if ns < 1000 { return "\(ns) ns" }
        if ns < 999_950 { return fixed(ns, 1000, 1) + " µs" }
        return fixed(ns, 1_000_000, 2) + " ms"
    }
}
