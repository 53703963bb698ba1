import Foundation
import Testing

/// Bad input of every odd kind: each case runs the built binary in a private
/// namespace and asserts its exit code, a message naming the culprit, that it
/// finished promptly, and that the namespace is as it was. Needs root (the
/// namespace, setpriv for the unprivileged cases).
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct BadInputEndToEndTests {
    let ns: Namespace
    let dir: String
    init() throws {
        ns = try Namespace()
        dir =
            FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        mkfifo("\(dir)/fifo", 0o644)
        symlink("\(dir)/loop1", "\(dir)/loop2")
        symlink("\(dir)/loop2", "\(dir)/loop1")
        try Data(repeating: 0x20, count: (16 << 20) + 1).write(to: URL(fileURLWithPath: "\(dir)/huge.toml"))
        try Data().write(to: URL(fileURLWithPath: "\(dir)/empty.toml"))
        try Data([0x76, 0x65, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: "\(dir)/latin1.toml"))
        try Data([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]).write(to: URL(fileURLWithPath: "\(dir)/binary.toml"))
        try ("[[interface]]\nname = \"veth0\"\nflags = " + String(repeating: "[", count: 50_000) + "\n")
            .write(toFile: "\(dir)/nested.toml", atomically: false, encoding: .utf8)
        try ("[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]\n")
            .write(toFile: "\(dir)/header.toml", atomically: false, encoding: .utf8)
    }

    /// The namespace's links as the kernel lists them, and tsctl's view.
    func state() throws -> String {
        try ns.exec(["ip", "-j", "link"]).stdout + (try ns.tsctl(["show", "--all", "--json"])).stdout
    }

    struct Case: CustomStringConvertible {
        var args: [String]
        var status: Int32
        var says: String
        /// A shell command line instead of argv ("$T" is tsctl), for bytes that are not UTF-8.
        var shell: String? = nil
        var env: [String: String] = [:]
        var description: String { shell ?? args.joined(separator: " ") }
    }

    func run(_ cases: [Case]) throws {
        let before = try state()
        for c in cases {
            let start = Date()
            let r = try ns.exec(
                c.shell.map { ["timeout", "20", "sh", "-c", "T=\"$0\"; " + $0.replacingOccurrences(of: "DIR", with: dir), E2E.tsctl] }
                    ?? ["timeout", "20", E2E.tsctl] + c.args.map { $0.replacingOccurrences(of: "DIR", with: dir) }, env: c.env)
            #expect(r.status == c.status, "\(c): exit \(r.status), \(r.stderr)")
            // An empty fragment: a case that must pass quietly (names, environment).
            #expect(
                c.says.isEmpty ? r.stderr.isEmpty : r.stderr.contains(c.says.replacingOccurrences(of: "DIR", with: dir)),
                "\(c): \(r.stderr)")
            #expect(Date().timeIntervalSince(start) < 10, "\(c) finished promptly")
        }
        #expect(try state() == before, "nothing changed")
    }

    @Test func inputFilesOfEveryOddKind() throws {
        // A real baseline, hand-edited: its first advertised view loses "timestamping".
        let real = try ns.tsctl(["show", "--all", "--json"]).stdout
        let r = try #require(real.range(of: "\"timestamping\":"))
        try real.replacingCharacters(in: r, with: "\"timestamping_gone\":")
            .write(toFile: "\(dir)/base-nots.json", atomically: false, encoding: .utf8)
        var cases: [Case] = []
        for (flag, file) in [(["apply"], "DIR/fifo"), (["check", "--expect"], "DIR/fifo"), (["check", "--baseline"], "DIR/fifo")] {
            cases.append(Case(args: flag + [file], status: 3, says: "cannot read DIR/fifo: it is a FIFO, not a regular file"))
        }
        cases += [
            Case(args: ["apply", "DIR"], status: 3, says: "cannot read DIR: it is a directory, not a regular file"),
            Case(args: ["apply", "/dev/zero"], status: 3, says: "cannot read /dev/zero: it is a character device"),
            Case(args: ["check", "--baseline", "/dev/null"], status: 3, says: "/dev/null: it is a character device"),
            Case(args: ["apply", "DIR/loop1"], status: 3, says: "cannot read DIR/loop1: Too many levels of symbolic links"),
            Case(args: ["apply", "DIR/missing.toml"], status: 3, says: "cannot read DIR/missing.toml: No such file or directory"),
            Case(args: ["apply", "DIR/huge.toml"], status: 3, says: "larger than tsctl's limit of 1 MiB for desired-state files"),
            Case(args: ["check", "--baseline", "DIR/huge.toml"], status: 3, says: "limit of 16 MiB"),
            Case(args: ["apply", "DIR/empty.toml"], status: 3, says: "DIR/empty.toml: no [[interface]] entries"),
            Case(args: ["apply", "DIR/latin1.toml"], status: 3, says: "DIR/latin1.toml: it is not UTF-8 text"),
            Case(args: ["apply", "DIR/binary.toml"], status: 3, says: "DIR/binary.toml"),
            Case(args: ["apply", "DIR/nested.toml"], status: 3, says: "DIR/nested.toml:3:25: arrays nested more than 16 deep"),
            Case(args: ["apply", "DIR/header.toml"], status: 3, says: "DIR/header.toml:1:1: a table header with more than 16 dotted parts"),
            Case(args: ["check", "--baseline", "DIR/base-nots.json"], status: 3, says: "advertised.timestamping: missing")
        ]
        try run(cases)
    }

    @Test func numbersAreRangeCheckedAtTheEdge() throws {
        try run([
            Case(args: ["apply", "--keep", "--interval", "3000000", "x.toml"], status: 2, says: "--interval takes 0.1 to 86400 seconds"),
            Case(
                args: ["apply", "--keep", "--interval", "nan", "x.toml"], status: 2, says: "--interval takes 0.1 to 86400 seconds, not nan"),
            Case(args: ["apply", "--keep", "--interval", "inf", "x.toml"], status: 2, says: "--interval"),
            Case(args: ["apply", "--wait", "nan", "x.toml"], status: 2, says: "--wait takes 0 to 86400 seconds, not nan"),
            Case(args: ["apply", "--wait", "-1", "x.toml"], status: 2, says: "--wait")
        ])
    }

    @Test func unwritableOutputIsAnErrorButAVanishedReaderIsQuiet() throws {
        for args in [["show", "--all", "--json"], ["show", "--all"], ["check", "--json"]] {
            let full = try ns.exec(["sh", "-c", "\"$0\" \"$@\" > /dev/full", E2E.tsctl] + args)
            #expect(full.status == 11, "\(args): \(full.stderr)")
            #expect(full.stderr.contains("cannot write to standard output: No space left on device"))
            let closed = try ns.exec(["sh", "-c", "\"$0\" \"$@\" >&-", E2E.tsctl] + args)
            #expect(closed.status == 11, "\(args): \(closed.stderr)")
            #expect(closed.stderr.contains("standard output is closed"))
        }
        let pipe = try ns.exec(["sh", "-c", "\"$0\" show --all --json | head -c 1 >/dev/null", E2E.tsctl])
        #expect(pipe.stderr.isEmpty, "a reader that went away is not an error to report: \(pipe.stderr)")
    }

    @Test func unprivilegedProbeExitsWithThePermissionCode() throws {
        let r = try ns.exec([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            E2E.tsctl, "probe", "veth0"
        ])
        #expect(r.status == 6, "\(r.stderr)")
        #expect(r.stderr.contains("probe needs root"))
    }
}
