import TsctlModel

extension Rules {
    // stacked-device: judged by the device below
    mutating func stacked(_ itf: InterfaceSnapshot) {
        if let lower = itf.lower {
            let l = input.snapshot.interfaces.first { sameName($0.name, lower) }
            // What the kernel answered for the stacked device itself names the layer that
            // stamps its frames (a PHY below included); else what the device below advertises.
            let a = itf.advertised?.phcIndex != nil ? itf.advertised : l?.advertised
            let adv = describe(a?.phcIndex, a?.layer, a?.phyIndex, itf)
            add(
                .stackedDevice, .info, itf.name,
                "\(itf.displayName) is a \(itf.kind ?? "stacked device") on \(InterfaceName.display(lower)): its hardware timestamps come from \(InterfaceName.display(lower)) (\(adv)); check \(InterfaceName.display(lower))",
                [EvidenceItem(.sysfs, "IFLA_LINK of \(itf.displayName) is \(InterfaceName.display(lower))")],
                remedy: l == nil ? "tsctl check \(InterfaceName.shellWord(lower))" : nil)
        }
        if itf.kind == "bond" {
            let slave = itf.bondActiveSlave
            add(
                .stackedDevice, .info, itf.name,
                slave.map {
                    "bond \(itf.displayName) reports its active slave \(InterfaceName.display($0))'s clock; after a failover the PHC changes (ptp4l follows with bonded-phc-index)"
                }
                    ?? "bond \(itf.displayName) has no active slave, so it has no hardware clock to report",
                [
                    EvidenceItem(.sysfs, "active slave: \(slave.map(InterfaceName.display) ?? "none")"),
                    EvidenceItem(.advertised, "PHC \(itf.advertised?.phcIndex.map { "ptp\($0)" } ?? "none")")
                ])
        }
    }
}
