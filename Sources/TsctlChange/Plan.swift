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
    /// The interface's index when it was planned: the request goes by it.
    public var ifindex: Int
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

    public var ref: InterfaceRef { InterfaceRef(ifindex: ifindex, name: interface) }

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
    /// One interface: resolve the provider, route the request (TSCONFIG_SET, the
    /// ioctl, or a refusal), carry what the kernel would reset, refuse what the
    /// provider cannot do, encode the one request, and make sure a failure could
    /// be rolled back. A no-op is left untouched.
    /// `kernel`: the running kernel's features and release (the release says
    /// whose answer an ioctl read is: LayerAttribution.ioctlAnswerer).
    public static func plan(_ itf: InterfaceSnapshot, _ desired: Desired, kernel: KernelInfo) -> Result<InterfacePlan, PlanError> {
        let input = PlanInput(itf, desired, kernel: kernel)
        do {
            let route = try route(input, wanted: try resolveProvider(input))
            let settings = try carryOver(input, route)
            let capabilityNotes = try checkCapabilities(input, route, settings)
            let current = input.current
            let target = Config(
                provider: route.target, txType: settings.tx ?? current.txType, rxFilter: settings.rx ?? current.rxFilter,
                flags: desired.flags ?? current.flags)
            let change = try encode(input, route, settings, target: target)
            let rollbackNotes = try checkRollback(input, settings, change)
            return .success(
                InterfacePlan(
                    interface: itf.name, ifindex: itf.ifindex, current: current, currentKnown: input.known, target: target,
                    change: change == ConfigChange() ? nil : change, viaIoctl: route.viaIoctl,
                    notes: route.notes + settings.notes + capabilityNotes + rollbackNotes,
                    advertisedBefore: itf.advertised?.phcIndex))
        } catch {
            return .failure(error)
        }
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
