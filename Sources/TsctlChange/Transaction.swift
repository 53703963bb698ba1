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
    /// One line per thing that happened, in the order it happened.
    public var report: [String] = []
    /// One record per plan given, in that order (set/apply --json).
    public var records: [ChangeRecord] = []
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
        t.records = plans.map { ChangeRecord(plan: $0, outcome: .notSent) }
        var done: [Int] = []
        func line(_ itf: String, _ s: String) { t.report.append("\(InterfaceName.display(itf)): \(s)") }
        for (i, plan) in plans.enumerated() {
            if let s = stop() {
                let complete = t.rollBack(done, plans, failed: nil, applier)
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
                t.records[i].outcome = o.state == .unverified ? .unverified : o.state == .unchanged ? .unchanged : .applied
                t.records[i].sent = o.state != .unchanged
                t.records[i].verified = o.state == .applied
                t.records[i].after = o.after
                t.records[i].message = o.message
                // One line per outcome: "applied, verified by read back; now ...".
                switch o.state {
                case .applied:
                    let how = (o.message.hasPrefix("through") ? " " : ", ") + o.message
                    line(o.interface, "applied\(how)" + (o.final.map { "; now \($0)" } ?? ""))
                case .unchanged: line(o.interface, "already as asked; nothing sent")
                default: line(o.interface, "applied, \(o.message)")
                }
                if o.state != .unchanged { done.append(i) }
                continue
            case .failure(let f): failure = f
            }
            t.records[i].outcome = .failed
            t.records[i].sent = true
            var why = failure.text
            line(plan.interface, "failed: \(why)")
            // A wrong result changed something; so may a refused request (the
            // kernel switches the provider before the driver refuses).
            if case .verification = failure {
                done.append(i)
            } else if applier.changed(since: plan) {
                line(plan.interface, "the kernel changed it before refusing")
                why += "; the kernel changed it before refusing"
                done.append(i)
            }
            t.records[i].message = why
            let complete = t.rollBack(done, plans, failed: (i, why), applier)
            t.decide(failure: failure, on: plan.interface, changed: done.count, rollbackComplete: complete)
            return t
        }
        if let s = stop() {
            t.result = .stopped(signal: s.signal)
            t.summary = "stopped by \(s.name) after the change above was made and verified"
        }
        return t
    }

    /// Restores `done` (indexes into `plans`), newest first, and records it;
    /// false when a rollback failed. `failed`: the plan whose failure caused it.
    mutating func rollBack(
        _ done: [Int], _ plans: [InterfacePlan], failed: (index: Int, why: String)?, _ applier: Applier
    ) -> Bool {
        var complete = true
        for j in done.reversed() {
            let cause = failed.map { $0.index == j ? $0.why + "; " : "" } ?? ""
            let name = InterfaceName.display(plans[j].interface)
            switch applier.rollback(plans[j]) {
            case .success(let o):
                records[j].outcome = .rolledBack
                records[j].rolledBack = true
                records[j].after = o.after
                records[j].message = cause + "rolled back, \(o.message)"
                report.append("\(name): rolled back, \(o.message)" + (o.final.map { "; now \($0)" } ?? ""))
            case .failure(let rf):
                complete = false
                records[j].outcome = .rollbackFailed
                records[j].message = cause + "rollback failed: \(rf.text)"
                report.append("\(name): ROLLBACK FAILED: \(rf.text)")
            }
        }
        return complete
    }

    /// After a failure: what it means (result) and the line that says so, which
    /// names the failure (the call and its errno, or the kernel's answer).
    mutating func decide(failure: Applier.Failure, on interface: String, changed: Int, rollbackComplete: Bool) {
        let cause = "\(InterfaceName.display(interface)): \(failure.text)"
        if !rollbackComplete {
            result = .rollbackIncomplete
            summary = "the change failed (\(cause)) and the rollback is incomplete; see above"
        } else if changed > 0 {
            result = .rolledBack(interfaces: changed)
            summary = "the change failed (\(cause)); \(changed) interface(s) rolled back"
        } else if let kind = failure.kind, kind == .permission {
            result = .failedUnchanged(kind)
            summary = "permission denied: setting timestamping needs CAP_NET_ADMIN; nothing was changed"
        } else if let kind = failure.kind, kind == .notSupported {
            result = .failedUnchanged(kind)
            summary = "\(failure.text); nothing was changed"
        } else {
            // Any other refusal changed nothing either; it is reported as rolled back (7).
            result = .rolledBack(interfaces: 0)
            summary = "the change failed (\(cause)); nothing was changed"
        }
    }

    public var reportText: String { report.map { $0 + "\n" }.joined() }
}
