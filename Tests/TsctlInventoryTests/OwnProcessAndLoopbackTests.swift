import Foundation
import Testing
import TsctlModel
import TsctlSystem
import TsctlTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The /proc scan that finds PTP daemons, run on the one process whose every
/// answer the test knows: itself; and the transmit probe on the loopback of a
/// private network namespace, which has no hardware clock to stamp with.
@Suite struct OwnProcessAndLoopbackTests {
    @Test(.enabled(if: getuid() == 0, "needs root to make a /dev/ptpN node (CI runs as root)"))
    func theScanSeesThisProcessAsItIs() throws {
        let comm = try #require(Sys.readAttr("/proc/self/comm"))
        // A node with /dev/null's device numbers under a PHC's name: what the scan
        // reads is the name the process opened, as with a real /dev/ptpN.
        let index = 65_500 + Int(getpid() % 30_000)
        let node = "/dev/ptp\(index)"
        try #require(mknod(node, S_IFCHR | 0o600, (1 << 8) | 3) == 0, "mknod \(node)")
        defer { unlink(node) }
        let held = open(node, O_RDONLY | O_CLOEXEC)
        try #require(held >= 0)
        defer { close(held) }

        // Other test runs on this machine have the same command name: this pid is the one.
        let found = Sys.processes(named: [comm, "ptp4l"]).filter { $0.0.pid == Int(getpid()) }
        let me = try #require(found.first?.0)
        #expect(found.count == 1)
        #expect(me.comm == comm)
        #expect(me.argv == CommandLine.arguments)
        #expect(me.uids.count == 4 && me.uids[0] == getuid() && me.uids[1] == geteuid())
        let exe = try #require(Sys.readLink("/proc/self/exe"))
        #expect(me.exePath == exe)
        var st = stat()
        try #require(stat(exe, &st) == 0)
        #expect(me.exeOwner == st.st_uid && me.exeMode == st.st_mode)
        let dirs = try #require(me.exeDirectories)
        #expect(dirs.first?.path == "/")
        #expect(dirs.last.map { exe.hasPrefix($0.path + "/") } == true)
        #expect(dirs.count == exe.split(separator: "/").count)
        #expect(me.openPHCs?.contains(index) == true, "it holds \(node) open")
        #expect(me.netns == Sys.ownNetworkNamespace())
        #expect(me.netns != nil)
    }

    @Test func aNameNoProcessHasFindsNothing() {
        #expect(Sys.processes(named: ["tsctl-none-such"]).isEmpty)
        #expect(Sys.processes(named: ["init"], procRoot: "/nonexistent").isEmpty)
    }

    @Test(.enabled(if: getuid() == 0, "needs root for a network namespace and a packet socket (CI runs as root)"))
    func aProbeOnLoopbackIsSentAndNoHardwareStampComesBack() async {
        await #expect(processExitsWith: .exitCode(0)) {
            if unshare(0x4000_0000) != 0 { exit(2) }  // CLONE_NEWNET: a loopback of its own
            do throws(SystemError) {
                _ = try TxProbe.send(ifname: "lo", ifindex: 1, timeoutMs: 50)
                exit(3)
            } catch {
                if error.errno != ENETDOWN || error.call != "sendto(lo)" { exit(4) }
            }
            if !loopbackUp() { exit(5) }
            let start = Date()
            do {
                if try TxProbe.send(ifname: "lo", ifindex: 1, timeoutMs: 150) != nil { exit(6) }
            } catch { exit(7) }
            exit(Date().timeIntervalSince(start) >= 0.14 ? 0 : 8)
        }
    }
}
