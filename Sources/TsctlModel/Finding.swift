public enum Severity: Int, Comparable, Sendable, CaseIterable {
    case info = 0, warning = 1, error = 2

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}

/// Which view of the interface said something.
public enum View: String, Sendable {
    /// TSINFO do / ETHTOOL_GET_TS_INFO: what the kernel reports by default.
    case advertised
    /// TSCONFIG_GET / SIOCGHWTSTAMP: what is configured.
    case active
    /// The user's desired-state file or policy.
    case expected
    /// What a probe or a running daemon shows in use.
    case observed
    /// The saved baseline (`show --json` from before).
    case baseline
    /// The kernel itself (version, features).
    case kernel
    /// sysfs (/sys/class/ptp, /sys/class/net).
    case sysfs
}

public struct EvidenceItem: Equatable, Sendable {
    public var view: View
    public var says: String

    public init(_ view: View, _ says: String) {
        self.view = view
        self.says = says
    }
}

public struct Finding: Equatable, Sendable {
    /// Which check found it: its stable id (documented in the README), which
    /// scripts and dashboards key on.
    public var findingID: FindingID
    public var severity: Severity
    /// nil for findings about the kernel as a whole.
    public var interface: String?
    public var statement: String
    public var evidence: [EvidenceItem]
    /// A command that fixes it, where one exists.
    public var remedy: String?

    public init(
        _ id: FindingID, _ severity: Severity, _ interface: String?, _ statement: String,
        evidence: [EvidenceItem] = [], remedy: String? = nil
    ) {
        self.findingID = id
        self.severity = severity
        self.interface = interface
        self.statement = statement
        self.evidence = evidence
        self.remedy = remedy
    }

    /// The id as every output spells it ("advertised-not-active").
    public var id: String { findingID.rawValue }
}

/// A check that could not run, and why: never reported as a pass.
public struct NotRun: Equatable, Sendable {
    public var findingID: FindingID
    public var interface: String?
    public var reason: String

    public init(_ id: FindingID, _ interface: String?, _ reason: String) {
        self.findingID = id
        self.interface = interface
        self.reason = reason
    }

    /// The id of the check that could not run, as every output spells it.
    public var check: String { findingID.rawValue }
}

public struct Report: Equatable, Sendable {
    public var interfaces: [String]
    public var findings: [Finding]
    public var notRun: [NotRun]
    public var ignored: [IgnoredDaemon]

    public init(interfaces: [String], findings: [Finding], notRun: [NotRun], ignored: [IgnoredDaemon] = []) {
        self.interfaces = interfaces
        self.findings = findings
        self.notRun = notRun
        self.ignored = ignored
    }

    public var worst: Severity? { findings.map(\.severity).max() }

    /// Findings worst first, then by interface (kernel-wide last), then id.
    public var ordered: [Finding] {
        findings.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.interface != $1.interface { return ($0.interface ?? "\u{10FFFF}") < ($1.interface ?? "\u{10FFFF}") }
            return $0.id < $1.id
        }
    }
}

/// A finding's id: the rules name a finding by its case, every output by its raw value.
public typealias FindingID = Check

/// The checks tsctl runs, by finding id: what JUnit and the README list.
public enum Check: String, CaseIterable, Sendable {
    case advertisedNotActive = "advertised-not-active"
    case reportingConfigurationSplit = "reporting-configuration-split"
    case precisionDowngrade = "precision-downgrade"
    case timestampingOffInUse = "timestamping-off-in-use"
    case rxFilterUnsupported = "rx-filter-unsupported"
    case daemonPHCMismatch = "daemon-phc-mismatch"
    case phcDangling = "phc-dangling"
    case phcForeignOwner = "phc-foreign-owner"
    case readbackUnavailable = "readback-unavailable"
    case stackedDevice = "stacked-device"
    case kernelNoProviderSelection = "kernel-no-provider-selection"
    case kernelPHYFirstReporting = "kernel-phy-first-reporting"
    case drift = "drift"
    case expectationNotMet = "expectation-not-met"
    case txTimestampsLost = "tx-timestamps-lost"
    case clockStopped = "clock-stopped"
    case clocksFarApart = "clocks-far-apart"
    case activeClockWorse = "active-clock-worse"
    case useUnsupported = "use-unsupported"

    public var title: String {
        switch self {
        case .advertisedNotActive: return "the advertised provider is the active one"
        case .reportingConfigurationSplit: return "reporting and configuration reach the same layer (kernels before 6.11)"
        case .precisionDowngrade: return "the active provider is the most precise one available"
        case .timestampingOffInUse: return "timestamping is on where a PTP daemon uses it"
        case .rxFilterUnsupported: return "the rx filter in use or expected is supported by the active provider"
        case .daemonPHCMismatch: return "PTP daemons discipline the interface's active clock"
        case .phcDangling: return "every PHC index names an existing clock owned by the interface"
        case .phcForeignOwner: return "PHCs belong to the interface's MAC or PHY"
        case .readbackUnavailable: return "the active configuration can be read back"
        case .stackedDevice: return "stacked devices are checked on the device below"
        case .kernelNoProviderSelection: return "the kernel can select the provider (6.14+)"
        case .kernelPHYFirstReporting: return "the kernel reports the configured layer (6.11+)"
        case .drift: return "nothing changed since the baseline"
        case .expectationNotMet: return "the interface is as the desired-state file says"
        case .txTimestampsLost: return "the driver delivers every transmit timestamp asked for"
        case .clockStopped: return "every PTP clock of the interface advances"
        case .clocksFarApart: return "the PTP clocks of one interface agree within a second"
        case .activeClockWorse: return "the active provider's clock reads no worse than the interface's other clocks"
        case .useUnsupported: return "the active provider can do what the interface is for (check --for, for = [...])"
        }
    }
}
