import TsctlModel

// The planner's steps, in order. Each is a pure function of what the steps
// before it decided; each refuses with the message a user reads.

/// What the planner reads off one interface before deciding anything.
struct PlanInput {
    var itf: InterfaceSnapshot
    var desired: Desired
    var features: KernelFeatures
    /// Whose answer a SIOCGHWTSTAMP read is: before 6.19 only a MAC driver answers
    /// it, and that driver is the one SIOCSHWTSTAMP configures, whatever TSINFO
    /// advertises (6.1: the PHY).
    var ioctlTaker: Provider?
    /// What is configured now; tx/rx/flags only when the kernel could say.
    var current: Config
    /// True when the active configuration was read from the kernel.
    var known: Bool

    init(_ itf: InterfaceSnapshot, _ desired: Desired, kernel: KernelInfo) {
        self.itf = itf
        self.desired = desired
        features = kernel.features
        ioctlTaker = LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release)
        let act = itf.active
        known = act.isConfigured
        current = Config(
            provider: itf.providers.first { $0.active } ?? ioctlTaker, txType: known ? act.txType : nil,
            rxFilter: known ? act.rxFilter : nil, flags: known ? act.flags : nil)
    }

    func refusal(_ kind: PlanError.Kind, _ message: String) -> PlanError {
        PlanError(kind: kind, interface: itf.name, message: message)
    }
}

/// How the request travels and which provider it leaves active.
struct PlanRoute: Equatable {
    /// The provider asked for (--source, --qualifier); nil: keep the current one.
    var wanted: Provider?
    /// Before 6.14, or a driver that refuses TSCONFIG: SIOCSHWTSTAMP, tx/rx only.
    var viaIoctl: Bool
    /// A real switch of provider (re-selecting the active one would reset it).
    var switching: Bool
    /// The provider the configuration is for: the one wanted, else the current one.
    var target: Provider?
    var notes: [String] = []
}

/// tx and rx as the request will set them.
struct PlanSettings: Equatable {
    var tx: TxType?
    var rx: RxFilter?
    var notes: [String] = []
}

extension Planner {
    /// The provider wanted: --source, or the current provider's layer with --qualifier.
    static func resolveProvider(_ input: PlanInput) throws(PlanError) -> Provider? {
        let itf = input.itf, desired = input.desired
        var wanted: Provider?
        if let spec = desired.source {
            switch spec.resolve(in: itf, qualifier: desired.qualifier) {
            case .success(let p): wanted = p
            case .failure(let e): throw input.refusal(.noSuchProvider, e.description)
            }
        } else if let q = desired.qualifier {
            guard let cur = input.current.provider ?? itf.providers.first(where: { $0.advertised }) else {
                throw input.refusal(.needsConfig, "\(itf.displayName): --qualifier needs --source (the current provider is unknown)")
            }
            switch (cur.layer == .mac ? SourceSpec.mac : .phy(cur.phyIndex)).resolve(in: itf, qualifier: q) {
            case .success(let p): wanted = p
            case .failure(let e): throw input.refusal(.noSuchProvider, e.description)
            }
        }
        if desired.require && wanted == nil && itf.providers.isEmpty {
            let what = itf.stacking.map { " (a \($0))" } ?? ""
            throw input.refusal(.noSuchProvider, "\(itf.displayName)\(what) has no hardware timestamp provider (require = true)")
        }
        return wanted
    }

