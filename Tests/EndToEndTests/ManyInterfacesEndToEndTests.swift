import Foundation
import Testing

/// `show --all` with a few hundred interfaces, in a private namespace. What a user
/// would check: every interface once, in the kernel's order, the same document on
/// every run, the same as when the interfaces are named (filtered requests instead
/// of dumps), `check` the same when it cannot start the thread that walks /proc
/// beside the kernel reads, and a trace (TSCTL_TRACE) whose lines are whole. Needs
/// root (to make the namespace).
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct ManyInterfacesEndToEndTests {
    static let pairs = 150
    let ns: Namespace

    init() throws {
        ns = try Namespace(veths: 0)
        let batch = try file("veth-batch", (0..<Self.pairs).map { "link add a\($0) type veth peer name b\($0)\n" }.joined())
        defer { unlink(batch) }
        try Namespace.must(["ip", "-n", ns.name, "-batch", batch])
    }

    private func showAll(env: [String: String] = [:]) throws -> String {
        let r = try ns.tsctl(["show", "--all", "--json"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        return r.stdout
    }

    private static func interfaces(_ doc: String) throws -> [[String: Any]] {
        let d = try #require(try E2E.json(doc) as? [String: Any])
        return try #require(d["interfaces"] as? [[String: Any]])
    }

    @Test func everyInterfaceOnceInTheKernelsOrderAndTheSameDocumentEveryRun() throws {
        let first = try showAll()
        let ipLink = try #require(try E2E.json(try ns.exec(["ip", "-j", "link"]).stdout) as? [[String: Any]])
        #expect(ipLink.count == 2 * Self.pairs + 1)
        let shown = try Self.interfaces(first)
        #expect(shown.map { $0["name"] as! String } == ipLink.map { $0["ifname"] as! String })
        #expect(shown.map { $0["ifindex"] as! Int } == ipLink.map { $0["ifindex"] as! Int })
        for _ in 0..<8 {
            #expect(try showAll() == first)
        }
    }

    @Test func namedInterfacesSayWhatTheListingOfAllSays() throws {
        let all = try Self.interfaces(try showAll())
        let names = all.map { $0["name"] as! String }
        let r = try ns.tsctl(["show", "--json"] + names)
        #expect(r.status == 0, "\(r.stderr)")
        let named = try Self.interfaces(r.stdout).sorted { ($0["ifindex"] as! Int) < ($1["ifindex"] as! Int) }
        #expect(named.count == all.count)
        for (a, n) in zip(all, named) {
            #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: n), "\(a["name"] ?? "?")")
        }
    }

    /// With RLIMIT_NPROC at one process for a user of its own, `check` cannot start
    /// the thread that walks /proc for PTP daemons (clone3 answers EAGAIN): it walks
    /// it before going on, and says the same. (No other process may run as that
    /// user, or tsctl could not even start.)
    @Test func checkWithNoThreadToStartSaysTheSame() throws {
        let uid = 3_000_000 + Int(getpid()) % 1_000_000
        let asUser = ["setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--inh-caps=-all", E2E.tsctl, "check", "--json"]
        let threaded = try ns.exec(asUser)
        let alone = try ns.exec(["prlimit", "--nproc=1"] + asUser)
        #expect(threaded.status == 0, "\(threaded.stderr)")
        #expect(alone.status == threaded.status, "\(alone.stderr)")
        #expect(alone.stdout == threaded.stdout)
        let doc = try #require(try E2E.json(alone.stdout) as? [String: Any])
        #expect((doc["interfaces"] as? [String])?.count == 2 * Self.pairs + 1)
    }

    /// Text reads sysfs and the kind and PHY dumps on a second thread beside the
    /// ethtool dumps; where no thread can be started (RLIMIT_NPROC as above) this
    /// thread reads them first: the same text, every interface once, in the kernel's order.
    @Test func textWithNoThreadToStartSaysTheSame() throws {
        let uid = 3_000_000 + Int(getpid()) % 1_000_000 + 1
        let asUser = ["setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--inh-caps=-all", E2E.tsctl, "show", "--all"]
        let threaded = try ns.exec(asUser)
        let alone = try ns.exec(["prlimit", "--nproc=1"] + asUser)
        #expect(threaded.status == 0, "\(threaded.stderr)")
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout == threaded.stdout)
        let ipLink = try #require(try E2E.json(try ns.exec(["ip", "-j", "link"]).stdout) as? [[String: Any]])
        let headers = threaded.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { String($0.prefix { $0 != " " }) }
        #expect(headers == ipLink.map { $0["ifname"] as! String })
    }

    /// Both sockets' datagrams go to one file: every line whole, the same document.
    @Test func theTraceOfBothSocketsHasWholeLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-\(getpid())-many.trace").path
        defer { unlink(path) }
        #expect(try showAll(env: ["TSCTL_TRACE": path]) == (try showAll()))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let datagram = /^[<>] (genl|route) ([0-9a-f][0-9a-f])+$/
        let other = /^(# .*|\? .+|= .*|!( [0-9]+)?)$/
        for line in lines where (try? datagram.wholeMatch(in: line)) == nil && (try? other.wholeMatch(in: line)) == nil {
            Issue.record("not a whole trace line: \(line.prefix(120))")
        }
        #expect(lines.filter { $0.hasPrefix("< route") }.count >= 2, "the link dump of \(2 * Self.pairs + 1) links")
        #expect(lines.contains { $0.hasPrefix("< genl") })
    }
}
