public import ArgumentParser
import TsctlCodec
import TsctlDiagnosis
import TsctlKernel
import TsctlModel
import TsctlRender
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension CheckFormat: ExpressibleByArgument {}

extension Layer: ExpressibleByArgument {}
extension TimestampingUse: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Flag every mismatch between the advertised, active, expected and observed timestamping.",
        discussion: """
            Exit status 1 when a finding is an error (or, with --strict, a warning or a \
            check that could not run); 0 otherwise. With --output the report replaces a \
            regular FILE atomically (a temporary file beside it, then a rename); a device, \
            FIFO or symbolic link is written in place, never renamed over. The exit status \
            is then 0 once it is written, whatever the findings: the verdict is in the file \
            (tsctl_check_exit_status, exit_status, failures), so a textfile job or a report \
            step never stops on a finding; 11 when FILE cannot be written. A check that \
            could not run writes a report saying so. Finding ids are stable: see the README.
            """
    )

    @Argument(help: "Interfaces to check (default: every interface).", completion: Completion.interfaces)
    var interfaces: [String] = []

    @Option(
        name: .long, help: ArgumentHelp("A desired-state file (the one `tsctl apply` takes) to verify.", valueName: "file"),
        completion: .file())
    var expect: String?

    @Option(
        name: .long, help: ArgumentHelp("A saved `tsctl show --json` to compare against (drift).", valueName: "file"), completion: .file())
    var baseline: String?

    @Option(help: "Your layer policy: warn when the other layer is active while this one is available.")
    var prefer: Layer?

    @Option(
        name: .customLong("for"),
        help: ArgumentHelp(
            "What the interfaces' timestamping is for (repeatable): ptp (ptp4l: tx on, a PTP rx filter) or ntp (chrony: rx all); check whether the active provider can do it and which provider can.",
            valueName: "use"))
    var uses: [TimestampingUse] = []

    @Option(help: "Output format.")
    var format: CheckFormat = .text

    @Flag(help: "Same as --format json.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the report to this file instead of standard output (a regular file is replaced atomically); exit 0 once written whatever the findings.",
            valueName: "file"), completion: .file())
    var output: String?

    @Flag(help: "Warnings and checks that could not run also fail (exit 1).")
    var strict = false

    @Flag(
        help:
            "Also send one PTP frame per interface with a hardware clock and check which clock stamped it (needs root; see `tsctl probe`).")
    var probe = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Read the timestamping counters twice, this many seconds apart, and report lost transmit timestamps in between.",
            valueName: "seconds"))
    var sample: Double?

    func validate() throws {
        try validateInterfaceNames(interfaces)
        if let s = sample, !(s > 0 && s <= 3600) { throw ValidationError("--sample takes seconds between 0 and 3600, e.g. --sample 10") }
        if let o = output, o.isEmpty || o.hasSuffix("/") {
            throw ValidationError("--output takes a file name, e.g. --output /var/lib/prometheus/node-exporter/tsctl.prom")
        }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        try Self.check(
            CheckRequest(
                interfaces: interfaces, expect: expect, baseline: baseline, prefer: prefer, format: json ? .json : format,
                strict: strict, probe: probe, sample: sample, output: output, uses: uses))
    }

    /// Prints the report, or with `output` writes it there (Sys.writeOutput:
    /// a regular file is replaced atomically, a device or FIFO written in place).
    static func emit(_ text: String, output: String?) throws(ReportNotWritten) {
        guard let output else { return print(text, terminator: "") }
        do { try Sys.writeReport(text, to: output) } catch { throw ReportNotWritten(failure: error) }
    }

    /// The report itself could not be written: no second report is tried.
    struct ReportNotWritten: Error {
        var failure: TsctlFailure
    }

    static func check(_ request: CheckRequest) throws {
        do {
            try checkAndReport(request)
        } catch let e as ReportNotWritten {
            throw e.failure
        } catch let f as TsctlFailure {
            reportCouldNotRun(f, format: request.format, output: request.output)
            throw f
        }
    }

    /// A check that could not run still leaves a report that says so, in its
    /// format, where the report would have gone (CheckRender.couldNotRun).
    static func reportCouldNotRun(_ f: TsctlFailure, format: CheckFormat, output: String?) {
        guard let text = CheckRender.couldNotRun(f, format: format, toFile: output != nil, now: Int(time(nil))) else { return }
        if format == .json { JSONMode.printed = true }
        do { try emit(text, output: output) } catch {
            // Both failed: the user sees why the check could not run, and that
            // the report could not say so either.
            Sys.printError("tsctl: \(error.failure.message)")
        }
    }

    static func checkAndReport(_ r: CheckRequest) throws {
        let started = SystemClock().monotonicSeconds()
        let question = CheckQuestion(
            interfaces: r.interfaces, expectations: try r.expect.map(loadDesiredState), baseline: try r.baseline.map(loadBaseline),
            prefer: r.prefer, uses: r.uses)
        let gatherer = EvidenceGatherer(note: { Sys.printError("tsctl: note: \($0)") })
        let gathered: (evidence: Evidence, kernel: KernelSession)
        do {
            gathered = try gatherer.gather(
                EvidenceRequest(names: r.interfaces.isEmpty ? nil : r.interfaces, sampleSeconds: r.sample),
                open: { () throws(KernelFailure) in try KernelSession.open() })
        } catch { throw TsctlFailure(error) }
        let (evidence, kernel) = gathered
        var input = try DiagnosisInput(question, evidence: evidence, primaryNames: kernel.primaryNames)
        if r.probe { gatherer.probe(&input.evidence, with: kernel) }
        let report = Diagnosis.run(input)
        let snap = input.evidence.snapshot
        let listed = CheckRender.JUnitScope(
            baseline: input.baseline != nil, expect: input.expectations != nil,
            hardware: Set(snap.interfaces.filter(\.hasHardwareProvider).map(\.name)),
            seconds: SystemClock().monotonicSeconds() - started, uses: input.asksUses)
        try emitReport(report, r, snapshot: snap, scope: listed)
    }

    /// The report in the format asked for, where it was asked for; the exit status
    /// follows the findings unless the report went to a file.
    static func emitReport(_ report: Report, _ r: CheckRequest, snapshot snap: Snapshot, scope listed: CheckRender.JUnitScope) throws {
        let text = CheckRender.document(
            report, format: r.format, strict: r.strict, snapshot: snap, scope: listed, toFile: r.output != nil, now: Int(time(nil)))
        try emit(text, output: r.output)
        // Written to a file, the verdict is in the file: a finding never stops the job.
        let outcome = CheckOutcome(report, strict: r.strict)
        if r.output == nil && outcome.failed { throw TsctlExit(outcome.status) }
    }

    /// `check [--strict] [--json] [IF...]` without ArgumentParser (FastPath.check).
    static func fastPath(_ args: ArraySlice<String>) -> (() throws -> Void)? {
        guard let c = FastPath.check(args) else { return nil }
        return { try check(CheckRequest(interfaces: c.interfaces, format: c.json ? .json : .text, strict: c.strict)) }
    }
}

/// One `check`, as the command line (or the fast path) asked for it.
struct CheckRequest {
    var interfaces: [String]
    var expect: String? = nil
    var baseline: String? = nil
    var prefer: Layer? = nil
    var format: CheckFormat
    var strict: Bool
    var probe = false
    var sample: Double? = nil
    var output: String? = nil
    var uses: [TimestampingUse] = []
}

/// A desired-state file (apply FILE, check --expect), read and parsed.
func loadDesiredState(_ path: String) throws(TsctlFailure) -> DesiredState {
    try DesiredState.input(InputFile.text(path, limit: InputFile.desiredStateLimit), file: path)
}

/// A baseline (check --baseline), read and parsed.
func loadBaseline(_ path: String) throws(TsctlFailure) -> Snapshot {
    try Snapshot.baseline(InputFile.text(path), file: path)
}
