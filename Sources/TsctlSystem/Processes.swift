/// A running process as /proc shows it.
public struct ProcessInfoRecord: Equatable, Sendable {
    public var pid: Int
    public var comm: String
    public var argv: [String]
    /// PHC indexes of the /dev/ptpN files it holds open; nil when its fds cannot be read.
    public var openPHCs: [Int]?

    public init(pid: Int, comm: String, argv: [String], openPHCs: [Int]?) {
        self.pid = pid
        self.comm = comm
        self.argv = argv
        self.openPHCs = openPHCs
    }
}

extension Sys {
    /// Processes whose command name is one of `names` (one /proc walk).
    public static func processes(named names: Set<String>, procRoot: String = "/proc") -> [ProcessInfoRecord] {
        var out: [ProcessInfoRecord] = []
        for entry in listDirectory(procRoot) ?? [] {
            guard let pid = Int(entry), let comm = readAttr("\(procRoot)/\(entry)/comm"), names.contains(comm) else { continue }
            let argv = (readFile("\(procRoot)/\(entry)/cmdline") ?? "").split(separator: "\0").map(String.init)
            var phcs: [Int]? = nil
            if let fds = listDirectory("\(procRoot)/\(entry)/fd") {
                phcs = []
                for fd in fds {
                    if let target = readLink("\(procRoot)/\(entry)/fd/\(fd)"), target.hasPrefix("/dev/ptp"),
                       let n = Int(target.dropFirst(8)) {
                        phcs!.append(n)
                    }
                }
            }
            out.append(ProcessInfoRecord(pid: pid, comm: comm, argv: argv, openPHCs: phcs))
        }
        return out.sorted { $0.pid < $1.pid }
    }
}
