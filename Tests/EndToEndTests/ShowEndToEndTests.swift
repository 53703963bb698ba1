import Foundation
import Testing

/// The built tsctl against this machine's kernel, in a private network
/// namespace the test makes (lo and a veth pair), compared with what the
/// kernel says through paths tsctl does not use. Needs root (to make the
/// namespace); CI runs as root.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct ShowEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    private func showAll(_ extra: [String] = []) throws -> [[String: Any]] {
        let r = try ns.tsctl(["show", "--all", "--json"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try E2E.json(r.stdout) as? [String: Any])
        #expect(doc["schema_version"] as? Int == 1)
        return try #require(doc["interfaces"] as? [[String: Any]])
    }

    private func kernelView() throws -> [String: [String: Any]] {
        let script = E2E.packageRoot.appendingPathComponent("Tests/EndToEndTests/kernel_view.py").path
        let r = try ns.exec(["/usr/bin/python3", script])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try #require(try E2E.json(r.stdout) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
    }

    @Test func showAllListsEveryInterfaceAsTheKernelReportsIt() throws {
        let shown = try showAll()
        let kernel = try kernelView()
        // Same interfaces as `ip link` in the namespace, same order by ifindex.
        let ipLink = try #require(try E2E.json(try ns.exec(["ip", "-j", "link"]).stdout) as? [[String: Any]])
        #expect(shown.map { $0["name"] as! String } == ipLink.map { $0["ifname"] as! String })
        #expect(shown.map { $0["ifindex"] as! Int } == ipLink.map { $0["ifindex"] as! Int })
        for itf in shown {
            let name = itf["name"] as! String
            let k = try #require(kernel[name])
            let adv = try #require(itf["advertised"] as? [String: Any])
            // ETHTOOL_GET_TS_INFO (the ioctl ptp4l uses) and TSINFO agree.
            #expect(adv["timestamping"] as? [String] == k["timestamping"] as? [String], "\(name)")
            #expect((adv["phc_index"] as? Int) == (k["phc_index"] as? Int), "\(name)")
            #expect((itf["providers"] as! [Any]).isEmpty, "\(name) has no PHC, so no hardware provider")
            #expect((itf["driver"] as? String) == (k["driver"] as? String), "\(name)")
            // Neither lo nor veth can read back a config: SIOCGHWTSTAMP says EOPNOTSUPP too.
            let active = try #require(itf["active"] as? [String: Any])
            #expect(k["hwtstamp_errno"] as? Int == 95)
            #expect(active["state"] as? String == "unavailable")
            #expect(active["reason"] as? String == "driver-unsupported")
            #expect(active["errno"] as? Int == 95)
        }
    }

    @Test func capabilitiesMatchEthtool() throws {
        for itf in try showAll() {
            let name = itf["name"] as! String
            let r = try ns.exec(["ethtool", "-T", name])
            #expect(r.status == 0)
            // ethtool lists capability names, one per tab-indented line after "Capabilities:".
            let caps = r.stdout.split(separator: "\n").drop { !$0.hasPrefix("Capabilities:") }.dropFirst()
                .prefix { $0.hasPrefix("\t") }
                .map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "" }
            #expect((itf["advertised"] as! [String: Any])["timestamping"] as? [String] == caps, "\(name)")
            #expect(r.stdout.contains("PTP Hardware Clock: none"))
        }
    }

    @Test func jsonValidatesAgainstTheCommittedSchema() throws {
        let r = try ns.tsctl(["show", "--all", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try schemaProblem(r.stdout, "show") == nil)
    }

    @Test func readingNeedsNoPrivilege() throws {
        let asRoot = try ns.tsctl(["show", "--all", "--json"])
        let asNobody = try ns.exec([
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            E2E.tsctl, "show", "--all", "--json"
        ])
        #expect(asNobody.status == 0, "\(asNobody.stderr)")
        #expect(asNobody.stdout == asRoot.stdout)
    }

    @Test func netnsOptionSeesWhatIpNetnsExecSees() throws {
        let viaOption = try Run.run([E2E.tsctl, "show", "--all", "--json", "--netns", ns.name])
        #expect(viaOption.status == 0, "\(viaOption.stderr)")
        #expect(viaOption.stdout == (try ns.tsctl(["show", "--all", "--json"])).stdout)
        let missing = try Run.run([E2E.tsctl, "show", "--netns", "tsctl-no-such-ns"])
        #expect(missing.status == 4)
    }

    @Test func defaultShowSaysThereIsNoHardwareProvider() throws {
        let r = try ns.tsctl(["show"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("No interface has a hardware timestamp provider"))
        #expect(r.stdout.contains("tsctl show --all"))
    }

    @Test func textShowsTheLayersAdvertisedAndWhyActiveCannotBeRead() throws {
        let r = try ns.tsctl(["show", "veth0"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("veth0 (") == true)
        #expect(lines.contains { $0.contains("no hardware timestamp provider") })
        #expect(lines.contains { $0.contains("advertised software only: software-transmit software-receive software-system-clock") })
        #expect(lines.contains { $0.contains("active") && $0.contains("cannot be read") && $0.contains("errno 95") })
        #expect(!r.stdout.contains("\u{1b}["), "no colour when stdout is not a terminal")
    }

    @Test func colourOnlyOnATerminalAndNeverWithNO_COLOR() throws {
        // script(1) gives tsctl a pseudo-terminal.
        // The test runner may export NO_COLOR itself; a user's terminal has none.
        let tty = try ns.exec(["script", "-qec", "\(E2E.tsctl) show veth0", "/dev/null"], unset: ["NO_COLOR"])
        #expect(tty.stdout.contains("\u{1b}["))
        let noColor = try ns.exec(["script", "-qec", "\(E2E.tsctl) show veth0", "/dev/null"], env: ["NO_COLOR": "1"])
        #expect(noColor.status == 0)
        #expect(!noColor.stdout.contains("\u{1b}["))
        #expect(noColor.stdout.contains("veth0"))
    }

    @Test func noSuchInterfaceIsOneLineAndExitCode4() throws {
        let r = try ns.tsctl(["show", "nosuch0"])
        #expect(r.status == 4)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("nosuch0") == true)
    }

    @Test(arguments: ["abcdefghijklmnop", "a/b", "has space", ".."])
    func malformedNamesAreRefusedBeforeAnyRequest(name: String) throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-trace-\(getpid()).hex").path
        try? FileManager.default.removeItem(atPath: trace)
        let r = try ns.tsctl(["show", name], env: ["TSCTL_NETLINK_TRACE": trace])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("invalid interface name"))
        // Nothing reached the kernel: the trace file was never even opened.
        #expect(!FileManager.default.fileExists(atPath: trace))
    }

    /// Two bridges whose names are the same text to Unicode ("caf\u{E9}" and
    /// "cafe\u{301}") but different bytes, each below a macvlan made one after the
    /// other: each macvlan names its own lower device, byte for byte (the JSON writer
    /// repeats a run of fields equal to the interface before's only when the bytes are).
    @Test func namesTheSameToUnicodeButNotInBytesStayApart() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        for bridge in [composed, decomposed] {
            try Namespace.must(["ip", "-n", ns.name, "link", "add", bridge, "type", "bridge"])
        }
        for (bridge, macvlan) in [(composed, "mv1"), (decomposed, "mv2")] {
            try Namespace.must(["ip", "-n", ns.name, "link", "add", macvlan, "link", bridge, "type", "macvlan"])
        }
        let r = try ns.tsctl(["show", "--all", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let lowers = r.stdout.split(separator: "\n").filter { $0.contains("\"lower\": \"") }.map { Array($0.utf8) }
        let expected = [composed, decomposed].map { Array("      \"lower\": \"\($0)\",".utf8) }
        #expect(lowers == expected)
    }

    @Test func helpDocumentsEveryExitCode() throws {
        let r = try Run.run([E2E.tsctl, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("EXIT STATUS"))
        for code in Array(0...13) + [129, 130, 143] {
            let padded = String(repeating: " ", count: 3 - String(code).count) + String(code)
            #expect(r.stdout.contains("\n  \(padded)  "), "exit code \(code)")
        }
    }
}
