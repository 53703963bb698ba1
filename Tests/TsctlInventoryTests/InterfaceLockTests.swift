import Testing
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// The lock a change session takes (through its InterfaceLocking), on the real
/// /run/tsctl/lock. Needs root (the directory is root's); an ifindex no device
/// has keeps it apart from a real tsctl.
@Suite(.enabled(if: geteuid() == 0, "needs root: /run/tsctl/lock is root's"))
struct InterfaceLockTests {
    /// An ifindex of this process and test: tests run side by side.
    static func ifindex(_ test: UInt32) -> UInt32 { 4_000_000_000 + UInt32(getpid() % 100_000) * 10 + test }

    func take(_ ifindex: UInt32, keep: Bool, wait: Double = 0) -> Result<InterfaceLock, InterfaceLock.Failure> {
        do {
            return .success(
                try InterfaceLock.acquire(ifindex: ifindex, purpose: "test \(keep)", keep: keep, waitSeconds: wait) { _ in })
        } catch {
            return .failure(error)
        }
    }

    /// Removes the test's lock file.
    func clean(_ ifindex: UInt32) {
        var st = stat()
        guard stat("/proc/self/ns/net", &st) == 0 else { return }
        unlink("\(InterfaceLock.directory)/\(st.st_ino)-\(ifindex)")
    }

    @Test func heldIsBusyAndNamesItsHolderThenAStaleFileIsNoObstacle() throws {
        let index = Self.ifindex(1)
        defer { clean(index) }
        var first: InterfaceLock? = try take(index, keep: false).get()
        guard case .failure(.busy(let holder, let keeps)) = take(index, keep: false) else {
            Issue.record("a second writer got a held lock")
            return
        }
        #expect(holder == "pid \(getpid()): tsctl test false" && !keeps)
        #expect(first != nil)
        first = nil
        // The file stays behind, as after a killed tsctl: it locks nothing.
        #expect(throws: Never.self) { _ = try take(index, keep: false).get() }
    }

    @Test func aKeepHolderIsSaidToKeepIt() throws {
        let index = Self.ifindex(2)
        defer { clean(index) }
        let held = try take(index, keep: true).get()
        guard case .failure(.busy(_, let keeps)) = take(index, keep: false, wait: 5) else {
            Issue.record("a keep holder's lock was had")
            return
        }
        #expect(keeps, "refused at once, not after waiting")
        _ = held
    }
}
