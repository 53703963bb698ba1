import Testing

@testable import TsctlModel

/// One rule places a clock on a layer, for providers and the clock list alike.
@Suite struct LayerAttributionTests {
    let phy = Phy(phyIndex: 1, driver: "Marvell 88E1510", name: "f212a600.mdio-mii:00", upstream: .mac)
    let macClock = PHC(index: 2, owner: "f2000000.ethernet", ownerBus: "platform", present: true)
    let phyClock = PHC(index: 0, owner: "f212a600.mdio-mii:00", ownerBus: "mdio_bus", present: true)

    func owner(_ c: PHC, phys: [Phy]? = nil, sysfs: [Layer] = []) -> Layer? {
        LayerAttribution.owner(of: c, device: "f2000000.ethernet", phys: phys ?? [phy], sysfsLayers: sysfs)?.layer
    }

    @Test func theOwnerDeviceDecides() {
        #expect(owner(macClock) == .mac)
        #expect(LayerAttribution.owner(of: phyClock, device: "f2000000.ethernet", phys: [phy], sysfsLayers: [])! == (.phy, 1))
    }

    @Test func aClockOnAnMDIOBusIsAPHYsEvenUnnamed() {
        // PHY_GET is missing (before 6.12): the bus still says PHY.
        #expect(owner(phyClock, phys: []) == .phy)
    }

    @Test func sysfsLinksDecideWhenTheOwnerIsElsewhere() {
        let other = PHC(index: 5, owner: "0000:03:00.0", ownerBus: "pci", present: true)
        #expect(owner(other) == nil)
        #expect(owner(other, sysfs: [.mac]) == .mac)
        #expect(owner(other, sysfs: [.phy]) == .phy)
    }

    @Test func aDanglingIndexHasNoLayer() {
        #expect(owner(PHC(index: 9, present: false), sysfs: [.mac]) == nil)
    }

    @Test func theKernelsSourceWinsAndAnUnplacedProviderIsTheMACs() {
        let kernel = LayerAttribution.provider(
            kernelSays: (.phy, 3), phc: macClock, device: "f2000000.ethernet", phys: [phy], sysfsLayers: [])
        #expect(kernel == (.phy, 3))
        let sysfs = LayerAttribution.provider(kernelSays: nil, phc: phyClock, device: "f2000000.ethernet", phys: [phy], sysfsLayers: [])
        #expect(sysfs == (.phy, 1))
        let none = LayerAttribution.provider(kernelSays: nil, phc: nil, device: nil, phys: [], sysfsLayers: [])
        #expect(none == (.mac, nil))
        let dangling = LayerAttribution.provider(
            kernelSays: nil, phc: PHC(index: 9, present: false), device: nil, phys: [],
            sysfsLayers: [])
        #expect(dangling == (.mac, nil))
    }

    /// The values the test bed's guests answered (stacked-over-phy): the test module's
    /// MAC clock is owned by its platform device, its PHY clock by the PHY on its MDIO bus.
    @Test func aStackedDeviceOverATimestampingPHYIsThePHY() {
        let testPhy = Phy(phyIndex: 1, driver: "tsctl_testdev PHY", name: "tsctl-mdio-0:01", upstream: .mac)
        let testPhyClock = PHC(index: 1, owner: "tsctl-mdio-0:01", ownerBus: "mdio_bus", present: true)
        // eth0 with its PHY provider selected (6.16+): source phylib, PHY index 1; with its MAC: netdev.
        #expect(LayerAttribution.kernelSays(source: .phylib, phyIndex: 1)! == (.phy, 1))
        #expect(LayerAttribution.kernelSays(source: .netdev, phyIndex: nil)! == (.mac, nil))
        // 7.2 and 7.3, a vlan or macvlan on eth0 whose PHY provider is active: source
        // netdev *and* PHY index 1; the PHY's clock stamps its frames.
        #expect(LayerAttribution.kernelSays(source: .netdev, phyIndex: 1)! == (.phy, 1))
        // Before 6.16 the kernel states nothing.
        #expect(LayerAttribution.kernelSays(source: nil, phyIndex: nil) == nil)
        // 6.12 (PHY_GET, no source): the vlan has no PHY of its own; the PHY of the device
        // below owns the clock and gives its index.
        let vlan = LayerAttribution.provider(kernelSays: nil, phc: testPhyClock, device: nil, phys: [testPhy], sysfsLayers: [])
        #expect(vlan == (.phy, 1))
        // 6.1 and 5.10 (no PHY_GET): an MDIO device owns the clock; no index to give.
        let old = LayerAttribution.provider(kernelSays: nil, phc: testPhyClock, device: nil, phys: [], sysfsLayers: [])
        #expect(old == (.phy, nil))
    }
}
