import TsctlSystem

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

public enum PTPDaemons {
    public static let programs: Set<String> = ["ptp4l", "phc2sys", "ts2phc", "chronyd"]

    /// The daemons running now, from one /proc walk plus their config files.
    public static func scan(procRoot: String = "/proc") -> [PTPDaemon] {
        Sys.processes(named: programs, procRoot: procRoot).compactMap { p in
            let files = configFiles(p)
            var texts: [String: String] = [:]
            for f in files { texts[f] = Sys.readFile(f) }
            return interpret(p, configs: texts)
        }
    }

    static func configFiles(_ p: ProcessInfoRecord) -> [String] {
        if p.comm == "chronyd" {
            if let i = p.argv.firstIndex(of: "-f"), i + 1 < p.argv.count { return [p.argv[i + 1]] }
            return ["/etc/chrony/chrony.conf", "/etc/chrony.conf"]
        }
        if let i = p.argv.firstIndex(of: "-f"), i + 1 < p.argv.count { return [p.argv[i + 1]] }
        return []
    }

    /// What a daemon's command line and config say it uses. Pure: tested on argv.
    public static func interpret(_ p: ProcessInfoRecord, configs: [String: String]) -> PTPDaemon? {
        var ifs: [String] = []
        var phcs: [Int] = []
        func clock(_ v: String) {
            if v.hasPrefix("/dev/ptp"), let n = Int(v.dropFirst(8)) { phcs.append(n) } else if !v.hasPrefix("CLOCK_") && !v.hasPrefix("/") { ifs.append(v) }
        }
        let a = p.argv
        var i = 1
        while i < a.count {
            let arg = a[i]
            let next = i + 1 < a.count ? a[i + 1] : nil
            switch (p.comm, arg) {
            case ("ptp4l", "-i"): if let next { ifs.append(next); i += 1 }
            case ("ptp4l", "-p"): if let next { clock(next); i += 1 }
            case ("phc2sys", "-s"), ("phc2sys", "-c"), ("ts2phc", "-c"), ("ts2phc", "-s"):
                if let next { clock(next); i += 1 }
            case ("phc2sys", "-i"): if let next { ifs.append(next); i += 1 }
            default: break
            }
            i += 1
        }
        for (_, text) in configs {
            for raw in text.split(separator: "\n") {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                    .trimmingCharacters(in: " \t") ?? ""
                if p.comm == "chronyd" {
                    let words = line.split(separator: " ", omittingEmptySubsequences: true)
                    if words.first == "hwtimestamp", words.count > 1 { ifs.append(String(words[1])) }
                } else if line.hasPrefix("["), line.hasSuffix("]") {
                    // ptp4l/ts2phc sections: [global] and one per interface.
                    let name = String(line.dropFirst().dropLast())
                    if name != "global" && !name.contains(" ") && !name.hasPrefix("unicast_master_table") { ifs.append(name) }
                }
            }
        }
        var seen = Set<String>()
        ifs = ifs.filter { seen.insert($0).inserted }
        return PTPDaemon(pid: p.pid, program: p.comm, interfaces: ifs, namedPHCs: phcs, openPHCs: p.openPHCs,
                         commandLine: a.joined(separator: " "))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
