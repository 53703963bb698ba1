import Foundation
import Testing

/// What Tab offers, asked the way the generated scripts ask (`tsctl ---completion
/// SUBCOMMAND -- ARGUMENT CWORD CURSOR WORDS...`), against this machine's kernel in
/// a private namespace; a completion in a real bash is Tests/Shell/completion.sh.
/// Needs root (the namespace).
@Suite(.enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct CompletionEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    func offers(_ args: [String]) throws -> [String] {
        let r = try Run.run([E2E.tsctl, "---completion"] + args)
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "completion prints no error: \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func interfacesOfTheNamespaceGiven() throws {
        let got = try offers(["show", "--", "positional@0", "4", "0", "tsctl", "show", "--netns", ns.name, ""])
        #expect(got == ["lo", "veth0", "veth1"])
    }

    @Test func namespacesMadeByIpNetnsAdd() throws {
        #expect(try offers(["show", "--", "--netns", "3", "0", "tsctl", "show", "--netns", ""]).contains(ns.name))
    }

    @Test func sourcesOfAnInterfaceWithoutProvidersAreTheLayerNames() throws {
        let got = try offers(["set", "--", "--source", "5", "0", "tsctl", "set", "--netns", ns.name, "veth0", "--source", ""])
        #expect(got == ["mac", "phy"])
    }

    @Test func aNamespaceThatIsNotThereCompletesNothing() throws {
        let got = try offers(["show", "--", "positional@0", "4", "0", "tsctl", "show", "--netns", "tsctl-no-such-ns", ""])
        #expect(got.isEmpty)
    }
}

/// TSCTL_TRACE: a record of every kernel read, written beside the usual output.
@Suite(.enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct TraceEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    @Test func aTraceRecordsEveryDatagramAndChangesNothingPrinted() throws {
        let path = NSTemporaryDirectory() + "tsctl-trace-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let plain = try ns.tsctl(["show", "--all", "--json"])
        let traced = try ns.tsctl(["show", "--all", "--json"], env: ["TSCTL_TRACE": path])
        #expect(traced.status == 0)
        #expect(traced.stdout == plain.stdout)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("# tsctl trace (TSCTL_TRACE) on Linux ") == true)
        for label in ["> genl ", "< genl ", "> route ", "< route "] {
            #expect(lines.contains { $0.hasPrefix(label) }, "\(label)lines")
        }
        #expect(lines.contains("? uname "))
        // Every request has an answer: the dump's last datagram is the kernel's.
        #expect(lines.last.map { $0.hasPrefix("< ") } == true)
    }

    @Test func anUnwritableTraceIsIgnored() throws {
        let r = try ns.tsctl(["show", "lo"], env: ["TSCTL_TRACE": "/nonexistent/dir/trace"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("lo"))
    }
}

/// `apply --keep` tells systemd it is ready (sd_notify on NOTIFY_SOCKET) once the
/// first apply is done. Needs root (CAP_NET_ADMIN in the namespace).
@Suite(.enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct NotifyEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    @Test func readyArrivesOnAPathSocketAfterTheFirstApply() throws {
        let dir = NSTemporaryDirectory() + "tsctl-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/lo.toml"
        try "[[interface]]\nname = \"lo\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let sockPath = dir + "/notify.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            for (i, b) in sockPath.utf8.enumerated() { p[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ip", "netns", "exec", ns.name, E2E.tsctl, "apply", "--keep", file]
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = sockPath
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(n > 0, "READY=1 within 20 s")
        let msg = String(decoding: buf.prefix(max(n, 0)), as: UTF8.self)
        #expect(msg.hasPrefix("READY=1\n"))
        #expect(msg.contains("STATUS=keeping \(file) applied"))
    }
}
