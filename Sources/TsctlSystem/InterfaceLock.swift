#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// One writer per interface: an flock on /run/tsctl/lock/NETNS-IFINDEX (the
/// network namespace's inode and the interface's index, so a rename or
/// another namespace's eth0 is no alias). The directories are root's, mode
/// 0700, and the file is opened O_NOFOLLOW, so no other user can plant a
/// symbolic link there or hold a lock. The holder writes who it is into the
/// file, for the message the next writer prints. The lock goes with the
/// process: a killed tsctl leaves nothing to clean up.
public final class InterfaceLock {
    public static let directory = "/run/tsctl/lock"

    public enum Failure: Error, Equatable {
        /// Another tsctl holds it; `holder` is what it wrote ("pid 42: tsctl apply --keep a.toml").
        case busy(holder: String, keeps: Bool)
        case interrupted(Int32)
        case system(SystemError)
        case unsafeDirectory(String)
    }

    let fd: Int32
    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Takes the lock of one interface. Held by a `--keep` instance (or when
    /// `keep` is asked and it is held at all): refused at once. Held by a
    /// one-off set/apply: `waiting` is called once and the lock retried until
    /// `waitSeconds` have passed (or a signal arrives).
    public static func acquire(
        ifindex: UInt32, purpose: String, keep: Bool, waitSeconds: Double,
        waiting: (String) -> Void
    ) throws(Failure) -> InterfaceLock {
        let dir = try openDirectory()
        defer { close(dir) }
        var st = stat()
        guard stat("/proc/self/ns/net", &st) == 0 else { throw .system(SystemError("stat(/proc/self/ns/net)", errno)) }
        let name = "\(st.st_ino)-\(ifindex)"
        let fd = openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(SystemError("open(\(directory)/\(name))", errno)) }
        var fst = stat()
        guard fstat(fd, &fst) == 0, fst.st_mode & S_IFMT == S_IFREG, fst.st_uid == geteuid() else {
            close(fd)
            throw .unsafeDirectory("\(directory)/\(name) is not a regular file of this user")
        }
        var told = false
        let start = monotonic()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let e = errno
                close(fd)
                throw .system(SystemError("flock(\(directory)/\(name))", e))
            }
            let (holder, holderKeeps) = readHolder(fd)
            if holderKeeps || keep || monotonic() - start >= waitSeconds {
                close(fd)
                throw .busy(holder: holder, keeps: holderKeeps)
            }
            if Signals.pending != 0 {
                close(fd)
                throw .interrupted(Signals.pending)
            }
            if !told {
                waiting(holder)
                told = true
            }
            usleep(100_000)
        }
        // Whether the holder keeps the interface applied is a field of its own,
        // not read from the command line (a file may be named "x --keep.toml").
        let line = Array("\(keep ? "keep" : "once")\tpid \(getpid()): tsctl \(purpose)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return InterfaceLock(fd: fd)
    }

    /// /run/tsctl/lock, made 0700 if missing; refused if anyone but this user
    /// owns a part of it or may write to it.
    static func openDirectory() throws(Failure) -> Int32 {
        var fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for part in directory.split(separator: "/").map(String.init) {
            if mkdirat(fd, part, 0o700) != 0 && errno != EEXIST {
                let e = errno
                close(fd)
                throw .system(SystemError("mkdir(\(directory))", e))
            }
            let next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let e = errno
            close(fd)
            guard next >= 0 else { throw .system(SystemError("open(\(directory))", e)) }
            fd = next
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o077 == 0 else {
            close(fd)
            throw .unsafeDirectory("\(directory) must be a directory of uid \(geteuid()) with mode 0700")
        }
        return fd
    }

    /// Who holds the lock, as it wrote it, and whether it keeps the interface applied.
    static func readHolder(_ fd: Int32) -> (holder: String, keeps: Bool) {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let s = String(decoding: buf.prefix(max(n, 0)), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let fields = s.split(separator: "\t", maxSplits: 1).map(String.init)
        if fields.count == 2, fields[0] == "keep" || fields[0] == "once" { return (fields[1], fields[0] == "keep") }
        // A lock written by a tsctl from before the field.
        return (s.isEmpty ? "another tsctl" : s, s.contains(": tsctl apply --keep "))
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
