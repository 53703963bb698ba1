import Foundation
import Testing
import TsctlKernel
import TsctlModel
import TsctlSystem
import TsctlTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The change path of KernelSession (TSCONFIG_SET and SIOCSHWTSTAMP by ifindex,
/// the re-read after a change) against the running kernel, in a network namespace
/// of the test's own: veth, macvlan and bridge devices have no hardware timestamping, so the
/// kernel refuses every change and the test checks what the user is then told.
@Suite struct KernelSessionNamespaceTests {
    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func aTsconfigSetToAVethIsRefusedWithTheKernelsWordsAndItsName() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace(["link add tv0 type veth peer name tv1"]) else { exit(2) }
            guard let session = try? KernelSession.open(forChanges: true) else { exit(3) }
            guard session.inventory.client.hasTsconfig else { exit(0) }  // reported as skipped below
            guard let snap = try? session.snapshot(names: ["tv0"]), let itf = snap.interfaces.first else { exit(4) }
            let ref = InterfaceRef(ifindex: itf.ifindex, name: "tv0")
            let change = ConfigChange(txType: TxType(name: "on")?.numbered, rxFilter: RxFilter(name: "all")?.numbered)
            switch session.send(change, to: ref, via: .tsconfigSet) {
            case .success: exit(5)
            case .failure(let f): print("tsconfig kind=\(f.kind) errno=\(f.errno ?? -1) \(f.message)")
            }
            switch session.send(change, to: ref, via: .ioctl) {
            case .success: exit(6)
            case .failure(let f): print("ioctl kind=\(f.kind) errno=\(f.errno ?? -1) \(f.message)")
            }
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "this kernel has no TSCONFIG_SET (6.14+): \(out)")
        #expect(lines[0].hasPrefix("tsconfig kind=notSupported errno=\(EOPNOTSUPP) "), "\(lines[0])")
        #expect(lines[0].contains("tv0"), "the message names the interface: \(lines[0])")
        #expect(lines[1].hasPrefix("ioctl kind=notSupported errno=\(EOPNOTSUPP) "), "\(lines[1])")
        #expect(lines[1].contains("SIOCSHWTSTAMP"), "\(lines[1])")
    }

    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func aRereadSeesTheDeviceAsItIsAndSaysWhenItIsGone() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            let made = privateNamespace([
                "link add td0 type veth peer name td1", "link add tv0 type veth peer name tv1", "link add link tv0 name tm0 type macvlan"
            ])
            guard made, let session = try? KernelSession.open(forChanges: true) else { exit(2) }
            guard let snap = try? session.snapshot(names: nil) else { exit(3) }
            let refs = snap.interfaces.map { InterfaceRef(ifindex: $0.ifindex, name: $0.name) }
            func show(_ r: Result<InterfaceSnapshot, KernelFailure>) -> String {
                switch r {
                case .success(let i):
                    return "\(i.name) \(i.ifindex) kind=\(i.kind ?? "-") lower=\(i.lower ?? "-") tx=\(i.active.txType?.name ?? "-")"
                case .failure(let f): return "failed kind=\(f.kind) errno=\(f.errno ?? -1) \(f.message)"
                }
            }
            for ref in refs where ref.name != "lo" { print("before \(show(session.reread(ref)))") }
            // Gone: the dummy (read directly) and the macvlan (read as a snapshot is).
            guard ip("link del td0") == 0, ip("link del tm0") == 0 else { exit(4) }
            for ref in refs where ref.name == "td0" || ref.name == "tm0" { print("after \(show(session.reread(ref)))") }
            // A name that is now another device's: not the interface that was read.
            guard ip("link add tm0 type veth peer name tm1") == 0 else { exit(5) }
            for ref in refs where ref.name == "tm0" { print("again \(show(session.reread(ref)))") }
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map(String.init)
        try #require(lines.count == 8, "\(out)")
        // Each re-read is the interface as the snapshot read it: veths by ifindex, the macvlan as a snapshot.
        #expect(
            lines.filter { $0.hasPrefix("before ") }.sorted() == [
                "before td0 3 kind=veth lower=- tx=-", "before td1 2 kind=veth lower=- tx=-",
                "before tm0 6 kind=macvlan lower=tv0 tx=-", "before tv0 5 kind=veth lower=- tx=-",
                "before tv1 4 kind=veth lower=- tx=-"
            ])
        // Gone, read by ifindex: the kernel's ENODEV and its own words.
        #expect(lines[5].hasPrefix("after failed kind=noSuchDevice errno=\(ENODEV) TSINFO_GET td0: "), "\(lines[5])")
        #expect(lines[5].contains("kernel: no device matches ifindex"), "\(lines[5])")
        // Gone, read by name: no such interface.
        #expect(lines[6] == "after failed kind=noSuchDevice errno=-1 no such interface: tm0 (`ip link` lists this namespace's interfaces)")
        // The name now another device's (another ifindex): that interface is gone.
        #expect(lines[7] == "again failed kind=noSuchDevice errno=\(ENODEV) tm0: no such device")
    }
}

/// In a process of the test's own (an exit test): a fresh network namespace with
/// its own /sys, loopback up, and `ip` commands run in it. False when any fails.
func privateNamespace(_ commands: [String]) -> Bool {
    if unshare(0x4000_0000) != 0 { return false }  // CLONE_NEWNET
    do { try Sys.enterNetworkNamespace("/proc/thread-self/ns/net") } catch { return false }
    unsetenv("TSCTL_TRACE")
    alarm(60)  // a hang ends the process (SIGALRM) rather than the test run
    return commands.allSatisfy { ip($0) == 0 }
}

/// Runs `ip ARGS` (split on spaces) in this process's namespace; its exit status.
@discardableResult func ip(_ args: String) -> Int32 {
    let path = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { (p: String) in access(p, X_OK) == 0 } ?? "ip"
    let argv = ([path] + args.split(separator: " ").map(String.init)).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid = pid_t()
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
}
