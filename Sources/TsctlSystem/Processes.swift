import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// A running process as /proc shows it, with what tells who really runs it:
/// its owner and its executable (a name and argv are the process's own to set).
public struct ProcessInfoRecord: Equatable, Sendable {
    public var pid: Int
    public var comm: String
    public var argv: [String]
    /// Real, effective, saved and filesystem uid (the Uid: line of status).
    public var uids: [UInt32]
    /// Where /proc/PID/exe points (" (deleted)" removed: a daemon outlives an
    /// upgrade of its package); nil when it cannot be read (not root).
    public var exePath: String?
    /// Owner and mode of the running executable's inode (stat through the
    /// exe link, which reaches the inode even when the file was deleted).
    public var exeOwner: UInt32?
    public var exeMode: UInt32?
    /// Owner and mode of every directory from / down to the executable's, as
    /// the process sees them (through /proc/PID/root); nil when one cannot be
    /// examined. A root-owned binary hard-linked into a user's directory
    /// would otherwise pass for a daemon.
    public var exeDirectories: [FileOwnership]?
    /// PHC indexes of the /dev/ptpN files it holds open; nil when its fds cannot be read.
    public var openPHCs: [Int]?
    /// Its network namespace (/proc/PID/ns/net); nil when it cannot be read (not root).
    public var netns: FileID?

    public init(
        pid: Int, comm: String, argv: [String], uids: [UInt32] = [0, 0, 0, 0], exePath: String? = nil,
        exeOwner: UInt32? = nil, exeMode: UInt32? = nil, exeDirectories: [FileOwnership]? = nil,
        openPHCs: [Int]?, netns: FileID? = nil
    ) {
        self.netns = netns
        self.pid = pid
        self.comm = comm
        self.argv = argv
        self.uids = uids
        self.exePath = exePath
        self.exeOwner = exeOwner
        self.exeMode = exeMode
        self.exeDirectories = exeDirectories
        self.openPHCs = openPHCs
    }
}

/// What makes a file (or a namespace) itself: its device and inode.
public struct FileID: Equatable, Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

public struct FileOwnership: Equatable, Sendable {
    public var path: String
    public var owner: UInt32
    public var mode: UInt32
    public init(path: String, owner: UInt32, mode: UInt32) {
        self.path = path
        self.owner = owner
        self.mode = mode
    }
}

/// A process directory held open: every read goes through this descriptor, so
/// a process that exits and whose pid is reused cannot swap in another's files
/// (reads through a stale /proc/PID descriptor fail with ESRCH).
public final class ProcessDirectory {
    public let fd: Int32
    public init?(_ path: String) {
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return nil }
    }
    deinit { close(fd) }

    func read(_ name: String, limit: Int = 65536) -> [UInt8]? {
        if case .success(let b) = Sys.readRegularFile(name, at: fd, limit: limit) { return b }
        return nil
    }

    /// The device and inode `name` (below the process's directory) leads to.
    func fileID(_ name: String) -> FileID? {
        var st = Glibc.stat()
        return fstatat(fd, name, &st, 0) == 0 ? FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) : nil
    }

    func stat(_ name: String) -> (owner: UInt32, mode: UInt32)? {
        var st = Glibc.stat()
        return fstatat(fd, name, &st, 0) == 0 ? (st.st_uid, st.st_mode) : nil
    }

    /// / and each directory down to `path`'s, in the process's root.
    func directories(above path: String) -> [FileOwnership]? {
        var out: [FileOwnership] = []
        var prefix = ""
        for part in [""] + path.split(separator: "/").dropLast().map(String.init) {
            prefix += part.isEmpty ? "" : "/" + part
            guard let s = stat("root" + (prefix.isEmpty ? "/" : prefix)) else { return nil }
            out.append(FileOwnership(path: prefix.isEmpty ? "/" : prefix, owner: s.owner, mode: s.mode))
        }
        return out
    }

    func readLink(_ name: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlinkat(fd, name, &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Sys {
    /// The network namespace the calling thread works in (tsctl's, after --netns).
    public static func ownNetworkNamespace() -> FileID? {
        var st = Glibc.stat()
        return fstatat(AT_FDCWD, "/proc/thread-self/ns/net", &st, 0) == 0
            ? FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) : nil
    }

    /// Processes whose command name is one of `names` (one /proc walk).
    public static func processes(named names: Set<String>, procRoot: String = "/proc") -> [(ProcessInfoRecord, ProcessDirectory)] {
        var out: [(ProcessInfoRecord, ProcessDirectory)] = []
        for entry in listDirectory(procRoot) ?? [] {
            // Most processes are not one of `names`: their comm is read by path (three
            // system calls, no allocation). A match is read again, with the rest,
            // through the directory opened once, so everything believed about it
            // comes from one process even if the pid is reused meanwhile.
            guard let pid = Int(entry), commMayBe(names, "\(procRoot)/\(entry)/comm"),
                let dir = ProcessDirectory("\(procRoot)/\(entry)"),
                var comm = dir.read("comm").map({ String(decoding: $0, as: UTF8.self) })
            else { continue }
            while comm.last == "\n" { comm.removeLast() }
            guard names.contains(comm) else { continue }
            let argv = (dir.read("cmdline", limit: 1 << 20) ?? []).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            var uids: [UInt32] = []
            let status = String(decoding: dir.read("status") ?? [], as: UTF8.self)
            for line in status.split(separator: "\n") where line.hasPrefix("Uid:") {
                uids = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
            }
            guard uids.count == 4 else { continue }
            var exe = dir.readLink("exe")
            if let e = exe, e.hasSuffix(" (deleted)") { exe = String(e.dropLast(10)) }
            let exeStat = exe == nil ? nil : dir.stat("exe")
            let dirs = exe.flatMap { dir.directories(above: $0) }
            var phcs: [Int]? = nil
            let fdDir = openat(dir.fd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fdDir >= 0, let d = fdopendir(fdDir) {
                defer { closedir(d) }
                phcs = []
                while let ent = readdir(d) {
                    let name = withUnsafePointer(to: ent.pointee.d_name) {
                        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    guard Int(name) != nil, let target = dir.readLink("fd/\(name)"), target.hasPrefix("/dev/ptp"),
                        let n = Int(target.dropFirst(8))
                    else { continue }
                    phcs!.append(n)
                }
            } else if fdDir >= 0 {
                close(fdDir)
            }
            let record = ProcessInfoRecord(
                pid: pid, comm: comm, argv: argv, uids: uids, exePath: exe,
                exeOwner: exeStat?.owner, exeMode: exeStat?.mode, exeDirectories: dirs,
                openPHCs: phcs, netns: dir.fileID("ns/net"))
            out.append((record, dir))
        }
        return out.sorted { $0.0.pid < $1.0.pid }
    }

    /// Whether the comm file at `path` names one of `names` (true when it cannot be
    /// read here: the careful read decides then).
    private static func commMayBe(_ names: Set<String>, _ path: String) -> Bool {
        let fd = OSString.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else { return true }
        defer { close(fd) }
        // A comm is at most 15 bytes and a newline.
        var buf: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buf) { b in
            let n = read(fd, b.baseAddress, b.count)
            guard n > 0 else { return n < 0 }
            var end = n
            while end > 0 && b[end - 1] == 0x0a { end -= 1 }
            return names.contains(String(decoding: UnsafeRawBufferPointer(rebasing: b[0..<end]), as: UTF8.self))
        }
    }
}
