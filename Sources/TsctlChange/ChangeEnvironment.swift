public import TsctlModel

// What a change session needs from the world, as small protocols: the kernel
// target, the system target and the CLI provide them; tests give fakes.

/// Why an interface's lock could not be taken.
public enum LockFailure: Error, Equatable {
    /// Another tsctl holds it; `holder` is what it wrote ("pid 42: tsctl apply --keep a.toml").
    case busy(holder: String, keeps: Bool)
    /// A stop request arrived while waiting for it.
    case interrupted(StopRequest)
    /// The lock file could not be used: the call and its error, and whether it was a permission error.
    case system(String, permission: Bool)
    case unsafeDirectory(String)
}

/// One writer per interface (the system target's InterfaceLock).
public protocol InterfaceLocking: AnyObject {
    /// Takes the lock of one interface, held as long as the value returned is.
    /// Held by a `--keep` instance (or when `keep` is asked): refused at once.
    /// Held by a one-off writer: `waiting` is called once and the lock retried
    /// until `waitSeconds` have passed.
    func acquire(
        ifindex: UInt32, purpose: String, keep: Bool, waitSeconds: Double, waiting: (String) -> Void
    ) throws(LockFailure) -> AnyObject
}

/// The PTP daemons running now (only the ones tsctl believes).
public protocol DaemonScanning: AnyObject {
    func scan() -> [PTPDaemon]
}

/// SIGINT, SIGTERM and SIGHUP, noted rather than acted on once deferred.
public protocol StopRequests: AnyObject {
    /// From here on a stop request waits until nothing is half done.
    func deferStops()
    /// The first stop request since `deferStops()`, or nil.
    var pending: StopRequest? { get }
}

/// Time, for the waits of `apply --wait` and `--keep`.
public protocol ChangeClock: AnyObject {
    /// Seconds on a monotonic clock.
    var now: Double { get }
    func sleep(seconds: Double)
}

/// Links coming up (`apply --keep`).
public protocol LinkEventSource: AnyObject {
    /// The names of links that came up, or nil after the timeout.
    func next(timeoutMilliseconds: Int32) throws(KernelFailure) -> [String]?
}

/// Where a change session's words go.
public protocol ChangeOutput: AnyObject {
    /// A line of the report (standard output).
    func text(_ line: String, terminator: String)
    /// A line of `--keep`'s log, on standard output at once.
    func log(_ line: String)
    /// A line on standard error.
    func warn(_ line: String)
    /// The one `--json` document.
    func document(_ json: JSON)
    /// Tells a service manager the first apply is done (sd_notify).
    func ready(_ state: String)
}

/// Everything a change session uses.
public struct ChangeEnvironment {
    /// Whether the process may change timestamping (CAP_NET_ADMIN).
    public var privileged: Bool
    public var openKernel: () throws(KernelFailure) -> any ChangeKernel
    public var locks: any InterfaceLocking
    public var daemons: any DaemonScanning
    public var stops: any StopRequests
    public var clock: any ChangeClock
    public var linkEvents: () throws(KernelFailure) -> any LinkEventSource
    public var output: any ChangeOutput

    public init(
        privileged: Bool, openKernel: @escaping () throws(KernelFailure) -> any ChangeKernel, locks: any InterfaceLocking,
        daemons: any DaemonScanning, stops: any StopRequests, clock: any ChangeClock,
        linkEvents: @escaping () throws(KernelFailure) -> any LinkEventSource, output: any ChangeOutput
    ) {
        self.privileged = privileged
        self.openKernel = openKernel
        self.locks = locks
        self.daemons = daemons
        self.stops = stops
        self.clock = clock
        self.linkEvents = linkEvents
        self.output = output
    }
}

/// What set and apply are asked: --dry-run, --force, --json.
public struct ChangeSettings: Sendable {
    public var dryRun: Bool
    public var force: Bool
    public var json: Bool

    public init(dryRun: Bool, force: Bool, json: Bool) {
        self.dryRun = dryRun
        self.force = force
        self.json = json
    }
}
