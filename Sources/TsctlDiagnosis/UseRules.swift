import TsctlModel

extension Rules {
    /// What the interface is for: check --for, and the `for` of the desired-state
    /// entry that names it.
    func uses(of itf: InterfaceSnapshot) -> [(TimestampingUse, String)] {
        var out: [(TimestampingUse, String)] = input.uses.map { ($0, "--for \($0.rawValue)") }
        if let exp = input.expectations {
            for (entry, i) in exp.assign(input.snapshot.interfaces, scope: input.scope).pairs where sameName(i.name, itf.name) {
                for u in entry.desired.uses where !out.contains(where: { $0.0 == u }) {
                    out.append((u, "\(exp.file):\(entry.position.line): for = [\"\(u.rawValue)\"]"))
                }
            }
        }
        return out
    }

    /// The capabilities of a provider: its own (TSCONFIG kernels), else those the
    /// kernel advertises when it is the advertised one.
    func capabilities(_ p: Provider, _ itf: InterfaceSnapshot) -> Capabilities? {
        p.capabilities ?? (p.advertised ? itf.advertised?.capabilities : nil)
    }

    // use-unsupported: whether the provider in use can do what the host needs timestamping for, and
    // if not, which provider of the interface can, with the set line that selects it.
    mutating func uses(_ itf: InterfaceSnapshot) {
        let wanted = uses(of: itf)
        guard !wanted.isEmpty else { return }
        guard let current = activeOrAdvertised(itf) else { return }
        let view: View = current.active ? .active : .advertised
        guard let caps = capabilities(current, itf) else {
            notRun.append(
                NotRun(
                    .useUnsupported, itf.name,
                    "the capabilities of \(current.label) ptp\(current.phcIndex) are unknown (this kernel lists one provider only)"))
            return
        }
        for (use, why) in wanted where !use.served(by: caps) {
            let others = itf.providers.filter { p in
                p.phcIndex != current.phcIndex && capabilities(p, itf).map(use.served(by:)) == true
            }
            // The better-reading clock first when both were measured.
            let better = others.min { a, b in
                (itf.phc(a.phcIndex)?.health?.read?.windowMinNs ?? .max) < (itf.phc(b.phcIndex)?.health?.read?.windowMinNs ?? .max)
            }
            var statement =
                "\(use.who) needs \(use.needs), which the \(view.rawValue) provider \(current.label) ptp\(current.phcIndex) "
                + "of \(itf.displayName) cannot do (tx \(caps.txTypes.joined(separator: " ")), rx \(caps.rxFilters.joined(separator: " ")))"
            var remedy: String?
            var evidence = [
                EvidenceItem(.expected, why),
                EvidenceItem(view, "\(current.label) ptp\(current.phcIndex) \(clockName(current.phcIndex, itf))")
            ]
            if let better, let bcaps = capabilities(better, itf) {
                let (tx, rx) = use.settings(for: bcaps)
                remedy = setCommand(itf, to: better, tx: tx, rx: rx)
                statement += "; \(better.label) ptp\(better.phcIndex) can (tx \(tx), rx \(rx))"
                if remedy == nil { statement += ", but this kernel cannot select it (TSCONFIG needs Linux 6.14)" }
                evidence.append(
                    EvidenceItem(
                        .sysfs,
                        "\(better.label) ptp\(better.phcIndex): tx \(bcaps.txTypes.joined(separator: " ")), rx \(bcaps.rxFilters.joined(separator: " "))"
                    ))
            } else {
                let unknown = itf.providers.filter { $0.phcIndex != current.phcIndex && capabilities($0, itf) == nil }
                statement +=
                    unknown.isEmpty
                    ? "; no other provider of \(itf.displayName) can"
                    : "; whether \(unknown.map { "\($0.label) ptp\($0.phcIndex)" }.joined(separator: ", ")) can is unknown "
                        + "(this kernel lists the advertised provider's capabilities only)"
            }
            add(.useUnsupported, .error, itf.name, statement, evidence, remedy: remedy)
        }
    }
}
