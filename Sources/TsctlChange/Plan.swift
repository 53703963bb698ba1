public import TsctlModel

/// A configuration as tsctl compares them: provider (when known), tx, rx, flags.
public struct Config: Equatable, Sendable, CustomStringConvertible {
    public var provider: Provider?
    public var txType: TxType?
    public var rxFilter: RxFilter?
    public var flags: [HwtstampFlag]?

    public init(provider: Provider?, txType: TxType?, rxFilter: RxFilter?, flags: [HwtstampFlag]?) {
        self.provider = provider
        self.txType = txType
        self.rxFilter = rxFilter
        self.flags = flags
    }

    public var description: String {
        var parts: [String] = []
        if let p = provider { parts.append("\(p.label) ptp\(p.phcIndex)") }
        parts.append("tx \(txType ?? "?")")
        parts.append("rx \(rxFilter ?? "?")")
        if let f = flags, !f.isEmpty { parts.append("flags \(f.joined(separator: ","))") }
        return parts.joined(separator: ", ")
    }
}

/// Desired minus current for one interface.
public struct InterfacePlan: Equatable, Sendable {
    public var interface: String
    /// What is configured now (provider nil when the kernel cannot say).
    public var current: Config
    /// True when `current` was read from the kernel (else it is unknown).
    public var currentKnown: Bool
    /// What it will be.
    public var target: Config
    /// The one request that gets there; nil when there is nothing to do.
    public var change: ConfigChange?
    /// Before 6.14: tx/rx go through SIOCSHWTSTAMP instead of TSCONFIG_SET.
    public var viaIoctl: Bool
    /// What the user should know (carried-over settings, a reset risk).
    public var notes: [String]
    /// The PHC advertised before the change: after a failure it tells whether
    /// the kernel switched anyway, when the config cannot be read back.
    public var advertisedBefore: Int?

    public var isNoOp: Bool { change == nil }

    public var request: ChangeRequest { viaIoctl ? .ioctl : .tsconfigSet }

    /// The exact request, in words.
    public var changeDescription: String {
        guard let c = change else { return "nothing to change (\(current))" }
        var parts: [String] = []
        if let p = c.provider { parts.append("provider {phc \(p.phcIndex), \(p.qualifier.name)}") }
        if let t = c.txType { parts.append("tx \(t)") }
        if let r = c.rxFilter { parts.append("rx \(r)") }
        if let f = c.flags { parts.append("flags [\(f)]") }
        let before = currentKnown ? current.description : "current config unknown"
        return "\(before) -> \(target) (one \(request.rawValue): \(parts.joined(separator: ", ")))"
    }
}

public struct PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case noSuchInterface, noSuchProvider, notSupported, needsConfig
        /// Two entries of a file match one interface (the file is invalid).
        case conflict
        /// A glob or driver entry matches no interface (and is not optional).
        case noMatch
    }
    public var kind: Kind
    public var interface: String?
    public var message: String
    public var description: String { message }
}

/// The first of tx, rx and flags that tsctl's tables cannot turn into the
/// kernel's number (a newer kernel may report names tsctl does not know):
/// such a value is kept and shown, never sent as 0 (off, none).
func unknownName(tx: TxType?, rx: RxFilter?, flags: [HwtstampFlag]?) -> String? {
    tx?.problem ?? rx?.problem ?? flags?.lazy.compactMap(\.problem).first
}

/// Does rx filter `actual` (what the driver chose) give at least what `wanted` asks?
/// Drivers may widen a filter (mvpp2 answers any PTP filter with "all").
public func rxCovers(_ actual: RxFilter?, _ wanted: RxFilter) -> Bool {
    guard let actual else { return false }
    // "none" asks for no receive timestamps: only "none" gives that.
    if actual == wanted { return true }
    if wanted == "none" || actual == "none" { return false }
    if actual == "all" { return true }
    for family in ["ptpv2-l2-", "ptpv2-l4-", "ptpv1-l4-"] where wanted.name.hasPrefix(family) {
        if actual.name == family + "event" { return true }
    }
    return actual == "ptpv2-event" && wanted.name.hasPrefix("ptpv2-")
}

