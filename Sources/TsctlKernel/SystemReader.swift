public import TsctlSystem

/// What the inventory reads outside netlink: sysfs files and links, the
/// kernel release, ifindex names and SIOCGHWTSTAMP. The live reader asks the
/// system; a recorded trace (KernelTrace) answers the same questions in tests.
public protocol SystemReader: AnyObject {
    func readFile(_ path: String) -> String?
    func readLink(_ path: String) -> String?
    func realPath(_ path: String) -> String?
    func listDirectory(_ path: String) -> [String]?
    func exists(_ path: String) -> Bool
    func kernelRelease() -> String
    func interfaceName(_ index: UInt32) -> String?
    func hwtstampConfig(_ device: String) -> Result<HwtstampIoctl.Config, SystemError>
}

extension SystemReader {
    /// A sysfs attribute without its trailing newlines (Sys.readAttr).
    public func readAttr(_ path: String) -> String? {
        guard var s = readFile(path) else { return nil }
        while s.last == "\n" { s.removeLast() }
        return s
    }

    public func readInt(_ path: String) -> Int? { readAttr(path).flatMap { Int($0) } }
}

/// The running system.
public final class LiveSystem: SystemReader {
    public init() {}
    public func readFile(_ path: String) -> String? { Sys.readFile(path) }
    public func readLink(_ path: String) -> String? { Sys.readLink(path) }
    public func realPath(_ path: String) -> String? { Sys.realPath(path) }
    public func listDirectory(_ path: String) -> [String]? { Sys.listDirectory(path) }
    public func exists(_ path: String) -> Bool { Sys.exists(path) }
    public func kernelRelease() -> String { Sys.kernelRelease() }
    public func interfaceName(_ index: UInt32) -> String? { Sys.interfaceName(index) }
    public func hwtstampConfig(_ device: String) -> Result<HwtstampIoctl.Config, SystemError> {
        do { return .success(try HwtstampIoctl.getConfig(device)) } catch { return .failure(error) }
    }
}
