public import TsctlModel

/// `tsctl show` for people: one compact tree per interface, the layers side by
/// side, the active provider marked.
public enum ShowText {
    public static func render(_ snap: Snapshot, style: TextStyle) -> String {
        var out = TextBuffer(style: style)
        for (i, itf) in snap.interfaces.enumerated() {
            if i > 0 { out.add("\n") }
            render(itf, kernel: snap.kernel, into: &out)
        }
        return out.text
    }

    /// The interfaces' trees as `render` writes them, handed to `write` in chunks of
    /// about 32 KiB from one reused buffer.
    public static func write(
        _ interfaces: [InterfaceSnapshot], kernel: KernelInfo, style: TextStyle,
        to write: @escaping (UnsafeRawBufferPointer) -> Void
    ) {
        var w = Writer(style: style, to: write)
        for itf in interfaces { w.add(itf, kernel: kernel) }
        w.finish()
    }

    /// Interfaces' trees written as they come, a blank line between two, through
    /// one reused buffer handed to `write` about 32 KiB at a time.
    public struct Writer {
        var out: TextBuffer
        let write: (UnsafeRawBufferPointer) -> Void
        /// How many interfaces were written.
        public private(set) var count = 0

        public init(style: TextStyle, to write: @escaping (UnsafeRawBufferPointer) -> Void) {
            out = TextBuffer(style: style, capacity: 1 << 16)
            self.write = write
        }

        /// The interface whose lines below the first were written last, as far as they
        /// depend on it (its name and index set to the next one's before comparing), and
        /// those bytes: thousands of veths say the same below their names, and copying the
        /// lines costs a fifth of writing them. Plain stored properties, not an optional
        /// tuple: setting the name and index in one copied it (0.4 million instructions
        /// at 2,001 interfaces). `lastKernel` is nil until the first body is written.
        private var lastItf = InterfaceSnapshot(name: "", ifindex: 0, active: .unavailable(.error))
        private var lastKernel: KernelInfo?
        private var lastBody: [UInt8] = []

        public mutating func add(_ itf: InterfaceSnapshot, kernel: KernelInfo) {
            if count > 0 { out.add("\n") }
            ShowText.header(itf, into: &out)
            lastItf.name = itf.name
            lastItf.ifindex = itf.ifindex
            if lastKernel == kernel, lastItf == itf {
                out.add(bytes: lastBody)
            } else {
                let start = out.count
                ShowText.body(itf, kernel: kernel, into: &out)
                lastItf = itf
                lastKernel = kernel
                lastBody = out.bytes(from: start)
            }
            count += 1
            if out.count >= 1 << 15 { finish() }
        }

        /// Hands out what is left.
        public mutating func finish() {
            guard out.count > 0 else { return }
            out.withBytes { write($0) }
            out.clear()
        }
    }

    public static func render(_ itf: InterfaceSnapshot, kernel: KernelInfo, style s: TextStyle) -> String {
        var out = TextBuffer(style: s)
        render(itf, kernel: kernel, into: &out)
        return out.text
    }

    /// One interface's tree, appended to `out` (in `out`'s style).
    public static func render(_ itf: InterfaceSnapshot, kernel: KernelInfo, into out: inout TextBuffer) {
        header(itf, into: &out)
        body(itf, kernel: kernel, into: &out)
    }

    /// The first line: name, what it sits on or its driver, and index.
    static func header(_ itf: InterfaceSnapshot, into out: inout TextBuffer) {
        out.styled("1") { $0.add(itf.displayName) }
        // A stacked device says what it sits on: that device's timestamping is its own.
        out.styled("2") { o in
            o.add(" (")
            if let what = itf.stacking ?? itf.driver {
                o.add(what)
                o.add(", ")
            }
            o.add("ifindex ")
            o.add(itf.ifindex)
            o.add(")")
        }
        out.add("\n")
    }

    /// The lines below the first: providers, advertised, active, statistics, clocks.
    /// They do not depend on the name or index (ShowText.Writer copies them).
    static func body(_ itf: InterfaceSnapshot, kernel: KernelInfo, into out: inout TextBuffer) {
        let s = TextStyle(color: out.color)
        providerLines(itf, into: &out)
        if let a = itf.advertised { advertisedLine(a, itf, into: &out) }
        activeLine(itf, kernel: kernel, into: &out)
        if let stats = statsLine(itf.tsStats, style: s) { out.add(stats + "\n") }
        for line in clockLines(itf, style: s) { out.add(line + "\n") }
    }

    /// One branch per provider: its clock, PHY, marks, and capabilities.
    static func providerLines(_ itf: InterfaceSnapshot, into out: inout TextBuffer) {
        if itf.providers.isEmpty { return out.add("  no hardware timestamp provider\n") }
        for (k, p) in itf.providers.enumerated() {
            let last = k == itf.providers.count - 1
            out.add(last ? "  └─ " : "  ├─ ")
            out.styled("36") { $0.add(pad(p.label, 10)) }
            out.add(" ")
            clock(p.phcIndex, itf, into: &out)
            if p.layer == .phy, let phy = itf.phys.first(where: { $0.phyIndex == p.phyIndex }) {
                out.dim("  " + [phy.driver, phy.name].compactMap { $0 }.joined(separator: " @ "))
            }
            if p.active || p.advertised { out.add("  ") }
            if p.active { out.styled("32") { $0.add("● active") } }
            if p.active && p.advertised { out.add(", ") }
            if p.advertised { out.add("advertised") }
            out.add("\n")
            let cont = last ? "     " : "  │  "
            out.add(cont)
            out.add("   ")
            if let c = p.capabilities {
                out.dim("caps ")
                hardwareCaps(c, into: &out)
                out.add("\n")
                out.add(cont)
                out.add("   ")
                out.dim("tx   ")
                list(c.txTypes, into: &out)
                out.dim("   rx ")
                list(c.rxFilters, into: &out)
            } else {
                out.dim("found in sysfs; this kernel reports one provider only, capabilities unknown")
            }
            out.add("\n")
        }
    }

