public import TsctlModel

/// What `tsctl watch` needs of the system: the kernel's answers, link events,
/// stop requests and the output, so a test drives the loop without a kernel,
/// a signal or a clock.
public protocol WatchSystem: AnyObject {
    /// The watched interfaces' states now.
    func states() throws(KernelFailure) -> [(String, WatchState)]
    /// Waits up to `milliseconds` for a link event: true when one came.
    func linkEvent(milliseconds: Int32) -> Bool
    /// A signal asked tsctl to stop, or the output failed.
    var stopRequested: Bool { get }
    /// Nobody reads the output any more (`watch | head -1`).
    var readerGone: Bool { get }
    /// Writes events (never none); a failed write makes `stopRequested` true.
    func emit(_ events: [WatchEvent])
}

/// How a watch ended.
public enum WatchEnd: Equatable, Sendable {
    /// A stop request (or a failed write) ended it.
    case stopped
    /// The output's reader went away: nothing would ever read on.
    case readerGone
}

/// The loop of `tsctl watch`: the state first, then, on every link event and
/// every `interval` seconds, what changed since the last read.
public struct Watcher: Sendable {
    /// Seconds between re-reads when no link event comes.
    public var interval: Double

    public init(interval: Double) { self.interval = interval }

    public func run(_ system: some WatchSystem) throws(KernelFailure) -> WatchEnd {
        var previous = try system.states()
        emit(previous.map { .state($0.0, $0.1) }, to: system)
        while !system.stopRequested {
            guard let woke = wait(system) else { return .readerGone }
            if !woke { break }
            let now = try system.states()
            emit(WatchEvent.diff(previous, now), to: system)
            previous = now
        }
        return .stopped
    }

    /// Waits for a link event or the interval, in slices of at most 100 ms so
    /// a stop request ends it promptly: true to re-read, false when a stop was
    /// requested, nil when the reader is gone.
    func wait(_ system: some WatchSystem) -> Bool? {
        var waited = 0.0
        var event = false
        while !system.stopRequested && waited < interval && !event {
            let slice = min(0.1, interval - waited)
            event = system.linkEvent(milliseconds: Int32(slice * 1000))
            waited += slice
            if system.readerGone { return nil }
        }
        return !system.stopRequested
    }

    func emit(_ events: [WatchEvent], to system: some WatchSystem) {
        if !events.isEmpty { system.emit(events) }
    }
}

/// The states `tsctl watch` follows, read from the kernel: every interface's,
/// or those of `names` that exist.
public struct KernelWatchStates {
    let kernel: KernelSession
    let names: [String]

    public init(kernel: KernelSession, names: [String]) {
        self.kernel = kernel
        self.names = names
    }

    public func read() throws(KernelFailure) -> [(String, WatchState)] {
        let links = try kernel.linkStates()
        var snap = try kernel.snapshot(names: nil)
        if !names.isEmpty { snap.interfaces = snap.interfaces.filter { names.contains($0.name) } }
        return snap.interfaces.map { ($0.name, WatchState($0, link: links[$0.name] ?? "unknown")) }
    }
}
