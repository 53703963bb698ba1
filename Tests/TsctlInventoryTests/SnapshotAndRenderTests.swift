import Foundation
import FoundationXML
import Testing

@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

@Suite struct SnapshotAndRenderTests {
    @Test func snapshotJSONRoundTrips() throws {
        var itf = Board.macchiatobin()
        itf.kind = "vlan"
        itf.lower = "eth0"
        let snap = Board.snapshot(itf, Board.igb(), Board.virtio())
        let text = snap.json.serialized()
        #expect(try Snapshot(json: try JSON.parse(text)) == snap)
        #expect(try Snapshot(json: try JSON.parse(snap.json.serialized(pretty: false))) == snap)
    }

    /// A hand-edited baseline whose advertised view lacks "timestamping" is
    /// refused naming the field (it used to trap on a force unwrap).
    @Test func aBaselineAdvertisedWithoutTimestampingIsRefusedByName() throws {
        let text = Board.snapshot(Board.igb()).json.serialized(pretty: false)
        let broken = text.replacingOccurrences(of: "\"timestamping\":", with: "\"timestamping_gone\":")
        #expect(broken != text)
        #expect(
            throws: SnapshotDecodeError(path: "$.interfaces[0].advertised.timestamping", message: "missing: expected an array of strings")
        ) {
            try Snapshot(json: try JSON.parse(broken))
        }
    }

    @Test func streamedJSONIsByteForByteTheTreeSerialization() throws {
        var vlan = Board.virtio(name: "eth0.7")
        vlan.kind = "vlan"
        vlan.lower = "eth0"
        for snap in [Board.snapshot(Board.macchiatobin(), Board.igb(), vlan), Board.snapshot()] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-stream-\(getpid()).json").path
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            snap.writeJSON(toFileDescriptor: fd)
            close(fd)
            defer { unlink(path) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == snap.json.serialized() + "\n")
        }
    }

    @Test func jsonParserErrorsHavePositions() throws {
        do throws(JSON.ParseError) { _ = try JSON.parse("{\n  \"a\": [1, 2,,]\n}"); Issue.record("accepted") } catch {
            #expect(error.line == 2 && error.column == 14)
        }
        #expect(try JSON.parse("\"\\u00e9\\n\"") == .string("é\n"))
    }

    @Test func textMarksTheActiveProviderAndShowsBothLayers() {
        let out = ShowText.render(Board.snapshot(Board.macchiatobin()), style: .plain)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "eth2 (mvpp2, ifindex 4)")
        #expect(lines[1].hasPrefix("  ├─ mac") && lines[1].contains("ptp2 \"Marvell PP2.2\"") && lines[1].contains("● active"))
        #expect(
            lines.contains { $0.hasPrefix("  └─ phy:1") && $0.contains("Marvell 88E1510 @ f212a600.mdio-mii:00") && !$0.contains("active") }
        )
        #expect(lines.last == "  active     mac ptp2 \"Marvell PP2.2\"  tx on, rx all")
        #expect(!out.contains("\u{1b}"))
        #expect(ShowText.render(Board.snapshot(Board.igb()), style: TextStyle(color: true)).contains("\u{1b}[32m● active"))
    }

    func report() -> (Report, Snapshot) {
        let snap = Board.snapshot(Board.macchiatobin(active: .phy), Board.igb())
        let r = Diagnosis.run(DiagnosisInput(snapshot: snap, ioctl: ["eth0": .failure(IoctlFailure("EPERM"))]))
        return (r, snap)
    }

    @Test func junitIsWellFormedAndCountsWhatFailedAndWhatDidNotRun() throws {
        let (r, _) = report()
        let doc = try XMLDocument(xmlString: CheckRender.junit(r, strict: false))
        let root = try #require(doc.rootElement())
        #expect(root.attribute(forName: "failures")?.stringValue == "0", "a warning fails only with --strict")
        #expect(root.attribute(forName: "skipped")?.stringValue == "1")
        let strict = try XMLDocument(xmlString: CheckRender.junit(r, strict: true)).rootElement()!
        #expect(strict.attribute(forName: "failures")?.stringValue == "1")
        let failure = try strict.nodes(forXPath: "//testcase/failure").first as? XMLElement
        #expect(failure?.attribute(forName: "type")?.stringValue == "warning")
        #expect(failure?.stringValue?.contains("fix: tsctl set eth2 --source mac") == true)
    }

    @Test func prometheusTextfileHasHelpTypeAndOneSamplePerFinding() {
        let (r, snap) = report()
        let text = CheckRender.prometheus(r, snapshot: snap, status: 0, now: 1_700_000_000)
        #expect(text.contains("tsctl_check_findings{interface=\"eth2\",id=\"precision-downgrade\",severity=\"warning\"} 1\n"))
        #expect(text.contains("tsctl_check_not_run{interface=\"eth0\",check=\"advertised-not-active\"} 1\n"))
        #expect(
            text.contains(
                "tsctl_provider{interface=\"eth2\",layer=\"phy\",phc=\"0\",qualifier=\"precise\",phy_index=\"1\",clock_name=\"Marvell 88E151x PTP\"} 2\n"
            ))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.wholeMatch(of: /[a-z_]+(\{[^}]*\})? -?[0-9]+/) != nil, "\(line)")
        }
        let names = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.prefix { $0 != "{" && $0 != " " } })
        for n in names { #expect(text.contains("# TYPE \(n) gauge")) }
    }

    @Test func textReportGroupsWorstFirstWithEvidenceAndFix() {
        let (r, _) = report()
        let text = CheckRender.text(r, style: .plain)
        #expect(text.contains("eth2\n  ! warning"))
        #expect(text.contains("      fix: tsctl set eth2 --source mac --tx on --rx all\n"))
        #expect(text.contains("not checked\n  - eth0: advertised-not-active: ETHTOOL_GET_TS_INFO failed: EPERM"))
        #expect(text.hasSuffix("0 errors, 1 warning, 0 info on 2 interfaces; 1 check could not run\n"))
    }
}
