import ArgumentParser
import TsctlChange
import TsctlModel

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Bring many interfaces to the state a desired-state file describes, all or nothing.",
        discussion: """
            Everything is validated before anything changes (interfaces and providers exist, \
            tx and rx are within each provider's capabilities); then the plan is applied in \
            file order and verified; on any failure every interface already changed is \
            rolled back and the rollback verified. Exit 0 applied, 10 nothing to do (--dry-run: \
            0 would change, 10 nothing to do), 3 two entries match one interface or a glob/driver \
            entry matches nothing (unless optional = true), 7 failed and rolled back, 8 rollback \
            incomplete, 9 timed out waiting (--wait), 13 another tsctl holds an interface (a --keep \
            instance holds its interfaces while it runs), 130/143 stopped by SIGINT/SIGTERM after \
            finishing or undoing the change under way. The file \
            format is in docs/desired-state.md; `tsctl check --expect FILE` verifies the same \
            file without changing anything.
            """
    )

    @Argument(help: "The desired-state file (TOML).", completion: .file())
    var file: String

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Wait up to this many seconds for the interfaces and providers to appear (a PHY's clock appears when the PHY attaches).",
            valueName: "seconds"))
    var wait: Double = 0

    @Flag(
        help:
            "Keep it applied: re-apply when an interface comes back up or drifts (the kernel forgets a PHY selection when the PHY detaches). Beside a PTP daemon only the provider is kept; tx/rx are the daemon's (unless --force). Runs until stopped."
    )
    var keep = false

    @Option(
        parsing: .unconditional, help: ArgumentHelp("With --keep: also re-check every so many seconds.", valueName: "seconds"))
    var interval: Double = 30

    @OptionGroup var options: ChangeOptions

    func validate() throws {
        // Written so NaN fails too; the upper bounds keep the milliseconds within Int32.
        if !(wait >= 0 && wait <= 86400) { throw ValidationError("--wait takes 0 to 86400 seconds, not \(wait)") }
        if !(interval >= 0.1 && interval <= 86400) { throw ValidationError("--interval takes 0.1 to 86400 seconds, not \(interval)") }
        if keep && options.dryRun { throw ValidationError("--keep and --dry-run exclude each other") }
        if keep && options.json { throw ValidationError("--keep and --json exclude each other (--keep runs until stopped)") }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        if options.json { JSONMode.command = "apply" }
        let state = try loadDesiredState(file)
        let request = ApplyRequest(state: state, file: file, wait: wait, keep: keep, interval: interval)
        try ChangeSession(.live, settings: options.settings).apply(request)
    }
}
