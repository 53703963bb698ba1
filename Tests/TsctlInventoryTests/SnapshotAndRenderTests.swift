import Foundation
import FoundationXML
import Testing
import TsctlSystem

@testable import TsctlChange
@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

@Suite struct SnapshotAndRenderTests {
    /// The writer copies the lines below a name from the interface before only when
    /// the two are equal but for name and index: every interface reads as it would alone.
    @Test func theWriterWritesEachInterfaceAsItWouldAlone() {
        var second = Board.igb(name: "eth1")
        second.ifindex = 3
        var otherConfig = Board.igb(name: "eth2")
        otherConfig.ifindex = 4
        otherConfig.active.rxFilter = "none"
        var otherClock = Board.igb(name: "eth3", phc: 2)
        otherClock.ifindex = 5
        let interfaces = [
            Board.virtio(name: "v0"), Board.virtio(name: "v1"), Board.igb(), second, otherConfig, otherClock, Board.virtio(name: "v2")
        ]
        for style in [TextStyle.plain, TextStyle(color: true)] {
            var written: [UInt8] = []
            var w = ShowText.Writer(style: style) { written += $0 }
            for itf in interfaces { w.add(itf, kernel: Board.kernel()) }
            w.finish()
            let alone = interfaces.map { ShowText.render($0, kernel: Board.kernel(), style: style) }.joined(separator: "\n")
            #expect(String(decoding: written, as: UTF8.self) == alone)
        }
        // The copied lines say what differs.
        let text = ShowText.render(Board.snapshot(Board.igb(), otherConfig), style: .plain)
        #expect(text.contains("rx all") && text.contains("rx none"))
    }

