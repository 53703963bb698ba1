import CNetlink
public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// Reads a PTP hardware clock through /dev/ptpN, opened read-only: its offset
/// to CLOCK_REALTIME, its time and its frequency adjustment. None of this
/// changes the clock; /dev/ptpN is usually root-only.
public final class PHCClock {
    public let index: Int
    private let fd: Int32

    /// How the offset to CLOCK_REALTIME was measured, best first.
    public enum Method: String, Sendable {
        /// PTP_SYS_OFFSET_PRECISE: the device's own cross-timestamp.
        case precise
        /// PTP_SYS_OFFSET_EXTENDED: system time read just before and after the PHC.
        case extended
        /// PTP_SYS_OFFSET: system and PHC reads alternated.
        case basic
    }

    // _IOWR('=', 8, 64-byte ptp_sys_offset_precise), _IOWR('=', 9, 1216-byte
    // ptp_sys_offset_extended), _IOW('=', 5, 832-byte ptp_sys_offset).
    static let PTP_SYS_OFFSET_PRECISE: UInt = 0xC040_3D08
    static let PTP_SYS_OFFSET_EXTENDED: UInt = 0xC4C0_3D09
    static let PTP_SYS_OFFSET: UInt = 0x4340_3D05
    static let samples = 5

    public init(index: Int) throws(SystemError) {
        self.index = index
        let path = "/dev/ptp\(index)"
        let fd = Sys.retrying { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open(\(path))", errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// The dynamic POSIX clock id of the open device: FD_TO_CLOCKID(fd).
    /// Internal: clockid_t is Glibc's, which this file imports internally (a
    /// public property of that type breaks the static release build).
    var clockID: clockid_t { clockid_t((~fd) << 3 | 3) }

    /// The PHC's time in nanoseconds (clock_gettime on the dynamic clock).
    public func now() throws(SystemError) -> Int64 {
        var ts = timespec()
        guard clock_gettime(clockID, &ts) == 0 else { throw SystemError("clock_gettime(/dev/ptp\(index))", errno) }
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// The frequency adjustment in parts per billion (timex.freq, read with
    /// modes 0, which a read-only open allows).
    public func frequencyPPB() throws(SystemError) -> Double {
        var tx = timex()
        guard tsctl_clock_adjtime(clockID, &tx) >= 0 else { throw SystemError("clock_adjtime(/dev/ptp\(index))", errno) }
        return Double(tx.freq) * 1000 / 65536  // scaled ppm (16-bit fraction) -> ppb
    }

    /// PHC minus CLOCK_REALTIME in nanoseconds, by the best method the driver
    /// offers; the error of the last method tried when none works.
    public func offsetToRealtime() throws(SystemError) -> (offset: Int64, method: Method) {
        if let o = precise() { return (o, .precise) }
        do { return (try extended(), .extended) } catch  where error.errno == EOPNOTSUPP || error.errno == ENOTTY || error.errno == EINVAL {
            return (try basic(), .basic)
        }
    }

    /// Whether the driver answers PTP_SYS_OFFSET_PRECISE (a device cross-timestamp).
    public func offersPrecise() -> Bool { precise() != nil }

    /// PHC readings between system-time readings, as phc2sys takes them:
    /// PTP_SYS_OFFSET_EXTENDED, or PTP_SYS_OFFSET where the driver lacks it.
    /// A first call of 10 samples times the clock (enough readings for a
    /// resolution even when the machine is busy); further calls (at most 25
    /// samples each, `maxSamples` in all) fill what is left of `budgetNs`, so a
    /// clock read over MDIO costs about the budget and a MAC clock far less.
    public func sampleReads(budgetNs: Int64 = 2_000_000, maxSamples: Int = 100) throws(SystemError) -> (
        samples: [ClockSample], method: Method
    ) {
        var method = Method.extended
        var all: [ClockSample] = []
        let start = Self.monotonic()
        var n = 10
        while n > 0 {
            let got: [ClockSample]
            if method == .extended {
                do { got = try extendedSamples(n) } catch
                    where all.isEmpty && (error.errno == EOPNOTSUPP || error.errno == ENOTTY || error.errno == EINVAL)
                {
                    method = .basic
                    continue
                }
            } else {
                got = try basicSamples(n)
            }
            all += got
            let elapsed = Self.monotonic() - start
            let left = budgetNs - elapsed
            guard left > 0, all.count < maxSamples, !got.isEmpty else { break }
            let perSample = max(elapsed / Int64(all.count), 1)
            n = Int(min(Int64(25), Int64(maxSamples - all.count), left / perSample))
        }
        return (all, method)
    }

    static func monotonic() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private func extendedSamples(_ n: Int) throws(SystemError) -> [ClockSample] {
        var buf = [UInt8](repeating: 0, count: 1216)
        var failure: SystemError?
        let r = buf.withUnsafeMutableBytes { w -> [ClockSample] in
            w.storeBytes(of: UInt32(n), toByteOffset: 0, as: UInt32.self)  // rsv[0] 0: CLOCK_REALTIME
            do { try call(Self.PTP_SYS_OFFSET_EXTENDED, "PTP_SYS_OFFSET_EXTENDED", w) } catch {
                failure = error as? SystemError ?? SystemError("ioctl", EIO); return []
            }
            return (0..<n).map { i in
                let base = 16 + i * 48
                return ClockSample(before: Self.ns(w, base), phc: Self.ns(w, base + 16), after: Self.ns(w, base + 32))
            }
        }
        if let failure { throw failure }
        return r
    }

    private func basicSamples(_ n: Int) throws(SystemError) -> [ClockSample] {
        var buf = [UInt8](repeating: 0, count: 832)
        var failure: SystemError?
        let r = buf.withUnsafeMutableBytes { w -> [ClockSample] in
            w.storeBytes(of: UInt32(n), toByteOffset: 0, as: UInt32.self)
            do { try call(Self.PTP_SYS_OFFSET, "PTP_SYS_OFFSET", w) } catch {
                failure = error as? SystemError ?? SystemError("ioctl", EIO); return []
            }
            return (0..<n).map { i in  // sys, phc, sys, phc, ..., sys
                ClockSample(
                    before: Self.ns(w, 16 + 2 * i * 16), phc: Self.ns(w, 16 + (2 * i + 1) * 16), after: Self.ns(w, 16 + (2 * i + 2) * 16))
            }
        }
        if let failure { throw failure }
        return r
    }

    private static func ns(_ w: UnsafeMutableRawBufferPointer, _ at: Int) -> Int64 {
        w.load(fromByteOffset: at, as: Int64.self) * 1_000_000_000 + Int64(w.load(fromByteOffset: at + 8, as: UInt32.self))
    }

    private func call(_ request: UInt, _ what: String, _ buf: UnsafeMutableRawBufferPointer) throws(SystemError) {
        let r = Sys.retrying { ioctl(fd, request, buf.baseAddress!) }
        if r < 0 { throw SystemError("ioctl(/dev/ptp\(index), \(what))", errno) }
    }

    private func precise() -> Int64? {
        var buf = [UInt8](repeating: 0, count: 64)
        return buf.withUnsafeMutableBytes { w -> Int64? in
            do { try call(Self.PTP_SYS_OFFSET_PRECISE, "PTP_SYS_OFFSET_PRECISE", w) } catch { return nil }
            return Self.ns(w, 0) - Self.ns(w, 16)  // device - sys_realtime
        }
    }

    /// The sample whose system-time window around the PHC read is narrowest.
    private func extended() throws(SystemError) -> Int64 {
        var buf = [UInt8](repeating: 0, count: 1216)
        var failure: SystemError?
        let r = buf.withUnsafeMutableBytes { w -> Int64 in
            w.storeBytes(of: UInt32(Self.samples), toByteOffset: 0, as: UInt32.self)  // rsv[0] 0: CLOCK_REALTIME
            do { try call(Self.PTP_SYS_OFFSET_EXTENDED, "PTP_SYS_OFFSET_EXTENDED", w) } catch {
                failure = error as? SystemError ?? SystemError("ioctl", EIO); return 0
            }
            var best: (window: Int64, offset: Int64)?
            for i in 0..<Self.samples {
                let base = 16 + i * 48
                let pre = Self.ns(w, base), phc = Self.ns(w, base + 16), post = Self.ns(w, base + 32)
                let window = post - pre, offset = phc - (pre + window / 2)
                if best == nil || window < best!.window { best = (window, offset) }
            }
            return best!.offset
        }
        if let failure { throw failure }
        return r
    }

    private func basic() throws(SystemError) -> Int64 {
        var buf = [UInt8](repeating: 0, count: 832)
        var failure: SystemError?
        let r = buf.withUnsafeMutableBytes { w -> Int64 in
            w.storeBytes(of: UInt32(Self.samples), toByteOffset: 0, as: UInt32.self)
            do { try call(Self.PTP_SYS_OFFSET, "PTP_SYS_OFFSET", w) } catch {
                failure = error as? SystemError ?? SystemError("ioctl", EIO); return 0
            }
            var best: (window: Int64, offset: Int64)?
            for i in 0..<Self.samples {  // sys, phc, sys, phc, ..., sys
                let pre = Self.ns(w, 16 + 2 * i * 16), phc = Self.ns(w, 16 + (2 * i + 1) * 16), post = Self.ns(w, 16 + (2 * i + 2) * 16)
                let window = post - pre, offset = phc - (pre + window / 2)
                if best == nil || window < best!.window { best = (window, offset) }
            }
            return best!.offset
        }
        if let failure { throw failure }
        return r
    }
}
