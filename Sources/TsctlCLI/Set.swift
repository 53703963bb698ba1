import ArgumentParser
import TsctlChange
import TsctlModel

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

    var settings: ChangeSettings { ChangeSettings(dryRun: dryRun, force: force, json: json) }
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
        try ChangeSession(.live, settings: options.settings).set(interface, desired)
    }
}