    /// The text buffer grows past its first storage and writes numbers as Swift does.
    @Test func theTextBufferHoldsWhatWasAddedAsStringsWouldBe() {
        var out = TextBuffer(style: .plain, capacity: 1)
        var expected = ""
        let numbers = [0, 7, -7, 10, 1_000_000, Int.max, Int.min]
        for (k, n) in numbers.enumerated() {
            let word = String(repeating: "ab", count: k * 5) + "é"
            out.add(word)
            out.add(" " as StaticString)
            out.add(n)
            out.add("\n")
            expected += "\(word) \(n)\n"
        }
        #expect(out.text == expected)
        #expect(out.count == expected.utf8.count)
        #expect(out.withBytes { Array($0) } == Array(expected.utf8))
        out.clear()
        out.add("x")
        #expect(out.text == "x")
    }

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
            var out = DescriptorWriter(fd: fd)
            snap.writeJSON { out.write($0) }
            #expect(out.failure == nil)
            close(fd)
            defer { unlink(path) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == snap.json.serialized() + "\n")
        }
    }

    @Test func aStackedDeviceIsNamedWithWhatItSitsOn() throws {
        // As a real macvlan on a veth answers (captured: TSCONFIG_GET mv0 -> EINVAL).
        var mv = Board.virtio(name: "mv0")
        mv.driver = nil
        mv.kind = "macvlan"
        mv.lower = "eth9"
        mv.active = .unavailable(.error, errno: 22, message: "TSCONFIG_GET mv0: Invalid argument (EINVAL)", via: .tsconfig)
        let lines = ShowText.render(Board.snapshot(Board.virtio(), mv), style: .plain).split(separator: "\n").map(String.init)
        #expect(lines.contains("mv0 (macvlan on eth9, ifindex 9)"))
        #expect(
            lines.contains(
                "  active     not here: a macvlan on eth9 uses eth9's timestamping; see eth9 [asked itself: TSCONFIG_GET mv0: Invalid argument (EINVAL)]"
            ))
        #expect(!lines.contains { $0.contains("the kernel answered with an error") }, "not shown as mv0's own error")
        guard case .failure(let e) = Planner.plan(mv, Desired(txType: "on", rxFilter: "all"), features: Board.kernel().features) else {
            Issue.record("a macvlan without a provider cannot be configured")
            return
        }
        #expect(
            e.message
                == "mv0 is a macvlan on eth9 and has no hardware timestamp provider of its own; its timestamps come from eth9: configure eth9"
        )
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

    /// At a terminal: the name bold, the bracket and labels dim, the provider cyan,
    /// "active" green, each colour closed where its text ends.
    @Test func colourWrapsEachStyledPieceAndNothingElse() {
        let lines = ShowText.render(Board.snapshot(Board.igb()), style: TextStyle(color: true)).split(separator: "\n").map(String.init)
        let (b, d, c, g, e) = ("\u{1b}[1m", "\u{1b}[2m", "\u{1b}[36m", "\u{1b}[32m", "\u{1b}[0m")
        #expect(lines[0] == "\(b)eth0\(e)\(d) (igb, ifindex 2)\(e)")
        #expect(lines[1] == "  └─ \(c)mac       \(e) ptp1 \"igb\"  \(g)● active\(e), advertised")
        #expect(lines.last == "  \(d)active     \(e)mac ptp1 \"igb\"  tx on, rx all")
    }

    func report() -> (Report, Snapshot) {
        let snap = Board.snapshot(Board.macchiatobin(active: .phy), Board.igb())
        let r = Diagnosis.run(
            DiagnosisInput(snapshot: snap, ioctl: ["eth0": .failure(KernelFailure(kind: .permission, errno: 1, message: "EPERM"))]))
        return (r, snap)
    }

    func scope(_ snap: Snapshot, baseline: Bool = false, expect: Bool = false) -> CheckRender.JUnitScope {
        .init(baseline: baseline, expect: expect, hardware: Set(snap.interfaces.filter(\.hasHardwareProvider).map(\.name)), seconds: 0.0123)
    }

    @Test func junitIsWellFormedAndCountsWhatFailedAndWhatDidNotRun() throws {
        let (r, snap) = report()
        let doc = try XMLDocument(xmlString: CheckRender.junit(r, strict: false, scope: scope(snap)))
        let root = try #require(doc.rootElement())
        #expect(root.attribute(forName: "failures")?.stringValue == "0", "a warning fails only with --strict")
        #expect(root.attribute(forName: "skipped") == nil, "junit-10.xsd has no skipped on testsuites")
        #expect(root.attribute(forName: "time")?.stringValue == "0.012")
        let suites = try doc.nodes(forXPath: "//testsuite").compactMap { $0 as? XMLElement }
        for s in suites {
            for a in ["name", "tests", "failures", "errors", "skipped", "time"] {
                #expect(s.attribute(forName: a) != nil, "testsuite \(a)")
            }
        }
        #expect(suites.compactMap { $0.attribute(forName: "skipped")?.stringValue }.reduce(0) { $0 + Int($1)! } == 1)
        let strict = try XMLDocument(xmlString: CheckRender.junit(r, strict: true, scope: scope(snap))).rootElement()!
        #expect(strict.attribute(forName: "failures")?.stringValue == "1")
        let failure = try strict.nodes(forXPath: "//testcase/failure").first as? XMLElement
        #expect(failure?.attribute(forName: "type")?.stringValue == "warning")
        #expect(failure?.stringValue?.contains("fix: tsctl set eth2 --source mac") == true)
    }

    @Test func junitListsOnlyTheChecksThatRanOrWereAskedFor() throws {
        var vlan = Board.igb(name: "eth0.7")
        vlan.kind = "vlan"
        vlan.lower = "eth0"
        let snap = Board.snapshot(Board.igb(), vlan, Board.virtio())
        let r = Diagnosis.run(DiagnosisInput(snapshot: snap))
        let out = CheckRender.junit(r, strict: false, scope: scope(snap))
        #expect(!out.contains("drift") && !out.contains("expectation-not-met"), "neither --baseline nor --expect")
        #expect(!out.contains("eth9: precision-downgrade"), "no hardware provider: only the stacking check ran")
        #expect(out.contains("eth9: stacked-device"))
        #expect(out.contains("classname=\"tsctl.check\" name=\"eth0.7: stacked-device"), "the VLAN's dot stays in the name")
        let asked = CheckRender.junit(r, strict: false, scope: scope(snap, baseline: true, expect: true))
        #expect(asked.contains("eth0: drift") && asked.contains("eth0: expectation-not-met"))
        let err = try XMLDocument(xmlString: CheckRender.junitError("cannot read x.toml", exitStatus: 3)).rootElement()!
        #expect(err.attribute(forName: "errors")?.stringValue == "1")
    }

    @Test func prometheusFollowsNodeExporterConventions() {
        let (r, snap) = report()
        let text = CheckRender.prometheus(r, snapshot: snap, scope: scope(snap), status: 0, now: 1_700_000_000)
        #expect(text.contains("tsctl_check_findings{device=\"eth2\",check=\"precision-downgrade\",severity=\"warning\"} 1\n"))
        #expect(text.contains("tsctl_check_findings{device=\"eth2\",check=\"precision-downgrade\",severity=\"error\"} 0\n"))
        #expect(text.contains("tsctl_check_not_run{device=\"eth0\",check=\"advertised-not-active\"} 1\n"))
        #expect(text.contains("tsctl_check_not_run{device=\"eth2\",check=\"advertised-not-active\"} 0\n"))
        #expect(
            text.contains("tsctl_check_findings{device=\"\",check=\"kernel-no-provider-selection\",severity=\"error\"} 0\n"),
            "a kernel-wide check has no device")
        // Names and strings in _info; the state series carry only the identity, 0/1.
        #expect(
            text.contains(
                "tsctl_provider_info{device=\"eth2\",phc=\"ptp0\",qualifier=\"precise\",layer=\"phy\",phy_index=\"1\",clock_name=\"Marvell 88E151x PTP\"} 1\n"
            ))
        #expect(text.contains("tsctl_provider_active{device=\"eth2\",phc=\"ptp0\",qualifier=\"precise\"} 1\n"))
        #expect(text.contains("tsctl_provider_active{device=\"eth2\",phc=\"ptp2\",qualifier=\"precise\"} 0\n"))
        #expect(text.contains("tsctl_interface_info{device=\"eth2\",driver=\"mvpp2\""))
        #expect(!text.contains("interface=\""), "node_exporter's label is device")
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.wholeMatch(of: /[a-z_]+(\{[^}]*\})? -?[0-9.]+/) != nil, "\(line)")
            // No state coded into a value: every gauge here is a count, 0/1, seconds or a ratio.
            if line.hasPrefix("tsctl_provider") || line.hasPrefix("tsctl_check_not_run") || line.contains("_info{") {
                #expect(line.hasSuffix(" 0") || line.hasSuffix(" 1"), "\(line)")
            }
        }
    }

    @Test func aFixedFindingGoesToZeroAndNeverDisappears() {
        let broken = Board.snapshot(Board.macchiatobin(active: .phy), Board.igb())
        let fixed = Board.snapshot(Board.macchiatobin(active: .mac), Board.igb())
        func series(_ snap: Snapshot) -> [String: String] {
            let r = Diagnosis.run(DiagnosisInput(snapshot: snap))
            var out: [String: String] = [:]
            for line in CheckRender.prometheus(r, snapshot: snap, scope: scope(snap), status: 0, now: 1).split(separator: "\n")
            where line.hasPrefix("tsctl_check_findings") {
                let parts = line.split(separator: " ")
                out[String(parts[0])] = String(parts[1])
            }
            return out
        }
        let before = series(broken), after = series(fixed)
        let key = "tsctl_check_findings{device=\"eth2\",check=\"precision-downgrade\",severity=\"warning\"}"
        #expect(before[key] == "1")
        #expect(after[key] == "0", "the fixed check's series stays, at 0")
        #expect(Set(before.keys) == Set(after.keys), "the same series before and after the fix")
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
