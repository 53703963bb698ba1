public import TsctlModel

/// `tsctl check` output: one report model, four forms.
public enum CheckRender {
    // MARK: text, for people

    public static func text(_ r: Report, style s: TextStyle) -> String {
        var out = ""
        var groups: [(String?, [Finding])] = []
        var groupOf: [String?: Int] = [:]
        for f in r.ordered {
            if let i = groupOf[f.interface] {
                groups[i].1.append(f)
            } else {
                groupOf[f.interface] = groups.count
                groups.append((f.interface, [f]))
            }
        }
        for (itf, list) in groups {
            out += s.bold(itf.map(InterfaceName.display) ?? "kernel") + "\n"
            for f in list {
                let mark: String
                switch f.severity {
                case .error: mark = s.red("✗ error  ")
                case .warning: mark = s.yellow("! warning")
                case .info: mark = s.cyan("i info   ")
                }
                out += "  \(mark) \(f.statement) \(s.dim("[\(f.id)]"))\n"
                for e in f.evidence { out += "      " + s.dim("\(e.view.rawValue): ") + e.says + "\n" }
                if let fix = f.remedy { out += "      " + s.green("fix: ") + fix + "\n" }
            }
        }
        if !r.notRun.isEmpty {
            out += s.bold("not checked") + "\n"
            for n in r.notRun { out += "  - \(n.interface.map { "\(InterfaceName.display($0)): " } ?? "")\(n.check): \(n.reason)\n" }
        }
        if !r.ignored.isEmpty {
            out += s.bold("ignored") + "\n"
            for i in r.ignored { out += "  - \(i.label): \(i.reason)\n" }
        }
        let count = { (sev: Severity) in r.findings.filter { $0.severity == sev }.count }
        let e = count(.error), w = count(.warning), i = count(.info)
        var summary = r.findings.isEmpty ? "no findings" : "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(i) info"
        summary += " on \(r.interfaces.count) interface\(r.interfaces.count == 1 ? "" : "s")"
        if !r.notRun.isEmpty { summary += "; \(r.notRun.count) check\(r.notRun.count == 1 ? "" : "s") could not run" }
        return out + summary + "\n"
    }

    // MARK: JSON

    public static func json(_ r: Report, kernel: KernelInfo, status: Int32) -> JSON {
        let count = { (sev: Severity) in JSON.int(r.findings.filter { $0.severity == sev }.count) }
        return .object([
            ("schema_version", .int(1)),
            ("kernel", .string(kernel.release)),
            ("interfaces", .array(r.interfaces.map { .string($0) })),
            ("exit_status", .int(Int(status))),
            (
                "summary",
                .object([
                    ("errors", count(.error)), ("warnings", count(.warning)), ("info", count(.info)),
                    ("not_run", .int(r.notRun.count))
                ])
            ),
            (
                "findings",
                .array(
                    r.ordered.map { f in
                        .object([
                            ("id", .string(f.id)),
                            ("severity", .string(f.severity.name)),
                            ("interface", f.interface.map { .string($0) } ?? .null),
                            ("statement", .string(f.statement)),
                            (
                                "evidence",
                                .array(f.evidence.map { .object([("view", .string($0.view.rawValue)), ("says", .string($0.says))]) })
                            ),
                            ("remedy", f.remedy.map { .string($0) } ?? .null)
                        ])
                    })
            ),
            (
                "not_run",
                .array(
                    r.notRun.map { n in
                        .object([
                            ("check", .string(n.check)), ("interface", n.interface.map { .string($0) } ?? .null),
                            ("reason", .string(n.reason))
                        ])
                    })
            ),
            (
                "ignored_daemons",
                .array(
                    r.ignored.map { i in
                        .object([("pid", .int(i.pid)), ("program", .string(i.program)), ("reason", .string(i.reason))])
                    })
            )
        ])
    }

    // MARK: JUnit, for CI servers

