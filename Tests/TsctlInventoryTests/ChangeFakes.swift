import TsctlChange
import TsctlModel

// Fakes of what a change session uses: the kernel (FakeKernel, which also
// reads), the locks, the daemons, stop requests, the clock, link events and
// the output. Each records what the session asked of it.

extension FakeKernel: ChangeKernel {
    func snapshot(names: [String]?) throws(KernelFailure) -> Snapshot {
        snapshots += 1
        onSnapshot?(snapshots)
        guard let names else { return Board.snapshot(kernel: Board.kernel(), ports.values.sorted { $0.ifindex < $1.ifindex }) }
        var itfs: [InterfaceSnapshot] = []
        for n in names {
            guard let p = ports[n] else {
                throw KernelFailure(kind: .noSuchDevice, message: "no such interface: \(n) (`ip link` lists this namespace's interfaces)")
            }
            itfs.append(p)
        }
        return Board.snapshot(kernel: Board.kernel(), itfs)
    }

    func primaryNames(_ names: [String]) -> [String?] { names.map { ports[$0] == nil ? nil : $0 } }
}

extension Board {
    static func snapshot(kernel: KernelInfo, _ itfs: [InterfaceSnapshot]) -> Snapshot { Snapshot(kernel: kernel, interfaces: itfs) }
}

final class FakeLocks: InterfaceLocking {
    final class Held {}
    /// What the next acquire of an ifindex answers instead of the lock.
    var refuse: [UInt32: LockFailure] = [:]
    /// Another tsctl holds it for a while: `waiting` is called, then the lock is had.
    var heldBriefly: Set<UInt32> = []
    private(set) var acquired: [(ifindex: UInt32, purpose: String, keep: Bool)] = []
    /// The locks handed out and still held by the session.
    private(set) var handedOut: [UInt32: WeakHeld] = [:]
    struct WeakHeld { weak var held: Held? }
    var onAcquire: (() -> Void)?

    func acquire(
        ifindex: UInt32, purpose: String, keep: Bool, waitSeconds: Double, waiting: (String) -> Void
    ) throws(LockFailure) -> AnyObject {
        onAcquire?()
        if let f = refuse[ifindex] { throw f }
        if heldBriefly.contains(ifindex) { waiting("pid 7: tsctl set eth0") }
        acquired.append((ifindex, purpose, keep))
        let h = Held()
        handedOut[ifindex] = WeakHeld(held: h)
        return h
    }

    func holds(_ ifindex: Int) -> Bool { handedOut[UInt32(ifindex)]?.held != nil }
}

final class FakeDaemons: DaemonScanning {
    var daemons: [PTPDaemon] = []
    var onScan: (() -> Void)?
    private(set) var scans = 0
    func scan() -> [PTPDaemon] {
        scans += 1
        onScan?()
        return daemons
    }

    static func ptp4l(_ interfaces: [String] = [], phcs: [Int] = []) -> PTPDaemon {
        PTPDaemon(
            pid: 42, program: "ptp4l", interfaces: interfaces, namedPHCs: phcs, openPHCs: nil,
            commandLine: "ptp4l -i \(interfaces.joined(separator: ","))")
    }
}

final class FakeStops: StopRequests {
    var deferred = false
    var request: StopRequest?
    /// Stop after this many questions (1-based): the nth `pending` is the first to say so.
    var stopAt: Int?
    private(set) var asked = 0
    func deferStops() { deferred = true }
    var pending: StopRequest? {
        asked += 1
        if let n = stopAt, asked >= n { request = request ?? StopRequest(signal: 15, name: "SIGTERM") }
        return request
    }
    func stop() { request = StopRequest(signal: 2, name: "SIGINT") }
}

final class FakeClock: ChangeClock {
    var now: Double = 100
    var onSleep: ((Double) -> Void)?
    private(set) var slept: [Double] = []
    func sleep(seconds: Double) {
        slept.append(seconds)
        now += seconds
        onSleep?(now)
    }
}

/// Link events as a script: each `next` runs one step (it may change the
/// kernel) and answers what it says; past the end the session is stopped.
final class FakeEvents: LinkEventSource {
    enum Step {
        case up([String])
        case timeout
        case lost
    }
    var steps: [(Step, () -> Void)]
    var stops: FakeStops
    private(set) var timeouts: [Int32] = []

    init(_ steps: [(Step, () -> Void)], stops: FakeStops) {
        self.steps = steps
        self.stops = stops
    }

    func next(timeoutMilliseconds: Int32) throws(KernelFailure) -> [String]? {
        timeouts.append(timeoutMilliseconds)
        guard !steps.isEmpty else {
            stops.stop()
            return nil
        }
        let (step, action) = steps.removeFirst()
        action()
        switch step {
        case .up(let names): return names
        case .timeout: return nil
        case .lost: throw KernelFailure(kind: .other, errno: 105, message: "recvmsg(rtnetlink): No buffer space available")
        }
    }
}

final class FakeOutput: ChangeOutput {
    private(set) var out: [String] = []
    private(set) var logged: [String] = []
    private(set) var errors: [String] = []
    private(set) var documents: [JSON] = []
    private(set) var readiness: [String] = []
    func text(_ line: String, terminator: String) { out.append(line + terminator) }
    func log(_ line: String) { logged.append(line) }
    func warn(_ line: String) { errors.append(line) }
    func document(_ json: JSON) { documents.append(json) }
    func ready(_ state: String) { readiness.append(state) }

    var stdout: String { out.joined() }
}

/// A session's world made of fakes, and the session.
final class ChangeWorld {
    let kernel: FakeKernel
    let locks = FakeLocks()
    let daemons = FakeDaemons()
    let stops = FakeStops()
    let clock = FakeClock()
    let output = FakeOutput()
    var privileged = true
    var events: FakeEvents?
    var opened = 0

    init(_ ports: InterfaceSnapshot...) {
        kernel = FakeKernel()
        for p in ports { kernel.ports[p.name] = p }
    }

    var env: ChangeEnvironment {
        ChangeEnvironment(
            privileged: privileged,
            openKernel: { () throws(KernelFailure) in
                self.opened += 1
                return self.kernel
            }, locks: locks, daemons: daemons, stops: stops, clock: clock,
            linkEvents: { () throws(KernelFailure) in
                guard let e = self.events else { throw KernelFailure(kind: .permission, errno: 1, message: "bind(rtnetlink): EPERM") }
                return e
            }, output: output)
    }

    func session(dryRun: Bool = false, force: Bool = false, json: Bool = false) -> ChangeSession {
        ChangeSession(env, settings: ChangeSettings(dryRun: dryRun, force: force, json: json))
    }

    /// The failure a call threw (TsctlFailure or TsctlExit), as (status, message).
    func failure(_ body: () throws -> Void) -> (TsctlModel.ExitStatus, String?)? {
        do {
            try body()
            return nil
        } catch let f as TsctlFailure {
            return (f.status, f.message)
        } catch let e as TsctlExit {
            return (e.status, nil)
        } catch {
            return (.kernelError, "\(error)")
        }
    }
}
