public import TsctlModel

/// One `set` or `apply`: privilege, locks, the daemon guard, stop requests,
/// the plan, a dry run or a no-op, the transaction and its report, and
/// `--keep`. `set` is one interface's desired state on the same path as a file's.
public final class ChangeSession {
    let env: ChangeEnvironment
    let settings: ChangeSettings
    var kernel: (any ChangeKernel)!
    /// The locks this session holds, by ifindex (kept until the session ends).
    var locks: [UInt32: AnyObject] = [:]

    public init(_ env: ChangeEnvironment, settings: ChangeSettings) {
        self.env = env
        self.settings = settings
    }

    var output: any ChangeOutput { env.output }

    /// Changing needs CAP_NET_ADMIN: said before reading or planning anything;
    /// then the kernel is opened.
    func start() throws {
        if !settings.dryRun && !env.privileged {
            throw TsctlFailure(.permissionDenied, "setting timestamping needs CAP_NET_ADMIN (run as root); nothing was changed")
        }
        do { kernel = try env.openKernel() } catch { throw TsctlFailure(error) }
    }

    func snapshot(_ names: [String]?) throws -> Snapshot {
        do { return try kernel.snapshot(names: names) } catch { throw TsctlFailure(error) }
    }

    /// `set`: one interface to the state `desired` describes.
    public func set(_ interface: String, _ desired: Desired) throws {
        try start()
        var snap = try snapshot([interface])
        if !settings.dryRun, let first = snap.interfaces.first {
            // From here a stop request waits until the change is verified and reported.
            env.stops.deferStops()
            // Locked, then read again: the state planned from (and rolled back
            // to) is the one no other tsctl can change under us.
            try lock([first], purpose: "set \(first.displayName)", keep: false)
            snap = try snapshot([interface])
        }
        guard let itf = snap.interfaces.first else {
            throw TsctlFailure(.noSuchDevice, "no such interface: \(InterfaceName.display(interface))")
        }
        let plan: InterfacePlan
        switch Planner.plan(itf, desired, kernel: snap.kernel) {
        case .success(let p): plan = p
        case .failure(let e): throw TsctlFailure(e)
        }
        let report = ChangeReport(command: "set", kernel: snap.kernel, file: nil, settings: settings, output: output)
        let name = InterfaceName.display(interface)
        // A dry run ends as the real run would: 0 when it would change, 10 when nothing is to do.
        if plan.isNoOp || settings.dryRun {
            report.text(plan.notes.map { "note: \($0)" })
            report.text(["\(name): " + (plan.isNoOp ? "\(plan.changeDescription); nothing sent" : "would change \(plan.changeDescription)")]
            )
            let status: ExitStatus = plan.isNoOp ? .nothingToDo : .ok
            report.json([ChangeRecord(plan: plan, outcome: plan.isNoOp ? .unchanged : .wouldChange)], status, nil)
            if status != .ok { throw TsctlExit(status) }
            return
        }
        try refuseIfDaemons([itf])
        report.text(plan.notes.map { "note: \($0)" })
        report.json(try send([plan], report: report), .ok, nil)
    }

    /// Runs the transaction over `plans` (none a no-op) and reports it; throws how it failed.
    @discardableResult
    func send(_ plans: [InterfacePlan], report: ChangeReport, records all: [ChangeRecord]? = nil) throws -> [ChangeRecord] {
        let outcome = applyAll(plans)
        report.text([outcome.report], terminator: "")
        var records = all ?? outcome.records
        for r in outcome.records where all != nil {
            if let i = records.firstIndex(where: { sameName($0.plan.interface, r.plan.interface) }) { records[i] = r }
        }
        if let failure = outcome.failure {
            report.json(records, failure.status, failure.message)
            throw failure
        }
        return records
    }

    /// The interfaces of `snap` that `plans` change.
    static func planned(_ snap: Snapshot, _ plans: [InterfacePlan]) -> [InterfaceSnapshot] {
        snap.interfaces.filter { i in plans.contains { sameName($0.interface, i.name) } }
    }

