import Foundation
import FoundationXML
import Testing

/// Every --json document tsctl prints validates against its schema in Schemas/,
/// run for real against this machine's kernel in a private namespace. Needs root
/// for the namespace; python3-jsonschema (Scripts/test installs it).
@Suite(.serialized, .enabled(if: E2E.isRoot, "needs root to create a network namespace (CI runs as root)"))
struct SchemaEndToEndTests {
    let ns: Namespace
    init() throws { ns = try Namespace() }

    @Test func everyDocumentValidates() throws {
        _ = try ns.exec(["ip", "link", "set", "veth0", "up"])
        _ = try ns.exec(["ip", "link", "set", "veth1", "up"])
        let optional = try file("opt.toml", "[[interface]]\ndriver = \"mvpp2\"\ntx = \"on\"\noptional = true\n")
        let expect = try file("exp.toml", "[[interface]]\nname = \"veth0\"\nsource = \"mac\"\n")
        let runs: [([String], String, Int32)] = [
            (["show", "--all", "--json"], "show", 0),
            (["check", "--json"], "check", 0),
            (["check", "--json", "--expect", expect], "check", 1),
            (["probe", "--json", "veth0"], "probe", 1),
            (["apply", "--dry-run", "--json", optional], "change", 10),
            (["apply", "--json", optional], "change", 10),
            (["set", "veth0", "--tx", "on", "--rx", "all", "--json"], "error", 4),
            (["show", "--json", "nosuch0"], "error", 4),
            (["check", "--json", "--expect", "/nonexistent.toml"], "error", 3),
            (["apply", "--json", "/nonexistent.toml"], "error", 3),
            (["set", "veth0", "--rx", "bogus", "--json"], "error", 2)
        ]
        for (argv, schema, status) in runs {
            let r = try ns.tsctl(argv)
            #expect(r.status == status, "\(argv): \(r.stderr)")
            #expect(try schemaProblem(r.stdout, schema) == nil, "\(argv) against \(schema).schema.json:\n\(r.stdout)")
            if schema == "error" { #expect(!r.stderr.isEmpty, "the message is on stderr too") }
        }
    }

    @Test func everySchemaCarriesTheSameKernelObject() throws {
        let dir = E2E.packageRoot.appendingPathComponent("Schemas")
        let show = try #require(
            try E2E.json(String(contentsOf: dir.appendingPathComponent("show.schema.json"), encoding: .utf8)) as? [String: Any])
        let kernel = try #require((show["properties"] as? [String: Any])?["kernel"] as? NSDictionary)
        for name in ["check", "probe", "change"] {
            let s = try #require(
                try E2E.json(String(contentsOf: dir.appendingPathComponent("\(name).schema.json"), encoding: .utf8)) as? [String: Any])
            #expect((s["$defs"] as? [String: Any])?["kernel"] as? NSDictionary == kernel, "\(name)")
            #expect(((s["properties"] as? [String: Any])?["schema_version"]) != nil, "\(name)")
        }
    }

    @Test func anUnreadableExpectFileIsAFailingJUnitCaseNotAnEmptyReport() throws {
        let r = try ns.tsctl(["check", "--format", "junit", "--expect", "/nonexistent.toml"])
        #expect(r.status == 3)
        let xml = try XMLDocument(xmlString: r.stdout)
        #expect(xml.rootElement()?.attribute(forName: "errors")?.stringValue == "1")
        #expect(try xml.nodes(forXPath: "//testcase/error").count == 1)
        let ok = try XMLDocument(xmlString: try ns.tsctl(["check", "--format", "junit"]).stdout)
        #expect(try ok.nodes(forXPath: "//testcase[contains(@name, 'drift') or contains(@name, 'expectation-not-met')]").isEmpty)
    }
}
