public import TsctlModel

/// How a transaction ended; the CLI turns it into the exit status.
public enum TransactionResult: Equatable, Sendable {
    /// Every plan applied (or was already as asked).
    case applied
    /// The first request was refused and nothing changed: what the refusal meant.
    case failedUnchanged(FailureKind)
    /// A change failed and everything it had changed was put back.
    case rolledBack(interfaces: Int)
    /// A change failed and putting things back failed too.
    case rollbackIncomplete
    /// A signal asked tsctl to stop: nothing was left half done (what was
    /// changed before it was rolled back, or every change was verified).
    case stopped(signal: Int32)
}

/// A request to stop (SIGINT, SIGTERM, SIGHUP) noticed between two interfaces.
public struct StopRequest: Equatable, Sendable {
    public var signal: Int32
    public var name: String

    public init(signal: Int32, name: String) {
        self.signal = signal
        self.name = name
    }
}

/// Plan, send, verify, roll back: the one place a change to the kernel is made.
public struct Transaction {
    public var report: [String] = []
    public var result: TransactionResult = .applied
    /// The one line that sums up a failure; nil when everything applied.
    public var summary: String?

    /// Applies in order; on a failure rolls back every interface already
    /// changed (and the failed one, when the kernel changed it before refusing),
    /// newest first, and verifies that too. A stop request never cuts a change
    /// short: a request sent is verified; then, with interfaces still to go,
    /// what was changed is rolled back (all or nothing) and the transaction
    /// ends as `.stopped`.
    public static func run(
        _ plans: [InterfacePlan], kernel: any KernelWriter, stop: () -> StopRequest? = { nil }
    ) -> Transaction {
        let applier = Applier(kernel: kernel)
        var t = Transaction()
        var done: [InterfacePlan] = []
        for plan in plans {
            if let s = stop() {
                let complete = t.rollBack(done, applier)
                let what =
                    done.isEmpty
                    ? "nothing was changed"
                    : complete ? "\(done.count) interface(s) rolled back and verified" : "the rollback is incomplete; see above"
                t.result = complete ? .stopped(signal: s.signal) : .rollbackIncomplete
                t.summary = "stopped by \(s.name) before \(InterfaceName.display(plan.interface)) was changed; \(what)"
                return t
            }
            let failure: Applier.Failure
            switch applier.apply(plan) {
            case .success(let o):
                t.report.append(
                    "\(InterfaceName.display(o.interface)): \(o.state.rawValue): \(o.message)" + (o.final.map { "; now \($0)" } ?? ""))
                if o.state != .unchanged { done.append(plan) }
                continue
            case .failure(let f): failure = f
            }
            t.report.append("\(InterfaceName.display(plan.interface)): failed: \(failure.text)")
            // A wrong result changed something; so may a refused request (the
            // kernel switches the provider before the driver refuses).
            if case .verification = failure {
                done.append(plan)
            } else if applier.changed(since: plan) {
                t.report.append("\(InterfaceName.display(plan.interface)): the kernel changed it before refusing")
                done.append(plan)
            }
            let complete = t.rollBack(done, applier)
            t.decide(failure: failure, changed: done.count, rollbackComplete: complete)
            return t
        }
        if let s = stop() {
            t.result = .stopped(signal: s.signal)
            t.summary = "stopped by \(s.name) after the change above was made and verified"
        }
        return t
    }

    /// Restores `done`, newest first; false when a rollback failed.
    mutating func rollBack(_ done: [InterfacePlan], _ applier: Applier) -> Bool {
        var complete = true
        for p in done.reversed() {
            switch applier.rollback(p) {
            case .success(let o): report.append("\(InterfaceName.display(o.interface)): rolled back: \(o.final ?? o.message)")
            case .failure(let rf):
                complete = false
                report.append("\(InterfaceName.display(p.interface)): ROLLBACK FAILED: \(rf.text)")
            }
        }
        return complete
    }

    /// After a failure: what it means (result) and the line that says so.
    mutating func decide(failure: Applier.Failure, changed: Int, rollbackComplete: Bool) {
        if !rollbackComplete {
            result = .rollbackIncomplete
            summary = "the change failed and the rollback is incomplete; see above"
        } else if changed > 0 {
            result = .rolledBack(interfaces: changed)
            summary = "the change failed; \(changed) interface(s) rolled back"
        } else if let kind = failure.kind, kind == .permission {
            result = .failedUnchanged(kind)
            summary = "permission denied: setting timestamping needs CAP_NET_ADMIN; nothing was changed"
        } else if let kind = failure.kind, kind == .notSupported {
            result = .failedUnchanged(kind)
            summary = "\(failure.text); nothing was changed"
        } else {
            // Any other refusal changed nothing either; it is reported as rolled back (7).
            result = .rolledBack(interfaces: 0)
            summary = "the change failed; nothing was changed"
        }
    }

    public var reportText: String { report.map { $0 + "\n" }.joined() }
}
