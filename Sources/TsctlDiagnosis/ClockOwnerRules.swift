import TsctlModel

extension Rules {
    // phc-dangling, phc-foreign-owner.
    mutating func clocks(_ itf: InterfaceSnapshot) {
        for c in itf.phcs {
            if !c.present {
                add(
                    .phcDangling, .error, itf.name,
                    "\(itf.displayName) names PHC \(c.index) but /sys/class/ptp/ptp\(c.index) does not exist (renumbered or removed clock)",
                    [EvidenceItem(.advertised, "PHC index \(c.index)"), EvidenceItem(.sysfs, "no ptp\(c.index)")])
                continue
            }
            guard itf.kind != "bond", let owner = c.owner, c.layer == nil, itf.device != nil || !itf.phys.isEmpty else { continue }
            add(
                .phcForeignOwner, .warning, itf.name,
                "ptp\(c.index) \(clockName(c.index, itf)) belongs to \(owner), not to \(itf.displayName)'s MAC (\(itf.device ?? "none")) or its PHYs",
                [EvidenceItem(.sysfs, "/sys/class/ptp/ptp\(c.index)/device -> \(owner)")])
        }
    }

    // readback-unavailable.
    mutating func readback(_ itf: InterfaceSnapshot) {
        guard let reason = itf.active.unavailable else { return }
        var meaning = reason.explanation
        if reason == .error, let m = itf.active.message { meaning += ": \(m)" }
        add(
            .readbackUnavailable, .info, itf.name,
            "\(meaning): tsctl cannot confirm which provider is active or its tx/rx setting, so those checks only compare what is advertised",
            [EvidenceItem(.active, "\(reason.rawValue)\(itf.active.errno.map { ", errno \($0)" } ?? "")")])
    }
}
