import TsctlChange
import TsctlModel

extension Rules {
    // MARK: expectation-not-met (and rx-filter-unsupported for what a file expects)

    mutating func expectations() {
        guard let exp = input.expectations else { return }
        let a = exp.assign(input.snapshot.interfaces, scope: input.scope)
        for entry in a.unmatched {
            add(
                .expectationNotMet, .error, entry.isGlob ? nil : entry.name, entry.unmatchedMessage(exp.file),
                [EvidenceItem(.expected, "\(exp.file):\(entry.position.line): \(entry.label)")],
                remedy: nil)
        }
        for (entry, itf) in a.pairs { expectation(entry, itf, "\(exp.file):\(entry.position.line)") }
    }

    /// Met exactly when `apply` would have nothing to do: the planner decides for both,
    /// so a filter the driver widens (mvpp2 answers ptpv2-event with all) counts
    /// the same here as there, and the remedy offered always changes something.
    mutating func expectation(_ entry: DesiredInterface, _ itf: InterfaceSnapshot, _ at: String) {
        let d = entry.desired
        let act = itf.active
        let planned = Planner.plan(itf, d, kernel: kernel)
        // An unreadable configuration that apply would need to know (needsConfig) is
        // "cannot be verified" below; any other refusal is the file not being met.
        if case .failure(let e) = planned, act.isConfigured || e.kind != .needsConfig {
            add(
                .expectationNotMet, .error, itf.name, "not as \(at) expects, and apply cannot make it so: \(e.message)",
                [
                    EvidenceItem(.expected, "\(at): \(entry.label)"),
                    EvidenceItem(.active, act.isConfigured ? ShowLabels.config(act, itf) : act.unavailable!.rawValue)
                ])
        }
        guard act.isConfigured else {
            if !d.isEmpty {
                notRun.append(
                    NotRun(
                        .expectationNotMet, itf.name,
                        "the active configuration cannot be read (\(act.unavailable!.rawValue)); \(at) cannot be verified"))
            }
            return
        }
        // An ioctl answer before 6.19 is the MAC driver's (LayerAttribution.ioctlAnswerer):
        // the planner judged the source by it.
        if d.source != nil, act.phcIndex == nil, LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release) == nil {
            notRun.append(
                NotRun(
                    .expectationNotMet, itf.name,
                    "this kernel cannot name the active provider; source = \"\(d.source!)\" cannot be verified"))
        }
        if let rx = d.rxFilter, let p = targetProvider(d, itf), let caps = p.capabilities,
            !caps.rxFilters.contains(where: { rxCovers($0, rx) })
        {
            add(
                .rxFilterUnsupported, .error, itf.name,
                "\(at) expects rx filter \(rx) but \(p.label) ptp\(p.phcIndex) supports only \(caps.rxFilters.joined(separator: ", "))",
                [
                    EvidenceItem(.expected, "\(at): rx = \"\(rx)\""),
                    EvidenceItem(.advertised, "\(p.label) rx filters: \(caps.rxFilters.joined(separator: " "))")
                ])
        }
        switch planned {
        case .success(let plan) where !plan.isNoOp:
            add(
                .expectationNotMet, .error, itf.name, "not as \(at) expects: " + differences(plan).joined(separator: "; "),
                [EvidenceItem(.expected, "\(at): \(entry.label)"), EvidenceItem(.active, ShowLabels.config(act, itf))],
                remedy: "tsctl apply \(input.expectations!.file)")
        default:
            break
        }
    }

    /// What apply would change, one item per setting.
    func differences(_ plan: InterfacePlan) -> [String] {
        var out: [String] = []
        let c = plan.current, t = plan.target
        if plan.change?.provider != nil, let p = t.provider {
            out.append("source \(p.label) ptp\(p.phcIndex), active \(c.provider.map { "\($0.label) ptp\($0.phcIndex)" } ?? "unknown")")
        }
        if plan.change?.txType != nil, t.txType != c.txType { out.append("tx \(t.txType ?? "?"), active \(c.txType ?? "?")") }
        if plan.change?.rxFilter != nil, t.rxFilter != c.rxFilter { out.append("rx \(t.rxFilter ?? "?"), active \(c.rxFilter ?? "?")") }
        if plan.change?.flags != nil, Set(t.flags ?? []) != Set(c.flags ?? []) {
            out.append("flags [\((t.flags ?? []).joined(separator: ","))], active [\((c.flags ?? []).joined(separator: ","))]")
        }
        return out.isEmpty ? [plan.changeDescription] : out
    }

    func targetProvider(_ d: Desired, _ itf: InterfaceSnapshot) -> Provider? {
        if let spec = d.source, case .success(let p) = spec.resolve(in: itf, qualifier: d.qualifier) { return p }
        return itf.providers.first { $0.active }
    }
}
