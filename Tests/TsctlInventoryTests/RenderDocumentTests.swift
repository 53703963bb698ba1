import Foundation
import Testing

@testable import TsctlChange
@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

/// The documents tsctl prints (check, set/apply, probe, errors, watch), rendered
/// from test snapshots and read back the way a script reads them: each JSON
/// document is checked against its schema in Schemas/, which is the API.
struct RenderDocumentTests {
    // MARK: schemas

    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schemas").standardized

    static func schema(_ name: String) throws -> JSON {
        try JSON.parse(String(contentsOf: schemas.appendingPathComponent("\(name).schema.json"), encoding: .utf8))
    }

    /// Where `value` breaks `schema` (the JSON Schema keywords Schemas/ uses;
    /// if/then is not checked), as "path: why"; empty when it conforms.
    static func violations(_ value: JSON, _ schema: JSON, root: JSON, at path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/$defs/"), let def = root["$defs"]?[String(ref.dropFirst(8))] {
            return violations(value, def, root: root, at: path)
        }
        var out: [String] = []
        if let alternatives = (schema["oneOf"] ?? schema["anyOf"])?.arrayValue,
            !alternatives.contains(where: { violations(value, $0, root: root, at: path).isEmpty })
        {
            out.append("\(path): matches none of its alternatives")
        }
        if let t = schema["type"] {
            let types = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            guard types.contains(typeName(value)) else { return out + ["\(path): \(typeName(value)), expected \(types)"] }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) { out.append("\(path): \(value) not in enum") }
        if let c = schema["const"], c != value { out.append("\(path): \(value) is not \(c)") }
        if let m = schema["minimum"]?.intValue, let i = value.intValue, i < m { out.append("\(path): \(i) < \(m)") }
        if case .object(let kv) = value {
            let props = schema["properties"]
            for k in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where value[k] == nil {
                out.append("\(path): missing \(k)")
            }
            for (k, v) in kv {
                if let p = props?[k] {
                    out += violations(v, p, root: root, at: "\(path).\(k)")
                } else if schema["additionalProperties"] == .bool(false) {
                    out.append("\(path): unexpected key \(k)")
                }
            }
        }
        if let items = schema["items"], let a = value.arrayValue {
            for (i, v) in a.enumerated() { out += violations(v, items, root: root, at: "\(path)[\(i)]") }
        }
        return out
    }

    static func typeName(_ v: JSON) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The document as printed, parsed back, and what its schema says of it.
    static func printedViolations(_ doc: JSON, schema name: String) throws -> [String] {
        let s = try schema(name)
        return violations(try JSON.parse(doc.serialized()), s, root: s)
    }

    @Test func theSchemaCheckerRefusesWhatBreaksASchema() throws {
        let doc = ErrorDocument.json(command: "show", exitStatus: 6, message: "permission denied")
        guard case .object(var kv) = doc else { Issue.record("not an object"); return }
        kv[0].1 = .string("1")
        kv.append(("extra", .null))
        let broken = try Self.printedViolations(.object(Array(kv.dropFirst(2))), schema: "error")
        #expect(broken.contains("$: missing schema_version"))
        #expect(broken.contains("$: unexpected key extra"))
        #expect(try Self.printedViolations(.object(kv), schema: "error").contains { $0.hasPrefix("$.schema_version") })
    }

    // MARK: error and probe documents

    @Test func theErrorDocumentNamesTheCommandAndItsExitStatusTwice() throws {
        let doc = ErrorDocument.json(command: "apply", exitStatus: 3, message: "x.toml:2:1: unknown key \"tx_type\"")
        #expect(try Self.printedViolations(doc, schema: "error") == [])
        #expect(doc["command"] == .string("apply"))
        #expect(doc["exit_status"] == .int(3))
        #expect(doc["error"]?["exit_status"] == .int(3))
        #expect(doc["error"]?["message"]?.stringValue?.contains("tx_type") == true)
    }

    @Test func theProbeDocumentKeepsNanosecondsExactAsStrings() throws {
        let conclusive = Observation(
            interface: "eth2", timestampNanoseconds: 1_765_000_000_123_456_789, phcIndex: 0, layer: .phy, phyIndex: 1,
            clocks: [.init(phcIndex: 0, offsetNanoseconds: -1200), .init(phcIndex: 2, offsetNanoseconds: 37_000_000_000)],
            verdict: "stamped by phy:1 ptp0")
        let lost = Observation(interface: "eth0", clocks: [], verdict: "inconclusive: no timestamp came back")
        let doc = ProbeDocument.json(kernel: Board.kernel(), exitStatus: 1, observations: [conclusive, lost])
        #expect(try Self.printedViolations(doc, schema: "probe") == [])
        let first = try #require(doc["interfaces"]?.arrayValue?.first)
        #expect(first["timestamp_ns"] == .string("1765000000123456789"))
        #expect(first["layer"] == .string("phy"))
        #expect(first["clocks"]?.arrayValue?.last?["offset_ns"] == .string("37000000000"))
        let second = try #require(doc["interfaces"]?.arrayValue?.last)
        #expect(second["timestamp_ns"] == .null && second["phc_index"] == .null && second["layer"] == .null)
        #expect(doc["kernel"]?["features"]?["tsconfig"] == .bool(true))
    }

    @Test func probesVerdictIsItsWorstObservation() {
        let stamped = Observation(interface: "eth2", phcIndex: 0, layer: .phy, phyIndex: 1, clocks: [], verdict: "stamped by phy:1 ptp0")
        let lost = Observation(interface: "eth0", clocks: [], verdict: "inconclusive: no timestamp came back")
        let denied = Observation(interface: "eth1", clocks: [], verdict: "socket: Operation not permitted", permissionDenied: true)
        #expect(ProbeDocument.status([stamped]) == .ok && ProbeDocument.refusal([stamped]) == nil)
        #expect(ProbeDocument.status([stamped, lost]) == .checkFailed)
        #expect(ProbeDocument.status([lost, denied]) == .permissionDenied)
        #expect(
            ProbeDocument.refusal([lost, denied])?.message
                == "probe needs root (CAP_NET_RAW for a packet socket, and /dev/ptpN); nothing was sent: socket: Operation not permitted")
        #expect(
            ProbeDocument.text([stamped, lost]) == "eth2: stamped by phy:1 ptp0\neth0: inconclusive: no timestamp came back\n")
        #expect(ProbeDocument.text([]) == "")
    }

    // MARK: set/apply

    /// eth2 from its MAC to its PHY, as a desired-state file asks.
    func switchToPHY() throws -> InterfacePlan {
        let file = "[[interface]]\nname = \"eth2\"\nsource = \"phy\"\nrx = \"some\"\n"
        let (plans, errors) = Planner.plan(try DesiredState.parse(file, file: "t.toml"), Board.snapshot(Board.macchiatobin()))
        #expect(errors.isEmpty)
        return try #require(plans.first)
    }

    @Test func theChangeDocumentRecordsBeforeRequestAndAfter() throws {
        let plan = try switchToPHY()
        var applied = ChangeRecord(plan: plan, outcome: .applied)
        applied.sent = true
        applied.verified = true
        applied.after = plan.target
        let unchanged = ChangeRecord(
            plan: try Planner.plan(Board.igb(), Desired(source: .mac), kernel: Board.kernel()).get(), outcome: .unchanged)
        let doc = ChangeDocument(
            command: "apply", kernel: Board.kernel(), file: "/etc/tsctl.toml", dryRun: false, records: [applied, unchanged],
            exitStatus: 0, error: nil
        ).json
        #expect(try Self.printedViolations(doc, schema: "change") == [])
        #expect(doc["file"] == .string("/etc/tsctl.toml") && doc["error"] == .null && doc["dry_run"] == .bool(false))
        let records = try #require(doc["interfaces"]?.arrayValue)
        #expect(records.count == 2)
        #expect(records[0]["outcome"] == .string("applied"))
        #expect(records[0]["before"]?["provider"]?["layer"] == .string("mac"))
        #expect(records[0]["target"]?["provider"]?["layer"] == .string("phy"))
        #expect(records[0]["request"]?["via"] == .string("TSCONFIG_SET"))
        #expect(records[0]["request"]?["provider"]?["phc_index"] == .int(0))
        #expect(records[0]["after"] == records[0]["target"])
        #expect(records[0]["sent"] == .bool(true) && records[0]["verified"] == .bool(true))
        #expect(records[1]["outcome"] == .string("unchanged"))
        #expect(records[1]["request"] == .null, "nothing is sent for an interface already as asked")
        #expect(records[1]["after"] == .null)
    }

    @Test func aFailedChangeCarriesItsErrorAndExitStatus() throws {
        var failed = ChangeRecord(plan: try switchToPHY(), outcome: .rollbackFailed)
        failed.sent = true
        failed.message = "the driver refused: Operation not supported"
        let doc = ChangeDocument(
            command: "set", kernel: Board.kernel(), file: nil, dryRun: true, records: [failed], exitStatus: 4,
            error: "eth2: rollback failed"
        ).json
        #expect(try Self.printedViolations(doc, schema: "change") == [])
        #expect(doc["file"] == .null && doc["dry_run"] == .bool(true))
        #expect(doc["error"]?["message"] == .string("eth2: rollback failed") && doc["error"]?["exit_status"] == .int(4))
        #expect(doc["interfaces"]?.arrayValue?.first?["outcome"] == .string("rollback-failed"))
        #expect(doc["interfaces"]?.arrayValue?.first?["message"] == .string("the driver refused: Operation not supported"))
    }

    // MARK: check

    func report() -> (Report, Snapshot) {
        let snap = Board.snapshot(Board.macchiatobin(active: .phy), Board.igb())
        let r = Diagnosis.run(
            DiagnosisInput(snapshot: snap, ioctl: ["eth0": .failure(KernelFailure(kind: .permission, errno: 1, message: "EPERM"))]))
        return (r, snap)
    }

    @Test func theCheckDocumentCountsFindingsBySeverity() throws {
        var (r, snap) = report()
        r.findings.append(
            Finding(
                Check.kernelNoProviderSelection, .error, nil, "kernel-wide", evidence: [EvidenceItem(.advertised, "TSINFO")],
                remedy: "upgrade"))
        let doc = CheckRender.json(r, kernel: snap.kernel, status: 1)
        #expect(try Self.printedViolations(doc, schema: "check") == [])
        #expect(doc["exit_status"] == .int(1))
        #expect(doc["interfaces"] == .array(r.interfaces.map { .string($0) }))
        for (key, sev) in [("errors", Severity.error), ("warnings", .warning), ("info", .info)] {
            #expect(doc["summary"]?[key] == .int(r.findings.filter { $0.severity == sev }.count))
        }
        #expect(doc["summary"]?["not_run"] == .int(r.notRun.count))
        let findings = try #require(doc["findings"]?.arrayValue)
        #expect(findings.count == r.findings.count)
        let kernelWide = try #require(findings.first { $0["id"] == .string(Check.kernelNoProviderSelection.rawValue) })
        #expect(kernelWide["interface"] == .null && kernelWide["remedy"] == .string("upgrade"))
        #expect(kernelWide["evidence"]?.arrayValue?.first?["view"] == .string("advertised"))
        #expect(doc["not_run"]?.arrayValue?.count == r.notRun.count)
    }

    @Test func tapFailsErrorsSkipsWhatDidNotRunAndEscapesHashes() {
        let r = Report(
            interfaces: ["eth#1"],
            findings: [
                Finding(Check.advertisedNotActive, .warning, "eth#1", "w\nsecond line")
            ],
            notRun: [NotRun(Check.kernelPHYFirstReporting, nil, "needs root # really")])
        let plain = CheckRender.tap(r, strict: false)
        let lines = plain.split(separator: "\n").map(String.init)
        let points = lines.filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(lines[0] == "TAP version 13")
        #expect(lines[1] == "1..\(points.count)", "the plan comes first and counts every point")
        #expect(points.count == 2 + Check.allCases.count - 3, "two kernel checks, then each interface check but use-unsupported")
        #expect(points.contains("ok 2 kernel: \(Check.kernelPHYFirstReporting.rawValue) # SKIP needs root \\# really"))
        #expect(points.contains { $0.hasPrefix("ok ") && $0.hasSuffix("eth\\#1: \(Check.advertisedNotActive.rawValue)") })
        #expect(lines.contains("#   second line"), "a finding's text follows its point as diagnostics")
        #expect(lines.last == "# 0 failing finding(s), 1 check(s) could not run")

        let strict = CheckRender.tap(r, strict: true)
        #expect(strict.contains("not ok") && strict.contains("--strict"))
        #expect(strict.hasSuffix("# 1 failing finding(s), 1 check(s) could not run\n"))
    }

    @Test func tapListsOnlyTheChecksOfItsScope() {
        let (r, snap) = report()
        let scope = CheckRender.JUnitScope(baseline: false, expect: false, hardware: ["eth2"], seconds: 0)
        let tap = CheckRender.tap(r, strict: false, scope: scope)
        let points = tap.split(separator: "\n").filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        let expected = CheckRender.checksRun(r, scope: scope).reduce(0) { $0 + $1.1.count }
        #expect(points.count == expected)
        #expect(tap.contains("1..\(expected)\n"))
        // eth0 is not in the scope's hardware: only the stacking check is listed for it.
        #expect(points.filter { $0.contains(" eth0: ") }.count == 1)
        #expect(points.contains { $0.hasSuffix(" eth0: \(Check.stackedDevice.rawValue)") })
        #expect(points.filter { $0.contains(" eth2: ") }.count > 1, "\(snap.interfaces.count) interfaces")
    }

    @Test func aCheckThatCouldNotRunStillFailsInEveryFormat() {
        let message = "cannot read /etc/x.toml: <No such file> # 2"
        let junit = CheckRender.junitError(message, exitStatus: 3)
        #expect(junit.contains("errors=\"1\"") && junit.contains("type=\"exit-3\""))
        #expect(junit.contains("&lt;No such file&gt;") && !junit.contains("<No such"))
        #expect(
            CheckRender.tapError(message, exitStatus: 3)
                == "TAP version 13\n1..1\nnot ok 1 tsctl check could run\n#   cannot read /etc/x.toml: <No such file> \\# 2\n#   exit status 3\n"
        )
        #expect(CheckRender.textError("no such file", exitStatus: 3) == "tsctl check could not run: no such file\nexit status: 3\n")
        let prom = CheckRender.prometheusError(exitStatus: 3, now: 1_765_000_000)
        #expect(prom.contains("\ntsctl_check_exit_status 3\n"))
        #expect(prom.contains("\ntsctl_check_timestamp_seconds 1765000000\n"))
    }

    @Test func textListsWhatWasNotCheckedAndWhatWasIgnored() {
        let r = Report(
            interfaces: ["eth0"], findings: [],
            notRun: [NotRun(Check.useUnsupported, "eth0", "no --expect")],
            ignored: [IgnoredDaemon(pid: 42, program: "ptp4l", reason: "not trusted")])
        let text = CheckRender.text(r, style: TextStyle(color: false))
        #expect(text.contains("not checked\n  - eth0: use-unsupported: no --expect\n"))
        #expect(text.contains("ignored\n"))
        #expect(text.hasSuffix("no findings on 1 interface; 1 check could not run\n"))
    }

    // MARK: show text

    @Test func showSaysWhenTheActiveConfigCameFromTheOldIoctl() {
        var itf = Board.igb()
        itf.active.readVia = .ioctl
        let new = ShowText.render(itf, kernel: Board.kernel(tsconfig: true), style: TextStyle(color: false))
        let old = ShowText.render(itf, kernel: Board.kernel(tsconfig: false), style: TextStyle(color: false))
        #expect(new.contains("(SIOCGHWTSTAMP: the driver does not answer TSCONFIG_GET, so the provider is not named)"))
        #expect(old.contains("(SIOCGHWTSTAMP; this kernel cannot name the provider)"))
    }

    @Test func showNamesAnApproximateProviderAndAProviderWithoutCapabilities() {
        var itf = Board.igb()
        itf.advertised?.qualifier = .approx
        itf.providers[0].capabilities = nil
        itf.phcs[0].present = false
        let text = ShowText.render(itf, kernel: Board.kernel(), style: TextStyle(color: false))
        #expect(text.contains("advertised mac/approx ptp1 \"igb\" (no /sys/class/ptp/ptp1)"))
        #expect(text.contains("found in sysfs; this kernel reports one provider only, capabilities unknown"))
    }

    @Test func colorIsSGRAroundTheTextAndNothingWithoutIt() {
        let on = TextStyle(color: true), off = TextStyle(color: false)
        #expect(on.red("x") == "\u{1B}[31mx\u{1B}[0m")
        #expect(on.bold("x") == "\u{1B}[1mx\u{1B}[0m")
        #expect(
            [off.red("x"), off.bold("x"), off.dim("x"), off.green("x"), off.yellow("x"), off.cyan("x")] == Array(repeating: "x", count: 6))
    }

    // MARK: watch

    @Test func watchReportsEachChangedFieldOnce() throws {
        let before = [("eth2", WatchState(Board.macchiatobin(active: .mac), link: "up")), ("eth0", WatchState(Board.igb(), link: "up"))]
        let after = [
            ("eth2", WatchState(Board.macchiatobin(active: .phy), link: "up")), ("eth9", WatchState(Board.virtio(), link: "down"))
        ]
        let events = WatchEvent.diff(before, after)
        #expect(events.first == .removed("eth0"))
        #expect(events.contains(.changed("eth2", field: "active", before: "mac ptp2, tx on, rx all", after: "phy:1 ptp0, tx on, rx some")))
        #expect(events.contains(.changed("eth2", field: "advertised", before: "mac ptp2", after: "phy:1 ptp0")))
        #expect(!events.contains { if case .changed(_, let f, _, _) = $0 { f == "link" || f == "providers" } else { false } })
        let added = try #require(events.last)
        #expect(
            added.text(time: "12:00:00")
                == "12:00:00 eth9 added: link down; providers none; advertised software only; active unreadable (driver-unsupported); phys none"
        )
        #expect(WatchEvent.removed("eth0").text(time: "t") == "t eth0 removed")
        #expect(events[1].text(time: "t") == "t eth2 advertised: mac ptp2 -> phy:1 ptp0", "fields in the order watch lists them")
    }

    @Test func watchJSONIsOneObjectPerEvent() {
        let s = WatchState(Board.igb(), link: "up")
        #expect(s.line == "link up; providers mac ptp1; advertised mac ptp1; active mac ptp1, tx on, rx all; phys none")
        let state = WatchEvent.state("eth0", s).json(time: "t")
        #expect(state["event"] == .string("state") && state["state"]?["active"] == .string("mac ptp1, tx on, rx all"))
        #expect(WatchEvent.added("eth0", s).json(time: "t")["event"] == .string("added"))
        #expect(
            WatchEvent.removed("eth0").json(time: "t")
                == .object([("time", .string("t")), ("interface", .string("eth0")), ("event", .string("removed"))]))
        let changed = WatchEvent.changed("eth0", field: "link", before: "up", after: "down").json(time: "t")
        #expect(changed["what"] == .string("link") && changed["before"] == .string("up") && changed["after"] == .string("down"))
        #expect(WatchEvent.state("eth0", s).text(time: "t") == "t eth0 " + s.line)
    }
}
