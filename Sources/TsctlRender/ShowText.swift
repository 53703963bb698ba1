public import TsctlModel

/// `tsctl show` for people: one compact tree per interface, the layers side by
/// side, the active provider marked.
public enum ShowText {
    public static func render(_ snap: Snapshot, style: TextStyle) -> String {
        var out = ""
        for (i, itf) in snap.interfaces.enumerated() {
            if i > 0 { out += "\n" }
            out += render(itf, kernel: snap.kernel, style: style)
        }
        return out
    }

    public static func render(_ itf: InterfaceSnapshot, kernel: KernelInfo, style s: TextStyle) -> String {
        var lines: [String] = []
        var head = s.bold(itf.displayName)
        // A stacked device says what it sits on: that device's timestamping is its own.
        head += s.dim(" (" + [itf.stacking ?? itf.driver, "ifindex \(itf.ifindex)"].compactMap { $0 }.joined(separator: ", ") + ")")
        lines.append(head)
        lines += providerLines(itf, style: s)
        if let a = itf.advertised { lines.append(advertisedLine(a, itf, style: s)) }
        lines.append(activeLine(itf, kernel: kernel, style: s))
        if let stats = statsLine(itf.tsStats, style: s) { lines.append(stats) }
        lines += clockLines(itf, style: s)
        return lines.joined(separator: "\n") + "\n"
    }

    /// One branch per provider: its clock, PHY, marks, and capabilities.
    static func providerLines(_ itf: InterfaceSnapshot, style s: TextStyle) -> [String] {
        if itf.providers.isEmpty { return ["  no hardware timestamp provider"] }
        var lines: [String] = []
        for (k, p) in itf.providers.enumerated() {
            let last = k == itf.providers.count - 1
            let branch = last ? "└─ " : "├─ "
            let cont = last ? "   " : "│  "
            var line = "  " + branch + s.cyan(pad(p.label, 10)) + " " + clock(p.phcIndex, itf)
            if p.layer == .phy, let phy = itf.phys.first(where: { $0.phyIndex == p.phyIndex }) {
                line += s.dim("  " + [phy.driver, phy.name].compactMap { $0 }.joined(separator: " @ "))
            }
            var marks: [String] = []
            if p.active { marks.append(s.green("● active")) }
            if p.advertised { marks.append("advertised") }
            if !marks.isEmpty { line += "  " + marks.joined(separator: ", ") }
            lines.append(line)
            if let c = p.capabilities {
                lines.append("  " + cont + "   " + s.dim("caps ") + hardwareCaps(c))
                lines.append(
                    "  " + cont + "   " + s.dim("tx   ") + list(c.txTypes.map(\.name)) + s.dim("   rx ") + list(c.rxFilters.map(\.name)))
            } else {
                lines.append("  " + cont + "   " + s.dim("found in sysfs; this kernel reports one provider only, capabilities unknown"))
            }
        }
        return lines
    }

    /// What ETHTOOL_GET_TS_INFO (ptp4l) and `ethtool -T` see.
    static func advertisedLine(_ a: Advertised, _ itf: InterfaceSnapshot, style s: TextStyle) -> String {
        var line = "  " + s.dim("advertised ")
        if let phc = a.phcIndex {
            line += layerLabel(a.layer, a.phyIndex, a.qualifier) + " " + clock(phc, itf)
        } else {
            let sw = a.capabilities.timestamping
            line += sw.isEmpty ? "nothing" : "software only: " + sw.joined(separator: " ")
        }
        return line
    }

    /// What is configured, or why it cannot be read.
    static func activeLine(_ itf: InterfaceSnapshot, kernel: KernelInfo, style s: TextStyle) -> String {
        let act = itf.active
        var line = "  " + s.dim("active     ")
        if let from = act.readFrom {
            // Never asked itself: on this kernel that can crash it (CVE-2025-40255).
            line += s.dim("via \(itf.kind == "bond" ? "active slave" : "lower") \(from): ")
        }
        if act.isConfigured {
            if let phc = act.phcIndex {
                line += layerLabel(act.layer, act.phyIndex, act.qualifier) + " " + clock(phc, itf) + "  "
            }
            line += "tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")"
            if !act.flags.isEmpty { line += ", flags " + act.flags.joined(separator: ",") }
            if act.readVia == .ioctl {
                line += s.dim(
                    kernel.features.tsconfig
                        ? "  (SIOCGHWTSTAMP: the driver does not answer TSCONFIG_GET, so the provider is not named)"
                        : "  (SIOCGHWTSTAMP; this kernel cannot name the provider)")
            }
        } else if act.readFrom == nil, act.unavailable == .error, let st = itf.stacking, let below = itf.timestampingFrom {
            // A stacked device hands the request down; the refusal is its lower
            // device's business, not an error of its own.
            let b = InterfaceName.display(below)
            line +=
                s.yellow("not here: ") + "a \(st) uses \(b)'s timestamping; see \(b)"
                + s.dim(act.message.map { " [asked itself: \($0)]" } ?? "")
        } else {
            line += s.yellow("cannot be read: ") + reasonText(act)
        }
        return line
    }

    public static func reasonText(_ a: ActiveConfig) -> String {
        var text = a.unavailable?.explanation ?? UnavailableReason.error.explanation
        if let m = a.message, let e = a.errno { text += " [\(m), errno \(e)]" } else if let m = a.message { text += " [\(m)]" }
        return text
    }

    static func layerLabel(_ layer: Layer?, _ phyIndex: Int?, _ q: Qualifier?) -> String {
        var s = layer?.providerLabel(phyIndex: phyIndex) ?? "layer unknown,"
        if let q, q != .precise { s += "/" + q.name }
        return s
    }

    static func clock(_ phc: Int, _ itf: InterfaceSnapshot) -> String {
        var s = "ptp\(phc)"
        if let c = itf.phc(phc) {
            if let n = c.clockName { s += " \"\(n)\"" }
            if !c.present { s += " (no /sys/class/ptp/ptp\(phc))" }
        }
        return s
    }

    /// The capability names without the software bits every device has.
    static func hardwareCaps(_ c: Capabilities) -> String {
        let software: Set<String> = ["software-transmit", "software-receive", "software-system-clock"]
        let hw = c.timestamping.filter { !software.contains($0) }
        return hw.isEmpty ? "none" : hw.joined(separator: " ")
    }

    static func list(_ a: [String]) -> String { a.isEmpty ? "none" : a.joined(separator: " ") }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
