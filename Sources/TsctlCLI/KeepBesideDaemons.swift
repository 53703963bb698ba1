import TsctlDesired
import TsctlInventory
import TsctlPlan

/// `apply --keep` beside a PTP daemon. ptp4l sets tx/rx itself when it starts
/// and again whenever its port re-initialises (link down/up): with its default
/// `hwts_filter normal` it asks for tx on and its transport's PTP event filter.
/// Re-applying the file's tx/rx would fight it on every link event. The
/// provider is another matter: the kernel forgets a PHY selection when the PHY
/// detaches, and ptp4l then steers a clock that no longer stamps. So on an
/// interface a trusted daemon uses (or whose clocks it uses), --keep applies
/// the provider only and carries the current tx/rx over; --force restores the
/// plain behaviour (the file's tx/rx too).
struct DaemonShare {
    /// Interface name -> the daemon that uses it.
    var users: [String: PTPDaemon] = [:]

    init(_ itfs: [InterfaceSnapshot], daemons: [PTPDaemon]) {
        for itf in itfs {
            if let d = ChangeSession.daemon(using: itf, among: daemons) { users[itf.name] = d }
        }
    }

    /// The plans with tx/rx/flags left to the daemons, and per such interface
    /// what was left (only where the file and the interface differ).
    func plans(_ plans: [InterfacePlan], _ state: DesiredState, _ snap: Snapshot) -> (plans: [InterfacePlan], left: [String: String]) {
        var out: [InterfacePlan] = []
        var left: [String: String] = [:]
        for plan in plans {
            guard let d = users[plan.interface], !plan.isNoOp,
                  let itf = snap.interfaces.first(where: { $0.name == plan.interface }),
                  let entry = state.interfaces.first(where: { $0.matches(itf) }) else {
                out.append(plan)
                continue
            }
            var providerOnly = entry.desired
            providerOnly.txType = nil
            providerOnly.rxFilter = nil
            providerOnly.flags = nil
            guard case .success(let p) = Planner.plan(itf, providerOnly, features: snap.kernel.features) else {
                out.append(plan)
                continue
            }
            let now = "tx \(plan.current.txType ?? "?"), rx \(plan.current.rxFilter ?? "?")"
            let file = "tx \(plan.target.txType ?? "?"), rx \(plan.target.rxFilter ?? "?")"
            if now != file {
                left[plan.interface] = "tx/rx left to \(d.label), which uses it (\(state.file) says \(file); it is \(now))"
            }
            out.append(p)
        }
        return (out, left)
    }
}
