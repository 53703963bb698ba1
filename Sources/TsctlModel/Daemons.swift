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

extension PTPDaemon {
    /// Whether its command line or config names the interface ("*": every one).
    /// What `check` reports a daemon by (its clocks are a finding of their own).
    public func names(_ itf: InterfaceSnapshot) -> Bool {
        interfaces.contains { sameName($0, itf.name) } || interfaces.contains("*")
    }

    /// Whether it uses the interface: names it, or uses one of its clocks (named
    /// on its command line or held open). What a change must not pull from under it.
    public func uses(_ itf: InterfaceSnapshot) -> Bool {
        names(itf) || !Set(itf.phcs.map(\.index)).isDisjoint(with: namedPHCs + (openPHCs ?? []))
    }
}
