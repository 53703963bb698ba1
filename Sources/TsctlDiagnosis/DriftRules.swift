import TsctlModel

extension Rules {
    // MARK: drift against a baseline

    mutating func drift() {
        guard let base = input.baseline else { return }
        let now = Dictionary(input.snapshot.interfaces.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for old in base.interfaces where old.hasHardwareProvider && input.scope.map({ $0.contains(old.key) }) ?? true {
            guard let cur = now[old.name] else {
                add(
                    .drift, .error, old.name, "\(old.name) is in the baseline but no longer exists",
                    [EvidenceItem(.baseline, "\(old.name) with \(old.providers.count) provider(s)")])
                continue
            }
            providerDrift(old, cur)
            advertisedDrift(old, cur)
            activeDrift(old, cur)
        }
    }

    /// Providers gone, new, with another clock or other capabilities, by label.
    mutating func providerDrift(_ old: InterfaceSnapshot, _ cur: InterfaceSnapshot) {
        let key = { (p: Provider) in "\(p.label)" }
        let oldSet = Dictionary(old.providers.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let newSet = Dictionary(cur.providers.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        // In the snapshots' order, not the dictionaries': the same input gives the same report.
        for p in old.providers where newSet[key(p)] == nil {
            let k = key(p)
            add(
                .drift, .error, cur.name, "provider \(k) (was ptp\(p.phcIndex)) is gone",
                [
                    EvidenceItem(.baseline, "\(k) ptp\(p.phcIndex)"),
                    EvidenceItem(.advertised, "providers now: \(cur.providers.map(\.label).joined(separator: ", "))")
                ])
        }
        for p in cur.providers where oldSet[key(p)] == nil {
            let k = key(p)
            add(
                .drift, .warning, cur.name, "provider \(k) ptp\(p.phcIndex) is new since the baseline",
                [EvidenceItem(.baseline, "providers then: \(old.providers.map(\.label).joined(separator: ", "))")])
        }
        for p in cur.providers {
            let k = key(p)
            guard newSet[k]?.phcIndex == p.phcIndex, let o = oldSet[k] else { continue }
            let oldName = old.phc(o.phcIndex)?.clockName, newName = cur.phc(p.phcIndex)?.clockName
            if o.phcIndex != p.phcIndex || oldName != newName {
                add(
                    .drift, .warning, cur.name,
                    "\(k) clock changed: ptp\(o.phcIndex) \(oldName ?? "") -> ptp\(p.phcIndex) \(newName ?? "")",
                    [EvidenceItem(.baseline, "ptp\(o.phcIndex)"), EvidenceItem(.sysfs, "ptp\(p.phcIndex)")])
            }
            if let oc = o.capabilities, let nc = p.capabilities, oc != nc {
                add(
                    .drift, .warning, cur.name, "\(k) capabilities changed: \(capsDiff(oc, nc))",
                    [
                        EvidenceItem(.baseline, "tx \(oc.txTypes.joined(separator: " ")); rx \(oc.rxFilters.joined(separator: " "))"),
                        EvidenceItem(.advertised, "tx \(nc.txTypes.joined(separator: " ")); rx \(nc.rxFilters.joined(separator: " "))")
                    ])
            }
        }
    }

    mutating func advertisedDrift(_ old: InterfaceSnapshot, _ cur: InterfaceSnapshot) {
        if old.advertised?.layer != cur.advertised?.layer || old.advertised?.phyIndex != cur.advertised?.phyIndex {
            add(
                .drift, .error, cur.name,
                "the advertised layer changed: \(old.advertised?.layer?.rawValue ?? "none") -> \(cur.advertised?.layer?.rawValue ?? "none")",
                [
                    EvidenceItem(
                        .baseline,
                        "advertised \(old.advertised?.layer?.rawValue ?? "none") ptp\(old.advertised?.phcIndex.map(String.init) ?? "-")"
                    ),
                    EvidenceItem(
                        .advertised,
                        "advertised \(cur.advertised?.layer?.rawValue ?? "none") ptp\(cur.advertised?.phcIndex.map(String.init) ?? "-")"
                    )
                ])
        }
    }

    mutating func activeDrift(_ old: InterfaceSnapshot, _ cur: InterfaceSnapshot) {
        if old.active.isConfigured && cur.active.isConfigured {
            let o = ShowLabels.config(old.active, old), n = ShowLabels.config(cur.active, cur)
            if o != n {
                add(
                    .drift, old.active.layer != cur.active.layer ? .error : .warning, cur.name,
                    "the active configuration changed: \(o) -> \(n)",
                    [EvidenceItem(.baseline, o), EvidenceItem(.active, n)])
            }
        } else if old.active.isConfigured != cur.active.isConfigured {
            add(
                .drift, .warning, cur.name,
                "the active configuration was \(old.active.isConfigured ? "readable" : "unreadable") and now is \(cur.active.isConfigured ? "readable" : "not (\(cur.active.unavailable!.rawValue))")",
                [
                    EvidenceItem(.baseline, old.active.unavailable?.rawValue ?? "configured"),
                    EvidenceItem(.active, cur.active.unavailable?.rawValue ?? "configured")
                ])
        }
    }

    /// What a provider gained and lost, by kind of capability.
    func capsDiff(_ a: Capabilities, _ b: Capabilities) -> String {
        var parts: [String] = []
        func d(_ what: String, _ x: [String], _ y: [String]) {
            let gone = x.filter { !y.contains($0) }, new = y.filter { !x.contains($0) }
            if !gone.isEmpty { parts.append("\(what) lost \(gone.joined(separator: ","))") }
            if !new.isEmpty { parts.append("\(what) gained \(new.joined(separator: ","))") }
        }
        d("timestamping", a.timestamping, b.timestamping)
        d("tx", a.txTypes.map(\.name), b.txTypes.map(\.name))
        d("rx", a.rxFilters.map(\.name), b.rxFilters.map(\.name))
        return parts.joined(separator: "; ")
    }
}
