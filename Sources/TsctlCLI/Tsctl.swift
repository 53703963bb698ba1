public import ArgumentParser
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

public struct Tsctl: ParsableCommand {
    public static let version = BuildInfo.version

    public static let configuration = CommandConfiguration(
        commandName: "tsctl",
        abstract: "Inspect and configure hardware timestamping (PTP) per layer: the MAC and each PHY.",
        discussion: """
            tsctl shows every timestamp provider of an interface side by side (the MAC's PTP \
            clock, each PHY's), which one the kernel advertises (what ptp4l and `ethtool -T` \
            see) and which one is active (configured).

            EXIT STATUS
            \(ExitStatus.table)
            """,
        version: BuildInfo.versionLine,
        subcommands: [Show.self, SetCommand.self, ApplyCommand.self, CheckCommand.self, ProbeCommand.self, WatchCommand.self]
    )

    public init() {}

    /// argv as the kernel passed it: CommandLine.arguments repairs invalid
    /// UTF-8 (an interface name \xff\xfe would become U+FFFD U+FFFD), so each
    /// argument is taken from its bytes, losslessly (OSString).
    static func arguments() -> [String] {
        (1..<Int(CommandLine.argc)).map { i in
            guard let p = CommandLine.unsafeArgv[i] else { return "" }
            // ArraySlice: the non-generic overload (ASCII copied as it is).
            return OSString.decode(ArraySlice(UnsafeRawBufferPointer(start: p, count: strlen(p))))
        }
    }

    /// Runs the command line and exits with a code from ExitStatus.
    public static func runMain() -> Never {
        Sys.checkStandardDescriptors()
        Sys.retryStandardOutputWrites()
        do {
            let args = arguments()
            if let twice = ArgumentRules.givenTwice(args[...]) {
                JSONMode.fail(args[...], .usage, twice)
                Sys.printError("tsctl: \(twice)")
                Sys.exitProcess(ExitStatus.usage.rawValue)
            }
            if let fast = Show.fastPath(args[...]) ?? CheckCommand.fastPath(args[...]) {
                try fast()
                Sys.exitProcess(ExitStatus.ok.rawValue)
            }
            var command = try parseAsRoot(args)
            try command.run()
            Sys.exitProcess(ExitStatus.ok.rawValue)
        } catch let lost as StandardOutputLost {
            Sys.exitProcess(ExitStatus.ok.rawValue, outputError: lost.errno)
        } catch let done as TsctlExit {
            Sys.exitProcess(done.status.rawValue)
        } catch let failure as TsctlFailure {
            JSONMode.fail(CommandLine.arguments.dropFirst(), failure.status, failure.message)
            Sys.printError("tsctl: \(failure.message)")
            Sys.exitProcess(failure.status.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Sys.exitProcess(ExitStatus.ok.rawValue)
            }
            // One line: ArgumentParser lists valid values on lines of their own.
            let line = "\(ArgumentRules.oneLine(message(for: error))) (see `tsctl --help`)"
            JSONMode.fail(CommandLine.arguments.dropFirst(), .usage, line)
            Sys.printError("tsctl: \(line)")
            Sys.exitProcess(ExitStatus.usage.rawValue)
        }
    }
}
