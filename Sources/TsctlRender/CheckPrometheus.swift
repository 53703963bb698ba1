public import TsctlModel

/// `tsctl check --format prometheus`: a textfile for node_exporter's textfile
/// collector, after node_exporter's own conventions: the interface is the
/// `device` label; names and other strings live in `_info` metrics (value 1);
/// every value is one quantity (a count, 0/1), never a code for a state; and a
/// series for a check that ran is always written, so a fixed problem goes to 0
/// instead of disappearing (alerts resolve, graphs show the fix).
extension CheckRender {
    public static func prometheus(_ r: Report, snapshot: Snapshot, scope: JUnitScope, status: Int32, now: Int) -> String {
        var out = PromText()
        checkFamilies(r, scope: scope, into: &out)
        out.family(
            "tsctl_check_exit_status", "Exit status tsctl check would end with (0 passed, 1 failed; README: Exit status).",
            [([], String(status))])
        out.family("tsctl_check_timestamp_seconds", "When the last tsctl check ran (Unix time).", [([], String(now))])
        out.family("tsctl_check_duration_seconds", "How long the last tsctl check took.", [([], format3(scope.seconds))])
        out.family(
            "tsctl_kernel_info", "The running kernel (value 1).",
            [
                (
                    [
                        ("release", snapshot.kernel.release),
                        ("tsconfig", snapshot.kernel.features.tsconfig ? "yes" : "no")
                    ], "1"
                )
            ])
        inventoryFamilies(snapshot, into: &out)
        return out.text + healthMetrics(snapshot)
    }

    /// One row of a family: its labels and its value.
    typealias PromRow = ([(String, String)], String)

    /// A textfile being written, one family (HELP, TYPE, rows) at a time.
    struct PromText {
        var text = ""

        mutating func family(_ name: String, _ help: String, _ rows: [PromRow]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for (labels, value) in rows {
                let l = labels.map { "\($0.0)=\"\(promEscape($0.1))\"" }.joined(separator: ",")
                text += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(l)} \(value)\n"
            }
        }
    }

    /// Kernel-wide checks and checks about the file (an entry matching
    /// nothing) have device="" (to Prometheus, no device): one family has one
    /// set of label names, which node_exporter's textfile collector insists on.
    static func promDevice(_ name: String?) -> [(String, String)] { [("device", name.map(InterfaceName.display) ?? "")] }

    /// tsctl_check_findings and tsctl_check_not_run: every check that ran or was
    /// asked for, plus any check a finding or a not-run names outside that list,
    /// so no finding is ever dropped.
    static func checkFamilies(_ r: Report, scope: JUnitScope, into out: inout PromText) {
        var listed: [(String?, String)] = []
        var seen = Set<String>()
        func add(_ itf: String?, _ check: String) {
            if seen.insert("\(itf ?? "\u{0}")\u{1}\(check)").inserted { listed.append((itf, check)) }
        }
        for (itf, checks) in checksRun(r, scope: scope) { for c in checks { add(itf, c.rawValue) } }
        for f in r.findings { add(f.interface, f.id) }
        for n in r.notRun { add(n.interface, n.check) }

        var findings: [PromRow] = []
        var notRun: [PromRow] = []
        for (itf, check) in listed {
            for sev in Severity.allCases.reversed() {
                let n = r.findings.filter { sameName($0.interface, itf) && $0.id == check && $0.severity == sev }.count
                findings.append((promDevice(itf) + [("check", check), ("severity", sev.name)], String(n)))
            }
            let missed = r.notRun.contains { sameName($0.interface, itf) && $0.check == check }
            notRun.append((promDevice(itf) + [("check", check)], missed ? "1" : "0"))
        }
        out.family(
            "tsctl_check_findings",
            "Findings of the last tsctl check by device, check and severity; 0 when the check passed.", findings)
        out.family("tsctl_check_not_run", "1 when the check could not run (permission, kernel feature), else 0.", notRun)
    }

    /// What was checked: each interface and each of its providers.
    static func inventoryFamilies(_ snapshot: Snapshot, into out: inout PromText) {
        var itfInfo: [PromRow] = [], provInfo: [PromRow] = [], active: [PromRow] = [], advertised: [PromRow] = []
        for itf in snapshot.interfaces {
            itfInfo.append(
                (
                    [
                        ("device", itf.displayName), ("driver", itf.driver ?? ""), ("kind", itf.kind ?? ""),
                        ("lower", itf.lower.map(InterfaceName.display) ?? "")
                    ], "1"
                ))
            for p in itf.providers {
                // The provider's identity: what TSCONFIG selects (PHC, qualifier).
                let id = [("device", itf.displayName), ("phc", "ptp\(p.phcIndex)"), ("qualifier", p.qualifier.name)]
                provInfo.append(
                    (
                        id + [
                            ("layer", p.layer.rawValue), ("phy_index", p.phyIndex.map(String.init) ?? ""),
                            ("clock_name", itf.phc(p.phcIndex)?.clockName ?? "")
                        ], "1"
                    ))
                active.append((id, p.active ? "1" : "0"))
                advertised.append((id, p.advertised ? "1" : "0"))
            }
        }
        out.family("tsctl_interface_info", "Each interface checked: its driver, kind and the device it sits on (value 1).", itfInfo)
        out.family("tsctl_provider_info", "Each hardware timestamp provider: layer, PHY index and clock name (value 1).", provInfo)
        out.family(
            "tsctl_provider_active", "1 when the provider stamps packets now (TSCONFIG_GET), else 0 (also when unreadable).",
            active)
        out.family(
            "tsctl_provider_advertised", "1 when the kernel advertises the provider (TSINFO; what ptp4l uses), else 0.",
            advertised)
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
