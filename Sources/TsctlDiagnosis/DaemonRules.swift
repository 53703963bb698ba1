import TsctlChange
import TsctlModel

extension Rules {
    // timestamping-off-in-use (off or partial while a daemon uses it); rx-filter-unsupported.
    mutating func inUse(_ itf: InterfaceSnapshot) {
        let users = daemons(using: itf)
        let act = itf.active
        if act.isConfigured {
            if !users.isEmpty, act.txType == "off" || act.rxFilter == "none" {
                let provider = itf.providers.first { $0.active }
                add(
                    .timestampingOffInUse, .error, itf.name,
                    "\(users.map(\.label).joined(separator: ", ")) uses \(itf.displayName) but hardware timestamping is \(act.txType == "off" && act.rxFilter == "none" ? "off" : "partly off") (tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?"))",
                    [EvidenceItem(.active, "tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")")]
                        + users.map { EvidenceItem(.observed, "\($0.label): \($0.commandLine)") },
                    remedy: provider.map { setCommand(itf, to: $0) } ?? nil)
            }
            if let rx = act.rxFilter, rx != "none", let p = itf.providers.first(where: { $0.active }),
                let caps = p.capabilities, !caps.rxFilters.contains(where: { rxCovers($0, rx) })
            {
                add(
                    .rxFilterUnsupported, .error, itf.name,
                    "rx filter \(rx) is set but the active provider \(p.label) ptp\(p.phcIndex) supports only \(caps.rxFilters.joined(separator: ", "))",
                    [
                        EvidenceItem(.active, "rx \(rx)"),
                        EvidenceItem(.advertised, "\(p.label) rx filters: \(caps.rxFilters.joined(separator: " "))")
                    ])
            }
        } else if !users.isEmpty {
            notRun.append(
                NotRun(
                    .timestampingOffInUse, itf.name,
                    "\(users.map(\.label).joined(separator: ", ")) uses \(itf.displayName) but its configuration cannot be read"))
        }
    }

    // daemon-phc-mismatch: a daemon disciplining another clock.
    mutating func daemonClocks(_ itf: InterfaceSnapshot) {
        guard let own = activeOrAdvertised(itf)?.phcIndex ?? itf.advertised?.phcIndex else { return }
        if input.daemons == nil {
            notRun.append(NotRun(.daemonPHCMismatch, itf.name, "/proc could not be read"))
            return
        }
        for d in daemons(using: itf) where d.program == "ptp4l" || d.program == "ts2phc" {
            var foreign = d.namedPHCs.filter { $0 != own }
            // Open clocks count only for a daemon on this interface alone.
            if d.interfaces.count == 1, let open = d.openPHCs { foreign += open.filter { $0 != own && !foreign.contains($0) } }
            if d.openPHCs == nil && d.namedPHCs.isEmpty {
                notRun.append(NotRun(.daemonPHCMismatch, itf.name, "cannot read \(d.label)'s open files (run as root)"))
            }
            guard let other = foreign.first else { continue }
            add(
                .daemonPHCMismatch, .error, itf.name,
                "\(d.label) uses \(itf.displayName) but disciplines ptp\(other), not its active clock ptp\(own) (ptp4l calls this \"PHC device mismatch\")",
                [
                    EvidenceItem(.observed, "\(d.label): \(d.commandLine); clocks \(foreign.map { "ptp\($0)" }.joined(separator: ", "))"),
                    EvidenceItem(itf.active.isConfigured ? .active : .advertised, "\(itf.displayName) uses ptp\(own)")
                ],
                remedy: itf.providers.first { $0.phcIndex == other }.map { setCommand(itf, to: $0) } ?? nil)
        }
    }
}
