import Foundation
import Testing
import TsctlModel
import TsctlSystem
import TsctlTestSupport

#if canImport(Glibc)
// stdout is a C global; each exit test's child touches it alone.
@preconcurrency import Glibc
#endif

/// What tsctl changes about its own process: signal handling, standard
/// descriptors, the error line, its network namespace. Each runs in a child
/// process (an exit test), which exits with a code that names the first check
/// that failed, so the test process itself keeps its signals, descriptors and
/// namespace.
@Suite struct ProcessStateTests {
    @Test func deferredSignalsAreNotedNotFatalAndTheFirstOneIsKept() async {
        await #expect(processExitsWith: .exitCode(0)) {
            // A parent that started tsctl with SIGTERM blocked.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGTERM)
            sigprocmask(SIG_BLOCK, &blocked, nil)
            Signals.deferTermination()
            var now = sigset_t()
            sigprocmask(SIG_BLOCK, nil, &now)
            if sigismember(&now, SIGTERM) != 0 { exit(2) }
            if Signals.pending != 0 { exit(3) }
            raise(SIGTERM)
            if Signals.pending != SIGTERM { exit(4) }
            raise(SIGINT)
            raise(SIGHUP)
            exit(Signals.pending == SIGTERM ? 0 : 5)
        }
    }

    @Test func aChangeTakesOverStopSignalsEvenOneLeftPending() async {
        await #expect(processExitsWith: .exitCode(0)) {
            // A parent that started `tsctl set` with SIGTERM blocked and one already
            // sent: it is noted (the change stops before sending), not fatal.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGTERM)
            sigprocmask(SIG_BLOCK, &blocked, nil)
            raise(SIGTERM)
            Signals.deferTermination()
            exit(Signals.pending == SIGTERM ? 0 : 2)
        }
    }

    @Test func watchTakesOverStopSignalsEvenOneLeftPending() async {
        await #expect(processExitsWith: .exitCode(0)) {
            // A parent that started tsctl with SIGHUP blocked and one already sent.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGHUP)
            sigprocmask(SIG_BLOCK, &blocked, nil)
            raise(SIGHUP)
            Signals.catchStops()
            var now = sigset_t()
            sigprocmask(SIG_BLOCK, nil, &now)
            if sigismember(&now, SIGHUP) != 0 { exit(2) }
            if Signals.pending != SIGHUP { exit(3) }
            raise(SIGTERM)
            raise(SIGINT)
            exit(Signals.pending == SIGHUP ? 0 : 4)
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root: /run/tsctl/lock is root's (CI runs as root)"))
    func aSignalWhileWaitingForTheLockEndsTheWait() async {
        await #expect(processExitsWith: .exitCode(0)) {
            Signals.deferTermination()
            let ifindex = UInt32.random(in: 3_000_000_000...3_900_000_000)
            var st = stat()
            stat("/proc/self/ns/net", &st)
            func waitForAHeldLock() -> Int32 {
                guard
                    let held = try? InterfaceLock.acquire(ifindex: ifindex, purpose: "set", keep: false, waitSeconds: 0, waiting: { _ in })
                else { return 2 }
                var told = 0
                let start = Date()
                do throws(InterfaceLock.Failure) {
                    _ = try InterfaceLock.acquire(ifindex: ifindex, purpose: "set", keep: false, waitSeconds: 30) { _ in
                        told += 1
                        raise(SIGINT)
                    }
                    return 3
                } catch {
                    if error != .interrupted(SIGINT) { return 4 }
                }
                withExtendedLifetime(held) {}
                return told == 1 && Date().timeIntervalSince(start) < 10 ? 0 : 5
            }
            let code = waitForAHeldLock()
            // exit() runs no defer: the lock file is removed first.
            unlink("\(InterfaceLock.directory)/\(st.st_ino)-\(ifindex)")
            exit(code)
        }
    }

    @Test func anErrorLineCarriesNoControlBytesAndKeepsBothEndsOfAHugeValue() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            Sys.printError("tsctl: eth0\u{1b}[2J: no such device\u{7f}")
            Sys.printError(String(repeating: "a", count: 3000) + "END")
            Sys.printError("ends with its own newline\n")
            exit(0)
        }
        let lines = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4 && lines.last == "")
        #expect(lines.first == "tsctl: eth0\(OSString.escaped("\u{1b}"))[2J: no such device\(OSString.escaped("\u{7f}"))")
        #expect(!lines[0].contains("\u{1b}"))
        let long = lines.dropFirst().first ?? ""
        #expect(
            long == String(repeating: "a", count: 1800) + " ... (1003 characters left out) ... " + String(repeating: "a", count: 197)
                + "END")
        #expect(lines.dropFirst(2).first == "ends with its own newline")
    }

    @Test func aClosedStandardOutputStopsTsctlBeforeItDoesAnything() async throws {
        let result = await #expect(processExitsWith: .exitCode(11), observing: [\.standardErrorContent]) {
            close(1)
            Sys.checkStandardDescriptors()
            exit(0)
        }
        #expect(
            String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
                == "tsctl: standard output is closed; nothing was done\n")
    }

    @Test func closedStandardInputAndErrorBecomeDevNull() async {
        await #expect(processExitsWith: .exitCode(0)) {
            close(0)
            close(2)
            Sys.checkStandardDescriptors()
            // A file opened now must not land on descriptor 2 (where error lines go).
            let fd = open("/proc/self/status", O_RDONLY)
            if fd <= 2 { exit(2) }
            exit(Sys.readLink("/proc/self/fd/0") == "/dev/null" && Sys.readLink("/proc/self/fd/2") == "/dev/null" ? 0 : 3)
        }
    }

    @Test func aReportToTheFileStandardOutputWritesIsWrittenThroughIt() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            let how = try? Sys.writeOutput("{\"report\": 1}\n", to: "/proc/self/fd/1")
            exit(how == .inPlace ? 0 : 2)
        }
        #expect(String(decoding: try #require(result).standardOutputContent, as: UTF8.self) == "{\"report\": 1}\n")
    }

    @Test func outputThatCouldNotBeWrittenEndsWith11AndSaysSo() async throws {
        let result = await #expect(processExitsWith: .exitCode(11), observing: [\.standardErrorContent]) {
            let full = open("/dev/full", O_WRONLY)
            dup2(full, 1)
            print("{\"interfaces\": []}")  // into stdio's buffer, flushed at exit
            Sys.exitProcess(0)
        }
        #expect(
            String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
                == "tsctl: cannot write to standard output: \(Errno.text(ENOSPC)); the output is incomplete\n")
    }

    @Test func outputThatWasWrittenEndsWithTheCodeAsked() async throws {
        let result = await #expect(processExitsWith: .exitCode(3), observing: [\.standardOutputContent]) {
            print("written")
            Sys.exitProcess(3)
        }
        #expect(String(decoding: try #require(result).standardOutputContent, as: UTF8.self) == "written\n")
    }

    @Test(.enabled(if: getuid() == 0, "needs root to make network namespaces (CI runs as root)"))
    func enteringANamespaceShowsItsInterfacesInSysfs() async {
        await #expect(processExitsWith: .exitCode(0)) {
            if unshare(0x4000_0000) != 0 { exit(2) }  // CLONE_NEWNET
            do { try Sys.enterNetworkNamespace("/proc/thread-self/ns/net") } catch {
                Sys.printError("\(error)")
                exit(3)
            }
            // The fresh namespace has loopback only, and /sys now says so too.
            if (try? Sys.interfaces().map(\.name)) != ["lo"] { exit(4) }
            exit(Sys.listDirectory("/sys/class/net") == ["lo"] ? 0 : 5)
        }
    }
}
