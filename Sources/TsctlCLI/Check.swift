public import ArgumentParser
import TsctlDiagnosis
import TsctlKernel
import TsctlModel
import TsctlRender
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, tap, prometheus
}

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
            interfaces: interfaces, expect: expect, baseline: baseline, prefer: prefer,
            format: json ? .json : format, strict: strict, probe: probe, sample: sample, output: output, uses: uses)
    }

    /// Prints the report, or with `output` writes it there (Sys.writeOutput:
    /// a regular file is replaced atomically, a device or FIFO written in place).
    static func emit(_ text: String, output: String?) throws(ReportNotWritten) {
        guard let output else { return print(text, terminator: "") }
        do { try Sys.writeOutput(text, to: output) } catch {
            let left = error.unchanged ? "the file was not changed" : "part of the report may have been written"
            throw ReportNotWritten(
                failure: TsctlFailure(.kernelError, "cannot write the report to \(OSString.escaped(output)): \(error.problem); \(left)"))
        }
    }

    /// The report itself could not be written: no second report is tried.
    struct ReportNotWritten: Error {
        var failure: TsctlFailure
    }

    static func check(
        interfaces: [String], expect: String?, baseline: String?, prefer: Layer?, format: CheckFormat,
        strict: Bool, probe: Bool, sample: Double? = nil, output: String? = nil, uses: [TimestampingUse] = []
    ) throws {
        do {
            try checkAndReport(
                interfaces: interfaces, expect: expect, baseline: baseline, prefer: prefer, format: format,
                strict: strict, probe: probe, sample: sample, output: output, uses: uses)
        } catch let e as ReportNotWritten {
            throw e.failure
        } catch let f as TsctlFailure {
            reportCouldNotRun(f, format: format, output: output)
            throw f
        }
    }

    /// A check that could not run still leaves a report that says so, in its
    /// format, where the report would have gone: a file (so the last report
    /// does not go on saying "passed"), or standard output for the formats a
    /// CI step or scraper reads there. Text on standard output needs nothing
    /// but the error line on standard error.
    static func reportCouldNotRun(_ f: TsctlFailure, format: CheckFormat, output: String?) {
        let status = f.status.rawValue
        let text: String
        switch format {
        case .text:
            guard output != nil else { return }
            text = CheckRender.textError(f.message, exitStatus: status)
        case .json:
            guard output != nil else { return }
            text = JSONMode.errorDocument(command: "check", status: f.status, message: f.message).serialized() + "\n"
            JSONMode.printed = true
        case .junit: text = CheckRender.junitError(f.message, exitStatus: status)
        case .tap: text = CheckRender.tapError(f.message, exitStatus: status)
        case .prometheus: text = CheckRender.prometheusError(exitStatus: status, now: Int(time(nil)))
        }
        do { try emit(text, output: output) } catch {
            // Both failed: the user sees why the check could not run, and that
            // the report could not say so either.
            Sys.printError("tsctl: \(error.failure.message)")
        }
    }

    static func checkAndReport(
        interfaces: [String], expect: String?, baseline: String?, prefer: Layer?, format: CheckFormat,
        strict: Bool, probe: Bool, sample: Double?, output: String?, uses: [TimestampingUse]
    ) throws {
        let started = monotonicSeconds()
        let file = try expect.map { path in try loadDesiredState(path) }
        let base = try baseline.map(loadBaseline)
        let kernel: KernelSession
        var snap: Snapshot
        let daemonScan = PTPDaemons.scanBeside()
        do {
            kernel = try KernelSession.open()
            snap = try kernel.snapshot(names: interfaces.isEmpty ? nil : interfaces)
            // Stacked devices are judged by the device below: bring it in.
            // By bytes: a lower device named like one listed only to Unicode is another device.
            let listed = Set(snap.interfaces.map(\.key))
            var missing: [String] = []
            for lower in snap.interfaces.compactMap(\.lower) where !listed.contains(NameKey(lower)) {
                if !missing.contains(where: { NameKey($0) == NameKey(lower) }) { missing.append(lower) }
            }
            if !missing.isEmpty {
                snap.interfaces += try kernel.snapshot(names: missing).interfaces
            }
        } catch {
            _ = daemonScan.wait()
            throw TsctlFailure(error)
        }
        Inventory.attachClockHealth(&snap.interfaces)
        let samples = sample.map { takeSample(kernel.inventory, snap.interfaces, seconds: $0) } ?? [:]
        var ioctl: [NameKey: Result<IoctlView, IoctlFailure>] = [:]
        for itf in snap.interfaces where itf.hasHardwareProvider {
            ioctl[itf.key] = KernelSession.ioctlPHC(itf.name).map(IoctlView.init(phcIndex:)).mapError { IoctlFailure($0.message) }
        }
        let scan = daemonScan.wait()
        let expectations = file.map { $0.resolvingAltnames(in: snap.interfaces, primaryNames: kernel.primaryNames) }
        let scope = interfaces.isEmpty ? nil : Set(interfaces.map { NameKey($0) })
        // A file that gives one interface two entries means two things: apply refuses
        // it, and so does check (exit 3), naming both.
        if let expectations, let c = expectations.assign(snap.interfaces, scope: scope).conflicts.first {
            throw TsctlFailure(.badInputFile, c.description)
        }
        var input = DiagnosisInput(
            snapshot: snap, ioctl: ioctl, daemons: scan.daemons,
            expectations: expectations, baseline: base, prefer: prefer)
        input.scope = scope
        input.statsSamples = samples
        for u in uses where !input.uses.contains(u) { input.uses.append(u) }
        input.ignoredDaemons = scan.ignored
        if probe {
            for itf in snap.interfaces where !itf.providers.isEmpty { input.observations[itf.key] = Prober.probe(itf) }
        }
        let report = Diagnosis.run(input)
        let failed = report.worst == .error || (strict && (report.worst == .warning || !report.notRun.isEmpty))
        let status = failed ? ExitStatus.checkFailed : ExitStatus.ok
        let listed = CheckRender.JUnitScope(
            baseline: base != nil, expect: expectations != nil,
            hardware: Set(snap.interfaces.filter(\.hasHardwareProvider).map(\.name)),
            seconds: monotonicSeconds() - started,
            uses: !input.uses.isEmpty || (expectations?.interfaces.contains { !$0.desired.uses.isEmpty } ?? false))
        let text: String
        switch format {
        case .text: text = CheckRender.text(report, style: output == nil ? .forStdout() : .plain)
        case .json: text = CheckRender.json(report, kernel: snap.kernel, status: status.rawValue).serialized() + "\n"
        case .junit: text = CheckRender.junit(report, strict: strict, scope: listed)
        case .tap: text = CheckRender.tap(report, strict: strict, scope: listed)
        case .prometheus:
            text = CheckRender.prometheus(report, snapshot: snap, scope: listed, status: status.rawValue, now: Int(time(nil)))
        }
        try emit(text, output: output)
        // Written to a file, the verdict is in the file: a finding never stops the job.
        if output != nil { return }
        if failed { throw TsctlExit(status) }
    }

    /// `check [--strict] [--json] [IF...]` without ArgumentParser's start-up
    /// cost (CI loops and fleet scrapes call it every few seconds); anything
    /// else is left to ArgumentParser: nil.
    static func fastPath(_ args: ArraySlice<String>) -> (() throws -> Void)? {
        guard args.first == "check" else { return nil }
        var strict = false, json = false, names: [String] = []
        for a in args.dropFirst() {
            switch a {
            case "--strict": strict = true
            case "--json": json = true
            default:
                if a.hasPrefix("-") || InterfaceName.problem(a) != nil { return nil }
                names.append(a)
            }
        }
        return {
            try check(
                interfaces: names, expect: nil, baseline: nil, prefer: nil, format: json ? .json : .text,
                strict: strict, probe: false)
        }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Ends the command with a status but no message (the report said it all).
/// The most a baseline (--baseline) may hold: a `show --json` of 10,000
/// interfaces is about 8 MiB.
let inputFileLimit = 16 << 20

/// The most a desired-state file (apply FILE, --expect) may hold: about 20,000
/// [[interface]] entries, far beyond a host's NICs, read in a few tens of MiB
/// (a 16 MiB file of small entries took about 300 MiB to parse).
let desiredStateFileLimit = 1 << 20

/// A regular file, read whole without blocking (a FIFO or device is refused,
/// not waited on), refused beyond `inputFileLimit` rather than cut short, and
/// only when it is UTF-8 text.
func readInputFile(_ path: String, limit: Int = inputFileLimit) throws -> String {
    switch Sys.readRegularFile(path, limit: limit) {
    case .success(let bytes):
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TsctlFailure(.badInputFile, "cannot read \(path): it is not UTF-8 text")
        }
        return text
    case .failure(.tooLarge(let limit)):
        let what = limit == desiredStateFileLimit ? "desired-state files" : "input files"
        throw TsctlFailure(.badInputFile, "cannot read \(path): it is larger than tsctl's limit of \(limit >> 20) MiB for \(what)")
    case .failure(let e):
        throw TsctlFailure(.badInputFile, "cannot read \(path): \(e)")
    }
}

func loadDesiredState(_ path: String) throws -> DesiredState {
    do { return try DesiredState.parse(try readInputFile(path, limit: desiredStateFileLimit), file: path) } catch let e as DesiredStateError
    {
        throw TsctlFailure(.badInputFile, e.description)
    }
}

func loadBaseline(_ path: String) throws -> Snapshot {
    let text = try readInputFile(path)
    do {
        return try Snapshot(json: try JSON.parse(text))
    } catch let e as JSON.ParseError {
        throw TsctlFailure(.badInputFile, "\(path):\(e.line):\(e.column): \(e.message) (a baseline is the output of `tsctl show --json`)")
    } catch let e as SnapshotDecodeError {
        throw TsctlFailure(.badInputFile, "\(path): \(e) (a baseline is the output of `tsctl show --json`)")
    }
}
