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
}
