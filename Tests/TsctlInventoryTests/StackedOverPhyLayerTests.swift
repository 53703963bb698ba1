import Testing

@testable import TsctlInventory
@testable import TsctlNetlink

/// Which layer a TSINFO answer names. The values are those the test bed's guests
/// answered (stacked-over-phy): the test module's MAC PHC is owned by its platform
/// device, the PHY PHC by the PHY on its MDIO bus.
@Suite struct StackedOverPhyLayerTests {
    let phy = Phy(phyIndex: 1, driver: "tsctl_testdev PHY", name: "tsctl-mdio-0:01", upstream: .mac)

    func attribute(
        source: UInt32?, phyIndex: Int?, owner: String, bus: String, phys: [Phy] = [],
        ownedByPhy: Bool = false
    ) -> (Layer, Int?) {
        Inventory.attributeLayer(
            source: source, phyIndex: phyIndex, owner: owner, ownerBus: bus, phys: phys,
            ownedByPhy: ownedByPhy)
    }

    @Test func theKernelsSourceDecides() {
        // eth0 with its PHY provider selected (6.16+): source phylib, PHY index 1.
        let p = attribute(source: Ethtool.SOURCE_PHYLIB, phyIndex: 1, owner: "tsctl-mdio-0:01", bus: "mdio_bus")
        #expect(p.0 == .phy && p.1 == 1)
        // eth0 with its MAC provider: source netdev, no PHY index.
        let m = attribute(source: Ethtool.SOURCE_NETDEV, phyIndex: nil, owner: "tsctl_testdev.0", bus: "platform")
        #expect(m.0 == .mac && m.1 == nil)
    }

    @Test func aStackedDeviceOverAnActivePHYIsThePHY() {
        // 7.2, a vlan or macvlan on eth0 whose PHY provider is active: source netdev
        // *and* PHY index 1. The PHY stamps its frames (tstool and tsctl probe agree).
        let s = attribute(source: Ethtool.SOURCE_NETDEV, phyIndex: 1, owner: "tsctl-mdio-0:01", bus: "mdio_bus")
        #expect(s.0 == .phy)
        #expect(s.1 == 1, "the PHY index is kept")
        // Back on the MAC, the same stacked device is the MAC again.
        let back = attribute(source: Ethtool.SOURCE_NETDEV, phyIndex: nil, owner: "tsctl_testdev.0", bus: "platform")
        #expect(back.0 == .mac && back.1 == nil)
    }

    @Test func withoutASourceTheClocksOwnerDecides() {
        // 6.12 (PHY_GET, no source): a vlan on eth0 has no PHY of its own; the PHY of
        // the device below owns the clock and gives its index.
        let vlan = attribute(source: nil, phyIndex: nil, owner: "tsctl-mdio-0:01", bus: "mdio_bus", phys: [phy])
        #expect(vlan.0 == .phy && vlan.1 == 1)
        // 6.1/5.10 (no PHY_GET): an MDIO device owns the clock; no index to give.
        let old = attribute(source: nil, phyIndex: nil, owner: "tsctl-mdio-0:01", bus: "mdio_bus")
        #expect(old.0 == .phy && old.1 == nil)
        // The interface's attached PHY owns it (sysfs phydev), whatever its bus is called.
        let attached = attribute(source: nil, phyIndex: nil, owner: "x", bus: "other", ownedByPhy: true)
        #expect(attached.0 == .phy)
        // The MAC's own device.
        let mac = attribute(source: nil, phyIndex: nil, owner: "tsctl_testdev.0", bus: "platform", phys: [phy])
        #expect(mac.0 == .mac && mac.1 == nil)
    }
}
