import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// One piece of work run on a second thread (a plain pthread: the static image
/// carries no thread library beyond libc) while the caller does another, its
/// result handed back by `join()`.
///
/// @unchecked Sendable, and why that is safe: `work` and everything it captures
/// belong to the side thread from `init` until `join` returns (the caller must
/// not touch them meanwhile; `check`'s /proc walk captures nothing it shares),
/// and `result` is written by that thread before it ends and read
/// by the caller only after pthread_join, which orders the two. The object is
/// kept alive by the retain handed to the thread, so an early return of the
/// caller cannot free it under the thread; `join` must still be called on every
/// path, or the thread would go on using what `work` captured.
final class SideThread<T>: ThreadBody, @unchecked Sendable {
    private var work: (() -> T)?
    private var result: T?
    private var thread: pthread_t?

    /// Starts `work` at once on its own thread; where no thread can be started
    /// (EAGAIN: a process or cgroup limit), runs it here before returning, so
    /// the caller goes on as if it had been joined already.
    convenience init(_ work: @escaping () -> T) {
        self.init(started: work)
        if thread == nil { run() }
    }

    /// Starts `work` on its own thread; nil (`work` not run) where none can be started:
    /// for work that waits on its caller, which would wait for it for ever.
    static func onAThread(_ work: @escaping () -> T) -> SideThread? {
        let t = SideThread(started: work)
        return t.thread == nil ? nil : t
    }

    /// Starts `work` on its own thread at nice 19 (SideThreadStart.yieldToOthers), for
    /// work that must not hold up the threads its caller waits on; nil (`work` not run)
    /// where no thread can be started.
    static func yielding(_ work: @escaping () -> T) -> SideThread? {
        onAThread {
            SideThreadStart.yieldToOthers()
            return work()
        }
    }

    private init(started work: @escaping () -> T) {
        self.work = work
        super.init()
        let me = Unmanaged<ThreadBody>.passRetained(self)
        if let t = SideThreadStart.start(threadMain, me.toOpaque()) { thread = pthread_t(t) } else { me.release() }
    }

    override func run() {
        result = work?()
        work = nil  // what it captured is released on the thread that used it
    }

    /// Waits for the work to end and hands back what it returned.
    func join() -> T {
        if let t = thread {
            pthread_join(t, nil)
            thread = nil
        }
        return result!
    }
}

/// What a thread started by SideThread runs (a C entry point cannot name a generic type).
class ThreadBody {
    func run() {}
}

private func threadMain(_ arg: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue().run()
    return nil
}

/// What one thread hands another in order, a batch at a time, until it says it
/// is done: the links of a dump, read on one thread and assembled on another.
///
/// @unchecked Sendable, and why that is safe: `pending` and `done` are touched
/// only with the mutex held, and the values put are handed over whole (the
/// putter keeps no reference it goes on changing).
final class HandOver<T>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [T] = []
    private var done = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func put(_ values: [T]) {
        pthread_mutex_lock(mutex)
        pending += values
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }

    /// No more will be put.
    func finish() {
        pthread_mutex_lock(mutex)
        done = true
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }

    /// Everything put since the last take (waiting while there is none), and
    /// whether that is the last of it.
    func take() -> (values: [T], done: Bool) {
        pthread_mutex_lock(mutex)
        while pending.isEmpty && !done { pthread_cond_wait(cond, mutex) }
        var out: [T] = []
        swap(&out, &pending)
        let last = done
        pthread_mutex_unlock(mutex)
        return (out, last)
    }
}
