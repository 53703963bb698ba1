import Foundation
import Testing

/// More of the bad-input catalogue (see BadInputEndToEndTests): options and
/// values, interface names, namespaces, desired-state files, baselines and
/// outputs. Each case: its exit code, a message naming the culprit, nothing
/// changed. Needs root (a network namespace).
extension BadInputEndToEndTests {
    @Test func optionsAndValues() throws {
        try run([
            Case(args: ["show", "--bogus"], status: 2, says: "--bogus"),
            Case(args: ["frobnicate"], status: 2, says: "frobnicate"),
            Case(args: ["set", "veth0", "--tx", "sideways"], status: 2, says: "'sideways' is invalid for '--tx"),
            Case(args: ["set", "veth0", "--rx", "bogus"], status: 2, says: "'bogus' is invalid for '--rx"),
            Case(args: ["set", "veth0", "--source", "layer7"], status: 2, says: "'layer7' is invalid for '--source"),
            Case(args: ["set", "veth0", "--source", "phy:-1"], status: 2, says: "'phy:-1'"),
            Case(args: ["set", "veth0", "--qualifier", "exact"], status: 2, says: "'exact' is invalid for '--qualifier"),
            Case(args: ["set", "veth0", "--flags", "nonsense"], status: 2, says: "'nonsense' is invalid for '--flags"),
            Case(
                args: ["set", "veth0", "--flags", "bonded-phc-index", "--no-flags"], status: 2,
                says: "--flags and --no-flags exclude each other"),
            Case(args: ["set", "veth0"], status: 2, says: "nothing to set"),
            Case(args: ["set"], status: 2, says: "Missing expected argument '<interface>'"),
            Case(args: ["apply"], status: 2, says: "Missing expected argument '<file>'"),
            Case(args: ["probe"], status: 2, says: "Missing expected argument '<interfaces> ...'"),
            Case(args: ["show", "--all", "veth0"], status: 2, says: "give interface names or --all, not both"),
            Case(args: ["check", "--format", "yaml"], status: 2, says: "'yaml' is invalid for '--format"),
            Case(args: ["check", "--prefer", "both"], status: 2, says: "'both' is invalid for '--prefer"),
            Case(args: ["apply", "--keep", "--dry-run", "x.toml"], status: 2, says: "--keep and --dry-run exclude each other"),
            Case(args: ["apply", "--wait", "1e9", "x.toml"], status: 2, says: "--wait takes 0 to 86400 seconds"),
            Case(args: ["apply", "--wait", "abc", "x.toml"], status: 2, says: "'abc' is invalid for '--wait"),
            Case(args: ["apply", "--keep", "--interval", "0", "x.toml"], status: 2, says: "--interval takes 0.1 to 86400 seconds, not 0.0")
        ])
    }

    @Test func interfaceNames() throws {
        try run([
            Case(args: ["show", ""], status: 2, says: "invalid interface name \"\": it is empty"),
            Case(args: ["show", "a/b"], status: 2, says: "invalid interface name \"a/b\": it contains \"/\""),
            Case(args: ["show", "a:b"], status: 2, says: "it contains \":\""),
            Case(args: ["show", "a b"], status: 2, says: "it contains the space byte \\x20"),
            Case(args: ["check", "x\ty"], status: 2, says: "invalid interface name \"x\\x09y\": it contains the space byte \\x09"),
            Case(args: ["show", "."], status: 2, says: "\".\" and \"..\" are not interface names"),
            Case(args: ["set", "..", "--tx", "on"], status: 2, says: "\".\" and \"..\" are not interface names"),
            Case(args: ["show", "sixteen-bytes-xx"], status: 2, says: "it is 16 bytes; the kernel's limit is 15"),
            // The kernel's isspace() includes 0xA0 (Latin-1 no-break space): refused as the kernel refuses it.
            Case(args: [], status: 2, says: "invalid interface name \"a\\xa0b\"", shell: "\"$T\" show \"$(printf 'a\\240b')\""),
            Case(args: [], status: 4, says: "no such interface: \\xff\\xfe", shell: "\"$T\" show \"$(printf '\\377\\376')\""),
            Case(args: [], status: 4, says: "no such interface: \\x1b[31m", shell: "\"$T\" check \"$(printf '\\033[31m')\""),
            Case(args: ["show", "nosuch0"], status: 4, says: "no such interface: nosuch0"),
            Case(args: ["show", "veth0", "nosuch0"], status: 4, says: "no such interface: nosuch0"),
            Case(args: ["check", "nosuch0"], status: 4, says: "no such interface: nosuch0"),
            Case(args: ["probe", "nosuch0"], status: 4, says: "no such interface: nosuch0"),
            Case(args: ["set", "nosuch0", "--tx", "on", "--dry-run"], status: 4, says: "no such interface: nosuch0"),
            Case(args: ["set", "veth0", "--source", "phy:3", "--tx", "on", "--rx", "all"], status: 4, says: "veth0 has no")
        ])
    }

