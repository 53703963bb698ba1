public import TsctlModel

/// What happened to one interface.
public struct ApplyOutcome: Equatable, Sendable {
    public enum State: String, Sendable {
        case unchanged, applied, unverified, failed, rolledBack = "rolled-back", rollbackFailed = "rollback-failed"
    }
    public var interface: String
    public var state: State
    public var message: String
    /// The configuration read back at the end, when it could be read (set/apply --json's `after`).
    public var after: Config? = nil
    /// The same, as the text line shows it.
    public var final: String? { after?.description }
}

/// Sends plans to the kernel, verifies by reading back, and undoes what
/// failed. No notification tells anyone of a change: reading back is the only proof.
public final class Applier {
    let kernel: any KernelWriter

    public init(kernel: any KernelWriter) {
        self.kernel = kernel
    }

    public enum Failure: Error, Equatable {
        /// The kernel refused the request.
        case kernel(KernelFailure)
        /// It was sent, but the interface is not as asked (or is gone).
        case verification(String)

        public var text: String {
            switch self {
            case .kernel(let e): return e.message
            case .verification(let s): return s
            }
        }
        /// What the kernel's refusal means; nil for a verification failure.
        public var kind: FailureKind? {
            if case .kernel(let e) = self { return e.kind }
            return nil
        }
    }

    /// Sends the plan's one request, then reads back and compares.
    public func apply(_ plan: InterfacePlan) -> Result<ApplyOutcome, Failure> {
        guard let change = plan.change else {
            return .success(
                ApplyOutcome(
                    interface: plan.interface, state: .unchanged, message: "already as asked", after: plan.current))
        }
        switch kernel.send(change, to: plan.ref, via: plan.request) {
        case .success(let reply): return verify(plan, reply: reply)
        case .failure(let e): return .failure(.kernel(e))
        }
    }

    func verify(_ plan: InterfacePlan, reply: ActiveConfig?) -> Result<ApplyOutcome, Failure> {
        let now: InterfaceSnapshot
        switch kernel.reread(plan.ref) {
        case .success(let s): now = s
        case .failure(let e) where e.kind == .noSuchDevice:
            return .failure(.verification("\(InterfaceName.display(plan.interface)) disappeared while it was being configured"))
        case .failure(let e):
            // Not verified: the read failed (ENOBUFS, EPERM, ...), not the change.
            return .failure(
                .verification("\(InterfaceName.display(plan.interface)): the read that verifies the change failed: \(e.message)"))
        }
        let act = now.active
        var got: (phc: Int?, q: Qualifier?, tx: TxType?, rx: RxFilter?, flags: [HwtstampFlag]?)
        var source = "read back"
        if act.isConfigured {
            got = (act.phcIndex, act.qualifier, act.txType, act.rxFilter, act.flags)
        } else if let r = reply {
            // A PHY provider before 6.19 cannot be read back; the SET reply (6.18+) says what was set.
            got = (r.phcIndex, r.qualifier, r.txType, r.rxFilter, r.flags)
            source = "TSCONFIG_SET reply"
        } else {
            let adv = now.advertised
            if let p = plan.target.provider, !plan.viaIoctl, adv?.phcIndex != p.phcIndex {
                return .failure(
                    .verification(
                        "\(InterfaceName.display(plan.interface)): the kernel advertises ptp\(adv?.phcIndex.map(String.init) ?? "-") after selecting \(p.label) ptp\(p.phcIndex)"
                    ))
            }
            return .success(
                ApplyOutcome(
                    interface: plan.interface, state: .unverified,
                    message:
                        "unverified: the configuration cannot be read back (\(act.unavailable?.rawValue ?? "?")); the advertised provider matches"
                ))
        }
        var wrong: [String] = []
        if let p = plan.target.provider, got.phc != nil, got.phc != p.phcIndex || got.q != p.qualifier {
            wrong.append("provider is ptp\(got.phc!) \(got.q?.name ?? ""), not \(p.label) ptp\(p.phcIndex)")
        }
        if let t = plan.target.txType, got.tx != t { wrong.append("tx is \(got.tx ?? "?"), not \(t)") }
        if let r = plan.target.rxFilter, !rxCovers(got.rx, r) { wrong.append("rx is \(got.rx ?? "?"), not \(r)") }
        if let f = plan.target.flags, let g = got.flags, Set(f) != Set(g) {
            wrong.append("flags are [\(g.joined(separator: ","))], not [\(f.joined(separator: ","))]")
        }
        if !wrong.isEmpty {
            return .failure(
                .verification("\(InterfaceName.display(plan.interface)): after the change (\(source)) " + wrong.joined(separator: "; ")))
        }
        // The caller says "applied"; this says how it was proven.
        var msg = plan.viaIoctl ? "through SIOCSHWTSTAMP, verified by \(source) (SIOCGHWTSTAMP)" : "verified by \(source)"
        // Only a filter that was sent was chosen by the driver (one already covered was not sent).
        if plan.change?.rxFilter != nil, let r = plan.target.rxFilter, got.rx != r {
            msg += "; the driver chose rx \(got.rx ?? "?") for \(r)"
        }
        let final = Config(
            provider: now.providers.first { $0.phcIndex == got.phc && $0.qualifier == got.q },
            txType: got.tx, rxFilter: got.rx, flags: got.flags)
        return .success(ApplyOutcome(interface: plan.interface, state: .applied, message: msg, after: final))
    }

