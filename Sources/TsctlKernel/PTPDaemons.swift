public import TsctlModel
public import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

public enum PTPDaemons {
    public static let programs: Set<String> = ["ptp4l", "phc2sys", "ts2phc", "chronyd"]
    /// Daemons' config files are small; more is not a config file.
    public static let configLimit = 1 << 20
    /// Accounts below this uid are system accounts (Debian's SYS_UID_MAX is
    /// 999): root and daemon users such as chronyd's, never a person's login.
    public static let firstUserUID: UInt32 = 1000

    public struct Scan: Sendable {
        public var daemons: [PTPDaemon]
        public var ignored: [IgnoredDaemon]
    }

    /// The daemons running now, from one /proc walk plus their config files.
    /// Only processes a local user cannot fake are believed (see `distrust`).
    public static func scan(procRoot: String = "/proc", programs: Set<String> = programs) -> Scan {
        var result = Scan(daemons: [], ignored: [])
        let netns = Sys.ownNetworkNamespace()
        for (p, dir) in Sys.processes(named: programs, procRoot: procRoot) {
            if let why = distrust(p) {
                result.ignored.append(IgnoredDaemon(pid: p.pid, program: p.comm, reason: why))
                continue
            }
            var texts: [String: String] = [:]
            for (path, required) in configFiles(p) {
                // A relative path is the daemon's, from its working directory.
                let at = path.hasPrefix("/") ? path : "cwd/" + path
                switch Sys.readRegularFile(
                    at, at: path.hasPrefix("/") ? AT_FDCWD : dir.fd, limit: configLimit,
                    owners: [0, p.uids[0]], readableBy: p.uids[0])
                {
                case .success(let bytes): texts[path] = String(decoding: bytes, as: UTF8.self)
                case .failure(.open(ENOENT)) where !required: continue
                case .failure(let e):
                    result.ignored.append(IgnoredDaemon(pid: p.pid, program: p.comm, reason: "config file \(path) not read: \(e)"))
                }
            }
            if let d = interpret(p, configs: texts, netns: netns) { result.daemons.append(d) }
        }
        return result
    }

    /// Why a process that calls itself a PTP daemon is not believed, or nil.
    /// Anyone can name a process ptp4l (prctl PR_SET_NAME) and give it any
    /// argv; what costs more to fake is who runs it and what binary it runs.
    /// Pure: tested on records.
    public static func distrust(_ p: ProcessInfoRecord) -> String? {
        if let user = p.uids.first(where: { $0 >= firstUserUID }) {
            return
                "it runs as uid \(user), a regular user, who can give any process that name; only root's and system accounts' daemons are trusted"
        }
        guard let exe = p.exePath else {
            // Without root the exe link of another user's process is unreadable.
            // A process all of whose uids are root's cannot be renamed by a user.
            if p.uids.allSatisfy({ $0 == 0 }) { return nil }
            return "its executable cannot be read to verify it (run as root)"
        }
        let base = Sys.baseName(exe)
        if base != p.comm {
            return "its executable is \(exe), not a \(p.comm) binary"
        }
        guard let owner = p.exeOwner, let mode = p.exeMode else {
            return "its executable \(exe) cannot be examined"
        }
        if owner != 0 { return "its executable \(exe) is owned by uid \(owner), not root" }
        if mode & 0o022 != 0 { return "its executable \(exe) is writable by others than root" }
        guard let dirs = p.exeDirectories else { return "the directories above its executable \(exe) cannot be examined" }
        if let d = dirs.first(where: { $0.owner != 0 || $0.mode & 0o022 != 0 }) {
            return "its executable \(exe) is in \(d.path), which "
                + (d.owner != 0 ? "uid \(d.owner) owns" : "others than root can write to")
                + " (a copy or link of a binary is not the daemon)"
        }
        return nil
    }

    /// Config files named on the command line (-f), required to be readable;
    /// chronyd's default locations otherwise, read when present.
    static func configFiles(_ p: ProcessInfoRecord) -> [(String, Bool)] {
        if let i = p.argv.firstIndex(of: "-f"), i + 1 < p.argv.count { return [(p.argv[i + 1], true)] }
        if p.comm == "chronyd" { return [("/etc/chrony/chrony.conf", false), ("/etc/chrony.conf", false)] }
        return []
    }

    /// What a daemon's command line and config say it uses. Pure: tested on argv.
    /// `netns`: the network namespace tsctl works in. The interfaces a daemon in
    /// another one names are that namespace's (a container's eth0 is not the
    /// host's eth0): only its clocks, which are global, are kept.
    public static func interpret(_ p: ProcessInfoRecord, configs: [String: String], netns: FileID? = nil) -> PTPDaemon? {
        var ifs: [String] = []
        var phcs: [Int] = []
        func clock(_ v: String) {
            if v.hasPrefix("/dev/ptp"), let n = Int(v.dropFirst(8)) {
                phcs.append(n)
            } else if !v.hasPrefix("CLOCK_") && !v.hasPrefix("/") {
                ifs.append(v)
            }
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
                let line =
                    raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
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
        if let theirs = p.netns, let netns, theirs != netns { ifs = [] }
        return PTPDaemon(
            pid: p.pid, program: p.comm, interfaces: ifs, namedPHCs: phcs, openPHCs: p.openPHCs,
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
