import ArgumentParser
import TsctlChange
import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Bring many interfaces to the state a desired-state file describes, all or nothing.",
        discussion: """
            Everything is validated before anything changes (interfaces and providers exist, \
            tx and rx are within each provider's capabilities); then the plan is applied in \
            file order and verified; on any failure every interface already changed is \
            rolled back and the rollback verified. Exit 0 applied, 10 nothing to do (--dry-run: \
            0 would change, 10 nothing to do), 3 two entries match one interface or a glob/driver \
            entry matches nothing (unless optional = true), 7 failed and rolled back, 8 rollback \
            incomplete, 9 timed out waiting (--wait), 13 another tsctl holds an interface (a --keep \
            instance holds its interfaces while it runs), 130/143 stopped by SIGINT/SIGTERM after \
            finishing or undoing the change under way. The file \
            format is in docs/desired-state.md; `tsctl check --expect FILE` verifies the same \
            file without changing anything.
            """
    )

    @Argument(help: "The desired-state file (TOML).", completion: .file())
    var file: String

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Wait up to this many seconds for the interfaces and providers to appear (a PHY's clock appears when the PHY attaches).",
            valueName: "seconds"))
    var wait: Double = 0

    @Flag(
        help:
            "Keep it applied: re-apply when an interface comes back up or drifts (the kernel forgets a PHY selection when the PHY detaches). Beside a PTP daemon only the provider is kept; tx/rx are the daemon's (unless --force). Runs until stopped."
    )
    var keep = false

    @Option(
        parsing: .unconditional, help: ArgumentHelp("With --keep: also re-check every so many seconds.", valueName: "seconds"))
    var interval: Double = 30

    @OptionGroup var options: ChangeOptions

    func validate() throws {
        // Written so NaN fails too; the upper bounds keep the milliseconds within Int32.
        if !(wait >= 0 && wait <= 86400) { throw ValidationError("--wait takes 0 to 86400 seconds, not \(wait)") }
        if !(interval >= 0.1 && interval <= 86400) { throw ValidationError("--interval takes 0.1 to 86400 seconds, not \(interval)") }
        if keep && options.dryRun { throw ValidationError("--keep and --dry-run exclude each other") }
        if keep && options.json { throw ValidationError("--keep and --json exclude each other (--keep runs until stopped)") }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        if options.json { JSONMode.command = "apply" }
        let state = try loadDesiredState(file)
        try ChangeSession.requireNetAdmin(dryRun: options.dryRun)
        let session = try ChangeSession.open()
        // A signal from here on is noted and acted on where nothing is half
        // done: while waiting, between interfaces, after a verification.
        if !options.dryRun || wait > 0 { Signals.deferTermination() }
        var (snap, planned, resolved) = try planOrWait(state, session)
        if !options.dryRun {
            // Locked, then planned again from what no other tsctl can now change.
            let mine = snap.interfaces.filter { i in planned.contains { sameName($0.interface, i.name) } }
            try session.lock(mine, purpose: "apply\(keep ? " --keep" : "") \(OSString.escaped(file))", keep: keep)
            (snap, planned, resolved) = try planOrWait(state, session)
        }
        let report = ChangeReport(command: "apply", kernel: snap.kernel, file: file, options: options)
        var plans = planned
        var leftToDaemons: [NameKey: String] = [:]
        var daemonConfig: [NameKey: Config] = [:]
        if keep && !options.force {
            let shared = DaemonShare(snap.interfaces, daemons: PTPDaemons.scan().daemons).plans(plans, resolved, snap)
            plans = shared.plans
            for (name, msg) in shared.left.sorted(by: { $0.key < $1.key }) {
                report.text(["\(InterfaceName.display(name.description)): \(msg)"])
            }
            leftToDaemons = shared.left
            daemonConfig = shared.daemonConfig
        }
        let changes = plans.filter { !$0.isNoOp }
        for p in plans {
            let name = InterfaceName.display(p.interface)
            report.text(p.notes.map { "\(name): note: \($0)" })
            report.text(["\(name): \(options.dryRun && !p.isNoOp ? "would change " : "")\(p.changeDescription)"])
        }
        let nothing = "nothing to do: every interface is already as \(file) says"
        if options.dryRun {
            // Exits as the real run would: 0 would change, 10 nothing to do.
            report.json(
                plans.map { ChangeRecord(plan: $0, outcome: $0.isNoOp ? .unchanged : .wouldChange) },
                changes.isEmpty ? .nothingToDo : .ok, nil)
            if changes.isEmpty {
                report.text([nothing])
                throw TsctlExit(.nothingToDo)
            }
            return
        }
        var records = plans.map { ChangeRecord(plan: $0, outcome: .unchanged) }
        if !changes.isEmpty {
            try session.refuseIfDaemons(
                snap.interfaces.filter { i in changes.contains { sameName($0.interface, i.name) } }, force: options.force)
            let outcome = session.applyAll(changes)
            report.text([outcome.report], terminator: "")
            for r in outcome.records {
                if let i = records.firstIndex(where: { sameName($0.plan.interface, r.plan.interface) }) { records[i] = r }
            }
            if let f = outcome.failure {
                report.json(records, f.status, f.message)
                throw f
            }
        }
        report.json(records, changes.isEmpty ? .nothingToDo : .ok, nil)
        if keep {
            try keepApplied(state, session, reported: leftToDaemons, daemonConfig: daemonConfig)
        }
        if changes.isEmpty {
            report.text([nothing])
            throw TsctlExit(.nothingToDo)
        }
    }

    /// Plans, and with --wait retries while interfaces or providers are missing.
    /// Also hands back the file with its altnames resolved against that snapshot.
    func planOrWait(_ state: DesiredState, _ session: ChangeSession) throws -> (Snapshot, [InterfacePlan], DesiredState) {
        let deadline = now() + wait
        while true {
            let snap = try session.snapshot(nil)
            let resolved = session.resolvingAltnames(state, snap)
            let (plans, errors) = Planner.plan(resolved, snap)
            if errors.isEmpty { return (snap, plans, resolved) }
            // Globs and drivers are waited for as names are: a driver may bind late.
            let missing = errors.allSatisfy { [.noSuchInterface, .noSuchProvider, .noMatch].contains($0.kind) }
            if Signals.pending != 0 {
                let waitingFor = errors.map(\.message).joined(separator: "; ")
                throw TsctlFailure(
                    .stopped(by: Signals.pending),
                    "stopped by \(Signals.name(Signals.pending)) while waiting for: \(waitingFor); nothing was changed")
            }
            if missing && now() < deadline {
                usleep(200_000)
                continue
            }
            // The file's own problems (two entries for one interface, an entry that
            // matches nothing) decide the exit status: they are printed last.
            let ordered =
                errors.filter { $0.kind != .conflict && $0.kind != .noMatch }
                + errors.filter { $0.kind == .conflict || $0.kind == .noMatch }
            // Every problem at once, up to a screenful: a fleet file on the wrong host
            // would otherwise print a line per entry.
            let shown = 20
            for e in ordered.dropLast().prefix(shown) { Sys.printError("tsctl: \(e.message)") }
            if ordered.count - 1 > shown { Sys.printError("tsctl: ... and \(ordered.count - 1 - shown) more problems like these") }
            let last = ordered.last!
            if missing && wait > 0 {
                throw TsctlFailure(.timedOut, "\(last.message) (still missing after --wait \(wait)); nothing was changed")
            }
            var f = TsctlFailure(last)
            f.message += "; nothing was changed"
            throw f
        }
    }

    /// --keep: re-plan on link-up events and every --interval, and apply what drifted.
    /// Beside a daemon only the provider is kept (see DaemonShare); `reported`
    /// is what was already said about that.
    func keepApplied(
        _ state: DesiredState, _ session: ChangeSession, reported: [NameKey: String],
        daemonConfig: [NameKey: Config]
    ) throws {
        var reported = reported, daemonConfig = daemonConfig
        let monitor: LinkEvents
        do { monitor = try LinkEvents() } catch { throw TsctlFailure(error) }
        log("keeping \(file) applied (link events, and a re-check every \(interval) s)")
        // The first apply is done: a Type=notify unit may now start what it orders before.
        SystemdNotify.send("READY=1\nSTATUS=keeping \(file) applied")
        while true {
            if Signals.pending != 0 {
                throw TsctlFailure(
                    .stopped(by: Signals.pending),
                    "stopped by \(Signals.name(Signals.pending)); no change was under way")
            }
            var event: [String]?
            do { event = try monitor.next(timeoutMilliseconds: Int32(interval * 1000)) } catch {
                // Events were lost (ENOBUFS) or the read failed: re-check now.
                log("link events: \(error); re-checking")
                event = nil
            }
            if let names = event, !names.isEmpty { log("link up: \(names.joined(separator: ", "))") }
            // A PHY attaches around link-up; give its clock a moment to register.
            if event != nil { usleep(300_000) }
            let snap: Snapshot
            do { snap = try session.snapshot(nil) } catch { log("\(error)"); continue }
            let resolved = session.resolvingAltnames(state, snap)
            var (plans, errors) = Planner.plan(resolved, snap)
            for e in errors { log("not yet: \(e.message)") }
            // A device renamed away from the file (or gone) is no longer kept: its lock goes.
            session.releaseLocks(
                except: Set(snap.interfaces.filter { i in plans.contains { sameName($0.interface, i.name) } }.map(\.ifindex)))
            if !options.force {
                // A daemon's tx/rx are its own; its interface's provider is kept.
                let shared = DaemonShare(snap.interfaces, daemons: PTPDaemons.scan().daemons)
                    .plans(plans, resolved, snap, remembered: daemonConfig)
                plans = shared.plans
                for (name, msg) in shared.left.sorted(by: { $0.key < $1.key }) where reported[name] != msg {
                    log("\(InterfaceName.display(name.description)): \(msg)")
                }
                reported = shared.left
                daemonConfig.merge(shared.daemonConfig) { $1 }
            }
            let drifted = plans.filter { !$0.isNoOp }
            guard !drifted.isEmpty else { continue }
            do {
                // An interface that came back has a new ifindex, so a new lock.
                try session.lock(
                    snap.interfaces.filter { i in drifted.contains { sameName($0.interface, i.name) } },
                    purpose: "apply --keep \(OSString.escaped(file))", keep: true)
            } catch let f as TsctlFailure {
                log("not re-applying: \(f.message)")
                continue
            }
            let outcome = session.applyAll(drifted)
            let what = outcome.failure == nil ? "re-applied" : "re-applying failed"
            for line in outcome.report.split(separator: "\n") { log("\(what): \(line)") }
            if let f = outcome.failure {
                log(f.message)
                if Signals.pending != 0 { throw f }
            }
        }
    }

    func log(_ s: String) {
        print(s)
        fflush(nil)
    }

    func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
