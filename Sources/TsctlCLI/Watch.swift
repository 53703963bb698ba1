import ArgumentParser
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlRender
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            "Print a line whenever an interface's providers, advertised or active provider and configuration, PHYs or link state change.",
        discussion: """
            The kernel sends no notification when the timestamping configuration or the \
            provider changes (a PHY detach silently resets a PHY selection), so tsctl \
            re-reads on every link event (RTNLGRP_LINK) and every --interval seconds. \
            The first lines give each interface's state. Ends with exit 0 on SIGINT or SIGTERM.
            """
    )

    @Argument(
        help: "Interfaces to watch (default: every interface); names that do not exist yet are watched for.",
        completion: Completion.interfaces)
    var interfaces: [String] = []

    @Option(
        parsing: .unconditional, help: ArgumentHelp("Seconds between re-reads when no link event comes.", valueName: "seconds"))
    var interval: Double = 1

    @Flag(help: "One JSON object per line.")
    var json = false

    @OptionGroup var namespace: NamespaceOption

    func validate() throws {
        try validateInterfaceNames(interfaces)
        if !(interval >= 0.1 && interval <= 3600) {
            throw ValidationError("--interval takes seconds between 0.1 and 3600, e.g. --interval 1")
        }
    }

    func run() throws {
        try namespace.enter()
        let kernel: KernelSession
        let monitor: LinkEvents
        do { kernel = try KernelSession.open() } catch { throw TsctlFailure(error) }
        do { monitor = try LinkEvents() } catch { throw TsctlFailure(error) }
        Signals.catchStops()
        let system = StandardWatch(states: KernelWatchStates(kernel: kernel, names: interfaces), monitor: monitor, json: json)
        let end: WatchEnd
        do { end = try Watcher(interval: interval).run(system) } catch { throw TsctlFailure(error) }
        if end == .stopped { fflush(nil) }
    }
}

/// `tsctl watch` on this system: the kernel, rtnetlink's link events, the
/// signals, standard output.
final class StandardWatch: WatchSystem {
    let kernelStates: KernelWatchStates
    let monitor: LinkEvents
    let json: Bool
    var outputFailed = false

    init(states: KernelWatchStates, monitor: LinkEvents, json: Bool) {
        (kernelStates, self.monitor, self.json) = (states, monitor, json)
    }

    func states() throws(KernelFailure) -> [(String, WatchState)] { try kernelStates.read() }
    func linkEvent(milliseconds: Int32) -> Bool { (try? monitor.next(timeoutMilliseconds: milliseconds)) != nil }
    var stopRequested: Bool { Signals.pending != 0 || outputFailed }
    var readerGone: Bool { Sys.standardOutputReaderGone() }

    func emit(_ events: [WatchEvent]) {
        let t = Sys.utcTimestamp()
        for e in events { print(json ? e.json(time: t).serialized(pretty: false) : e.text(time: t)) }
        fflush(nil)
        if Sys.standardOutputFailed() { outputFailed = true }
    }
}
