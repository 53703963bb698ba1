/// The one rule for which layer of an interface a PTP clock belongs to, used
/// for providers, the advertised and active provider, and the clock list alike.
public enum LayerAttribution {
    /// From sysfs alone: the PHY whose MDIO device owns the clock, the MAC whose
    /// device owns it, a clock on an MDIO bus (a PHY tsctl could not name), or
    /// what /sys/class/net/IF/{device,phydev} say; nil when none of them does.
    /// `sysfsLayers`: the layers /sys/class/net/IF attributes this clock to.
    public static func owner(of phc: PHC, device: String?, phys: [Phy], sysfsLayers: [Layer]) -> (layer: Layer, phyIndex: Int?)? {
        guard phc.present else { return nil }
        if let o = phc.owner, let phy = phys.first(where: { $0.name == o }) { return (.phy, phy.phyIndex) }
        if let o = phc.owner, o == device { return (.mac, nil) }
        if phc.ownerBus == "mdio_bus" || sysfsLayers.contains(.phy) { return (.phy, phys.first?.phyIndex) }
        if sysfsLayers.contains(.mac) { return (.mac, nil) }
        return nil
    }

    /// The kernel's HWTSTAMP_SOURCE (6.16+).
    public enum Source: Sendable { case netdev, phylib }

    /// What the kernel states about a TSINFO answer's clock (6.16+; nil: it states
    /// nothing). It gives a PHY index only for a PHY, yet a stacked device (vlan,
    /// macvlan, bond) over a device whose PHY timestamps is answered with source netdev
    /// *and* the PHY's index: its own get_ts_info overwrites the source the device below
    /// set (seen on 7.2 and 7.3). The index, and the clock's owner in sysfs, are right:
    /// that answer is the PHY's.
    public static func kernelSays(source: Source?, phyIndex: Int?) -> (layer: Layer, phyIndex: Int?)? {
        guard let source else { return nil }
        if source == .phylib || phyIndex != nil { return (.phy, phyIndex) }
        return (.mac, nil)
    }

    /// A provider's layer: the kernel's own HWTSTAMP_SOURCE when it says (6.16+),
    /// else the clock's owner in sysfs; a provider no rule places is the MAC's.
    public static func provider(
        kernelSays source: (layer: Layer, phyIndex: Int?)?, phc: PHC?, device: String?, phys: [Phy],
        sysfsLayers: [Layer]
    ) -> (layer: Layer, phyIndex: Int?) {
        if let source { return source }
        guard let phc else { return (.mac, nil) }
        return owner(of: phc, device: device, phys: phys, sysfsLayers: sysfsLayers) ?? (.mac, nil)
    }

    /// The provider that answered SIOCGHWTSTAMP, when the answer names none
    /// (the ioctl carries no PHC). The ioctl reaches the MAC driver (always up to
    /// 6.5; for a driver without ndo_hwtstamp_get/set until 7.0), which answers
    /// it itself or hands it to phylib, and before 6.19 no PHY driver can answer
    /// it (phylib has no hwtstamp read-back). So on such a kernel an answer is
    /// the MAC's: its driver keeps the configuration ioctls, and SIOCSHWTSTAMP
    /// configures the MAC, whatever TSINFO advertises (mvpp2 up to 6.15 over a
    /// Marvell PHY). nil when the kernel is 6.19 or later, the release cannot be
    /// read, or the interface has no MAC provider.
    /// `itf`'s provider that answered SIOCGHWTSTAMP, when its active
    /// configuration was read that way and names no clock; nil otherwise.
    public static func ioctlAnswerer(of itf: InterfaceSnapshot, release: String) -> Provider? {
        let act = itf.active
        guard act.readVia == .ioctl, act.isConfigured, act.phcIndex == nil else { return nil }
        return ioctlAnswerer(release: release, providers: itf.providers)
    }

    public static func ioctlAnswerer(release: String, providers: [Provider]) -> Provider? {
        guard let v = KernelRelease(release: release), v.series < (6, 19) else { return nil }
        let macs = providers.filter { $0.layer == .mac }
        return macs.first { $0.qualifier == .precise } ?? macs.first
    }
}