public enum Planner {
    /// One interface: resolve the provider, carry what the kernel would reset,
    /// refuse what the provider cannot do, and leave a no-op untouched.
    /// `kernel`: the running kernel's features and release (the release says
    /// whose answer an ioctl read is: LayerAttribution.ioctlAnswerer).
    public static func plan(_ itf: InterfaceSnapshot, _ desired: Desired, kernel: KernelInfo) -> Result<InterfacePlan, PlanError> {
        let features = kernel.features
        func fail(_ k: PlanError.Kind, _ m: String) -> Result<InterfacePlan, PlanError> {
            .failure(PlanError(kind: k, interface: itf.name, message: m))
        }
        let act = itf.active
        // A configuration read through SIOCGHWTSTAMP names no clock; before 6.19
        // only a MAC driver answers it, and that driver is the one SIOCSHWTSTAMP
        // configures, whatever TSINFO advertises (6.1: the PHY).
        let ioctlTaker = LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release)
        let currentProvider = itf.providers.first { $0.active } ?? ioctlTaker
        let known = act.isConfigured
        let current = Config(
            provider: currentProvider, txType: known ? act.txType : nil,
            rxFilter: known ? act.rxFilter : nil, flags: known ? act.flags : nil)
        var notes: [String] = []

        // The provider wanted.
        var wanted: Provider?
        if let spec = desired.source {
            switch spec.resolve(in: itf, qualifier: desired.qualifier) {
            case .success(let p): wanted = p
            case .failure(let e): return fail(.noSuchProvider, e.description)
            }
        } else if let q = desired.qualifier {
            guard let cur = currentProvider ?? itf.providers.first(where: { $0.advertised }) else {
                return fail(.needsConfig, "\(itf.displayName): --qualifier needs --source (the current provider is unknown)")
            }
            switch (cur.layer == .mac ? SourceSpec.mac : .phy(cur.phyIndex)).resolve(in: itf, qualifier: q) {
            case .success(let p): wanted = p
            case .failure(let e): return fail(.noSuchProvider, e.description)
            }
        }
        if desired.require && wanted == nil && itf.providers.isEmpty {
            let what = itf.stacking.map { " (a \($0))" } ?? ""
            return fail(.noSuchProvider, "\(itf.displayName)\(what) has no hardware timestamp provider (require = true)")
        }

        // A driver that refuses TSCONFIG but answered SIOCGHWTSTAMP (unconverted, up to
        // 6.19) is set the way it was read, through the ioctl: tx/rx only.
        let legacyDriver = features.tsconfig && act.readVia == .ioctl && known
        let viaIoctl = !features.tsconfig || legacyDriver
        if viaIoctl, let w = wanted, let taker = ioctlTaker, w != taker {
            let driver = itf.driver.map { " (\($0))" } ?? ""
            return fail(
                .notSupported,
                "\(itf.displayName): on this kernel SIOCSHWTSTAMP configures the MAC: its driver\(driver) answered "
                    + "SIOCGHWTSTAMP, which no PHY driver can before Linux 6.19, so it keeps the configuration for its own clock "
                    + "ptp\(taker.phcIndex); \(w.label) ptp\(w.phcIndex) cannot be configured here (`tsctl probe` shows which clock "
                    + "stamps); give --source \(taker.label), or leave out --source, to set tx/rx")
        }
        if legacyDriver, let w = wanted, w != ioctlTaker {
            let driver = itf.driver.map { " (\($0))" } ?? ""
            return fail(
                .notSupported,
                "\(itf.displayName): its driver\(driver) does not take TSCONFIG on this kernel, only the legacy "
                    + "SIOCSHWTSTAMP, so the timestamp provider cannot be chosen (\(w.label) ptp\(w.phcIndex) asked); "
                    + "leave out --source and --qualifier to set tx/rx")
        }
        if viaIoctl, let w = wanted, !w.advertised, w != ioctlTaker {
            return fail(
                .notSupported,
                "\(itf.displayName): this kernel cannot select the timestamp provider: its ethtool netlink family has no TSCONFIG_SET (Linux 6.14 added it); \(w.label) ptp\(w.phcIndex) cannot be chosen here"
            )
        }
        // Re-selecting the active provider resets it in the kernel: only a real switch is sent.
        let switching: Bool
        if viaIoctl {
            switching = false
        } else if let w = wanted {
            if let cur = currentProvider {
                switching = cur != w
            } else {
                switching = true
                notes.append(
                    "the active provider cannot be read, so \(w.label) is selected explicitly; the kernel then starts it from tx off, rx none"
                )
            }
        } else {
            switching = false
        }
        let targetProvider = wanted ?? currentProvider

