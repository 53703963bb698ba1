import TsctlChange
public import TsctlModel

/// ETHTOOL_GET_TS_INFO as ptp4l reads it.
public struct IoctlView: Equatable, Sendable {
    public var phcIndex: Int?
    public init(phcIndex: Int?) { self.phcIndex = phcIndex }
}

/// Everything the rules look at. Plain values: tests build them by hand.
public struct DiagnosisInput: Sendable {
    public var snapshot: Snapshot
    /// Per interface: what the legacy ioctl reports, or why it could not be read.
    public var ioctl: [NameKey: Result<IoctlView, IoctlFailure>]
    /// nil when /proc could not be scanned.
    public var daemons: [PTPDaemon]?
    /// Processes named like PTP daemons that were not believed, and config files not read.
    public var ignoredDaemons: [IgnoredDaemon] = []
    public var expectations: DesiredState?
    public var baseline: Snapshot?
    /// The user's layer policy (--prefer), over the built-in table.
    public var prefer: Layer?
    /// Probe results (check --probe): which clock really stamped a frame.
    public var observations: [NameKey: Observation] = [:]
    /// The interfaces the user named (nil: all): expectations and the baseline
    /// are judged on these only; the snapshot may also hold the devices below.
    /// Keyed by bytes (NameKey), as every interface-name key.
    public var scope: Set<NameKey>?
    /// What the user needs timestamping for (check --for) on every interface checked;
    /// a desired-state file's `for` adds to it for its interfaces.
    public var uses: [TimestampingUse] = []
    /// Timestamping counters read twice (check --sample), by interface.
    public var statsSamples: [NameKey: TsStatsSample] = [:]

    public init(
        snapshot: Snapshot, ioctl: [NameKey: Result<IoctlView, IoctlFailure>] = [:], daemons: [PTPDaemon]? = [],
        expectations: DesiredState? = nil, baseline: Snapshot? = nil, prefer: Layer? = nil
    ) {
        self.snapshot = snapshot
        self.ioctl = ioctl
        self.daemons = daemons
        self.expectations = expectations
        self.baseline = baseline
        self.prefer = prefer
    }
}

public struct IoctlFailure: Error, Equatable, Sendable {
    public var message: String
    public init(_ m: String) { message = m }
}

public enum Diagnosis {
    public static func run(_ input: DiagnosisInput) -> Report {
        var r = Rules(input: input)
        r.kernelWide()
        for itf in input.snapshot.interfaces { r.interface(itf) }
        r.expectations()
        r.drift()
        return Report(
            interfaces: input.snapshot.interfaces.map(\.name), findings: r.findings, notRun: r.notRun,
            ignored: input.ignoredDaemons)
    }
}

struct Rules {
    let input: DiagnosisInput
    var findings: [Finding] = []
    var notRun: [NotRun] = []

    init(input: DiagnosisInput) { self.input = input }

    var kernel: KernelInfo { input.snapshot.kernel }
    var version: (Int, Int)? { kernelVersion(kernel.release) }
    var before611: Bool { version.map { $0 < (6, 11) } ?? false }

    mutating func add(
        _ c: Check, _ s: Severity, _ itf: String?, _ statement: String, _ evidence: [EvidenceItem] = [],
        remedy: String? = nil
    ) {
        findings.append(Finding(c.rawValue, s, itf, statement, evidence: evidence, remedy: remedy))
    }

    func daemons(using itf: InterfaceSnapshot) -> [PTPDaemon] {
        (input.daemons ?? []).filter { $0.names(itf) }
    }

    var anyHardware: Bool { input.snapshot.interfaces.contains { $0.hasHardwareProvider } }

    // MARK: 8. kernel limits

    mutating func kernelWide() {
        guard anyHardware else { return }
        if !kernel.features.tsconfig {
            add(
                .kernelNoProviderSelection, .info, nil,
                "this kernel cannot select the timestamp provider or list every provider (TSCONFIG needs Linux 6.14); "
                    + "tsctl lists the providers it finds in sysfs without their capabilities",
                [EvidenceItem(.kernel, "release \(kernel.release); the ethtool netlink family has no TSCONFIG_GET/SET")])
        }
        if before611 {
            add(
                .kernelPHYFirstReporting, .info, nil,
                "before Linux 6.11 the kernel reports a timestamping PHY first while SIOCSHWTSTAMP reaches the MAC driver first; "
                    + "what ethtool -T and ptp4l see may not be the layer that stamps packets",
                [EvidenceItem(.kernel, "release \(kernel.release)")])
        }
    }

    // MARK: per interface

