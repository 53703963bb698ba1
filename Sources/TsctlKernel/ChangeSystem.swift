public import TsctlChange
public import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension ChangeEnvironment {
    /// A change session on this system: the kernel, /run/tsctl/lock, /proc,
    /// the signals, rtnetlink's link events; `output` is where it reports.
    public static func system(output: any ChangeOutput) -> ChangeEnvironment {
        ChangeEnvironment(
            privileged: Sys.hasNetAdmin(), openKernel: { () throws(KernelFailure) in try KernelSession.open(forChanges: true) },
            locks: SystemLocks(), daemons: ProcDaemons(), stops: SignalStops(), clock: MonotonicClock(),
            linkEvents: { () throws(KernelFailure) in LinkEventAdapter(try LinkEvents()) }, output: output)
    }
}

/// Per-interface locks in /run/tsctl/lock (InterfaceLock).
public final class SystemLocks: InterfaceLocking {
    public init() {}

    public func acquire(
        ifindex: UInt32, purpose: String, keep: Bool, waitSeconds: Double, waiting: (String) -> Void
    ) throws(LockFailure) -> AnyObject {
        do {
            return try InterfaceLock.acquire(ifindex: ifindex, purpose: purpose, keep: keep, waitSeconds: waitSeconds, waiting: waiting)
        } catch {
            switch error {
            case .busy(let holder, let keeps): throw .busy(holder: holder, keeps: keeps)
            case .interrupted(let sig): throw .interrupted(StopRequest(signal: sig, name: Signals.name(sig)))
            case .system(let e): throw .system("\(e)", permission: e.failure.kind == .permission)
            case .unsafeDirectory(let why): throw .unsafeDirectory(why)
            }
        }
    }
}

/// The PTP daemons /proc shows.
public final class ProcDaemons: DaemonScanning {
    public init() {}
    public func scan() -> [PTPDaemon] { PTPDaemons.scan().daemons }
}

/// SIGINT, SIGTERM and SIGHUP (Signals).
public final class SignalStops: StopRequests {
    public init() {}
    public func deferStops() { Signals.deferTermination() }
    public var pending: StopRequest? {
        let sig = Signals.pending
        return sig == 0 ? nil : StopRequest(signal: sig, name: Signals.name(sig))
    }
}

/// CLOCK_MONOTONIC, and sleeps.
public final class MonotonicClock: ChangeClock {
    public init() {}
    public var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    public func sleep(seconds: Double) { usleep(useconds_t(seconds * 1_000_000)) }
}

/// rtnetlink's link events (LinkEvents).
public final class LinkEventAdapter: LinkEventSource {
    let events: LinkEvents
    public init(_ events: LinkEvents) { self.events = events }
    public func next(timeoutMilliseconds: Int32) throws(KernelFailure) -> [String]? {
        try events.next(timeoutMilliseconds: timeoutMilliseconds)
    }
}
