/// A PTP daemon and what it uses: the interfaces it timestamps on and the
/// clocks it names or holds open.
public struct PTPDaemon: Equatable, Sendable {
    public var pid: Int
    public var program: String
    public var interfaces: [String]
    /// PHCs named on its command line (-p /dev/ptpN, -s/-c /dev/ptpN).
    public var namedPHCs: [Int]
    /// PHCs it holds open; nil when its file descriptors cannot be read (not root).
    public var openPHCs: [Int]?
    public var commandLine: String

    public init(pid: Int, program: String, interfaces: [String], namedPHCs: [Int], openPHCs: [Int]?, commandLine: String) {
        self.pid = pid
        self.program = program
        self.interfaces = interfaces
        self.namedPHCs = namedPHCs
        self.openPHCs = openPHCs
        self.commandLine = commandLine
    }

    public var label: String { "\(program)[\(pid)]" }
}

/// A process named like a PTP daemon that tsctl did not believe, or a
/// daemon's config file it did not read, and why: `check` reports both.
public struct IgnoredDaemon: Equatable, Sendable {
    public var pid: Int
    public var program: String
    public var reason: String
    public init(pid: Int, program: String, reason: String) {
        self.pid = pid
        self.program = program
        self.reason = reason
    }
    public var label: String { "\(program)[\(pid)]" }
}