    mutating func interface(_ itf: InterfaceSnapshot) {
        stacked(itf)
        guard itf.hasHardwareProvider else { return }
        advertisedVersusActive(itf)
        reportingSplit(itf)
        precision(itf)
        inUse(itf)
        daemonClocks(itf)
        clocks(itf)
        readback(itf)
        txTimestamps(itf)
        clockHealth(itf)
        clockReads(itf)
        uses(itf)
    }

    // 7. stacked devices
    mutating func stacked(_ itf: InterfaceSnapshot) {
        if let lower = itf.lower {
            let l = input.snapshot.interfaces.first { sameName($0.name, lower) }
            // What the kernel answered for the stacked device itself names the layer that
            // stamps its frames (a PHY below included); else what the device below advertises.
            let a = itf.advertised?.phcIndex != nil ? itf.advertised : l?.advertised
            let adv = describe(a?.phcIndex, a?.layer, a?.phyIndex, itf)
            add(
                .stackedDevice, .info, itf.name,
                "\(itf.displayName) is a \(itf.kind ?? "stacked device") on \(InterfaceName.display(lower)): its hardware timestamps come from \(InterfaceName.display(lower)) (\(adv)); check \(InterfaceName.display(lower))",
                [EvidenceItem(.sysfs, "IFLA_LINK of \(itf.displayName) is \(InterfaceName.display(lower))")],
                remedy: l == nil ? "tsctl check \(InterfaceName.shellWord(lower))" : nil)
        }
        if itf.kind == "bond" {
            let slave = itf.bondActiveSlave
            add(
                .stackedDevice, .info, itf.name,
                slave.map {
                    "bond \(itf.displayName) reports its active slave \(InterfaceName.display($0))'s clock; after a failover the PHC changes (ptp4l follows with bonded-phc-index)"
                }
                    ?? "bond \(itf.displayName) has no active slave, so it has no hardware clock to report",
                [
                    EvidenceItem(.sysfs, "active slave: \(slave.map(InterfaceName.display) ?? "none")"),
                    EvidenceItem(.advertised, "PHC \(itf.advertised?.phcIndex.map { "ptp\($0)" } ?? "none")")
                ])
        }
    }

    // 1. advertised vs active, and the ioctl ptp4l reads.
    mutating func advertisedVersusActive(_ itf: InterfaceSnapshot) {
        let adv = itf.advertised
        if itf.active.isConfigured, let aPHC = itf.active.phcIndex, let adv,
            aPHC != adv.phcIndex
                || (adv.qualifier != nil && itf.active.qualifier != adv.qualifier)
        {
            add(
                .advertisedNotActive, .error, itf.name,
                "the kernel advertises \(describe(adv.phcIndex, adv.layer, adv.phyIndex, itf)) but \(describe(aPHC, itf.active.layer, itf.active.phyIndex, itf)) is active: ptp4l disciplines one clock while the other stamps packets",
                [
                    EvidenceItem(.advertised, "TSINFO: PHC \(adv.phcIndex.map(String.init) ?? "none")"),
                    EvidenceItem(.active, "TSCONFIG: PHC \(aPHC) \(itf.active.qualifier?.name ?? "")")
                ],
                remedy: setCommand(itf, to: itf.providers.first { $0.phcIndex == aPHC }))
        }
        switch input.ioctl[itf.key] {
        case .success(let v)?:
            if let adv, v.phcIndex != adv.phcIndex {
                add(
                    .advertisedNotActive, .error, itf.name,
                    "ETHTOOL_GET_TS_INFO (what ptp4l reads) names \(v.phcIndex.map { "ptp\($0)" } ?? "no PHC") but ethtool netlink advertises \(adv.phcIndex.map { "ptp\($0)" } ?? "no PHC")",
                    [
                        EvidenceItem(.advertised, "ioctl: PHC \(v.phcIndex.map(String.init) ?? "none")"),
                        EvidenceItem(.advertised, "TSINFO: PHC \(adv.phcIndex.map(String.init) ?? "none")")
                    ])
            }
        case .failure(let f)?:
            notRun.append(NotRun(Check.advertisedNotActive.rawValue, itf.name, "ETHTOOL_GET_TS_INFO failed: \(f.message)"))
        case nil: break
        }
        if let o = input.observations[itf.key] {
            if let seen = o.phcIndex {
                let said = [(View.advertised, adv?.phcIndex), (View.active, itf.active.phcIndex)]
                for (view, phc) in said where phc != nil && phc != seen {
                    add(
                        .advertisedNotActive, .error, itf.name,
                        "a transmitted frame was stamped by \(describe(seen, o.layer, o.phyIndex, itf)) but the \(view.rawValue) provider is ptp\(phc!): ptp4l disciplines a clock that does not stamp packets",
                        [EvidenceItem(.observed, o.verdict), EvidenceItem(view, "PHC \(phc!)")],
                        remedy: setCommand(itf, to: itf.providers.first { $0.phcIndex == phc }))
                }
            } else {
                notRun.append(NotRun(Check.advertisedNotActive.rawValue, itf.name, "probe: \(o.verdict)"))
            }
        }
        if !itf.active.isConfigured && kernel.features.tsconfig {
            notRun.append(
                NotRun(
                    Check.advertisedNotActive.rawValue, itf.name,
                    "the active provider cannot be read (\(itf.active.unavailable!.rawValue)); only the ioctl was compared"))
        }
    }

