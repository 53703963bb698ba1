import Foundation
import Testing

/// The catalogue's cases about the environment, names the kernel allows that
/// are not UTF-8 or printable, signals and the per-interface lock (see
/// BadInputEndToEndTests). Needs root (a network namespace, /run/tsctl/lock).
extension BadInputEndToEndTests {
    @Test func environment() throws {
        try run([
            Case(args: ["show", "--all"], status: 0, says: "", env: ["COLUMNS": "-1", "LINES": "abc"]),
            Case(args: ["--help"], status: 0, says: "", env: ["COLUMNS": "99999999999999999999"]),
            Case(args: ["check"], status: 0, says: "", env: ["TERM": "", "NO_COLOR": "1", "LANG": "C", "LC_ALL": "C"]),
            Case(args: ["show", "--all"], status: 0, says: "", env: ["LANG": "xx_YY.NOPE", "LC_ALL": "xx_YY.NOPE", "TERM": "dumb"]),
            Case(args: [], status: 0, says: "", shell: "env -i \"$T\" show --all")
        ])
        // No colour without a terminal, whatever TERM says.
        let r = try ns.exec(["env", "TERM=xterm-256color", E2E.tsctl, "show", "--all"])
        #expect(!r.stdout.contains("\u{1b}"))
    }

    /// Names the kernel accepts: not UTF-8, an EM SPACE, a control byte, a
    /// backslash. Each is listed, can be named, shown escaped, and kept in JSON.
    @Test func namesTheKernelAllows() throws {
        try ns.execMust("ip link add \"$(printf '\\377\\376')\" type veth peer name \"$(printf 'em\\342\\200\\203sp')\"")
        try ns.execMust("ip link add \"$(printf 'a\\001b')\" type veth peer name 'back\\sl'")
        try run([
            Case(
                args: [], status: 0, says: "",
                shell: "\"$T\" show --all | grep -qF '\\xff\\xfe (ifindex' && \"$T\" show --all | grep -qF 'a\\x01b (ifindex'"),
            Case(args: [], status: 0, says: "", shell: "\"$T\" show \"$(printf '\\377\\376')\" | grep -qF '\\xff\\xfe (ifindex'"),
            Case(
                args: [], status: 0, says: "",
                shell: "\"$T\" show \"$(printf 'em\\342\\200\\203sp')\" | grep -qF 'em\\xe2\\x80\\x83sp (ifindex'"),
            Case(args: [], status: 0, says: "", shell: "\"$T\" show 'back\\sl' | grep -qF 'back\\\\sl (ifindex'"),
            Case(args: [], status: 0, says: "", shell: "\"$T\" show --all | LC_ALL=C grep -q \"$(printf '\\001')\" && exit 1 || exit 0"),
            Case(args: [], status: 0, says: "", shell: "\"$T\" check \"$(printf 'a\\001b')\" | grep -q 'no findings on 1 interface'"),
            Case(
                args: [], status: 4, says: "tsctl: \\xff\\xfe has no hardware timestamp provider to configure",
                shell: "\"$T\" set \"$(printf '\\377\\376')\" --tx on --rx all --dry-run"),
            Case(
                args: [], status: 0, says: "",
                shell:
                    "\"$T\" show --all --json > DIR/names.json && \"$T\" check --baseline DIR/names.json | grep -q 'no findings on 7 interfaces'"
            )
        ])
        let doc = try #require(try E2E.json(try String(contentsOfFile: "\(dir)/names.json", encoding: .utf8)) as? [String: Any])
        let itfs = try #require(doc["interfaces"] as? [[String: Any]])
        let byName = Dictionary(itfs.map { ($0["name"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["\\xff\\xfe"]?["name_bytes"] as? String == "fffe")
        #expect(byName["em\u{2003}sp"] != nil && byName["em\u{2003}sp"]?["name_bytes"] == nil)
        #expect(byName["a\u{1}b"] != nil)
        #expect(byName["back\\sl"] != nil)
    }

    @Test func signalsAndTheLock() throws {
        try "[[interface]]\nname = \"veth0\"\n".write(toFile: "\(dir)/keep.toml", atomically: false, encoding: .utf8)
        try "[[interface]]\nname = \"later0\"\nsource = \"mac\"\n".write(toFile: "\(dir)/later.toml", atomically: false, encoding: .utf8)
        let lockFile = "/run/tsctl/lock/$(stat -L -c %i /proc/self/ns/net)-$(cat /sys/class/net/veth0/ifindex)"
        // Waits (up to 10 s) until the keeper ($k) has written itself into veth0's lock,
        // not a fixed time: a loaded machine may take longer than a second to start it.
        // Only reads the file: taking the lock to test it would make the keeper refuse.
        let untilHeld = "i=0; until grep -qsE \"^keep.pid $k:\" \(lockFile) || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done; "
        let keeper = "\"$T\" apply --keep DIR/keep.toml >/dev/null 2>&1 & k=$!; " + untilHeld
        try run([
            Case(
                args: [], status: 130,
                says: "stopped by SIGINT while waiting for: DIR/later.toml:1: no interface later0; nothing was changed",
                shell: "\"$T\" apply --wait 30 DIR/later.toml & p=$!; sleep 1; kill -INT $p; wait $p"),
            Case(
                args: [], status: 143, says: "stopped by SIGTERM while waiting for",
                shell: "\"$T\" apply --wait 30 DIR/later.toml & p=$!; sleep 1; kill -TERM $p; wait $p"),
            Case(
                args: [], status: 13, says: "veth0 is locked: pid ",
                shell: keeper + "\"$T\" set veth0 --tx on --rx all; r=$?; kill $k; wait $k; exit $r"),
            Case(
                args: [], status: 13, says: "tsctl apply --keep DIR/keep.toml keeps it applied",
                shell: keeper + "\"$T\" apply --keep DIR/keep.toml; r=$?; kill $k; wait $k; exit $r"),
            Case(
                args: [], status: 13, says: "keeps it applied",
                shell: keeper + "\"$T\" apply DIR/keep.toml; r=$?; kill $k; wait $k; exit $r"),
            // The keeper stops at once on SIGTERM (nothing under way) with 143, which its unit counts as clean.
            Case(
                args: [], status: 143, says: "stopped by SIGTERM; no change was under way",
                shell: "\"$T\" apply --keep DIR/keep.toml >/dev/null & k=$!; " + untilHeld + "kill -TERM $k; wait $k"),
            // Another writer (any flock holder) is waited for, with a message, then the apply goes on.
            Case(
                args: [], status: 10, says: "waiting up to 10 s for",
                shell: "\"$T\" apply DIR/keep.toml >/dev/null; flock \(lockFile) sh -c 'touch DIR/held; sleep 2' & "
                    + "i=0; until [ -e DIR/held ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done; \"$T\" apply DIR/keep.toml >/dev/null"
            )
        ])
        // The lock directory is root's alone.
        let st = try ns.exec(["stat", "-c", "%a %U", "/run/tsctl/lock"])
        #expect(st.stdout == "700 root\n")
    }
}

extension Namespace {
    /// Runs a shell command line in the namespace; throws when it fails.
    func execMust(_ script: String) throws {
        let r = try exec(["sh", "-c", script])
        if r.status != 0 {
            throw NSError(domain: "e2e", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "\(script): \(r.stderr)"])
        }
    }
}
