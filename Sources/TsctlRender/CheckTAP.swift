public import TsctlModel

extension CheckRender {
    // MARK: TAP, as kselftest prints it and KernelCI and LAVA read it

    /// TAP version 13 with the plan first, as kselftest emits it: one test point
    /// per check and interface (the kernel-wide checks under "kernel"), in the
    /// order JUnit uses. An error fails, a warning fails with --strict, a check
    /// that could not run is `# SKIP` with its reason; the evidence follows a
    /// failing point as `#` diagnostic lines.
    /// `scope`: the checks that ran or were asked for (as JUnit lists them); nil lists every check.
    public static func tap(_ r: Report, strict: Bool, scope: JUnitScope? = nil) -> String {
        let kernelChecks: [Check] = [.kernelNoProviderSelection, .kernelPHYFirstReporting]
        let perInterface = Check.allCases.filter { !kernelChecks.contains($0) && $0 != .useUnsupported }
        var points: [(String?, Check)] = []
        if let scope {
            for (name, checks) in checksRun(r, scope: scope) { points += checks.map { (name, $0) } }
        } else {
            points = kernelChecks.map { (nil, $0) }
            for itf in r.interfaces { points += perInterface.map { (itf, $0) } }
        }

        var out = "TAP version 13\n1..\(points.count)\n"
        out += "# tsctl check: \(r.interfaces.count) interface(s)\(strict ? ", --strict" : "")\n"
        for (n, (name, c)) in points.enumerated() {
            let found = r.findings.filter { sameName($0.interface, name) && $0.id == c.rawValue }
            let skipped = r.notRun.filter { sameName($0.interface, name) && $0.check == c.rawValue }
            let failing = found.filter { $0.severity == .error || ($0.severity == .warning && strict) }
            let label = tapText("\(name.map(InterfaceName.display) ?? "kernel"): \(c.rawValue)")
            if !failing.isEmpty {
                out += "not ok \(n + 1) \(label)\n"
            } else if found.isEmpty && !skipped.isEmpty {
                out += "ok \(n + 1) \(label) # SKIP \(tapText(skipped.map(\.reason).joined(separator: "; ")))\n"
            } else {
                out += "ok \(n + 1) \(label)\n"
            }
            // What was found, failing or not: a warning or info a reader may want.
            for f in found {
                for line in describe(f).split(separator: "\n") { out += "#   \(line)\n" }
            }
        }
        let failed = r.findings.filter { $0.severity == .error || ($0.severity == .warning && strict) }.count
        out += "# \(failed) failing finding(s), \(r.notRun.count) check(s) could not run\n"
        return out
    }

    /// A description or directive text on one line, without an unescaped `#`.
    static func tapText(_ s: String) -> String {
        var o = ""
        for ch in s {
            switch ch {
            case "#": o += "\\#"
            case "\\": o += "\\\\"
            case "\n", "\r", "\t": o += " "
            default: o.append(ch)
            }
        }
        return o
    }
}
