/// Every exit code tsctl uses, in one place. The README and `tsctl --help`
/// print this table; scripts may rely on it.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case ok = 0
    case checkFailed = 1
    case usage = 2
    case badInputFile = 3
    case noSuchDevice = 4
    case notSupported = 5
    case permissionDenied = 6
    case rolledBack = 7
    case rollbackIncomplete = 8
    case timedOut = 9
    case nothingToDo = 10
    case kernelError = 11
    case refused = 12
    case busy = 13
    case hangup = 129
    case interrupted = 130
    case terminated = 143

    public var meaning: String {
        switch self {
        case .ok: return "success (show printed; set/apply changed what was asked)"
        case .checkFailed: return "check found a problem (an error; with --strict also a warning); probe: no timestamp came back"
        case .usage: return "usage error: unknown option, bad value, malformed interface name"
        case .badInputFile:
            return
                "an input file cannot be read, is not a regular file, is over its size limit (1 MiB for a desired-state file, 16 MiB for a baseline) or is invalid"
        case .noSuchDevice: return "no such interface, network namespace, provider or PHC"
        case .notSupported: return "not supported by this kernel or driver"
        case .permissionDenied: return "permission denied (set/apply need CAP_NET_ADMIN, probe needs root)"
        case .rolledBack: return "a change failed and everything already changed was rolled back"
        case .rollbackIncomplete: return "a change failed and the rollback did not complete (see the report)"
        case .timedOut: return "timed out waiting for an interface or provider (--wait)"
        case .nothingToDo: return "set/apply: already in the requested state (also with --dry-run)"
        case .kernelError:
            return "unexpected kernel or system error, standard output closed or not writable, or the check --output file cannot be written"
        case .refused: return "refused: a PTP daemon uses the interface or its clocks (--force overrides)"
        case .busy: return "busy: another tsctl changes the interface or keeps it applied (--keep)"
        case .hangup: return "stopped by SIGHUP after finishing or undoing a change under way"
        case .interrupted: return "stopped by SIGINT (Ctrl-C) after finishing or undoing a change under way"
        case .terminated: return "stopped by SIGTERM after finishing or undoing a change under way"
        }
    }

    public static var table: String {
        allCases.map { "  \(String(repeating: " ", count: 3 - String($0.rawValue).count))\($0.rawValue)  \($0.meaning)" }.joined(
            separator: "\n")
    }
}

extension ExitStatus {
    /// 128 + the signal number, as a shell reports a process a signal ended.
    public static func stopped(by sig: Int32) -> ExitStatus {
        ExitStatus(rawValue: 128 + sig) ?? .terminated
    }
}

/// A failure with the one line the user sees and the exit code it maps to.
public struct TsctlFailure: Error, Sendable {
    public var status: ExitStatus
    public var message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A failed read or write of the kernel: its exit status from what it means.
    public init(_ e: KernelFailure) {
        switch e.kind {
        case .permission: self.init(.permissionDenied, "\(e.message); run as root or with CAP_NET_ADMIN")
        default: self.init(ExitStatus(e.kind), e.message)
        }
    }
}

extension ExitStatus {
    /// The exit status of each kind of failure (Sources/TsctlModel/Errno.swift
    /// says which errno is which kind).
    public init(_ kind: FailureKind) {
        switch kind {
        case .notSupported: self = .notSupported
        case .noSuchDevice: self = .noSuchDevice
        case .permission: self = .permissionDenied
        case .usage: self = .usage
        case .other: self = .kernelError
        }
    }
}

/// Ends a command with a status and nothing more to say (its output is printed).
public struct TsctlExit: Error {
    public var status: ExitStatus
    public init(_ s: ExitStatus) { status = s }
}
