import TsctlChange
import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// A change session on this system: the kernel, /run/tsctl/lock, /proc, the
/// signals, rtnetlink's link events, standard output.
extension ChangeEnvironment {
    static var live: ChangeEnvironment {
        ChangeEnvironment(
            privileged: Sys.hasNetAdmin(), openKernel: { () throws(KernelFailure) in try KernelSession.open(forChanges: true) },
            locks: SystemLocks(), daemons: ProcDaemons(), stops: SignalStops(), clock: MonotonicClock(),
            linkEvents: { () throws(KernelFailure) in LinkEventAdapter(try LinkEvents()) }, output: StandardChangeOutput())
    }
}

final class SystemLocks: InterfaceLocking {
    func acquire(
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

final class ProcDaemons: DaemonScanning {
    func scan() -> [PTPDaemon] { PTPDaemons.scan().daemons }
}

final class SignalStops: StopRequests {
    func deferStops() { Signals.deferTermination() }
    var pending: StopRequest? {
        let sig = Signals.pending
        return sig == 0 ? nil : StopRequest(signal: sig, name: Signals.name(sig))
    }
}

final class MonotonicClock: ChangeClock {
    var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func sleep(seconds: Double) { usleep(useconds_t(seconds * 1_000_000)) }
}

final class LinkEventAdapter: LinkEventSource {
    let events: LinkEvents
    init(_ events: LinkEvents) { self.events = events }
    func next(timeoutMilliseconds: Int32) throws(KernelFailure) -> [String]? {
        try events.next(timeoutMilliseconds: timeoutMilliseconds)
    }
}

final class StandardChangeOutput: ChangeOutput {
    func text(_ line: String, terminator: String) { print(line, terminator: terminator) }
    func log(_ line: String) {
        print(line)
        fflush(nil)
    }
    func warn(_ line: String) { Sys.printError(line) }
    func document(_ json: JSON) {
        print(json.serialized())
        JSONMode.printed = true
    }
    func ready(_ state: String) { SystemdNotify.send(state) }
}
