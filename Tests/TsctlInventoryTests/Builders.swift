import TsctlChange

@testable import TsctlModel

/// Snapshot values for rule tests: what the inventory builds from a kernel,
/// written out (the client tests cover the bytes; these cover the logic).
enum Board {
    static let macCaps = Capabilities(
        timestamping: [
            "hardware-transmit", "software-transmit", "hardware-receive", "software-receive",
            "software-system-clock", "hardware-raw-clock"
        ],
        txTypes: ["off", "on"], rxFilters: ["none", "all"])
    static let phyCaps = Capabilities(timestamping: macCaps.timestamping, txTypes: ["off", "on"], rxFilters: ["none", "some"])

    static func kernel(_ release: String = "7.2.13+deb14-amd64", tsconfig: Bool = true) -> KernelInfo {
        KernelInfo(
            release: release, ethtoolNetlink: true,
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: tsconfig, hwtstampSource: true))
    }

    /// A MACCHIATObin-like port: mvpp2 MAC (ptp2) and a Marvell 88E1510 PHY (ptp0).
    static func macchiatobin(active: Layer = .mac, tx: TxType = "on", rx: RxFilter? = nil) -> InterfaceSnapshot {
        let macActive = active == .mac
        var itf = InterfaceSnapshot(
            name: "eth2", ifindex: 4, driver: "mvpp2",
            advertised: Advertised(
                phcIndex: macActive ? 2 : 0, qualifier: .precise, layer: active,
                phyIndex: macActive ? nil : 1, capabilities: macActive ? macCaps : phyCaps),
            providers: [
                Provider(
                    layer: .mac, phcIndex: 2, qualifier: .precise, capabilities: macCaps, reportedBy: .tsinfoDump,
                    advertised: macActive, active: macActive),
                Provider(
                    layer: .phy, phcIndex: 0, qualifier: .precise, phyIndex: 1, capabilities: phyCaps,
                    reportedBy: .tsinfoDump, advertised: !macActive, active: !macActive)
            ],
            phys: [Phy(phyIndex: 1, driver: "Marvell 88E1510", name: "f212a600.mdio-mii:00", upstream: .mac)],
            phcs: [
                PHC(index: 2, clockName: "Marvell PP2.2", owner: "f2000000.ethernet", ownerBus: "platform", present: true, layer: .mac),
                PHC(
                    index: 0, clockName: "Marvell 88E151x PTP", owner: "f212a600.mdio-mii:00", ownerBus: "mdio_bus", present: true,
                    layer: .phy)
            ],
            active: ActiveConfig(
                readVia: .tsconfig, phcIndex: macActive ? 2 : 0, qualifier: .precise, layer: active,
                phyIndex: macActive ? nil : 1, txType: tx, rxFilter: rx ?? (macActive ? "all" : "some")))
        itf.device = "f2000000.ethernet"
        return itf
    }

    /// A plain igb port: one precise MAC clock, active.
    static func igb(name: String = "eth0", phc: Int = 1) -> InterfaceSnapshot {
        var itf = InterfaceSnapshot(
            name: name, ifindex: 2, driver: "igb",
            advertised: Advertised(phcIndex: phc, qualifier: .precise, layer: .mac, capabilities: macCaps),
            providers: [
                Provider(
                    layer: .mac, phcIndex: phc, qualifier: .precise, capabilities: macCaps,
                    reportedBy: .tsinfoDump, advertised: true, active: true)
            ],
            phcs: [PHC(index: phc, clockName: "igb", owner: "0000:00:02.0", ownerBus: "pci", present: true, layer: .mac)],
            active: ActiveConfig(readVia: .tsconfig, phcIndex: phc, qualifier: .precise, layer: .mac, txType: "on", rxFilter: "all"))
        itf.device = "0000:00:02.0"
        return itf
    }

    static func virtio(name: String = "eth9") -> InterfaceSnapshot {
        InterfaceSnapshot(
            name: name, ifindex: 9, driver: "virtio_net",
            advertised: Advertised(
                capabilities: Capabilities(timestamping: ["software-transmit", "software-receive", "software-system-clock"])),
            active: .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported", via: .tsconfig))
    }

    static func snapshot(_ itfs: InterfaceSnapshot..., kernel: KernelInfo = kernel()) -> Snapshot {
        Snapshot(kernel: kernel, interfaces: itfs)
    }
}

extension Planner {
    /// A kernel whose release says nothing (no ioctl inference): the tests that
    /// are about features alone.
    static func plan(_ itf: InterfaceSnapshot, _ d: Desired, features: KernelFeatures) -> Result<InterfacePlan, PlanError> {
        plan(itf, d, kernel: KernelInfo(release: "unknown", ethtoolNetlink: true, features: features))
    }
}
