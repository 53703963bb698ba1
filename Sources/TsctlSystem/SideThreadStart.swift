import CNetlink

#if canImport(Glibc)
import Glibc
#endif

public enum SideThreadStart {
    /// pthread_create(entry, arg), the thread started on another CPU than the
    /// caller's where it may run on one: left to itself the scheduler starts a
    /// short-lived thread on its creator's CPU, where the two take turns while the
    /// other CPU idles. nil where no thread can be started (EAGAIN).
    public static func start(
        _ entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?, _ arg: UnsafeMutableRawPointer
    ) -> UInt? {
        var attr = pthread_attr_t()
        guard pthread_attr_init(&attr) == 0 else { return nil }
        defer { pthread_attr_destroy(&attr) }
        if var set = otherCPUs() { _ = pthread_attr_setaffinity_np(&attr, MemoryLayout<cpu_set_t>.size, &set) }
        var t = pthread_t()
        // A mask the kernel refuses (CPUs gone offline meanwhile) is no reason to run without the thread.
        return pthread_create(&t, &attr, entry, arg) == 0 || pthread_create(&t, nil, entry, arg) == 0 ? UInt(t) : nil
    }

    /// The CPUs the calling thread may run on, less the one it runs on; nil where that leaves none.
    static func otherCPUs() -> cpu_set_t? {
        let here = sched_getcpu()
        guard here >= 0, var set = allowedCPUs() else { return nil }
        let any = withUnsafeMutableBytes(of: &set) { raw -> Bool in
            let words = raw.bindMemory(to: UInt.self)
            let bits = UInt.bitWidth
            if Int(here) < words.count * bits { words[Int(here) / bits] &= ~(UInt(1) << UInt(Int(here) % bits)) }
            return words.contains { $0 != 0 }
        }
        return any ? set : nil
    }

    /// Gives the calling thread the lowest priority (nice 19; on Linux PRIO_PROCESS 0
    /// names the calling thread), for work that must not hold up the threads that
    /// others wait on. Only a thread of its own: it cannot be raised back unprivileged.
    public static func yieldToOthers() {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
    }

    /// The nice value of the calling thread.
    static func niceness() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// The CPUs the calling thread may run on.
    static func allowedCPUs() -> cpu_set_t? {
        var set = cpu_set_t()
        return sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 ? set : nil
    }

    /// The CPU the calling thread runs on (-1: unknown).
    static func currentCPU() -> Int { Int(sched_getcpu()) }

    /// The first 64 CPUs of a set, as bits.
    static func mask(_ set: cpu_set_t) -> UInt64 { withUnsafeBytes(of: set) { $0.load(as: UInt64.self) } }
}
