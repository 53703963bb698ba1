import TsctlModel

/// What `--keep` remembers between checks: what was said about daemons'
/// interfaces, and the tx/rx each daemon had there (see DaemonShare).
struct KeepState {
    var reported: [NameKey: String] = [:]
    var daemonConfig: [NameKey: Config] = [:]
}

extension ChangeSession {
    /// --keep: re-plan on link-up events and every --interval, and apply what drifted.
    /// Beside a daemon only the provider is kept (see DaemonShare). Ends only
    /// with a stop request (or when link events cannot be had at all).
    func keepApplied(_ request: ApplyRequest, _ start: KeepState) throws {
        var state = start
        let monitor: any LinkEventSource
        do { monitor = try env.linkEvents() } catch { throw TsctlFailure(error) }
        output.log("keeping \(request.file) applied (link events, and a re-check every \(request.interval) s)")
        // The first apply is done: a Type=notify unit may now start what it orders before.
        output.ready("READY=1\nSTATUS=keeping \(request.file) applied")
        while true {
            if let stop = env.stops.pending {
                throw TsctlFailure(.stopped(by: stop.signal), "stopped by \(stop.name); no change was under way")
            }
            var event: [String]?
            do { event = try monitor.next(timeoutMilliseconds: Int32(request.interval * 1000)) } catch {
                // Events were lost (ENOBUFS) or the read failed: re-check now.
                output.log("link events: \(error); re-checking")
                event = nil
            }
            if let names = event, !names.isEmpty { output.log("link up: \(names.joined(separator: ", "))") }
            // A PHY attaches around link-up; give its clock a moment to register.
            if event != nil { env.clock.sleep(seconds: 0.3) }
            try keepOnce(request, &state)
        }
    }

    /// One check of --keep: plan from what the kernel has now, apply what drifted.
    func keepOnce(_ request: ApplyRequest, _ state: inout KeepState) throws {
        let snap: Snapshot
        do { snap = try snapshot(nil) } catch {
            output.log("\(error)")
            return
        }
        let resolved = resolvingAltnames(request.state, snap)
        var (plans, errors) = Planner.plan(resolved, snap)
        for e in errors { output.log("not yet: \(e.message)") }
        // A device renamed away from the file (or gone) is no longer kept: its lock goes.
        releaseLocks(except: Set(Self.planned(snap, plans).map(\.ifindex)))
        if !settings.force {
            // A daemon's tx/rx are its own; its interface's provider is kept.
            let shared = DaemonShare(snap.interfaces, daemons: env.daemons.scan())
                .plans(plans, resolved, snap, remembered: state.daemonConfig)
            plans = shared.plans
            for (name, msg) in shared.left.sorted(by: { $0.key < $1.key }) where state.reported[name] != msg {
                output.log("\(InterfaceName.display(name.description)): \(msg)")
            }
            state.reported = shared.left
            state.daemonConfig.merge(shared.daemonConfig) { $1 }
        }
        let drifted = plans.filter { !$0.isNoOp }
        guard !drifted.isEmpty else { return }
        do {
            // An interface that came back has a new ifindex, so a new lock.
            try lock(Self.planned(snap, drifted), purpose: "apply --keep \(OSString.escaped(request.file))", keep: true)
        } catch let f as TsctlFailure {
            output.log("not re-applying: \(f.message)")
            return
        }
        let outcome = applyAll(drifted)
        let what = outcome.failure == nil ? "re-applied" : "re-applying failed"
        for line in outcome.report.split(separator: "\n") { output.log("\(what): \(line)") }
        if let f = outcome.failure {
            output.log(f.message)
            if env.stops.pending != nil { throw f }
        }
    }
}
