import TsctlCodec
public import TsctlModel

/// The formats `tsctl check --format` writes.
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, junit, tap, prometheus
}

/// What `tsctl check` writes, as one document per format, and the verdict
/// its exit status follows.
public struct CheckOutcome: Sendable {
    /// Errors fail; with `strict`, warnings and checks that could not run too.
    public var failed: Bool
    public var status: ExitStatus { failed ? .checkFailed : .ok }

    public init(_ report: Report, strict: Bool) {
        failed = report.worst == .error || (strict && (report.worst == .warning || !report.notRun.isEmpty))
    }
}

extension CheckRender {
    /// The report in `format`; `toFile` writes text without colour.
    public static func document(
        _ report: Report, format: CheckFormat, strict: Bool, snapshot: Snapshot, scope: JUnitScope, toFile: Bool, now: Int
    ) -> String {
        let status = CheckOutcome(report, strict: strict).status.rawValue
        switch format {
        case .text: return text(report, style: toFile ? .plain : .forStdout())
        case .json: return json(report, kernel: snapshot.kernel, status: status).serialized() + "\n"
        case .junit: return junit(report, strict: strict, scope: scope)
        case .tap: return tap(report, strict: strict, scope: scope)
        case .prometheus: return prometheus(report, snapshot: snapshot, scope: scope, status: status, now: now)
        }
    }

    /// A check that could not run, in `format`, for where its report would
    /// have gone: a file (so the last report does not go on saying "passed"),
    /// or standard output for the formats a CI step or scraper reads there.
    /// Text or JSON on standard output: nil, the error line on standard error
    /// (and the JSON error document every command leaves) say it.
    public static func couldNotRun(_ failure: TsctlFailure, format: CheckFormat, toFile: Bool, now: Int) -> String? {
        let status = failure.status.rawValue
        switch format {
        case .text: return toFile ? textError(failure.message, exitStatus: status) : nil
        case .json:
            guard toFile else { return nil }
            return ErrorDocument.json(command: "check", exitStatus: status, message: failure.message).serialized() + "\n"
        case .junit: return junitError(failure.message, exitStatus: status)
        case .tap: return tapError(failure.message, exitStatus: status)
        case .prometheus: return prometheusError(exitStatus: status, now: now)
        }
    }
}
