public import TsctlCodec
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
            ("kernel", kernel.json),
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

    /// Which checks a JUnit report lists: those that ran, and those asked for.
    public struct JUnitScope: Sendable {
        /// --baseline given: `drift` ran.
        public var baseline: Bool
        /// --expect given: `expectation-not-met` ran.
        public var expect: Bool
        /// Interfaces with a hardware provider: the per-interface checks ran on these only.
        public var hardware: Set<String>
        /// Seconds the check took, for `time`.
        public var seconds: Double
        /// --for given, or a desired-state file with `for`: `use-unsupported` ran.
        public var uses: Bool

        public init(baseline: Bool, expect: Bool, hardware: Set<String>, seconds: Double, uses: Bool = false) {
            self.baseline = baseline
            self.expect = expect
            self.hardware = hardware
            self.seconds = seconds
            self.uses = uses
        }
    }

    /// One test suite per interface (and one for the kernel), one test case per
    /// check that ran or was asked for; errors fail, warnings fail with --strict,
    /// checks that could not run are skipped with their reason. The attributes
    /// are the ones Jenkins' xUnit (junit-10.xsd), its junit plugin and GitLab read:
    /// tests, failures, errors, skipped and time on each testsuite; no skipped on
    /// testsuites, which junit-10.xsd does not allow there.
    public static func junit(_ r: Report, strict: Bool, scope: JUnitScope) -> String {
        let kernelChecks: [Check] = [.kernelNoProviderSelection, .kernelPHYFirstReporting]
        var suites: [(name: String, cases: [String], failures: Int, skipped: Int)] = []
        var totals = (tests: 0, failures: 0)
        func suite(_ name: String?, _ label: String, _ checks: [Check]) {
            var cases: [String] = []
            var failures = 0, skipped = 0
            for c in checks {
                let found = r.findings.filter { sameName($0.interface, name) && $0.id == c.rawValue }
                let notRun = r.notRun.filter { sameName($0.interface, name) && $0.check == c.rawValue }
                let failing = found.filter { $0.severity == .error || ($0.severity == .warning && strict) }
                var body = ""
                if !failing.isEmpty {
                    let text = failing.map(describe).joined(separator: "\n\n")
                    body =
                        "<failure type=\"\(failing.map(\.severity).max()!.name)\" message=\"\(xml(failing[0].statement))\">\(xml(text))</failure>"
                    failures += 1
                } else if found.isEmpty && !notRun.isEmpty {
                    body = "<skipped message=\"\(xml(notRun.map(\.reason).joined(separator: "; ")))\"/>"
                    skipped += 1
                } else if !found.isEmpty {
                    body = "<system-out>\(xml(found.map(describe).joined(separator: "\n\n")))</system-out>"
                }
                // The interface goes into the name, not the classname: a VLAN's dot
                // (eth0.7) would otherwise split it into packages.
                cases.append(
                    "    <testcase classname=\"tsctl.check\" name=\"\(xml(label)): \(c.rawValue): \(xml(c.title))\" time=\"0\">\(body)</testcase>"
                )
            }
            totals.tests += cases.count
            totals.failures += failures
            suites.append((label, cases, failures, skipped))
        }
        for (name, checks) in checksRun(r, scope: scope) {
            let isFile = name == nil && checks.first.map { !kernelChecks.contains($0) } == true
            suite(name, name.map(InterfaceName.display) ?? (isFile ? "file" : "kernel"), checks)
        }
        let time = String(format3(scope.seconds))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tsctl check\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"0\" time=\"\(time)\">\n"
        for s in suites {
            out +=
                "  <testsuite name=\"tsctl check \(xml(s.name))\" tests=\"\(s.cases.count)\" failures=\"\(s.failures)\" errors=\"0\" skipped=\"\(s.skipped)\" time=\"0\">\n"
            out += s.cases.map { $0 + "\n" }.joined() + "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// The checks that ran or were asked for, by interface (nil: the kernel, then
    /// findings about no interface such as an expected glob that matches nothing):
    /// what JUnit and TAP list, so neither reports a pass for a check never made.
    public static func checksRun(_ r: Report, scope: JUnitScope) -> [(String?, [Check])] {
        let kernelChecks: [Check] = [.kernelNoProviderSelection, .kernelPHYFirstReporting]
        let stacking: [Check] = [.stackedDevice]
        let hardwareChecks =
            Check.allCases.filter {
                !kernelChecks.contains($0) && !stacking.contains($0) && $0 != .drift && $0 != .expectationNotMet && $0 != .useUnsupported
            } + (scope.uses ? [.useUnsupported] : [])
        var asked: [Check] = []
        if scope.expect { asked.append(.expectationNotMet) }
        if scope.baseline { asked.append(.drift) }
        var out: [(String?, [Check])] = [(nil, kernelChecks)]
        for itf in r.interfaces {
            out.append((itf, stacking + (scope.hardware.contains(itf) ? hardwareChecks : []) + asked))
        }
        // About the files themselves (an entry matching nothing): listed whenever
        // asked for, so a Prometheus series for it is there at 0 once it passes.
        if !asked.isEmpty { out.append((nil, asked)) }
        return out
    }

    /// A report for a check that could not start (an unreadable --expect or
    /// --baseline): one erroring case, so a CI server never shows an empty pass.
    public static func junitError(_ message: String, exitStatus: Int32) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tsctl check\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n"
        out += "  <testsuite name=\"tsctl check\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
        out += "    <testcase classname=\"tsctl.check\" name=\"tsctl check could run\" time=\"0\">"
        out += "<error type=\"exit-\(exitStatus)\" message=\"\(xml(message))\">\(xml(message))</error></testcase>\n"
        return out + "  </testsuite>\n</testsuites>\n"
    }

    /// `check --output FILE` (text) when the check could not run.
    public static func textError(_ message: String, exitStatus: Int32) -> String {
        "tsctl check could not run: \(message)\nexit status: \(exitStatus)\n"
    }

    /// TAP when the check could not run: one failing point, so a harness
    /// (prove, LAVA) fails the run instead of reading an empty plan.
    public static func tapError(_ message: String, exitStatus: Int32) -> String {
        "TAP version 13\n1..1\nnot ok 1 tsctl check could run\n#   \(tapText(message))\n#   exit status \(exitStatus)\n"
    }

    /// The textfile when the check could not run: the exit status it ended
    /// with and when, so `tsctl_check_exit_status` does not stay at a passing 0.
    public static func prometheusError(exitStatus: Int32, now: Int) -> String {
        """
        # HELP tsctl_check_exit_status Exit status tsctl check would end with (0 passed, 1 failed; README: Exit status).
        # TYPE tsctl_check_exit_status gauge
        tsctl_check_exit_status \(exitStatus)
        # HELP tsctl_check_timestamp_seconds When the last tsctl check ran (Unix time).
        # TYPE tsctl_check_timestamp_seconds gauge
        tsctl_check_timestamp_seconds \(now)

        """
    }

    /// Seconds with three decimals, the form junit-10.xsd's SUREFIRE_TIME takes.
    static func format3(_ s: Double) -> String {
        let ms = Int((max(s, 0) * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
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
}