    // 1 (before 6.11): the kernel reports the PHY while a MAC with its own clock may keep SIOCSHWTSTAMP.
    mutating func reportingSplit(_ itf: InterfaceSnapshot) {
        guard before611, itf.advertised?.layer == .phy,
            let mac = itf.providers.first(where: { $0.layer == .mac }),
            let phy = itf.providers.first(where: { $0.layer == .phy })
        else { return }
        // A probe proves which layer stamps: a mismatch is reported as advertised-not-active.
        if input.observations[itf.key]?.conclusive == true { return }
        let users = daemons(using: itf)
        // The MAC driver answered SIOCGHWTSTAMP (no PHY can before 6.19): it keeps
        // the configuration ioctls, as set and apply judge it (Planner).
        let act = itf.active
        let kept = LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release) == mac
        let statement =
            kept
            ? "on this kernel \(itf.displayName) reports the PHY clock ptp\(phy.phcIndex) while the MAC driver \(itf.driver ?? "?") keeps SIOCSHWTSTAMP "
                + "(it answered SIOCGHWTSTAMP, which no PHY driver can before Linux 6.19): the MAC clock ptp\(mac.phcIndex) stamps packets while ptp4l steers the PHY clock"
            : "on this kernel \(itf.displayName) reports the PHY clock ptp\(phy.phcIndex) while SIOCSHWTSTAMP reaches the MAC driver \(itf.driver ?? "?") first, which has its own clock ptp\(mac.phcIndex): "
                + "if the driver keeps the request, the MAC stamps packets while ptp4l steers the PHY clock; the kernel cannot say which one is active"
        var evidence = [
            EvidenceItem(.kernel, "release \(kernel.release): PHY-first reporting, MAC-first configuration"),
            EvidenceItem(.advertised, "TSINFO/ETHTOOL_GET_TS_INFO: phy ptp\(phy.phcIndex) \(clockName(phy.phcIndex, itf))"),
            EvidenceItem(.sysfs, "MAC clock ptp\(mac.phcIndex) \(clockName(mac.phcIndex, itf)) owned by \(itf.device ?? "the MAC")")
        ]
        if kept {
            evidence.append(
                EvidenceItem(.active, "SIOCGHWTSTAMP answered by the MAC driver: tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")"))
        }
        add(
            .reportingConfigurationSplit, users.isEmpty ? .warning : .error, itf.name, statement,
            evidence + users.map { EvidenceItem(.observed, "\($0.label) uses \(itf.displayName)") },
            remedy: nil)
    }

    // 2. precision downgrade.
    mutating func precision(_ itf: InterfaceSnapshot) {
        guard let current = activeOrAdvertised(itf) else { return }
        let view: View = itf.active.isConfigured && itf.active.phcIndex != nil ? .active : .advertised
        if current.qualifier == .approx,
            let precise = itf.providers.first(where: { $0.layer == current.layer && $0.qualifier == .precise })
        {
            add(
                .precisionDowngrade, .warning, itf.name,
                "the approximate \(current.layer.rawValue) provider ptp\(current.phcIndex) is in use while a precise one exists (ptp\(precise.phcIndex))",
                [
                    EvidenceItem(view, "\(current.label) ptp\(current.phcIndex)"),
                    EvidenceItem(.sysfs, "precise \(precise.label) ptp\(precise.phcIndex) available")
                ],
                remedy: setCommand(itf, to: precise))
        }
        let pair = KnownPairs.match(itf)
        let preferred = input.prefer ?? pair?.prefer
        guard let preferred, current.layer != preferred,
            let better = itf.providers.first(where: { $0.layer == preferred && $0.qualifier == .precise })
        else { return }
        // The statement stays one readable sentence; a known pair's reason and its
        // source are evidence lines of their own.
        let who = input.prefer != nil ? "your policy (--prefer \(preferred.rawValue))" : "tsctl's table of known MAC/PHY pairs"
        var evidence = [EvidenceItem(view, "\(current.label) ptp\(current.phcIndex) \(clockName(current.phcIndex, itf))")]
        if input.prefer != nil {
            evidence.append(EvidenceItem(.expected, "--prefer \(preferred.rawValue)"))
        } else if let pair {
            evidence.append(EvidenceItem(.expected, "known pair: \(pair.name), prefer the \(pair.prefer.rawValue)"))
            evidence.append(EvidenceItem(.expected, "why: \(pair.why)"))
            evidence.append(EvidenceItem(.expected, "source: \(pair.source)"))
        }
        add(
            .precisionDowngrade, .warning, itf.name,
            "\(current.layer.rawValue) clock ptp\(current.phcIndex) is in use but \(who) prefers the \(preferred.rawValue) clock ptp\(better.phcIndex)",
            evidence, remedy: setCommand(itf, to: better))
    }

