#if canImport(Glibc)
import Glibc
#endif

extension Sys {
    /// Now, in UTC to the millisecond: 2026-11-25T15:47:18.123Z (`tsctl watch`).
    public static func utcTimestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return utcTimestamp(seconds: Int(tv.tv_sec), microseconds: Int(tv.tv_usec))
    }

    /// A time since the epoch in UTC to the millisecond: 2026-11-25T15:47:18.123Z.
    public static func utcTimestamp(seconds: Int, microseconds: Int) -> String {
        var t = time_t(seconds)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 32)
        let n = strftime(&buf, buf.count, "%Y-%m-%dT%H:%M:%S", &tmv)
        let ms = microseconds / 1000
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "." + (ms < 10 ? "00" : ms < 100 ? "0" : "")
            + "\(ms)Z"
    }
}
