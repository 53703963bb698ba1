import ArgumentParser
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlRender
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT/SIGTERM; the loop looks at it at least every 100 ms.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

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
        // A parent may have left them blocked (or ignored, for a background job): take them over.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { _ in stopRequested = 1 }
            sigaction(sig, &sa, nil)
            sigaddset(&set, sig)
        }
        sigprocmask(SIG_UNBLOCK, &set, nil)
        var previous = try current(kernel)
        emit(previous.map { .state($0.0, $0.1) })
        while stopRequested == 0 {
            // Wait for a link event or the interval, in slices so a signal ends it promptly.
            var waited = 0.0
            var event = false
            while stopRequested == 0 && waited < interval && !event {
                let slice = min(0.1, interval - waited)
                event = (try? monitor.next(timeoutMilliseconds: Int32(slice * 1000))) != nil
                waited += slice
                // Its reader gone (`watch | head -1`), nothing would ever read on: stop.
                if Sys.standardOutputReaderGone() { return }
            }
            if stopRequested != 0 { break }
            let now = try current(kernel)
            emit(WatchEvent.diff(previous, now))
            previous = now
        }
        fflush(nil)
    }

    /// The watched interfaces' states now.
    func current(_ kernel: KernelSession) throws -> [(String, WatchState)] {
        let links: [String: String]
        do { links = try kernel.linkStates() } catch { throw TsctlFailure(error) }
        var snap: Snapshot
        do { snap = try kernel.snapshot(names: nil) } catch { throw TsctlFailure(error) }
        if !interfaces.isEmpty { snap.interfaces = snap.interfaces.filter { interfaces.contains($0.name) } }
        return snap.interfaces.map { ($0.name, WatchState($0, link: links[$0.name] ?? "unknown")) }
    }

    func emit(_ events: [WatchEvent]) {
        guard !events.isEmpty else { return }
        let t = Self.timestamp()
        for e in events { print(json ? e.json(time: t).serialized(pretty: false) : e.text(time: t)) }
        fflush(nil)
        if Sys.standardOutputFailed() { stopRequested = 1 }
    }

    /// UTC, milliseconds: 2026-11-25T15:47:18.123Z.
    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 32)
        let n = strftime(&buf, buf.count, "%Y-%m-%dT%H:%M:%S", &tmv)
        let ms = Int(tv.tv_usec) / 1000
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "." + (ms < 10 ? "00" : ms < 100 ? "0" : "")
            + "\(ms)Z"
    }
}