        // tx/rx: what the user said, else what is set now (a switch or an unreadable
        // config would otherwise leave them off).
        var tx = desired.txType, rx = desired.rxFilter
        if switching || !known {
            if tx == nil, let t = current.txType { tx = t; notes.append("tx \(t) carried over") }
            if rx == nil, let r = current.rxFilter { rx = r; notes.append("rx \(r) carried over") }
            if (tx == nil) != (rx == nil) || (switching && tx == nil) {
                let why =
                    switching
                    ? "switching provider turns timestamping off unless the same request sets tx and rx"
                    : "the current configuration cannot be read back, so the kernel would reset what is not given"
                if tx == nil && rx == nil && !switching {
                    // Nothing to set at all: fine.
                } else {
                    return fail(.needsConfig, "\(itf.displayName): \(why); give both --tx and --rx")
                }
            }
        }
        // A value carried over from the current configuration is said to be one:
        // the user did not ask for it.
        let txSaid = desired.txType == nil ? " (carried over from the current configuration; give --tx)" : ""
        let rxSaid = desired.rxFilter == nil ? " (carried over from the current configuration; give --rx)" : ""
        if let caps = targetProvider?.capabilities {
            if let t = tx, !caps.txTypes.contains(t) {
                return fail(
                    .notSupported,
                    "\(itf.displayName): tx \(t)\(txSaid) is not supported by \(targetProvider!.label) ptp\(targetProvider!.phcIndex) (it supports \(caps.txTypes.joined(separator: ", ")))"
                )
            }
            if let r = rx, !caps.rxFilters.contains(r), let wider = caps.rxFilters.first(where: { rxCovers($0, r) }) {
                notes.append("\(targetProvider!.label) does not list rx \(r); its driver may widen it to \(wider)")
            } else if let r = rx, !caps.rxFilters.contains(r) {
                return fail(
                    .notSupported,
                    "\(itf.displayName): rx \(r)\(rxSaid) is not supported by \(targetProvider!.label) ptp\(targetProvider!.phcIndex) (it supports \(caps.rxFilters.joined(separator: ", ")))"
                )
            }
        } else if targetProvider == nil && (tx != nil || rx != nil) && !itf.hasHardwareProvider {
            if let st = itf.stacking, let below = itf.timestampingFrom {
                return fail(
                    .noSuchProvider,
                    "\(itf.displayName) is a \(st) and has no hardware timestamp provider of its own; "
                        + "its timestamps come from \(InterfaceName.display(below)): configure \(InterfaceName.display(below))")
            }
            return fail(.noSuchProvider, "\(itf.displayName) has no hardware timestamp provider to configure")
        }
        let target = Config(
            provider: targetProvider, txType: tx ?? current.txType, rxFilter: rx ?? current.rxFilter,
            flags: desired.flags ?? current.flags)