    /// What ETHTOOL_GET_TS_INFO (ptp4l) and `ethtool -T` see.
    static func advertisedLine(_ a: Advertised, _ itf: InterfaceSnapshot, into out: inout TextBuffer) {
        out.add("  ")
        out.dim("advertised ")
        if let phc = a.phcIndex {
            out.add(layerLabel(a.layer, a.phyIndex, a.qualifier))
            out.add(" ")
            clock(phc, itf, into: &out)
        } else if a.capabilities.timestamping.isEmpty {
            out.add("nothing")
        } else {
            out.add("software only: ")
            out.add(a.capabilities.timestamping, separator: " ")
        }
        out.add("\n")
    }

    /// What is configured, or why it cannot be read.
    static func activeLine(_ itf: InterfaceSnapshot, kernel: KernelInfo, into out: inout TextBuffer) {
        let act = itf.active
        out.add("  ")
        out.dim("active     ")
        if let from = act.readFrom {
            // Never asked itself: on this kernel that can crash it (CVE-2025-40255).
            out.dim("via \(itf.kind == "bond" ? "active slave" : "lower") \(from): ")
        }
        if act.isConfigured {
            configuredText(itf, kernel: kernel, into: &out)
        } else if act.readFrom == nil, act.unavailable == .error, let st = itf.stacking, let below = itf.timestampingFrom {
            // A stacked device hands the request down; the refusal is its lower
            // device's business, not an error of its own.
            let b = InterfaceName.display(below)
            out.styled("33") { $0.add("not here: ") }
            out.add("a \(st) uses \(b)'s timestamping; see \(b)")
            out.dim(act.message.map { " [asked itself: \($0)]" } ?? "")
        } else {
            out.styled("33") { $0.add("cannot be read: ") }
            reasonText(act, into: &out)
        }
        out.add("\n")
    }

    /// The active configuration that was read.
    static func configuredText(_ itf: InterfaceSnapshot, kernel: KernelInfo, into out: inout TextBuffer) {
        let act = itf.active
        if let phc = act.phcIndex {
            out.add(layerLabel(act.layer, act.phyIndex, act.qualifier))
            out.add(" ")
            clock(phc, itf, into: &out)
            out.add("  ")
        }
        out.add("tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")")
        if !act.flags.isEmpty {
            out.add(", flags ")
            out.add(act.flags, separator: ",")
        }
        if act.readVia == .ioctl {
            out.dim(
                kernel.features.tsconfig
                    ? "  (SIOCGHWTSTAMP: the driver does not answer TSCONFIG_GET, so the provider is not named)"
                    : "  (SIOCGHWTSTAMP; this kernel cannot name the provider)")
        }
    }

    public static func reasonText(_ a: ActiveConfig) -> String {
        var out = TextBuffer(style: .plain, capacity: 128)
        reasonText(a, into: &out)
        return out.text
    }

    static func reasonText(_ a: ActiveConfig, into out: inout TextBuffer) {
        out.add(a.unavailable?.explanation ?? UnavailableReason.error.explanation)
        guard let m = a.message else { return }
        out.add(" [")
        out.add(m)
        if let e = a.errno {
            out.add(", errno ")
            out.add(Int(e))
        }
        out.add("]")
    }

    static func layerLabel(_ layer: Layer?, _ phyIndex: Int?, _ q: Qualifier?) -> String {
        var s = layer?.providerLabel(phyIndex: phyIndex) ?? "layer unknown,"
        if let q, q != .precise { s += "/" + q.name }
        return s
    }

    static func clock(_ phc: Int, _ itf: InterfaceSnapshot, into out: inout TextBuffer) {
        out.add("ptp")
        out.add(phc)
        if let c = itf.phc(phc) {
            if let n = c.clockName { out.add(" \"\(n)\"") }
            if !c.present { out.add(" (no /sys/class/ptp/ptp\(phc))") }
        }
    }

    /// The capability names without the software bits every device has.
    static func hardwareCaps(_ c: Capabilities, into out: inout TextBuffer) {
        let software: Set<String> = ["software-transmit", "software-receive", "software-system-clock"]
        let hw = c.timestamping.filter { !software.contains($0) }
        list(hw, into: &out)
    }

    static func list(_ a: [String], into out: inout TextBuffer) {
        if a.isEmpty { out.add("none") } else { out.add(a, separator: " ") }
    }

    static func list<Table>(_ a: [KernelValue<Table>], into out: inout TextBuffer) {
        if a.isEmpty { out.add("none") } else { out.add(a, separator: " ") }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
