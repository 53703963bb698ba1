import Foundation
import FoundationXML
import Testing

/// set, apply and check against this machine's kernel in a private namespace
/// (lo and a veth pair: no hardware clock). What needs a real provider runs
/// in the QEMU test bed. Needs root to make the namespace.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct ChangeAndCheckEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    func oneLine(_ r: Run) -> String? {
        let lines = r.stderr.split(separator: "\n")
        return lines.count == 1 ? String(lines[0]) : nil
    }

    @Test func unprivilegedSetIsRefusedWithThePermissionCode() throws {
        let before = try ns.tsctl(["show", "--all", "--json"]).stdout
        let r = try ns.exec([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            E2E.tsctl, "set", "veth0", "--tx", "on", "--rx", "all"
        ])
        #expect(r.status == 6)
        #expect(oneLine(r)?.contains("CAP_NET_ADMIN") == true)
        #expect(try ns.tsctl(["show", "--all", "--json"]).stdout == before, "nothing changed")
    }

    @Test func settingAProviderAnInterfaceLacksNamesWhatItHas() throws {
        let r = try ns.tsctl(["set", "veth0", "--source", "mac", "--tx", "on", "--rx", "all"])
        #expect(r.status == 4)
        #expect(oneLine(r) == "tsctl: veth0 has no mac timestamp provider; it has no hardware timestamp provider")
    }

    @Test func badValuesAreOneLineUsageErrors() throws {
        let r = try ns.tsctl(["set", "veth0", "--rx", "bogus"])
        #expect(r.status == 2)
        #expect(oneLine(r)?.contains("ptpv2-event") == true)
        let s = try ns.tsctl(["set", "veth0", "--source", "phy:0"])
        #expect(s.status == 2)
        #expect(try ns.tsctl(["set", "veth0"]).status == 2)
    }

    @Test func applyRefusesABadFileWithItsPosition() throws {
        let f = try file("bad.toml", "[[interface]]\nname = \"veth0\"\nsorce = \"mac\"\n")
        let r = try ns.tsctl(["apply", f])
        #expect(r.status == 3)
        #expect(
            oneLine(r)
                == "tsctl: \(f):3:1: unknown key \"sorce\" (did you mean \"source\"?); known keys: name, driver, optional, source, qualifier, tx, rx, flags, require, for"
        )
        let missing = try ns.tsctl(["apply", "/nonexistent/board.toml"])
        #expect(missing.status == 3)
    }

    @Test func applyWaitsForAnInterfaceThenTimesOut() throws {
        let f = try file("wait.toml", "[[interface]]\nname = \"eth7\"\nsource = \"mac\"\n")
        let start = Date()
        let r = try ns.tsctl(["apply", "--wait", "0.5", f])
        #expect(r.status == 9)
        #expect(Date().timeIntervalSince(start) >= 0.5)
        #expect(oneLine(r)?.contains("no interface eth7") == true)
        #expect(r.stderr.contains("nothing was changed"))
    }

    @Test func applyFindsAnInterfaceThatAppearsWhileWaiting() throws {
        let f = try file("appear.toml", "[[interface]]\nname = \"late0\"\nsource = \"mac\"\n")
        let bg = Process()
        bg.executableURL = URL(fileURLWithPath: "/bin/sh")
        bg.arguments = ["-c", "sleep 0.4; ip -n \(ns.name) link add late0 type veth peer name late1"]
        try bg.run()
        let r = try ns.tsctl(["apply", "--wait", "1.5", f])
        bg.waitUntilExit()
        // The interface appeared during the wait; its MAC clock never does (a veth
        // has none), and --wait waits for providers too, so it times out naming it.
        #expect(r.status == 9, "\(r.stderr)")
        #expect(r.stderr.contains("late0 has no mac timestamp provider"))
        #expect(!r.stderr.contains("no interface late0"))
    }

    @Test func probeOnAnInterfaceThatStampsNothingSaysSoAndFails() throws {
        _ = try ns.exec(["ip", "link", "set", "veth0", "up"])
        _ = try ns.exec(["ip", "link", "set", "veth1", "up"])
        let r = try ns.tsctl(["probe", "--json", "veth0"])
        #expect(r.status == 1, "no clock proven is not a pass")
        let doc = try #require(try E2E.json(r.stdout) as? [String: Any])
        #expect(doc["schema_version"] as? Int == 1)
        let obs = try #require(doc["interfaces"] as? [[String: Any]])
        #expect(obs.first?["phc_index"] is NSNull)
        #expect((obs.first?["verdict"] as? String)?.hasPrefix("no hardware transmit timestamp came back") == true)
    }

    @Test func checkOnACleanNamespacePassesInEveryFormat() throws {
        let text = try ns.tsctl(["check"])
        #expect(text.status == 0)
        #expect(text.stdout.hasSuffix("no findings on 3 interfaces\n"))
        let json = try ns.tsctl(["check", "--json"])
        let doc = try #require(try E2E.json(json.stdout) as? [String: Any])
        #expect(doc["exit_status"] as? Int == 0)
        #expect((doc["interfaces"] as? [String])?.sorted() == ["lo", "veth0", "veth1"])
        let junit = try ns.tsctl(["check", "--format", "junit"])
        let xml = try XMLDocument(xmlString: junit.stdout)
        #expect(xml.rootElement()?.attribute(forName: "failures")?.stringValue == "0")
        let prom = try ns.tsctl(["check", "--format", "prometheus"])
        #expect(prom.stdout.contains("tsctl_check_exit_status 0\n"))
    }

    @Test func checkGivesTheSameReportOnItsFastPathAndThroughTheFullParser() throws {
        // `check --json` is parsed by the fast path, `--netns` takes ArgumentParser's.
        let fast = try ns.tsctl(["check", "--json", "--strict"])
        let full = try Run.run([E2E.tsctl, "check", "--json", "--strict", "--netns", ns.name])
        #expect(fast.status == full.status)
        #expect(fast.stdout == full.stdout)
        #expect(try ns.tsctl(["check", "veth0"]).stdout == (try Run.run([E2E.tsctl, "check", "--netns", ns.name, "veth0"])).stdout)
    }

    @Test func checkExpectFailsWhenTheBoardIsNotProvisioned() throws {
        let f = try file("expect.toml", "[[interface]]\nname = \"veth0\"\nsource = \"mac\"\ntx = \"on\"\n")
        let r = try ns.tsctl(["check", "--expect", f, "--json"])
        #expect(r.status == 1)
        let doc = try #require(try E2E.json(r.stdout) as? [String: Any])
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(findings.map { $0["id"] as? String } == ["expectation-not-met"])
        #expect((findings[0]["statement"] as? String)?.contains("veth0 has no mac timestamp provider") == true)
    }

    @Test func checkBaselineFindsNoDriftAgainstItselfAndRejectsGarbage() throws {
        let base = try file("base.json", try ns.tsctl(["show", "--all", "--json"]).stdout)
        #expect(try ns.tsctl(["check", "--baseline", base]).status == 0)
        let bad = try file("bad.json", "{\"schema_version\": 1,\n \"kernel\": 3}")
        let r = try ns.tsctl(["check", "--baseline", bad])
        #expect(r.status == 3)
        #expect(oneLine(r)?.contains("$.kernel: expected an object") == true)
    }
}
