import ArgumentParser
import TsctlChange
import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

struct SourceArg: ExpressibleByArgument {
    var spec: SourceSpec
    init?(argument: String) {
        guard let s = SourceSpec(argument) else { return nil }
        spec = s
    }
    static var defaultCompletionKind: CompletionKind { Completion.sources }
}

enum QualifierArg: String, ExpressibleByArgument, CaseIterable {
    case precise, approx
}

/// Options shared by set and apply.
struct ChangeOptions: ParsableArguments {
    @Flag(help: "Print the exact change and touch nothing.")
    var dryRun = false

    @Flag(help: "Change even though a PTP daemon (ptp4l, phc2sys, ts2phc, chronyd) uses the interface or its clocks.")
    var force = false

    @Flag(
        help:
            "Print one JSON document: per interface the plan, the request sent, the state before and after, verified, rolled back (Schemas/change.schema.json)."
    )
    var json = false
}

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Choose an interface's timestamping provider (MAC or PHY) and its tx type and rx filter.",
        discussion: """
            One TSCONFIG_SET carries the provider, tx and rx together (switching provider \
            turns the old one off and starts the new one from tx off, rx none, so tsctl \
            carries the current tx/rx over unless you give them). The result is read back \
            and verified; if verification fails the previous provider and configuration \
            are restored. When the interface is already as asked, nothing is sent (exit 10, \
            as apply). --dry-run exits as the real run would: 0 would change, 10 nothing to do. \
            Another tsctl changing the interface is waited for up to 10 s (exit 13 after; at once \
            when an apply --keep holds it). SIGINT/SIGTERM wait until the change is \
            verified and reported (exit 130/143). \
            Needs CAP_NET_ADMIN. Before Linux 6.14 only tx/rx can be set (SIOCSHWTSTAMP).
            """
    )

    @Argument(help: "The interface.", completion: Completion.interfaces)
    var interface: String

    @Option(help: ArgumentHelp("The provider: \(SourceSpec.help).", valueName: "source"))
    var source: SourceArg?

    @Option(help: "The provider's qualifier.")
    var qualifier: QualifierArg?

    @Option(help: "Transmit timestamping.", completion: Completion.txTypes)
    var tx: TxType?

    @Option(help: "Receive filter.", completion: Completion.rxFilters)
    var rx: RxFilter?

    @Option(parsing: .upToNextOption, help: "hwtstamp flags (replaces the current ones).", completion: Completion.flags)
    var flags: [HwtstampFlag] = []

    @Flag(help: "Clear the hwtstamp flags.")
    var noFlags = false

    @OptionGroup var options: ChangeOptions

    func validate() throws {
        try validateInterfaceNames([interface])
        if source == nil && qualifier == nil && tx == nil && rx == nil && flags.isEmpty && !noFlags {
            throw ValidationError("nothing to set: give --source, --qualifier, --tx, --rx or --flags")
        }
        if noFlags && !flags.isEmpty { throw ValidationError("--flags and --no-flags exclude each other") }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        if options.json { JSONMode.command = "set" }
        let desired = Desired(
            source: source?.spec, qualifier: qualifier.flatMap { Qualifier(name: $0.rawValue) },
            txType: tx, rxFilter: rx,
            flags: noFlags ? [] : (flags.isEmpty ? nil : flags))
        try ChangeSession.requireNetAdmin(dryRun: options.dryRun)
        let session = try ChangeSession.open()
        var snap = try session.snapshot([interface])
        if !options.dryRun, let first = snap.interfaces.first {
            // From here a signal waits until the change is verified and reported.
            Signals.deferTermination()
            // Locked, then read again: the state planned from (and rolled back
            // to) is the one no other tsctl can change under us.
            try session.lock([first], purpose: "set \(first.displayName)", keep: false)
            snap = try session.snapshot([interface])
        }
        guard let itf = snap.interfaces.first else {
            throw TsctlFailure(.noSuchDevice, "no such interface: \(InterfaceName.display(interface))")
        }
        let plan: InterfacePlan
        switch Planner.plan(itf, desired, kernel: snap.kernel) {
        case .success(let p): plan = p
        case .failure(let e): throw TsctlFailure(e)
        }
        let report = ChangeReport(command: "set", kernel: snap.kernel, file: nil, options: options)
        let name = InterfaceName.display(interface)
        // A dry run ends as the real run would: 0 when it would change, 10 when nothing is to do.
        if plan.isNoOp || options.dryRun {
            report.text(plan.notes.map { "note: \($0)" })
            report.text(["\(name): " + (plan.isNoOp ? "\(plan.changeDescription); nothing sent" : "would change \(plan.changeDescription)")]
            )
            let status: ExitStatus = plan.isNoOp ? .nothingToDo : .ok
            report.json([ChangeRecord(plan: plan, outcome: plan.isNoOp ? .unchanged : .wouldChange)], status, nil)
            if status != .ok { throw TsctlExit(status) }
            return
        }
        try session.refuseIfDaemons([itf], force: options.force)
        report.text(plan.notes.map { "note: \($0)" })
        let outcome = session.applyAll([plan])
        report.text([outcome.report], terminator: "")
        report.json(outcome.records, outcome.failure?.status ?? .ok, outcome.failure?.message)
        if let failure = outcome.failure { throw failure }
    }
}

/// set/apply output: text for people, or one JSON document (--json).
struct ChangeReport {
    var command: String
    var kernel: KernelInfo
    var file: String?
    var options: ChangeOptions

    func text(_ lines: [String], terminator: String = "\n") {
        guard !options.json else { return }
        for l in lines { print(l, terminator: terminator) }
    }