        // What would be sent, and what a rollback would send back, must have numbers.
        if let u = unknownName(tx: tx, rx: rx, flags: desired.flags) {
            return fail(.notSupported, "\(itf.displayName): the \(u) cannot be sent: tsctl does not know its number; give --tx and --rx")
        }
        var change = ConfigChange()
        if switching, let w = wanted { change.provider = .init(phcIndex: w.phcIndex, qualifier: w.qualifier) }
        let sendAll = switching || !known
        if let t = tx, sendAll || t != current.txType { change.txType = t.numbered }
        if let r = rx, sendAll || !rxCovers(current.rxFilter, r) { change.rxFilter = r.numbered }
        if let f = desired.flags, sendAll || Set(f) != Set(current.flags ?? []) { change.flags = HwtstampFlags(f) }
        if viaIoctl, change != ConfigChange() {
            // SIOCSHWTSTAMP always carries all three.
            guard let t = target.txType, let r = target.rxFilter else {
                return fail(
                    .needsConfig,
                    "\(itf.displayName): SIOCSHWTSTAMP sets tx and rx together and the current values cannot be read; give both --tx and --rx"
                )
            }
            guard let ti = t.numbered, let ri = r.numbered, let fb = HwtstampFlags(target.flags ?? []) else {
                return fail(
                    .notSupported,
                    "\(itf.displayName): the current \(unknownName(tx: t, rx: r, flags: target.flags) ?? "value") cannot be sent back with SIOCSHWTSTAMP: tsctl does not know its number; give --tx and --rx"
                )
            }
            change.txType = ti
            change.rxFilter = ri
            change.flags = change.flags ?? fb
        }
        if known, change != ConfigChange(),
            let u = unknownName(tx: current.txType, rx: current.rxFilter, flags: current.flags)
        {
            return fail(
                .notSupported,
                "\(itf.displayName): its current \(u) could not be restored if the change failed: tsctl does not know its number; nothing was changed"
            )
        }
        if change != ConfigChange(), let why = stackedRefusal(itf) {
            return fail(.notSupported, why)
        }
        if !known && change != ConfigChange() {
            notes.append("its configuration cannot be read back, so if the change fails it cannot be rolled back")
        }
        if known, let r = rx, r != current.rxFilter, rxCovers(current.rxFilter, r), change.rxFilter == nil {
            notes.append("rx \(current.rxFilter!) already covers \(r)")
        }
        return .success(
            InterfacePlan(
                interface: itf.name, current: current, currentKnown: known, target: target,
                change: change == ConfigChange() ? nil : change, viaIoctl: viaIoctl, notes: notes,
                advertisedBefore: itf.advertised?.phcIndex))
    }

    /// A whole desired-state file against a snapshot: every problem at once,
    /// so nothing is changed unless everything can be.
    public static func plan(_ state: DesiredState, _ snap: Snapshot) -> (plans: [InterfacePlan], errors: [PlanError]) {
        var plans: [InterfacePlan] = []
        var errors: [PlanError] = []
        let a = state.assign(snap.interfaces)
        for entry in a.unmatched {
            errors.append(
                PlanError(
                    kind: entry.isGlob ? .noMatch : .noSuchInterface, interface: entry.name,
                    message: entry.unmatchedMessage(state.file)))
        }
        for c in a.conflicts {
            errors.append(PlanError(kind: .conflict, interface: c.interface, message: c.description))
        }
        let conflicted = Set(a.conflicts.map(\.interface))
        for (entry, itf) in a.pairs where !conflicted.contains(itf.name) {
            switch plan(itf, entry.desired, kernel: snap.kernel) {
            case .success(let p): plans.append(p)
            case .failure(var e):
                e.message = "\(state.file):\(entry.position.line): \(e.message)"
                errors.append(e)
            }
        }
        return (plans, errors)
    }
}

/// Why a change to a stacked device is not sent: on this kernel a TSCONFIG request
/// to it can crash the kernel (CVE-2025-40255), which is why it was read through
/// the device below it. nil when it may be sent.
func stackedRefusal(_ itf: InterfaceSnapshot) -> String? {
    guard itf.active.readFrom != nil || itf.active.unavailable == .stackedLowerUnknown else { return nil }
    let below = itf.active.readFrom.map { "; configure \($0) instead" } ?? ""
    return
        "\(itf.displayName) is a \(itf.stacking ?? itf.kind ?? "stacked device"): on this kernel a timestamping request to a stacked device "
        + "can crash it (CVE-2025-40255), so tsctl does not send one\(below)"
}
