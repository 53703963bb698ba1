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

    /// "…following:\n  - a\n  - b" -> "…following: a, b"
    static func oneLine(_ text: String) -> String {
        var head = "", items: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.drop { $0 == " " }
            if line.hasPrefix("- ") { items.append(String(line.dropFirst(2))) } else { head += (head.isEmpty ? "" : " ") + line }
        }
        return items.isEmpty ? head : head + " " + items.joined(separator: ", ")
    }

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
            if let twice = givenTwice(args[...]) {
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
            let line = "\(oneLine(message(for: error))) (see `tsctl --help`)"
            JSONMode.fail(CommandLine.arguments.dropFirst(), .usage, line)
            Sys.printError("tsctl: \(line)")
            Sys.exitProcess(ExitStatus.usage.rawValue)
        }
    }
}

/// Options that take one value: given twice, the second would silently win.
let singleValueOptions: Set<String> = [
    "--source", "--qualifier", "--tx", "--rx", "--format", "--output", "--expect", "--baseline", "--prefer", "--sample",
    "--interval", "--wait", "--netns"
]

/// "--tx is given twice (on, then off); give it once", or nil.
func givenTwice(_ args: ArraySlice<String>) -> String? {
    var seen: [String: String] = [:]
    var i = args.startIndex
    while i < args.endIndex {
        let a = args[i]
        if a == "--" { return nil }
        let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
        if let name = parts.first, singleValueOptions.contains(name) {
            var value = parts.count == 2 ? parts[1] : ""
            if parts.count == 1, i + 1 < args.endIndex {
                value = args[i + 1]
                i += 1
            }
            if let first = seen[name] {
                let shown = [first, value].map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }
                return "\(name) is given twice (\(shown[0]), then \(shown[1])); give it once (see `tsctl --help`)"
            }
            seen[name] = value
        }
        i += 1
    }
    return nil
}
