import Foundation
import Testing
import TsctlModel

@testable import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// `--netns`: which values are refused before anything runs, and how a
/// namespace that cannot be entered is reported.
@Suite struct NamespaceOptionTests {
    @Test func aNameHasNoSlashAndAPathStartsWithOne() {
        #expect(NetworkNamespaceOption.problem("blue") == nil)
        #expect(NetworkNamespaceOption.problem("/proc/1/ns/net") == nil)
        for bad in ["", "a/b", ".", ".."] {
            #expect(NetworkNamespaceOption.problem(bad)?.hasPrefix("--netns \"\(bad)\": a namespace name") == true)
        }
    }

    func failure(_ netns: String) -> TsctlFailure? {
        do { try NetworkNamespaceOption.enter(netns) } catch { return error }
        return nil
    }

    // Both fail before setns changes anything, so the test process stays where it is.
    @Test func noSuchNamespaceIsExit4() {
        let e = failure("tsctl-no-such-namespace-\(getpid())")
        #expect(e?.status == .noSuchDevice)
        #expect(e?.message.hasPrefix("cannot enter network namespace tsctl-no-such-namespace-") == true)
        #expect(e?.message.hasSuffix(": \(Errno.text(ENOENT))") == true)
    }

    @Test func aFileThatIsNoNamespaceIsSaidToBeNone() {
        #expect(
            failure("/proc/self/status")?.message
                == "--netns /proc/self/status is not a network namespace (`ip netns list` names them); nothing was done")
    }

    @Test func otherErrnosKeepTheirMeaning() {
        let e = NetworkNamespaceOption.failure(SystemError("setns(/run/netns/blue, CLONE_NEWNET)", EPERM), "blue")
        #expect(e.status == ExitStatus(FailureKind.permission))
        #expect(e.message == "cannot enter network namespace blue: setns(/run/netns/blue, CLONE_NEWNET): \(Errno.text(EPERM))")
    }
}
