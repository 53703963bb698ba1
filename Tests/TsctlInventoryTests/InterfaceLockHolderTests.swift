import Foundation
import Testing
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// The one-writer-per-interface lock in the real /run/tsctl/lock, under
/// interface indexes no kernel hands out (3e9 to 3.9e9), so a tsctl running on
/// this machine is never in the way. Two acquisitions in one process conflict
/// as two processes would: flock belongs to the open file, not the process.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: /run/tsctl/lock is root's (CI runs as root)"))
struct InterfaceLockHolderTests {
    static func unusedIfindex() -> UInt32 { UInt32.random(in: 3_000_000_000...3_900_000_000) }

    static func lockPath(_ ifindex: UInt32) -> String {
        var st = stat()
        stat("/proc/self/ns/net", &st)
        return "\(InterfaceLock.directory)/\(st.st_ino)-\(ifindex)"
    }

    static func acquire(
        _ ifindex: UInt32, _ purpose: String, keep: Bool = false, wait: Double = 0, waiting: (String) -> Void = { _ in }
    ) -> Result<InterfaceLock, InterfaceLock.Failure> {
        Result { () throws(InterfaceLock.Failure) in
            try InterfaceLock.acquire(ifindex: ifindex, purpose: purpose, keep: keep, waitSeconds: wait, waiting: waiting)
        }
    }

    static func failure(_ r: Result<InterfaceLock, InterfaceLock.Failure>) -> InterfaceLock.Failure? {
        if case .failure(let f) = r { return f }
        return nil
    }

    @Test func theHolderSaysWhoItIsAndASecondWriterIsTurnedAway() throws {
        let ifindex = Self.unusedIfindex()
        defer { unlink(Self.lockPath(ifindex)) }
        var first: InterfaceLock? = try Self.acquire(ifindex, "set eth9 --tx on").get()
        #expect(first != nil)
        #expect(Sys.readFile(Self.lockPath(ifindex)) == "once\tpid \(getpid()): tsctl set eth9 --tx on\n")
        var st = stat()
        #expect(stat(InterfaceLock.directory, &st) == 0 && st.st_mode & 0o777 == 0o700)

        // A --keep instance does not wait for anyone.
        #expect(
            Self.failure(Self.acquire(ifindex, "apply --keep a.toml", keep: true))
                == .busy(holder: "pid \(getpid()): tsctl set eth9 --tx on", keeps: false))

        // A one-off writer says once that it waits, then gives up.
        var told: [String] = []
        let start = Date()
        let late = Self.failure(Self.acquire(ifindex, "set eth9 --rx all", wait: 0.3) { told.append($0) })
        #expect(late == .busy(holder: "pid \(getpid()): tsctl set eth9 --tx on", keeps: false))
        #expect(told == ["pid \(getpid()): tsctl set eth9 --tx on"])
        #expect(Date().timeIntervalSince(start) >= 0.3)

        // Released with its holder: the next writer gets it and writes itself in.
        first = nil
        let second = try Self.acquire(ifindex, "set eth9 --rx all").get()
        #expect(Sys.readFile(Self.lockPath(ifindex)) == "once\tpid \(getpid()): tsctl set eth9 --rx all\n")
        withExtendedLifetime(second) {}
    }

    @Test func aKeepingHolderTurnsEveryoneAwayAtOnce() throws {
        let ifindex = Self.unusedIfindex()
        defer { unlink(Self.lockPath(ifindex)) }
        let keeper = try Self.acquire(ifindex, "apply --keep ptp.toml", keep: true).get()
        #expect(Sys.readFile(Self.lockPath(ifindex)) == "keep\tpid \(getpid()): tsctl apply --keep ptp.toml\n")
        var told = false
        let start = Date()
        let f = Self.failure(Self.acquire(ifindex, "set eth9 --tx off", wait: 10) { _ in told = true })
        #expect(f == .busy(holder: "pid \(getpid()): tsctl apply --keep ptp.toml", keeps: true))
        #expect(!told && Date().timeIntervalSince(start) < 5, "no wait for a holder that never lets go")
        withExtendedLifetime(keeper) {}
    }

    /// A lock file written by a tsctl from before the keep/once field.
    @Test func anOlderHoldersLineIsStillRead() throws {
        let cases: [(line: String, holder: String, keeps: Bool)] = [
            ("pid 42: tsctl apply --keep a.toml\n", "pid 42: tsctl apply --keep a.toml", true),
            ("pid 43: tsctl set eth0 --tx on\n", "pid 43: tsctl set eth0 --tx on", false),
            ("", "another tsctl", false)
        ]
        for c in cases {
            let ifindex = Self.unusedIfindex()
            let path = Self.lockPath(ifindex)
            defer { unlink(path) }
            _ = try? InterfaceLock.acquire(ifindex: ifindex, purpose: "probe", keep: false, waitSeconds: 0) { _ in }  // makes the directory
            let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
            try #require(fd >= 0)
            defer { close(fd) }
            _ = c.line.withCString { write(fd, $0, strlen($0)) }
            try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
            #expect(Self.failure(Self.acquire(ifindex, "set eth0", keep: true)) == .busy(holder: c.holder, keeps: c.keeps))
        }
    }

    @Test func somethingOtherThanThisUsersRegularFileAtTheLockPathIsRefused() throws {
        // A directory and a symbolic link cannot be opened as the lock file.
        let dirIndex = Self.unusedIfindex()
        _ = try? InterfaceLock.acquire(ifindex: dirIndex, purpose: "probe", keep: false, waitSeconds: 0) { _ in }
        unlink(Self.lockPath(dirIndex))
        try #require(mkdir(Self.lockPath(dirIndex), 0o700) == 0)
        defer { rmdir(Self.lockPath(dirIndex)) }
        guard case .system(let e)? = Self.failure(Self.acquire(dirIndex, "set")) else {
            Issue.record("a directory was taken as the lock")
            return
        }
        #expect(e.errno == EISDIR && e.call == "open(\(Self.lockPath(dirIndex)))")

        let linkIndex = Self.unusedIfindex()
        try #require(symlink("/etc/passwd", Self.lockPath(linkIndex)) == 0)
        defer { unlink(Self.lockPath(linkIndex)) }
        guard case .system(let l)? = Self.failure(Self.acquire(linkIndex, "set")) else {
            Issue.record("a symbolic link was followed")
            return
        }
        #expect(l.errno == ELOOP)

        // A FIFO opens (without blocking) but is not a regular file; a file of another user is not this user's.
        let fifoIndex = Self.unusedIfindex()
        try #require(mkfifo(Self.lockPath(fifoIndex), 0o600) == 0)
        defer { unlink(Self.lockPath(fifoIndex)) }
        #expect(
            Self.failure(Self.acquire(fifoIndex, "set"))
                == .unsafeDirectory("\(Self.lockPath(fifoIndex)) is not a regular file of this user"))

        let otherIndex = Self.unusedIfindex()
        let fd = open(Self.lockPath(otherIndex), O_RDWR | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        defer { unlink(Self.lockPath(otherIndex)) }
        try #require(fchown(fd, 65534, 65534) == 0)
        close(fd)
        #expect(
            Self.failure(Self.acquire(otherIndex, "set"))
                == .unsafeDirectory("\(Self.lockPath(otherIndex)) is not a regular file of this user"))
    }
}
