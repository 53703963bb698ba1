import Foundation
import Testing

/// Any local user can name a process ptp4l (prctl PR_SET_NAME) and give it
/// any argv, e.g. `-f` naming a FIFO or /etc/shadow. Root's tsctl must not
/// believe it, open the file, hang, or refuse a change because of it.
/// Needs root: the forged daemon runs as nobody (setpriv), tsctl as root.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to run tsctl as root against another user's process"))
struct ForgedDaemonEndToEndTests {
    let ns: Namespace
    let dir: String
    init() throws {
        ns = try Namespace()
        dir = "/tmp/tsctl-forged-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
    }

    /// A process of `nobody` calling itself ptp4l, with argv `ptp4l ... -i IF -f FILE`.
    func forge(interface: String, file: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        p.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/bash", "-c",
            "exec -a ptp4l /usr/bin/python3 -c 'import ctypes, time; ctypes.CDLL(None).prctl(15, b\"ptp4l\", 0, 0, 0); time.sleep(60)' -i \(interface) -f \(file)"
        ]
        try p.run()
        // Wait until /proc shows the forged name.
        for _ in 0..<100 {
            if (try? String(contentsOfFile: "/proc/\(p.processIdentifier)/comm", encoding: .utf8)) == "ptp4l\n" { return p }
            usleep(50_000)
        }
        kill(p.processIdentifier, SIGKILL)
        throw NSError(domain: "e2e", code: 1, userInfo: [NSLocalizedDescriptionKey: "the forged ptp4l did not start"])
    }

    /// A writer waiting on the FIFO: it stays blocked unless someone opens the FIFO to read.
    func waitingWriter(_ fifo: String) throws -> Process {
        let w = Process()
        w.executableURL = URL(fileURLWithPath: "/bin/sh")
        w.arguments = ["-c", "echo x > \(fifo)"]
        try w.run()
        return w
    }

    @Test func rootsCheckIgnoresAForgedPtp4lAndNeverOpensTheFifoItNames() throws {
        let fifo = "\(dir)/fifo"
        #expect(mkfifo(fifo, 0o666) == 0)
        let forged = try forge(interface: "veth0", file: fifo)
        defer { kill(forged.processIdentifier, SIGKILL); forged.waitUntilExit() }
        let writer = try waitingWriter(fifo)
        defer { kill(writer.processIdentifier, SIGKILL); writer.waitUntilExit() }
        let start = Date()
        let r = try ns.exec(["timeout", "20", E2E.tsctl, "check"])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(seconds < 10, "check finished promptly (\(seconds) s)")
        // Other tests running beside this one may have forged ptp4l processes of their own listed too.
        let listed = r.stdout.components(separatedBy: "ignored\n").dropFirst().first ?? ""
        #expect(listed.contains("  - ptp4l[\(forged.processIdentifier)]: it runs as uid 65534"), "\(r.stdout)")
        usleep(200_000)
        #expect(writer.isRunning, "nobody opened the FIFO for reading")

        let json = try ns.exec(["timeout", "20", E2E.tsctl, "check", "--json"])
        let doc = try #require(try E2E.json(json.stdout) as? [String: Any])
        let ignored = try #require(doc["ignored_daemons"] as? [[String: Any]])
        let mine = ignored.first { $0["pid"] as? Int == Int(forged.processIdentifier) }
        #expect(mine?["program"] as? String == "ptp4l")
        #expect((mine?["reason"] as? String)?.contains("uid 65534") == true)
        #expect(writer.isRunning, "nobody opened the FIFO for reading")
    }

    @Test func aForgedPtp4lOnTheInterfaceDoesNotMakeSetRefuseButRootsDaemonDoes() throws {
        let forged = try forge(interface: "veth0", file: "/etc/shadow")
        defer { kill(forged.processIdentifier, SIGKILL); forged.waitUntilExit() }
        // veth cannot be configured (exit 5); a believed daemon would refuse first (exit 12).
        let r = try ns.exec(["timeout", "20", E2E.tsctl, "set", "veth0", "--no-flags"])
        #expect(r.status == 5, "\(r.stderr)")
        #expect(!r.stderr.contains("ptp4l"))

        // The control: root running a root-owned binary called ptp4l from a
        // root-owned directory is believed, where it runs.
        let sbin = "/run/tsctl-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(
            atPath: sbin, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: sbin) }
        try FileManager.default.copyItem(atPath: "/bin/dash", toPath: "\(sbin)/ptp4l")
        // In the host's network namespace, its veth0 is not the test namespace's
        // veth0 (a container's eth0 is not the host's): set is not refused.
        let host = Process()
        host.executableURL = URL(fileURLWithPath: "\(sbin)/ptp4l")
        host.arguments = ["-c", "while :; do sleep 1; done", "-i", "veth0"]
        try host.run()
        defer { kill(host.processIdentifier, SIGKILL); host.waitUntilExit() }
        usleep(200_000)
        let elsewhere = try ns.exec(["timeout", "20", E2E.tsctl, "set", "veth0", "--no-flags"])
        #expect(elsewhere.status == 5, "\(elsewhere.stderr)")
        #expect(!elsewhere.stderr.contains("ptp4l"))
        // In the same namespace as tsctl: believed, and set refuses naming it.
        let real = Process()
        real.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        real.arguments = ["ip", "netns", "exec", ns.name, "\(sbin)/ptp4l", "-c", "while :; do sleep 1; done", "-i", "veth0"]
        try real.run()
        defer { kill(real.processIdentifier, SIGKILL); real.waitUntilExit() }
        var pid: Int32 = 0
        for _ in 0..<100 where pid == 0 {
            usleep(50_000)
            let comm = try? String(contentsOfFile: "/proc/\(real.processIdentifier)/comm", encoding: .utf8)
            if comm == "ptp4l\n" { pid = real.processIdentifier }
        }
        let refused = try ns.exec(["timeout", "20", E2E.tsctl, "set", "veth0", "--no-flags"])
        #expect(refused.status == 12, "\(refused.stderr)")
        #expect(refused.stderr.contains("ptp4l[\(pid)] uses veth0"))
    }
}
