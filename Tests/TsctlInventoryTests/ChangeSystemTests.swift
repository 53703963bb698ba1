import Testing
import TsctlChange
import TsctlModel

@testable import TsctlKernel
@testable import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// The change session's protocols as this system implements them.
@Suite struct ChangeSystemTests {
    @Test func theClockAdvancesAcrossASleep() {
        let clock = MonotonicClock()
        let before = clock.now
        clock.sleep(seconds: 0.02)
        #expect(clock.now - before >= 0.02)
    }

    @Test func noStopIsPendingWithoutASignal() {
        #expect(Signals.pending != 0 || SignalStops().pending == nil)
    }

    @Test func theDaemonScanSeesNoPTPDaemonInThisProcess() {
        #expect(!ProcDaemons().scan().contains { $0.pid == Int32(getpid()) })
    }

    @Test func theSystemEnvironmentIsThisMachines() {
        let env = ChangeEnvironment.system(output: FakeOutput())
        #expect(env.privileged == Sys.hasNetAdmin())
        #expect(env.locks is SystemLocks && env.daemons is ProcDaemons && env.stops is SignalStops)
        #expect(env.clock is MonotonicClock)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: /run/tsctl/lock is root's"))
    func aHeldLockIsBusyNamingItsHolder() throws {
        let ifindex = 4_100_000_000 + UInt32(getpid() % 100_000)
        let locks = SystemLocks()
        var first: AnyObject? = try locks.acquire(ifindex: ifindex, purpose: "test", keep: true, waitSeconds: 0) { _ in }
        defer {
            var st = stat()
            if stat("/proc/self/ns/net", &st) == 0 { unlink("\(InterfaceLock.directory)/\(st.st_ino)-\(ifindex)") }
        }
        do {
            _ = try locks.acquire(ifindex: ifindex, purpose: "second", keep: false, waitSeconds: 0) { _ in }
            Issue.record("a second writer got a held lock")
        } catch {
            #expect(error == .busy(holder: "pid \(getpid()): tsctl test", keeps: true))
        }
        first = nil
        #expect(first == nil)
        _ = try locks.acquire(ifindex: ifindex, purpose: "third", keep: false, waitSeconds: 0) { _ in }
    }

    @Test func linkEventsWithNothingHappeningTimeOut() throws {
        let events = LinkEventAdapter(try LinkEvents())
        #expect(try events.next(timeoutMilliseconds: 1) == nil)
    }
}
