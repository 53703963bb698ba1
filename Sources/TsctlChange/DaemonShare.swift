import TsctlModel

/// `apply --keep` beside a PTP daemon. ptp4l sets tx/rx itself when its port
/// starts and again whenever it re-initialises (link down/up): with its default
/// `hwts_filter normal` it asks for tx on and rx ptpv2-event, then its
/// transport's event filter if the driver refuses that. Re-applying the file's
/// tx/rx would fight it. The provider is another matter: the kernel forgets a
/// PHY selection when the PHY detaches, and ptp4l then steers a clock that no
/// longer stamps. So on an interface a trusted daemon uses (or whose clocks it
/// uses), --keep applies the provider only; when it has to select it again it
/// brings back the tx/rx the daemon had there (remembered from the last check,
/// else carried over, else the file's). --force restores the plain behaviour.
struct DaemonShare {
    /// Interface name (its bytes) -> the daemon that uses it.
    var users: [NameKey: PTPDaemon] = [:]

    init(_ itfs: [InterfaceSnapshot], daemons: [PTPDaemon]) {
        for itf in itfs {
            if let d = daemons.first(where: { $0.uses(itf) }) { users[itf.key] = d }
        }
    }

    struct Result {
        var plans: [InterfacePlan]
        /// What was left to a daemon, per interface (only where the file differs).
        var left: [NameKey: String] = [:]
        /// The tx/rx a daemon has on the provider the file wants, per interface.
        var daemonConfig: [NameKey: Config] = [:]
    }

    func plans(_ plans: [InterfacePlan], _ state: DesiredState, _ snap: Snapshot, remembered: [NameKey: Config] = [:]) -> Result {
        var r = Result(plans: [])
        for plan in plans {
            guard let d = users[NameKey(plan.interface)],
                let itf = snap.interfaces.first(where: { sameName($0.name, plan.interface) }),
                let entry = state.interfaces.first(where: { $0.matches(itf) })
            else {
                r.plans.append(plan)
                continue
            }
            var want = entry.desired
            want.txType = nil
            want.rxFilter = nil
            want.flags = nil
            let providerOnly = Planner.plan(itf, want, kernel: snap.kernel)
            if case .success(let p) = providerOnly, p.change?.provider == nil {
                // The provider is as the file says: tx/rx are the daemon's.
                r.daemonConfig[NameKey(plan.interface)] = p.current
                if !plan.isNoOp {
                    r.left[NameKey(plan.interface)] =
                        "tx/rx left to \(d.label), which uses it (\(state.file) says tx \(plan.target.txType ?? "?"), rx \(plan.target.rxFilter ?? "?"); it is tx \(p.current.txType ?? "?"), rx \(p.current.rxFilter ?? "?"))"
                }
                r.plans.append(p)
                continue
            }
            // Selecting the provider again: with the daemon's tx/rx from before,
            // else the current ones carried over, else (the new provider cannot
            // take those, e.g. the MAC's "all") the file's.
            if let had = remembered[NameKey(plan.interface)] {
                want.txType = had.txType
                want.rxFilter = had.rxFilter
                if case .success(let q) = Planner.plan(itf, want, kernel: snap.kernel) {
                    r.plans.append(q)
                    continue
                }
            }
            if case .success(let p) = providerOnly { r.plans.append(p) } else { r.plans.append(plan) }
        }
        return r
    }
}