    @Test func namespaces() throws {
        try run([
            Case(args: ["show", "--netns", "tsctl-no-such-ns"], status: 4, says: "cannot enter network namespace tsctl-no-such-ns"),
            Case(args: ["check", "--netns", "a/b"], status: 2, says: "--netns \"a/b\": a namespace name from `ip netns list` has no \"/\""),
            Case(args: ["show", "--netns", "../../etc"], status: 2, says: "--netns \"../../etc\""),
            Case(args: ["show", "--netns", ""], status: 2, says: "--netns \"\""),
            Case(args: ["show", "--netns", "/etc/hostname"], status: 4, says: "--netns /etc/hostname is not a network namespace"),
            Case(args: ["show", "--netns", "DIR/fifo"], status: 4, says: "--netns DIR/fifo is not a network namespace"),
            Case(args: ["show", "--netns", "DIR"], status: 4, says: "--netns DIR is not a network namespace"),
            Case(args: ["check", "--netns", "/dev/null"], status: 4, says: "--netns /dev/null is not a network namespace"),
            Case(args: ["set", "veth0", "--tx", "on", "--netns", "/proc/self/ns/uts"], status: 4, says: "is not a network namespace")
        ])
    }

    @Test func desiredStateFilesAndBaselines() throws {
        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: "\(dir)/\(name)", atomically: false, encoding: .utf8)
        }
        try write("dup.toml", "[[interface]]\nname = \"veth0\"\nname = \"veth1\"\n")
        try write("badtx.toml", "[[interface]]\nname = \"veth0\"\ntx = \"sideways\"\n")
        try write("unknown.toml", "[[interface]]\nname = \"veth0\"\ncolour = \"red\"\n")
        try write("noname.toml", "[[interface]]\ntx = \"on\"\n")
        try write("badname.toml", "[[interface]]\nname = \"a/b\"\n")
        try write("badsrc.toml", "[[interface]]\nname = \"veth0\"\nsource = \"phy:x\"\n")
        try write("trunc.json", "{")
        try write("v2.json", "{\"schema_version\": 2}")
        try write("arr.json", "[1, 2]")
        try write("deep.json", String(repeating: "[", count: 100_000))
        // A real baseline whose first interface's name_bytes do not match its name.
        let real = try ns.tsctl(["show", "--all", "--json"]).stdout
        let r = try #require(real.range(of: "\"ifindex\":"))
        try write("base-bytes.json", real.replacingCharacters(in: r, with: "\"name_bytes\": \"ff\", \"ifindex\":"))
        try run([
            Case(args: ["apply", "DIR/dup.toml"], status: 3, says: "DIR/dup.toml:3:1: key \"name\" is defined twice"),
            Case(args: ["check", "--expect", "DIR/dup.toml"], status: 3, says: "DIR/dup.toml:3:1"),
            Case(args: ["apply", "DIR/badtx.toml"], status: 3, says: "DIR/badtx.toml:3:6: tx \"sideways\" is not one of"),
            Case(args: ["apply", "DIR/unknown.toml"], status: 3, says: "unknown key \"colour\""),
            Case(args: ["apply", "DIR/noname.toml"], status: 3, says: "an [[interface]] needs name"),
            Case(args: ["apply", "DIR/badname.toml"], status: 3, says: "name \"a/b\" is not an interface name"),
            Case(args: ["apply", "DIR/badsrc.toml"], status: 3, says: "source \"phy:x\" is not one of"),
            Case(args: ["check", "--expect", "DIR"], status: 3, says: "cannot read DIR: it is a directory"),
            Case(args: ["check", "--expect", "/dev/zero"], status: 3, says: "/dev/zero: it is a character device"),
            Case(args: ["check", "--baseline", "DIR/missing.json"], status: 3, says: "DIR/missing.json: No such file or directory"),
            Case(args: ["check", "--baseline", "DIR"], status: 3, says: "it is a directory"),
            Case(args: ["check", "--baseline", "DIR/latin1.toml"], status: 3, says: "DIR/latin1.toml"),
            Case(args: ["check", "--baseline", "DIR/trunc.json"], status: 3, says: "DIR/trunc.json:1:2: expected a key"),
            Case(args: ["check", "--baseline", "DIR/v2.json"], status: 3, says: "$.schema_version: is 2"),
            Case(args: ["check", "--baseline", "DIR/arr.json"], status: 3, says: "$.schema_version: expected an integer"),
            Case(args: ["check", "--baseline", "DIR/deep.json"], status: 3, says: "nesting too deep"),
            Case(args: ["check", "--baseline", "DIR/base-bytes.json"], status: 3, says: "name_bytes: expected the hex bytes of \"name\""),
            Case(args: ["check", "--expect", "DIR/loop1"], status: 3, says: "Too many levels of symbolic links")
        ])
    }

    @Test func outputsThatCannotBeWritten() throws {
        try run([
            Case(args: [], status: 11, says: "cannot write to standard output", shell: "\"$T\" check --format junit > /dev/full"),
            Case(args: [], status: 11, says: "cannot write to standard output", shell: "\"$T\" check --format prometheus > /dev/full"),
            Case(args: [], status: 11, says: "standard output is closed", shell: "\"$T\" show veth0 --json >&-"),
            Case(args: [], status: 11, says: "standard output is closed", shell: "\"$T\" set veth0 --tx on --dry-run >&-"),
            Case(
                args: ["check", "--format", "prometheus", "--output", "DIR/no-such-dir/tsctl.prom"], status: 11,
                says: "no-such-dir/tsctl.prom: mkstemp"),
            Case(args: ["check", "--output", "DIR/"], status: 2, says: "--output takes a file name")
        ])
    }

    /// `--output` replaces only a regular file (or makes a new one); a device,
    /// FIFO or link is written in place, never renamed over: after a CI step's
    /// `--output /dev/stdout`, /dev/null must still be the null device.
    @Test func outputsThatAreNotRegularFilesAreWrittenInPlace() throws {
        try run([
            Case(args: [], status: 0, says: "", shell: "\"$T\" check --output /dev/null && test -c /dev/null"),
            Case(
                args: [], status: 0, says: "",
                shell: "\"$T\" check --format junit --output /dev/stdout | grep -q '<testsuites' && test -c /dev/null"),
            Case(
                args: [], status: 0, says: "",
                // The reader is given time to open the FIFO first: a check that ends within
                // the millisecond cat takes to start found no reader (ENXIO) and the case hung.
                shell:
                    "rm -f DIR/fifo; mkfifo DIR/fifo; cat DIR/fifo > DIR/got & sleep 0.3; \"$T\" check --format tap --output DIR/fifo; r=$?; wait; "
                    + "test -p DIR/fifo && grep -q '^TAP version' DIR/got && exit $r"),
            Case(
                args: [], status: 11, says: "a FIFO no process reads (ENXIO); the file was not changed",
                shell: "rm -f DIR/lonely; mkfifo DIR/lonely; \"$T\" check --output DIR/lonely; r=$?; test -p DIR/lonely && exit $r"),
            Case(
                args: [], status: 0, says: "",
                shell: "printf 'an old and much longer report\\n%.0s' 1 2 3 4 > DIR/real; ln -sf DIR/real DIR/link; "
                    + "\"$T\" check --output DIR/link && test -L DIR/link && ! grep -q old DIR/real && grep -q 'interface' DIR/real"),
            Case(
                args: [], status: 11, says: "cannot write the report to /dev/full: write: No space left on device (ENOSPC)",
                shell: "\"$T\" check --output /dev/full; r=$?; test -c /dev/full && exit $r"),
            Case(args: ["check", "--output", "DIR"], status: 11, says: "it is a directory")
        ])
    }

    /// One line a problem, of a bounded length, with the exit code the README gives.
    @Test func repeatedOptionsNegativeNumbersAndHugeValues() throws {
        try run([
            Case(args: ["set", "veth0", "--tx", "on", "--tx=off"], status: 2, says: "--tx is given twice (on, then off); give it once"),
            Case(args: ["check", "--sample", "-5"], status: 2, says: "--sample takes seconds between 0 and 3600"),
            Case(args: ["watch", "--interval", "-1"], status: 2, says: "--interval takes seconds between 0.1 and 3600"),
            Case(
                args: [], status: 2, says: "characters left out",
                shell: "\"$T\" show \"$(head -c 100000 /dev/zero | tr '\\0' a)\" 2>DIR/err; r=$?; cat DIR/err >&2; "
                    + "test $(wc -c < DIR/err) -lt 2200 && exit $r"),
            // Its reader gone, watch ends at once instead of running on.
            Case(
                args: [], status: 0, says: "",
                shell: "s=$(date +%s); timeout 20 \"$T\" watch | head -1 >/dev/null; test $(( $(date +%s) - s )) -lt 5")
        ])
    }

    /// A fleet file may name a NIC by an altname (systemd gives them), as show,
    /// set and probe take it: apply and check --expect resolve it to the device.
    @Test func aDesiredStateFileMayNameAnAltname() throws {
        try ns.execMust("ip link property add dev veth0 altname altveth0")
        let setup =
            "printf '[[interface]]\\nname = \"altveth0\"\\ntx = \"on\"\\nrx = \"all\"\\n' > DIR/alt.toml; "
        try run([
            Case(
                args: [], status: 4, says: "DIR/alt.toml:1: veth0 has no hardware timestamp provider",
                shell: setup + "\"$T\" apply --dry-run DIR/alt.toml"),
            Case(
                args: [], status: 1, says: "",
                shell: setup + "\"$T\" check --expect DIR/alt.toml > DIR/out; r=$?; grep -q 'veth0 has no hardware' DIR/out && exit $r")
        ])
    }

    /// A check that could not run writes a report that says so in every format,
    /// so the file does not go on saying "passed".
    @Test func aCheckThatCouldNotRunSaysSoInTheFile() throws {
        try run([
            Case(
                args: [], status: 3, says: "cannot read DIR/missing.toml",
                shell: "echo 'tsctl_check_exit_status 0' > DIR/p.prom; \"$T\" check --expect DIR/missing.toml --format prometheus "
                    + "--output DIR/p.prom; r=$?; grep -qx 'tsctl_check_exit_status 3' DIR/p.prom && exit $r"),
            Case(
                args: [], status: 3, says: "cannot read DIR/missing.toml",
                shell: "echo 'ok 1' > DIR/p.tap; \"$T\" check --expect DIR/missing.toml --format tap --output DIR/p.tap; r=$?; "
                    + "grep -q '^not ok 1 tsctl check could run' DIR/p.tap && exit $r"),
            Case(
                args: [], status: 3, says: "cannot read DIR/missing.toml",
                shell: "\"$T\" check --expect DIR/missing.toml --json --output DIR/p.json > DIR/stdout; r=$?; "
                    + "grep -q '\"exit_status\": 3' DIR/p.json && test ! -s DIR/stdout && exit $r"),
            Case(
                args: [], status: 3, says: "cannot read DIR/missing.toml",
                shell: "\"$T\" check --expect DIR/missing.toml --output DIR/p.txt; r=$?; "
                    + "grep -q '^tsctl check could not run: cannot read' DIR/p.txt && exit $r")
        ])
    }
}