    func json(_ records: [ChangeRecord], _ status: ExitStatus, _ error: String?) {
        guard options.json else { return }
        print(
            ChangeRecord.document(
                command: command, kernel: kernel, file: file, dryRun: options.dryRun, records: records,
                exitStatus: status.rawValue, error: error
            ).serialized())
        JSONMode.printed = true
    }
}

extension TsctlFailure {
    init(_ e: PlanError) {
        switch e.kind {
        case .noSuchInterface, .noSuchProvider: self.init(.noSuchDevice, e.message)
        case .notSupported: self.init(.notSupported, e.message)
        case .needsConfig: self.init(.usage, e.message)
        case .conflict, .noMatch: self.init(.badInputFile, e.message)
        }
    }
}

/// What set and apply share: the kernel, the daemon guard, and the
/// transaction over a list of plans.
final class ChangeSession {
    let kernel: KernelSession

    init(kernel: KernelSession) { self.kernel = kernel }

    /// Changing needs CAP_NET_ADMIN; say so before reading or planning anything.
    static func requireNetAdmin(dryRun: Bool) throws {
        if !dryRun && !Sys.hasNetAdmin() {
            throw TsctlFailure(.permissionDenied, "setting timestamping needs CAP_NET_ADMIN (run as root); nothing was changed")
        }
    }

    static func open() throws -> ChangeSession {
        do { return ChangeSession(kernel: try KernelSession.open()) } catch { throw TsctlFailure(error) }
    }

    func snapshot(_ names: [String]?) throws -> Snapshot {
        do { return try kernel.snapshot(names: names) } catch { throw TsctlFailure(error) }
    }

    /// The desired state with its altnames resolved (DesiredState.resolvingAltnames):
    /// the kernel names the interface an altname belongs to.
    func resolvingAltnames(_ state: DesiredState, _ snap: Snapshot) -> DesiredState {
        state.resolvingAltnames(in: snap.interfaces, primaryNames: kernel.primaryNames)
    }

    func refuseIfDaemons(_ itfs: [InterfaceSnapshot], force: Bool) throws {
        guard !force else { return }
        let daemons = PTPDaemons.scan().daemons
        for itf in itfs {
            if let d = Self.daemon(using: itf, among: daemons) {
                throw TsctlFailure(
                    .refused, "\(d.label) uses \(itf.displayName) or its clocks (\(d.commandLine)); stop it first or use --force")
            }
        }
    }

    /// The daemon that uses the interface or one of its clocks, if any.
    static func daemon(using itf: InterfaceSnapshot, among daemons: [PTPDaemon]) -> PTPDaemon? {
        let clocks = Set(itf.phcs.map(\.index))
        return daemons.first { d in
            d.interfaces.contains { sameName($0, itf.name) } || d.interfaces.contains("*")
                || !clocks.isDisjoint(with: d.namedPHCs + (d.openPHCs ?? []))
        }
    }

    struct Outcome {
        /// One line per thing that happened, in the order it happened.
        var report: String
        /// One record per plan given, in that order.
        var records: [ChangeRecord]
        var failure: TsctlFailure?
    }

    /// Runs the transaction (Sources/TsctlChange/Transaction.swift) and says how it
    /// ended. SIGINT/SIGTERM/SIGHUP (deferred by Signals) are asked for between
    /// interfaces, never in the middle of a change; exit 128 + the signal number.
    func applyAll(_ plans: [InterfacePlan]) -> Outcome {
        let t = Transaction.run(plans, kernel: kernel) {
            let sig = Signals.pending
            return sig == 0 ? nil : StopRequest(signal: sig, name: Signals.name(sig))
        }
        let failure = t.summary.map { TsctlFailure(ExitStatus(t.result), $0) }
        return Outcome(report: t.reportText, records: t.records, failure: failure)
    }

    /// The locks this session holds, by ifindex (kept until the process ends).
    private var locks: [UInt32: InterfaceLock] = [:]

    /// Lets go of the locks of interfaces not in `ifindexes`: the --keep loop
    /// holds only what its file still names (a renamed device is another
    /// user's to change).
    func releaseLocks(except ifindexes: Set<Int>) {
        for k in locks.keys where !ifindexes.contains(Int(k)) { locks[k] = nil }
    }

    /// Takes the lock of each interface before it is changed (see
    /// InterfaceLock): a one-off writer waits up to 10 s for another, a
    /// `--keep` instance refuses at once. Exit 13 when it cannot.
    func lock(_ itfs: [InterfaceSnapshot], purpose: String, keep: Bool) throws {
        for itf in itfs where locks[UInt32(itf.ifindex)] == nil {
            do {
                locks[UInt32(itf.ifindex)] = try InterfaceLock.acquire(
                    ifindex: UInt32(itf.ifindex), purpose: purpose, keep: keep, waitSeconds: 10
                ) { holder in
                    Sys.printError("tsctl: waiting up to 10 s for \(holder), which is changing \(itf.displayName)")
                }
            } catch {
                switch error {
                case .busy(let holder, let keeps):
                    let why = keeps ? "keeps it applied" : keep ? "is changing it" : "is still changing it after 10 s"
                    throw TsctlFailure(.busy, "\(itf.displayName) is locked: \(holder) \(why); nothing was changed")
                case .interrupted(let sig):
                    throw TsctlFailure(
                        .stopped(by: sig),
                        "stopped by \(Signals.name(sig)) while waiting for the lock of \(itf.displayName); nothing was changed")
                case .system(let e):
                    throw TsctlFailure(
                        e.failure.kind == .permission ? .permissionDenied : .kernelError,
                        "cannot take the lock of \(itf.displayName): \(e); nothing was changed")
                case .unsafeDirectory(let why):
                    throw TsctlFailure(.kernelError, "cannot take the lock of \(itf.displayName): \(why); nothing was changed")
                }
            }
        }
    }
}
