import TsctlModel

extension Rules {
    // MARK: kernel-no-provider-selection, kernel-phy-first-reporting: the kernel's limits

    mutating func kernelWide() {
        guard anyHardware else { return }
        if !kernel.features.tsconfig {
            add(
                .kernelNoProviderSelection, .info, nil,
                "this kernel cannot select the timestamp provider or list every provider (TSCONFIG needs Linux 6.14); "
                    + "tsctl lists the providers it finds in sysfs without their capabilities",
                [EvidenceItem(.kernel, "release \(kernel.release); the ethtool netlink family has no TSCONFIG_GET/SET")])
        }
        if before611 {
            add(
                .kernelPHYFirstReporting, .info, nil,
                "before Linux 6.11 the kernel reports a timestamping PHY first while SIOCSHWTSTAMP reaches the MAC driver first; "
                    + "what ethtool -T and ptp4l see may not be the layer that stamps packets",
                [EvidenceItem(.kernel, "release \(kernel.release)")])
        }
    }
}