    /// Refused (exit 12) when a trusted PTP daemon uses one of `itfs` or its clocks, unless --force.
    func refuseIfDaemons(_ itfs: [InterfaceSnapshot]) throws {
        guard !settings.force else { return }
        let daemons = env.daemons.scan()
        for itf in itfs {
            if let d = daemons.first(where: { $0.uses(itf) }) {
                throw TsctlFailure(
                    .refused, "\(d.label) uses \(itf.displayName) or its clocks (\(d.commandLine)); stop it first or use --force")
            }
        }
    }

    struct Outcome {
        /// One line per thing that happened, in the order it happened.
        var report: String
        /// One record per plan given, in that order.
        var records: [ChangeRecord]
        var failure: TsctlFailure?
    }

    /// Runs the transaction and says how it ended. Stop requests are asked for
    /// between interfaces, never in the middle of a change; exit 128 + the signal number.
    func applyAll(_ plans: [InterfacePlan]) -> Outcome {
        let t = Transaction.run(plans, kernel: kernel) { env.stops.pending }
        let failure = t.summary.map { TsctlFailure(ExitStatus(t.result), $0) }
        return Outcome(report: t.reportText, records: t.records, failure: failure)
    }

    /// Lets go of the locks of interfaces not in `ifindexes`: the --keep loop
    /// holds only what its file still names (a renamed device is another
    /// user's to change).
    func releaseLocks(except ifindexes: Set<Int>) {
        for k in locks.keys where !ifindexes.contains(Int(k)) { locks[k] = nil }
    }

    /// Takes the lock of each interface before it is changed: a one-off writer
    /// waits up to 10 s for another, a `--keep` instance refuses at once. Exit 13 when it cannot.
    func lock(_ itfs: [InterfaceSnapshot], purpose: String, keep: Bool) throws {
        for itf in itfs where locks[UInt32(itf.ifindex)] == nil {
            do {
                locks[UInt32(itf.ifindex)] = try env.locks.acquire(
                    ifindex: UInt32(itf.ifindex), purpose: purpose, keep: keep, waitSeconds: 10
                ) { holder in
                    output.warn("tsctl: waiting up to 10 s for \(holder), which is changing \(itf.displayName)")
                }
            } catch {
                throw Self.failure(error, itf, keep: keep)
            }
        }
    }

    static func failure(_ error: LockFailure, _ itf: InterfaceSnapshot, keep: Bool) -> TsctlFailure {
        switch error {
        case .busy(let holder, let keeps):
            let why = keeps ? "keeps it applied" : keep ? "is changing it" : "is still changing it after 10 s"
            return TsctlFailure(.busy, "\(itf.displayName) is locked: \(holder) \(why); nothing was changed")
        case .interrupted(let stop):
            return TsctlFailure(
                .stopped(by: stop.signal),
                "stopped by \(stop.name) while waiting for the lock of \(itf.displayName); nothing was changed")
        case .system(let e, let permission):
            return TsctlFailure(
                permission ? .permissionDenied : .kernelError, "cannot take the lock of \(itf.displayName): \(e); nothing was changed")
        case .unsafeDirectory(let why):
            return TsctlFailure(.kernelError, "cannot take the lock of \(itf.displayName): \(why); nothing was changed")
        }
    }
}

/// set/apply output: text for people, or one JSON document (--json).
struct ChangeReport {
    var command: String
    var kernel: KernelInfo
    var file: String?
    var settings: ChangeSettings
    var output: any ChangeOutput

    func text(_ lines: [String], terminator: String = "\n") {
        guard !settings.json else { return }
        for l in lines { output.text(l, terminator: terminator) }
    }

    func json(_ records: [ChangeRecord], _ status: ExitStatus, _ error: String?) {
        guard settings.json else { return }
        output.document(
            ChangeRecord.document(
                command: command, kernel: kernel, file: file, dryRun: settings.dryRun, records: records,
                exitStatus: status.rawValue, error: error))
    }
}
