import Foundation
import Testing

/// Text `show --all` asks the kernel only for what it prints (the TSINFO dump, sysfs,
/// RTM_GETLINK dumps filtered by stacked kind, a request per device with a parent);
/// JSON reads every link. Both against this machine's kernel in a private network
/// namespace with stacked devices of every kind the kernel has here. Needs root.
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct ShowPrintedEndToEndTests {
    let ns: Namespace
    /// The stacked devices this kernel could make (its vlan or bond module may be missing).
    var made: [String] = []

    init() throws {
        ns = try Namespace(veths: 3)
        // veth0: lower of a macvlan and a vlan; veth2: a bond's slave; veth4: a bridge port.
        let wanted: [(String, [String])] = [
            ("mv0", ["link", "add", "mv0", "link", "veth0", "type", "macvlan"]),
            ("v10", ["link", "add", "v10", "link", "veth0", "type", "vlan", "id", "10"]),
            ("iv0", ["link", "add", "iv0", "link", "veth0", "type", "ipvlan"]),
            ("bond0", ["link", "add", "bond0", "type", "bond", "mode", "active-backup"]),
            ("br0", ["link", "add", "br0", "type", "bridge"])
        ]
        for (name, argv) in wanted where try ns.exec(["ip"] + argv).status == 0 { made.append(name) }
        if made.contains("bond0") {
            _ = try ns.exec(["ip", "link", "set", "veth2", "master", "bond0"])
            _ = try ns.exec(["ip", "link", "set", "veth2", "up"])
            _ = try ns.exec(["ip", "link", "set", "veth3", "up"])
            _ = try ns.exec(["ip", "link", "set", "bond0", "up"])
        }
        if made.contains("br0") { _ = try ns.exec(["ip", "link", "set", "veth4", "master", "br0"]) }
    }

    /// `show --all` text; with `complete`, as read from a dump of every link (a kernel
    /// trace makes tsctl read every link: the reading its replay knows).
    private func text(complete: Bool) throws -> String {
        var env: [String: String] = [:]
        if complete { env["TSCTL_TRACE"] = try file("printed-trace", "") }
        let r = try ns.tsctl(["show", "--all"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    @Test func textIsByteForByteWhatACompleteReadingPrints() throws {
        let printed = try text(complete: false)
        #expect(printed == (try text(complete: true)))
        // Every interface is there, the stacked ones say what they sit on, and a bridge
        // (no get_ts_info: the TSINFO dump leaves it out) is listed too.
        let ipLink = try #require(try E2E.json(try ns.exec(["ip", "-j", "link"]).stdout) as? [[String: Any]])
        let heads = printed.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(heads.count == ipLink.count)
        #expect(heads.contains { $0.hasPrefix("mv0 (macvlan on veth0, ifindex ") })
        if made.contains("v10") { #expect(heads.contains { $0.hasPrefix("v10 (vlan on veth0, ifindex ") }) }
        if made.contains("iv0") { #expect(heads.contains { $0.hasPrefix("iv0 (ipvlan on veth0, ifindex ") }) }
        if made.contains("bond0") { #expect(heads.contains { $0.hasPrefix("bond0 (bond, active slave veth2, ifindex ") }) }
        if made.contains("br0") { #expect(heads.contains { $0.hasPrefix("br0 (ifindex ") }) }
        #expect(heads.contains { $0.hasPrefix("veth2 (ifindex ") })
    }

    @Test func jsonStillDescribesEveryLinkAsTheKernelDoes() throws {
        let r = try ns.tsctl(["show", "--all", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try E2E.json(r.stdout) as? [String: Any])
        let shown = try #require(doc["interfaces"] as? [[String: Any]])
        let ipLink = try #require(try E2E.json(try ns.exec(["ip", "-j", "-d", "link"]).stdout) as? [[String: Any]])
        #expect(shown.map { $0["name"] as! String } == ipLink.map { $0["ifname"] as! String })
        for (itf, k) in zip(shown, ipLink) {
            let name = k["ifname"] as! String
            // The kind of every link (veth, bridge: kinds text never prints) and every master.
            let kind = (k["linkinfo"] as? [String: Any])?["info_kind"] as? String
            #expect(itf["kind"] as? String == kind, "\(name)")
            #expect(itf["master"] as? String == k["master"] as? String, "\(name)")
        }
        // The same document as from a reading the trace records.
        let traced = try ns.tsctl(["show", "--all", "--json"], env: ["TSCTL_TRACE": try file("printed-trace-json", "")])
        #expect(traced.stdout == r.stdout)
    }
}