    /// One test suite per interface (and one for the kernel), one test case per
    /// check; errors fail, warnings fail with --strict, checks that could not
    /// run are skipped with their reason.
    public static func junit(_ r: Report, strict: Bool) -> String {
        let kernelChecks: [Check] = [.kernelNoProviderSelection, .kernelPHYFirstReporting]
        let perInterface = Check.allCases.filter { !kernelChecks.contains($0) }
        var suites: [(String, [String])] = []
        var totals = (tests: 0, failures: 0, skipped: 0)
        func suite(_ name: String?, _ checks: [Check]) {
            var cases: [String] = []
            for c in checks {
                let found = r.findings.filter { $0.interface == name && $0.id == c.rawValue }
                let skipped = r.notRun.filter { $0.interface == name && $0.check == c.rawValue }
                let failing = found.filter { $0.severity == .error || ($0.severity == .warning && strict) }
                var body = ""
                if !failing.isEmpty {
                    let text = failing.map(describe).joined(separator: "\n\n")
                    body =
                        "<failure type=\"\(failing.map(\.severity).max()!.name)\" message=\"\(xml(failing[0].statement))\">\(xml(text))</failure>"
                    totals.failures += 1
                } else if found.isEmpty && !skipped.isEmpty {
                    body = "<skipped message=\"\(xml(skipped.map(\.reason).joined(separator: "; ")))\"/>"
                    totals.skipped += 1
                } else if !found.isEmpty {
                    body = "<system-out>\(xml(found.map(describe).joined(separator: "\n\n")))</system-out>"
                }
                totals.tests += 1
                let cls = "tsctl.check.\(name ?? "kernel")"
                cases.append("    <testcase classname=\"\(xml(cls))\" name=\"\(c.rawValue): \(xml(c.title))\">\(body)</testcase>")
            }
            suites.append((name ?? "kernel", cases))
        }
        suite(nil, kernelChecks)
        for itf in r.interfaces { suite(itf, perInterface) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tsctl check\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" skipped=\"\(totals.skipped)\">\n"
        for (name, cases) in suites {
            out += "  <testsuite name=\"tsctl check \(xml(InterfaceName.display(name)))\" tests=\"\(cases.count)\">\n"
            out += cases.joined(separator: "\n") + "\n  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func describe(_ f: Finding) -> String {
        var s = "[\(f.severity.name)] \(f.statement)"
        for e in f.evidence { s += "\n  \(e.view.rawValue): \(e.says)" }
        if let fix = f.remedy { s += "\n  fix: \(fix)" }
        return s
    }

    static func xml(_ s: String) -> String {
        var o = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&apos;"
            case _ where ch.value < 0x20 && ch != "\n" && ch != "\t": o += " "
            default: o.unicodeScalars.append(ch)
            }
        }
        return o
    }

    // MARK: Prometheus textfile (node_exporter's textfile collector)

    public static func prometheus(_ r: Report, snapshot: Snapshot, status: Int32, now: Int) -> String {
        var out = ""
        func metric(_ name: String, _ help: String, _ rows: [([(String, String)], String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for (labels, value) in rows {
                let l = labels.map { "\($0.0)=\"\(promEscape($0.1))\"" }.joined(separator: ",")
                out += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(l)} \(value)\n"
            }
        }
        var counts: [String: Int] = [:]
        for f in r.findings { counts["\(f.interface ?? "")\u{0}\(f.id)\u{0}\(f.severity.name)", default: 0] += 1 }
        metric(
            "tsctl_check_findings", "Findings of the last tsctl check by interface, finding id and severity.",
            counts.keys.sorted().map { k in
                let p = k.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                return ([("interface", InterfaceName.display(p[0])), ("id", p[1]), ("severity", p[2])], String(counts[k]!))
            })
        metric(
            "tsctl_check_not_run", "Checks that could not run (permission, kernel feature), by interface and check.",
            r.notRun.map { ([("interface", InterfaceName.display($0.interface ?? "")), ("check", $0.check)], "1") })
        metric("tsctl_check_exit_status", "Exit status of the last tsctl check (0 passed, 1 failed).", [([], String(status))])
        metric("tsctl_check_timestamp_seconds", "When the last tsctl check ran (Unix time).", [([], String(now))])
        var providers: [([(String, String)], String)] = []
        for itf in snapshot.interfaces {
            for p in itf.providers {
                providers.append(
                    (
                        [
                            ("interface", itf.displayName), ("layer", p.layer.rawValue), ("phc", String(p.phcIndex)),
                            ("qualifier", p.qualifier.name), ("phy_index", p.phyIndex.map(String.init) ?? ""),
                            ("clock_name", itf.phc(p.phcIndex)?.clockName ?? "")
                        ],
                        p.active ? "2" : p.advertised ? "1" : "0"
                    ))
            }
        }
        metric("tsctl_provider", "Hardware timestamp providers: 2 active, 1 advertised (active unknown), 0 available.", providers)
        return out + healthMetrics(snapshot)
    }

    static func promEscape(_ s: String) -> String {
        var o = ""
        for ch in s {
            switch ch {
            case "\\": o += "\\\\"
            case "\"": o += "\\\""
            case "\n": o += "\\n"
            default: o.append(ch)
            }
        }
        return o
    }
}
