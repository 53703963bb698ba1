import TsctlChange
public import TsctlModel

/// Everything the rules look at: the evidence `check` gathered and what the
/// user asked. Plain values: tests build them by hand.
public struct DiagnosisInput: Sendable {
    public var evidence: Evidence
    public var expectations: DesiredState?
    public var baseline: Snapshot?
    /// The user's layer policy (--prefer), over the built-in table.
    public var prefer: Layer?
    /// The interfaces the user named (nil: all): expectations and the baseline
    /// are judged on these only; the snapshot may also hold the devices below.
    /// Keyed by bytes (NameKey), as every interface-name key.
    public var scope: Set<NameKey>?
    /// What the user needs timestamping for (check --for) on every interface checked;
    /// a desired-state file's `for` adds to it for its interfaces.
    public var uses: [TimestampingUse] = []

    public init(
        evidence: Evidence, expectations: DesiredState? = nil, baseline: Snapshot? = nil, prefer: Layer? = nil,
        scope: Set<NameKey>? = nil, uses: [TimestampingUse] = []
    ) {
        self.evidence = evidence
        self.expectations = expectations
        self.baseline = baseline
        self.prefer = prefer
        self.scope = scope
        for u in uses where !self.uses.contains(u) { self.uses.append(u) }
    }

    public init(
        snapshot: Snapshot, ioctl: [NameKey: Result<IoctlView, KernelFailure>] = [:], daemons: [PTPDaemon]? = [],
        expectations: DesiredState? = nil, baseline: Snapshot? = nil, prefer: Layer? = nil
    ) {
        self.init(
            evidence: Evidence(snapshot: snapshot, ioctl: ioctl, daemons: daemons), expectations: expectations,
            baseline: baseline, prefer: prefer)
    }

    public var snapshot: Snapshot {
        get { evidence.snapshot }
        set { evidence.snapshot = newValue }
    }
    public var ioctl: [NameKey: Result<IoctlView, KernelFailure>] {
        get { evidence.ioctl }
        set { evidence.ioctl = newValue }
    }
    public var daemons: [PTPDaemon]? {
        get { evidence.daemons }
        set { evidence.daemons = newValue }
    }
    public var ignoredDaemons: [IgnoredDaemon] {
        get { evidence.ignoredDaemons }
        set { evidence.ignoredDaemons = newValue }
    }
    public var observations: [NameKey: Observation] {
        get { evidence.observations }
        set { evidence.observations = newValue }
    }
    public var statsSamples: [NameKey: TsStatsSample] {
        get { evidence.statsSamples }
        set { evidence.statsSamples = newValue }
    }
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
    var version: (Int, Int)? { KernelRelease(release: kernel.release)?.series }
    var before611: Bool { version.map { $0 < (6, 11) } ?? false }

    mutating func add(
        _ c: FindingID, _ s: Severity, _ itf: String?, _ statement: String, _ evidence: [EvidenceItem] = [],
        remedy: String? = nil
    ) {
        findings.append(Finding(c, s, itf, statement, evidence: evidence, remedy: remedy))
    }

    func daemons(using itf: InterfaceSnapshot) -> [PTPDaemon] {
        (input.daemons ?? []).filter { $0.names(itf) }
    }

    var anyHardware: Bool { input.snapshot.interfaces.contains { $0.hasHardwareProvider } }

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
        let l = layer?.providerLabel(phyIndex: phyIndex) ?? "PHC"
        return "\(l) ptp\(phc)"
    }
}
