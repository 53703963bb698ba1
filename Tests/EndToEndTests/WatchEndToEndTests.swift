import Foundation
import Testing

/// `tsctl watch` against this machine's kernel in a private namespace: link
/// events on veths (up, down, added, removed) and a clean end on a signal.
/// Provider resets on a PHY detach need the QEMU test bed. Needs root.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct WatchEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    /// Starts watch in the namespace; the caller ends it with a signal.
    func start(_ args: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ip", "netns", "exec", ns.name, E2E.tsctl, "watch"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    func ip(_ args: [String]) throws { try Namespace.must(["ip", "-n", ns.name] + args) }

    func stop(_ p: Process, _ out: Pipe, _ sig: Int32) -> (Int32, [String]) {
        kill(p.processIdentifier, sig)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    @Test func linkEventsArePrintedAndSIGINTEndsWithExit0() throws {
        let (p, out) = try start(["--interval", "30"])  // a long poll: only link events can explain prompt lines
        Thread.sleep(forTimeInterval: 1)
        try ip(["link", "set", "veth0", "up"])
        try ip(["link", "set", "veth1", "up"])
        try ip(["link", "add", "vethx", "type", "veth", "peer", "name", "vethy"])
        try ip(["link", "del", "vethx"])
        try ip(["link", "set", "veth0", "down"])
        Thread.sleep(forTimeInterval: 1)
        let (status, lines) = stop(p, out, SIGINT)
        #expect(status == 0, "SIGINT ends watch cleanly")
        #expect(
            lines.contains {
                $0.hasSuffix(
                    " veth0 link down; providers none; advertised software only; active unreadable (driver-unsupported); phys none")
            })
        #expect(lines.contains { $0.hasSuffix(" veth1 link: down -> up") })
        #expect(lines.contains { $0.hasSuffix(" vethx removed") })
        #expect(lines.contains { $0.hasSuffix(" veth0 link: up -> down") })
        #expect(lines.allSatisfy { $0.wholeMatch(of: /20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z .+/) != nil }, "\(lines)")
    }

    @Test func jsonIsOneObjectPerLineAndSIGTERMEndsWithExit0() throws {
        let (p, out) = try start(["--json", "veth1"])
        Thread.sleep(forTimeInterval: 1)
        try ip(["link", "set", "veth1", "up"])
        Thread.sleep(forTimeInterval: 1.5)
        let (status, lines) = stop(p, out, SIGTERM)
        #expect(status == 0)
        let objects = try lines.map { try #require(try E2E.json($0) as? [String: Any]) }
        #expect(objects.allSatisfy { $0["interface"] as? String == "veth1" }, "only the named interface")
        #expect(objects.first?["event"] as? String == "state")
        #expect((objects.first?["state"] as? [String: Any])?["link"] as? String == "down")
        #expect(
            objects.contains {
                $0["event"] as? String == "changed" && $0["what"] as? String == "link" && $0["after"] as? String == "up, no carrier"
                    || $0["after"] as? String == "up"
            })
    }

    @Test func aBadIntervalIsAUsageError() throws {
        let r = try ns.tsctl(["watch", "--interval", "0"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--interval takes seconds"))
    }
}
