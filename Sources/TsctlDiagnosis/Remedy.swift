import TsctlModel

extension Rules {

    /// `tsctl set` selecting `target` with a working tx/rx: switching providers
    /// zeroes the configuration, so the command always carries both.
    func setCommand(_ itf: InterfaceSnapshot, to target: Provider?, tx txWanted: TxType? = nil, rx rxWanted: RxFilter? = nil) -> String? {
        // Before 6.14 a provider cannot be selected: no command would work. Neither on
        // a driver that takes only SIOCSHWTSTAMP (tx/rx can still be set), nor on a
        // stacked device that this kernel must not be asked about.
        let legacy = kernel.features.tsconfig && itf.active.isConfigured && itf.active.readVia == .ioctl
        guard let target, itf.active.readFrom == nil,
            (kernel.features.tsconfig && !legacy) || target.active || (legacy && target.advertised)
        else { return nil }
        // A PHY the kernel gave no index is named by its clock.
        let source =
            target.layer == .phy && target.phyIndex == nil
            ? "phc:\(target.phcIndex)" : target.layer.providerLabel(phyIndex: target.phyIndex)
        var cmd = "tsctl set \(InterfaceName.shellWord(itf.name))"
        if !legacy { cmd += " --source \(source)" }
        if target.qualifier != .precise && !legacy { cmd += " --qualifier \(target.qualifier.name)" }
        let caps = target.capabilities
        let tx: TxType = txWanted ?? caps.map { $0.txTypes.contains("on") ? "on" : ($0.txTypes.first { $0 != "off" } ?? "off") } ?? "on"
        let currentRx = itf.active.rxFilter.flatMap { $0 == "none" ? nil : $0 }
        let rx: RxFilter
        if let rxWanted {
            rx = rxWanted
        } else if let caps {
            rx =
                currentRx.flatMap { caps.rxFilters.contains($0) ? $0 : nil }
                ?? (["ptpv2-event", "all", "some", "ptpv2-l2-event", "ptpv2-l4-event"] as [RxFilter]).first { caps.rxFilters.contains($0) }
                ?? caps.rxFilters.first { $0 != "none" } ?? "none"
        } else {
            rx = currentRx ?? "ptpv2-event"
        }
        return cmd + " --tx \(tx) --rx \(rx)"
    }
}

/// How findings name an active configuration.
enum ShowLabels {
    static func provider(_ a: ActiveConfig, _ itf: InterfaceSnapshot) -> String {
        guard let phc = a.phcIndex else { return "unknown provider" }
        let p = itf.providers.first { $0.phcIndex == phc && $0.qualifier == a.qualifier }
        return "\(p?.label ?? "PHC") ptp\(phc)"
    }

    static func config(_ a: ActiveConfig, _ itf: InterfaceSnapshot) -> String {
        var s = a.phcIndex != nil ? provider(a, itf) + ", " : ""
        s += "tx \(a.txType ?? "?"), rx \(a.rxFilter ?? "?")"
        if !a.flags.isEmpty { s += ", flags \(a.flags.joined(separator: ","))" }
        return s
    }
}
