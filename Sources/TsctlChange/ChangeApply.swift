public import TsctlModel

/// What `apply` is asked besides the file.
public struct ApplyRequest: Sendable {
    public var state: DesiredState
    /// The file's name, as given.
    public var file: String
    /// --wait: seconds to wait for interfaces and providers to appear.
    public var wait: Double
    /// --keep, and its --interval in seconds.
    public var keep: Bool
    public var interval: Double

    public init(state: DesiredState, file: String, wait: Double, keep: Bool, interval: Double) {
        self.state = state
        self.file = file
        self.wait = wait
        self.keep = keep
        self.interval = interval
    }
}

extension ChangeSession {
    /// `apply`: every interface a file names to the state it describes, all or nothing.
    public func apply(_ request: ApplyRequest) throws {
        try start()
        // A stop request from here on is noted and acted on where nothing is half
        // done: while waiting, between interfaces, after a verification.
        if !settings.dryRun || request.wait > 0 { env.stops.deferStops() }
        var (snap, planned, resolved) = try planOrWait(request)
        if !settings.dryRun {
            // Locked, then planned again from what no other tsctl can now change.
            let purpose = "apply\(request.keep ? " --keep" : "") \(OSString.escaped(request.file))"
            try lock(Self.planned(snap, planned), purpose: purpose, keep: request.keep)
            (snap, planned, resolved) = try planOrWait(request)
        }
        let report = ChangeReport(command: "apply", kernel: snap.kernel, file: request.file, settings: settings, output: output)
        var plans = planned
        var keeper = KeepState()
        if request.keep && !settings.force {
            let shared = DaemonShare(snap.interfaces, daemons: env.daemons.scan()).plans(plans, resolved, snap)
            plans = shared.plans
            for (name, msg) in shared.left.sorted(by: { $0.key < $1.key }) {
                report.text(["\(InterfaceName.display(name.description)): \(msg)"])
            }
            keeper = KeepState(reported: shared.left, daemonConfig: shared.daemonConfig)
        }
        let changes = plans.filter { !$0.isNoOp }
        for p in plans {
            let name = InterfaceName.display(p.interface)
            report.text(p.notes.map { "\(name): note: \($0)" })
            report.text(["\(name): \(settings.dryRun && !p.isNoOp ? "would change " : "")\(p.changeDescription)"])
        }
        let nothing = "nothing to do: every interface is already as \(request.file) says"
        var records = plans.map { ChangeRecord(plan: $0, outcome: settings.dryRun && !$0.isNoOp ? .wouldChange : .unchanged) }
        if !settings.dryRun && !changes.isEmpty {
            try refuseIfDaemons(Self.planned(snap, changes))
            records = try send(changes, report: report, records: records)
        }
        // A dry run exits as the real run would: 0 would change, 10 nothing to do.
        report.json(records, changes.isEmpty ? .nothingToDo : .ok, nil)
        if request.keep { try keepApplied(request, keeper) }
        if changes.isEmpty {
            report.text([nothing])
            throw TsctlExit(.nothingToDo)
        }
    }

    /// The file with its altnames resolved (DesiredState.resolvingAltnames):
    /// the kernel names the interface an altname belongs to.
    func resolvingAltnames(_ state: DesiredState, _ snap: Snapshot) -> DesiredState {
        state.resolvingAltnames(in: snap.interfaces, primaryNames: kernel.primaryNames)
    }

    /// Plans, and with --wait retries while interfaces or providers are missing.
    /// Also hands back the file with its altnames resolved against that snapshot.
    func planOrWait(_ request: ApplyRequest) throws -> (Snapshot, [InterfacePlan], DesiredState) {
        let deadline = env.clock.now + request.wait
        while true {
            let snap = try snapshot(nil)
            let resolved = resolvingAltnames(request.state, snap)
            let (plans, errors) = Planner.plan(resolved, snap)
            if errors.isEmpty { return (snap, plans, resolved) }
            // Globs and drivers are waited for as names are: a driver may bind late.
            let missing = errors.allSatisfy { [.noSuchInterface, .noSuchProvider, .noMatch].contains($0.kind) }
            if let stop = env.stops.pending {
                let waitingFor = errors.map(\.message).joined(separator: "; ")
                throw TsctlFailure(
                    .stopped(by: stop.signal), "stopped by \(stop.name) while waiting for: \(waitingFor); nothing was changed")
            }
            if missing && env.clock.now < deadline {
                env.clock.sleep(seconds: 0.2)
                continue
            }
            throw planFailure(errors, missing: missing, wait: request.wait)
        }
    }

    /// Every problem of a plan at once, up to a screenful, on standard error;
    /// the last one is the failure (a fleet file on the wrong host would
    /// otherwise print a line per entry).
    func planFailure(_ errors: [PlanError], missing: Bool, wait: Double) -> TsctlFailure {
        // The file's own problems (two entries for one interface, an entry that
        // matches nothing) decide the exit status: they are printed last.
        let ordered =
            errors.filter { $0.kind != .conflict && $0.kind != .noMatch }
            + errors.filter { $0.kind == .conflict || $0.kind == .noMatch }
        let shown = 20
        for e in ordered.dropLast().prefix(shown) { output.warn("tsctl: \(e.message)") }
        if ordered.count - 1 > shown { output.warn("tsctl: ... and \(ordered.count - 1 - shown) more problems like these") }
        let last = ordered.last!
        if missing && wait > 0 {
            return TsctlFailure(.timedOut, "\(last.message) (still missing after --wait \(wait)); nothing was changed")
        }
        var f = TsctlFailure(last)
        f.message += "; nothing was changed"
        return f
    }
}