    /// TSCONFIG_SET, or SIOCSHWTSTAMP (before 6.14, or a driver that refuses TSCONFIG
    /// but answered SIOCGHWTSTAMP: unconverted, up to 6.19), or a refusal when the
    /// provider wanted cannot be reached that way.
    static func route(_ input: PlanInput, wanted: Provider?) throws(PlanError) -> PlanRoute {
        let itf = input.itf
        let legacyDriver = input.features.tsconfig && itf.active.readVia == .ioctl && input.known
        let viaIoctl = !input.features.tsconfig || legacyDriver
        let driver = itf.driver.map { " (\($0))" } ?? ""
        if viaIoctl, let w = wanted, let taker = input.ioctlTaker, w != taker {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): on this kernel SIOCSHWTSTAMP configures the MAC: its driver\(driver) answered "
                    + "SIOCGHWTSTAMP, which no PHY driver can before Linux 6.19, so it keeps the configuration for its own clock "
                    + "ptp\(taker.phcIndex); \(w.label) ptp\(w.phcIndex) cannot be configured here (`tsctl probe` shows which clock "
                    + "stamps); give --source \(taker.label), or leave out --source, to set tx/rx")
        }
        if legacyDriver, let w = wanted, w != input.ioctlTaker {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): its driver\(driver) does not take TSCONFIG on this kernel, only the legacy "
                    + "SIOCSHWTSTAMP, so the timestamp provider cannot be chosen (\(w.label) ptp\(w.phcIndex) asked); "
                    + "leave out --source and --qualifier to set tx/rx")
        }
        if viaIoctl, let w = wanted, !w.advertised, w != input.ioctlTaker {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): this kernel cannot select the timestamp provider: its ethtool netlink family has no TSCONFIG_SET (Linux 6.14 added it); \(w.label) ptp\(w.phcIndex) cannot be chosen here"
            )
        }
        var route = PlanRoute(wanted: wanted, viaIoctl: viaIoctl, switching: false, target: wanted ?? input.current.provider)
        // Re-selecting the active provider resets it in the kernel: only a real switch is sent.
        if !viaIoctl, let w = wanted {
            route.switching = input.current.provider.map { $0 != w } ?? true
            if input.current.provider == nil {
                route.notes.append(
                    "the active provider cannot be read, so \(w.label) is selected explicitly; the kernel then starts it from tx off, rx none"
                )
            }
        }
        return route
    }

    /// tx/rx: what the user said, else what is set now (a switch or an unreadable
    /// config would otherwise leave them off).
    static func carryOver(_ input: PlanInput, _ route: PlanRoute) throws(PlanError) -> PlanSettings {
        var s = PlanSettings(tx: input.desired.txType, rx: input.desired.rxFilter)
        guard route.switching || !input.known else { return s }
        if s.tx == nil, let t = input.current.txType {
            s.tx = t
            s.notes.append("tx \(t) carried over")
        }
        if s.rx == nil, let r = input.current.rxFilter {
            s.rx = r
            s.notes.append("rx \(r) carried over")
        }
        let partial = (s.tx == nil) != (s.rx == nil)
        // Nothing to set at all, on an unreadable config without a switch: fine.
        if partial || (route.switching && s.tx == nil) {
            let why =
                route.switching
                ? "switching provider turns timestamping off unless the same request sets tx and rx"
                : "the current configuration cannot be read back, so the kernel would reset what is not given"
            throw input.refusal(.needsConfig, "\(input.itf.displayName): \(why); give both --tx and --rx")
        }
        return s
    }

    /// Refuses a tx type or rx filter the target provider does not advertise (an rx
    /// filter a wider one covers is noted: the driver may widen it), and tx/rx for
    /// an interface without a provider.
    static func checkCapabilities(_ input: PlanInput, _ route: PlanRoute, _ s: PlanSettings) throws(PlanError) -> [String] {
        let itf = input.itf
        guard let target = route.target, let caps = target.capabilities else {
            guard route.target == nil && (s.tx != nil || s.rx != nil) && !itf.hasHardwareProvider else { return [] }
            if let st = itf.stacking, let below = itf.timestampingFrom {
                throw input.refusal(
                    .noSuchProvider,
                    "\(itf.displayName) is a \(st) and has no hardware timestamp provider of its own; "
                        + "its timestamps come from \(InterfaceName.display(below)): configure \(InterfaceName.display(below))")
            }
            throw input.refusal(.noSuchProvider, "\(itf.displayName) has no hardware timestamp provider to configure")
        }
        // A value carried over from the current configuration is said to be one:
        // the user did not ask for it.
        let txSaid = input.desired.txType == nil ? " (carried over from the current configuration; give --tx)" : ""
        let rxSaid = input.desired.rxFilter == nil ? " (carried over from the current configuration; give --rx)" : ""
        let by = "\(target.label) ptp\(target.phcIndex)"
        if let t = s.tx, !caps.txTypes.contains(t) {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): tx \(t)\(txSaid) is not supported by \(by) (it supports \(caps.txTypes.joined(separator: ", ")))")
        }
        guard let r = s.rx, !caps.rxFilters.contains(r) else { return [] }
        if let wider = caps.rxFilters.first(where: { rxCovers($0, r) }) {
            return ["\(target.label) does not list rx \(r); its driver may widen it to \(wider)"]
        }
        throw input.refusal(
            .notSupported,
            "\(itf.displayName): rx \(r)\(rxSaid) is not supported by \(by) (it supports \(caps.rxFilters.joined(separator: ", ")))")
    }

    /// The one request, in numbers: only what differs (all of it after a switch or
    /// an unreadable config; all three for SIOCSHWTSTAMP). What has no number is refused.
    static func encode(_ input: PlanInput, _ route: PlanRoute, _ s: PlanSettings, target: Config) throws(PlanError) -> ConfigChange {
        let itf = input.itf, current = input.current, flags = input.desired.flags
        if let u = unknownName(tx: s.tx, rx: s.rx, flags: flags) {
            throw input.refusal(
                .notSupported, "\(itf.displayName): the \(u) cannot be sent: tsctl does not know its number; give --tx and --rx")
        }
        var change = ConfigChange()
        if route.switching, let w = route.wanted { change.provider = .init(phcIndex: w.phcIndex, qualifier: w.qualifier) }
        let sendAll = route.switching || !input.known
        if let t = s.tx, sendAll || t != current.txType { change.txType = t.numbered }
        if let r = s.rx, sendAll || !rxCovers(current.rxFilter, r) { change.rxFilter = r.numbered }
        if let f = flags, sendAll || Set(f) != Set(current.flags ?? []) { change.flags = HwtstampFlags(f) }
        guard route.viaIoctl, change != ConfigChange() else { return change }
        // SIOCSHWTSTAMP always carries all three.
        guard let t = target.txType, let r = target.rxFilter else {
            throw input.refusal(
                .needsConfig,
                "\(itf.displayName): SIOCSHWTSTAMP sets tx and rx together and the current values cannot be read; give both --tx and --rx")
        }
        guard let ti = t.numbered, let ri = r.numbered, let fb = HwtstampFlags(target.flags ?? []) else {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): the current \(unknownName(tx: t, rx: r, flags: target.flags) ?? "value") cannot be sent back with SIOCSHWTSTAMP: tsctl does not know its number; give --tx and --rx"
            )
        }
        change.txType = ti
        change.rxFilter = ri
        change.flags = change.flags ?? fb
        return change
    }

    /// A change is sent only when a failure could put the interface back (its
    /// current values have numbers) and the device may be asked at all.
    static func checkRollback(_ input: PlanInput, _ s: PlanSettings, _ change: ConfigChange) throws(PlanError) -> [String] {
        let itf = input.itf, current = input.current, sending = change != ConfigChange()
        if input.known, sending, let u = unknownName(tx: current.txType, rx: current.rxFilter, flags: current.flags) {
            throw input.refusal(
                .notSupported,
                "\(itf.displayName): its current \(u) could not be restored if the change failed: tsctl does not know its number; nothing was changed"
            )
        }
        if sending, let why = stackedRefusal(itf) { throw input.refusal(.notSupported, why) }
        var notes: [String] = []
        if !input.known && sending {
            notes.append("its configuration cannot be read back, so if the change fails it cannot be rolled back")
        }
        if input.known, let r = s.rx, let now = current.rxFilter, r != now, rxCovers(now, r), change.rxFilter == nil {
            notes.append("rx \(now) already covers \(r)")
        }
        return notes
    }
}
