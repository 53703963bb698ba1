import TsctlModel

extension Rules {
    /// How many times wider the active clock's narrowest read window must be than
    /// another provider's before it is called worse: a PHC read over MDIO takes tens
    /// of microseconds, one over MMIO or PCIe well under one, so real pairs differ by
    /// far more, while two reads of one kind vary by less.
    static let worseReadFactor: Int64 = 4
    /// And by at least this much: below it both are well under what ptp4l's servo
    /// notices, whatever their ratio.
    static let worseReadMarginNs: Int64 = 2_000

    // active-clock-worse: the clock in use measurably worse to read than another provider's of the same
    // interface. Beside the known-pairs rule (precision-downgrade), never instead:
    // that one knows pairs, this one measures any.
    mutating func clockReads(_ itf: InterfaceSnapshot) {
        guard let current = activeOrAdvertised(itf), let mine = itf.phc(current.phcIndex)?.health?.read,
            let a = mine.windowMinNs
        else { return }
        var better: (Provider, ClockRead, Int64)?
        for p in itf.providers where p.phcIndex != current.phcIndex {
            guard let r = itf.phc(p.phcIndex)?.health?.read, let b = r.windowMinNs,
                a >= Self.worseReadFactor * max(b, 1), a - b >= Self.worseReadMarginNs
            else { continue }
            if better == nil || b < better!.2 { better = (p, r, b) }
        }
        guard let (p, r, b) = better else { return }
        let view: View = current.active ? .active : .advertised
        add(
            .activeClockWorse, .warning, itf.name,
            "the \(view.rawValue) \(current.layer.rawValue) clock ptp\(current.phcIndex) reads \(a / max(b, 1)) times worse than the "
                + "\(p.layer.rawValue) clock ptp\(p.phcIndex) of \(itf.displayName) (narrowest read window "
                + "\(ClockMeasurement.duration(a)) against \(ClockMeasurement.duration(b)), a factor of \(Self.worseReadFactor) or more "
                + "counts): phc2sys and chrony see that window as noise in every offset they measure",
            [
                EvidenceItem(view, "\(current.label) ptp\(current.phcIndex) \(clockName(current.phcIndex, itf))"),
                EvidenceItem(.observed, Self.readEvidence(current.phcIndex, mine, itf.phc(current.phcIndex)?.health?.resolutionNs)),
                EvidenceItem(.observed, Self.readEvidence(p.phcIndex, r, itf.phc(p.phcIndex)?.health?.resolutionNs))
            ],
            remedy: setCommand(itf, to: p))
    }

    static func readEvidence(_ phc: Int, _ r: ClockRead, _ resolution: Int64?) -> String {
        var s = "ptp\(phc): read window min \(r.windowMinNs.map { "\($0) ns" } ?? "unknown"), median "
        s +=
            "\(r.windowMedianNs.map { "\($0) ns" } ?? "unknown") over \(r.samples) \(r.method == "basic" ? "PTP_SYS_OFFSET" : "PTP_SYS_OFFSET_EXTENDED") samples"
        if r.method == "precise" { s += " (the driver also offers PTP_SYS_OFFSET_PRECISE)" }
        return s + ", resolution " + (resolution.map { "\($0) ns" } ?? "unknown")
    }
}
