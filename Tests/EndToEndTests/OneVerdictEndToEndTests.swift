import Foundation
import Testing

/// apply, apply --dry-run and check --expect read a desired-state file the same
/// way, against this machine's kernel in a private namespace (lo, veth0, veth1).
/// Needs root to make the namespace.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct OneVerdictEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    @Test func twoEntriesForOneInterfaceAreAnInvalidFileForApplyAndCheck() throws {
        let f = try file("twice.toml", "[[interface]]\nname = \"veth*\"\ntx = \"on\"\n\n[[interface]]\nname = \"veth0\"\nrx = \"all\"\n")
        for argv in [["apply", f], ["apply", "--dry-run", f], ["check", "--expect", f], ["check", "--expect", f, "veth0"]] {
            let r = try ns.tsctl(argv)
            #expect(r.status == 3, "\(argv): \(r.stderr)")
            #expect(r.stderr.contains("veth0 is matched by \(f):1 (name \"veth*\") and \(f):5 (name \"veth0\")"), "\(argv): \(r.stderr)")
        }
    }

    @Test func anEntryMatchingNothingIsAnErrorUnlessOptional() throws {
        let glob = try file("glob.toml", "[[interface]]\nname = \"lan*\"\ntx = \"on\"\n")
        let driver = try file("driver.toml", "[[interface]]\ndriver = \"mvpp2\"\ntx = \"on\"\n")
        for f in [glob, driver] {
            for argv in [["apply", f], ["apply", "--dry-run", f]] {
                let r = try ns.tsctl(argv)
                #expect(r.status == 3, "\(argv): \(r.stderr)")
                #expect(r.stderr.contains("matches no interface") && r.stderr.contains("optional = true"))
            }
            let c = try ns.tsctl(["check", "--expect", f, "--json"])
            #expect(c.status == 1)
            #expect(c.stdout.contains("expectation-not-met"))
        }
        // --wait waits for a glob as for a name, then times out (exit 9).
        let start = Date()
        let w = try ns.tsctl(["apply", "--wait", "0.5", glob])
        #expect(w.status == 9, "\(w.stderr)")
        #expect(Date().timeIntervalSince(start) >= 0.5)
        let optional = try file("optional.toml", "[[interface]]\ndriver = \"mvpp2\"\ntx = \"on\"\noptional = true\n")
        #expect(try ns.tsctl(["check", "--expect", optional, "--strict"]).status == 0)
        #expect(try ns.tsctl(["apply", "--dry-run", optional]).status == 10, "nothing to do")
    }

    @Test func checkBaselineReportsOnlyTheNamedInterfaces() throws {
        // A baseline with a clock on veth1 that this namespace does not have.
        let show = try ns.tsctl(["show", "--all", "--json"]).stdout
        var doc = try #require(try E2E.json(show) as? [String: Any])
        var itfs = try #require(doc["interfaces"] as? [[String: Any]])
        let i = try #require(itfs.firstIndex { $0["name"] as? String == "veth1" })
        itfs[i]["name"] = "eth5"
        itfs[i]["providers"] = [
            [
                "layer": "mac", "phc_index": 3, "qualifier": "precise", "phy_index": NSNull(), "timestamping": NSNull(),
                "tx_types": NSNull(), "rx_filters": NSNull(), "reported_by": "tsinfo-dump",
                "advertised": true, "active": true
            ]
        ]
        doc["interfaces"] = itfs
        let base = try file("base.json", String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self))
        let all = try ns.tsctl(["check", "--baseline", base])
        #expect(all.status == 1 && all.stdout.contains("eth5 is in the baseline but no longer exists"), "\(all.stdout)\(all.stderr)")
        let one = try ns.tsctl(["check", "--baseline", base, "veth0"])
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        #expect(!one.stdout.contains("eth5"))
    }
}