    /// Whether the interface is no longer as `plan.current` was, after a request
    /// that failed: the kernel switches the provider before the driver refuses
    /// the config (7.2), leaving the new one selected with timestamping off.
    public func changed(since plan: InterfacePlan) -> Bool {
        let now: InterfaceSnapshot
        switch kernel.reread(plan.ref) {
        case .success(let s): now = s
        // Gone: there is nothing left to put back.
        case .failure(let e) where e.kind == .noSuchDevice: return false
        case .failure: return true
        }
        if plan.currentKnown, now.active.isConfigured {
            let p = plan.current.provider
            return (p != nil && (now.active.phcIndex != p!.phcIndex || now.active.qualifier != p!.qualifier))
                || now.active.txType != plan.current.txType || now.active.rxFilter != plan.current.rxFilter
        }
        // Unreadable: the advertised provider follows the selection.
        return plan.change?.provider != nil && now.advertised?.phcIndex != plan.advertisedBefore
    }

    /// Puts an interface back as `plan.current` says it was.
    public func rollback(_ plan: InterfacePlan) -> Result<ApplyOutcome, Failure> {
        guard plan.currentKnown, let tx = plan.current.txType, let rx = plan.current.rxFilter else {
            return .failure(
                .verification(
                    "\(InterfaceName.display(plan.interface)): its previous configuration was never readable, so it cannot be restored"))
        }
        // Never 0 (off, none) for a name tsctl cannot number: the planner refuses
        // such changes, and this says so should one get here.
        guard let ti = tx.numbered, let ri = rx.numbered, let fb = HwtstampFlags(plan.current.flags ?? []) else {
            let u = unknownName(tx: tx, rx: rx, flags: plan.current.flags) ?? "value"
            return .failure(
                .verification(
                    "\(InterfaceName.display(plan.interface)): its previous \(u) cannot be sent back: tsctl does not know its number"))
        }
        var change = ConfigChange(txType: ti, rxFilter: ri, flags: fb)
        if let p = plan.current.provider, plan.change?.provider != nil {
            change.provider = .init(phcIndex: p.phcIndex, qualifier: p.qualifier)
        }
        let back = InterfacePlan(
            interface: plan.interface, ifindex: plan.ifindex, current: plan.target, currentKnown: false, target: plan.current,
            change: change, viaIoctl: plan.viaIoctl, notes: [], advertisedBefore: nil)
        return apply(back).map { o in
            ApplyOutcome(interface: o.interface, state: .rolledBack, message: o.message, after: o.after)
        }
    }
}
