import Foundation

/// Runs a program and captures what it printed.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    @discardableResult
    static func run(_ argv: [String], env: [String: String] = [:], unset: [String] = []) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        for k in unset { e[k] = nil }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: withoutProfileErrors(String(decoding: r, as: UTF8.self)))
    }

    /// Under `swift test --enable-code-coverage` (Scripts/coverage) the binary
    /// is instrumented, and a run as an unprivileged user cannot write its
    /// profile: the profiling runtime's line is not tsctl's output.
    static func withoutProfileErrors(_ s: String) -> String {
        guard s.contains("LLVM Profile Error:") else { return s }
        return s.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("LLVM Profile Error:") }.joined(separator: "\n")
    }
}

enum E2E {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary under test: TSCTL_BIN (Scripts/test sets the release build), else the debug build.
    static var tsctl: String {
        ProcessInfo.processInfo.environment["TSCTL_BIN"]
            ?? packageRoot.appendingPathComponent(".build/debug/tsctl").path
    }

    static var isRoot: Bool { getuid() == 0 }

    static func json(_ s: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(s.utf8))
    }
}

/// A private network namespace holding lo and a veth pair, removed at deinit.
final class Namespace {
    let name: String
    init(veths: Int = 1) throws {
        // Unique per instance: tests of a suite may run in parallel processes' threads.
        name = "tsctl-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Self.must(["ip", "netns", "add", name])
        try Self.must(["ip", "-n", name, "link", "set", "lo", "up"])
        for i in 0..<veths {
            try Self.must(["ip", "-n", name, "link", "add", "veth\(2 * i)", "type", "veth", "peer", "name", "veth\(2 * i + 1)"])
        }
    }

    deinit { _ = try? Run.run(["ip", "netns", "del", name]) }

    /// Runs argv inside the namespace (with its own /sys, as `ip netns exec` mounts it).
    func exec(_ argv: [String], env: [String: String] = [:], unset: [String] = []) throws -> Run {
        try Run.run(["ip", "netns", "exec", name] + argv, env: env, unset: unset)
    }

    func tsctl(_ args: [String], env: [String: String] = [:]) throws -> Run {
        try exec([E2E.tsctl] + args, env: env)
    }

    static func must(_ argv: [String]) throws {
        let r = try Run.run(argv)
        if r.status != 0 {
            throw NSError(domain: "e2e", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "\(argv): \(r.stderr)"])
        }
    }
}

/// Writes `text` to a file of this test process's own in the temporary directory and
/// returns its path (the documents the end-to-end tests hand to tsctl).
func file(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-\(getpid())-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Validates `json` against Schemas/NAME.schema.json (python3-jsonschema, Draft 2020-12);
/// nil when it is valid, else the validator's error text.
func schemaProblem(_ json: String, _ name: String) throws -> String? {
    let doc = try file("doc-\(name).json", json)
    let schema = E2E.packageRoot.appendingPathComponent("Schemas/\(name).schema.json").path
    let r = try Run.run([
        "/usr/bin/python3", "-c",
        """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
        """, schema, doc
    ])
    return r.status == 0 ? nil : r.stderr
}