    // 3. off or partial while used; unsupported rx filter.
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
                    Check.timestampingOffInUse.rawValue, itf.name,
                    "\(users.map(\.label).joined(separator: ", ")) uses \(itf.displayName) but its configuration cannot be read"))
        }
    }

    // 4. a daemon disciplining another clock.
    mutating func daemonClocks(_ itf: InterfaceSnapshot) {
        guard let own = activeOrAdvertised(itf)?.phcIndex ?? itf.advertised?.phcIndex else { return }
        if input.daemons == nil {
            notRun.append(NotRun(Check.daemonPHCMismatch.rawValue, itf.name, "/proc could not be read"))
            return
        }
        for d in daemons(using: itf) where d.program == "ptp4l" || d.program == "ts2phc" {
            var foreign = d.namedPHCs.filter { $0 != own }
            // Open clocks count only for a daemon on this interface alone.
            if d.interfaces.count == 1, let open = d.openPHCs { foreign += open.filter { $0 != own && !foreign.contains($0) } }
            if d.openPHCs == nil && d.namedPHCs.isEmpty {
                notRun.append(NotRun(Check.daemonPHCMismatch.rawValue, itf.name, "cannot read \(d.label)'s open files (run as root)"))
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

    // 5. dangling or foreign clocks.
    mutating func clocks(_ itf: InterfaceSnapshot) {
        for c in itf.phcs {
            if !c.present {
                add(
                    .phcDangling, .error, itf.name,
                    "\(itf.displayName) names PHC \(c.index) but /sys/class/ptp/ptp\(c.index) does not exist (renumbered or removed clock)",
                    [EvidenceItem(.advertised, "PHC index \(c.index)"), EvidenceItem(.sysfs, "no ptp\(c.index)")])
                continue
            }
            guard itf.kind != "bond", let owner = c.owner, c.layer == nil, itf.device != nil || !itf.phys.isEmpty else { continue }
            add(
                .phcForeignOwner, .warning, itf.name,
                "ptp\(c.index) \(clockName(c.index, itf)) belongs to \(owner), not to \(itf.displayName)'s MAC (\(itf.device ?? "none")) or its PHYs",
                [EvidenceItem(.sysfs, "/sys/class/ptp/ptp\(c.index)/device -> \(owner)")])
        }
    }

    // 6. read-back unavailable.
    mutating func readback(_ itf: InterfaceSnapshot) {
        guard let reason = itf.active.unavailable else { return }
        var meaning = reason.explanation
        if reason == .error, let m = itf.active.message { meaning += ": \(m)" }
        add(
            .readbackUnavailable, .info, itf.name,
            "\(meaning): tsctl cannot confirm which provider is active or its tx/rx setting, so those checks only compare what is advertised",
            [EvidenceItem(.active, "\(reason.rawValue)\(itf.active.errno.map { ", errno \($0)" } ?? "")")])
    }

    // MARK: 10. expectations

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
                        Check.expectationNotMet.rawValue, itf.name,
                        "the active configuration cannot be read (\(act.unavailable!.rawValue)); \(at) cannot be verified"))
            }
            return
        }
        // An ioctl answer before 6.19 is the MAC driver's (LayerAttribution.ioctlAnswerer):
        // the planner judged the source by it.
        if d.source != nil, act.phcIndex == nil, LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release) == nil {
            notRun.append(
                NotRun(
                    Check.expectationNotMet.rawValue, itf.name,
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

    // MARK: 9. drift against a baseline

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
            let key = { (p: Provider) in "\(p.label)" }
            let oldSet = Dictionary(old.providers.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            let newSet = Dictionary(cur.providers.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
            for (k, p) in oldSet where newSet[k] == nil {
                add(
                    .drift, .error, cur.name, "provider \(k) (was ptp\(p.phcIndex)) is gone",
                    [
                        EvidenceItem(.baseline, "\(k) ptp\(p.phcIndex)"),
                        EvidenceItem(.advertised, "providers now: \(cur.providers.map(\.label).joined(separator: ", "))")
                    ])
            }
            for (k, p) in newSet where oldSet[k] == nil {
                add(
                    .drift, .warning, cur.name, "provider \(k) ptp\(p.phcIndex) is new since the baseline",
                    [EvidenceItem(.baseline, "providers then: \(old.providers.map(\.label).joined(separator: ", "))")])
            }
            for (k, p) in newSet {
                guard let o = oldSet[k] else { continue }
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
    }

    // MARK: helpers

    /// The provider in use: the active one when the kernel says, else the advertised one.
    func activeOrAdvertised(_ itf: InterfaceSnapshot) -> Provider? {
        itf.providers.first { $0.active } ?? itf.providers.first { $0.advertised }
    }

    func clockName(_ phc: Int, _ itf: InterfaceSnapshot) -> String {
        itf.phc(phc)?.clockName.map { "\"\($0)\"" } ?? ""
    }

    func describe(_ phc: Int?, _ layer: Layer?, _ phyIndex: Int?, _ itf: InterfaceSnapshot) -> String {
        guard let phc else { return "no PHC" }
        let l = layer.map { $0 == .phy ? "phy" + (phyIndex.map { ":\($0)" } ?? "") : "mac" } ?? "PHC"
        return "\(l) ptp\(phc)"
    }

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

    /// `tsctl set` selecting `target` with a working tx/rx: switching providers
    /// zeroes the configuration, so the command always carries both.
    func setCommand(_ itf: InterfaceSnapshot, to target: Provider?, tx txWanted: TxType? = nil, rx rxWanted: RxFilter? = nil) -> String? {
        // Before 6.14 a provider cannot be selected: no command would work. Neither on
        // a driver that takes only SIOCSHWTSTAMP (tx/rx can still be set), nor on a
        // stacked device that this kernel must not be asked about.
        let legacy = kernel.features.tsconfig && itf.active.isConfigured && itf.active.readVia == .ioctl
        guard let target, itf.active.readFrom == nil,
            (kernel.features.tsconfig && !legacy) || target.active || (legacy && target.advertised)
        else { return nil }
        var source: String
        switch target.layer {
        case .mac: source = "mac"
        case .phy: source = target.phyIndex.map { "phy:\($0)" } ?? "phc:\(target.phcIndex)"
        }
        var cmd = "tsctl set \(InterfaceName.shellWord(itf.name))"
        if !legacy { cmd += " --source \(source)" }
        if target.qualifier != .precise && !legacy { cmd += " --qualifier \(target.qualifier.name)" }
        let caps = target.capabilities
        let tx: TxType = txWanted ?? caps.map { $0.txTypes.contains("on") ? "on" : ($0.txTypes.first { $0 != "off" } ?? "off") } ?? "on"
        let currentRx = itf.active.rxFilter.flatMap { $0 == "none" ? nil : $0 }
        let rx: RxFilter
        if let rxWanted {
            rx = rxWanted
        } else if let caps {
            rx =
                currentRx.flatMap { caps.rxFilters.contains($0) ? $0 : nil }
                ?? (["ptpv2-event", "all", "some", "ptpv2-l2-event", "ptpv2-l4-event"] as [RxFilter]).first { caps.rxFilters.contains($0) }
                ?? caps.rxFilters.first { $0 != "none" } ?? "none"
        } else {
            rx = currentRx ?? "ptpv2-event"
        }
        return cmd + " --tx \(tx) --rx \(rx)"
    }
}

/// How findings name an active configuration.
enum ShowLabels {
    static func provider(_ a: ActiveConfig, _ itf: InterfaceSnapshot) -> String {
        guard let phc = a.phcIndex else { return "unknown provider" }
        let p = itf.providers.first { $0.phcIndex == phc && $0.qualifier == a.qualifier }
        return "\(p?.label ?? "PHC") ptp\(phc)"
    }

    static func config(_ a: ActiveConfig, _ itf: InterfaceSnapshot) -> String {
        var s = a.phcIndex != nil ? provider(a, itf) + ", " : ""
        s += "tx \(a.txType ?? "?"), rx \(a.rxFilter ?? "?")"
        if !a.flags.isEmpty { s += ", flags \(a.flags.joined(separator: ","))" }
        return s
    }
}
