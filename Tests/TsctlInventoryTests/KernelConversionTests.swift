import Testing

@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlNetlink
@testable import TsctlSystem

/// What the kernel-facing target makes of the kernel's answers: replies and
/// errors into model values, model changes into request values.
@Suite struct KernelConversionTests {
    let EOPNOTSUPP: Int32 = 95, ENODEV: Int32 = 19, EPERM: Int32 = 1, EINVAL: Int32 = 22, ERANGE: Int32 = 34

    @Test func aTsconfigReplyKeepsTheKernelsNames() {
        let r = TsconfigReply(
            device: DeviceRef(ifindex: 2, name: "eth0"), provider: ProviderID(phcIndex: 0, qualifier: 1),
            txType: BitList(size: 4, indices: [1], names: ["on"]),
            rxFilter: BitList(size: 17, indices: [16], names: ["ptpv2-new-filter"]),
            flags: BitList(size: 1, indices: [], names: []))
        let a = Inventory.activeConfig(r)
        #expect(a.readVia == .tsconfig && a.phcIndex == 0 && a.qualifier == .approx)
        #expect(a.txType == "on" && a.rxFilter == "ptpv2-new-filter", "a name tsctl does not know is kept as the kernel spelt it")
        #expect(a.flags.isEmpty && a.isConfigured)
    }

    @Test func readErrorsMeanWhatTheTableSays() {
        func reason(_ e: NetlinkError, layer: Layer? = .mac) -> UnavailableReason? {
            Inventory.unavailable(e, advertisedLayer: layer, via: .tsconfig).unavailable
        }
        let k = { (errno: Int32) in NetlinkError.kernel(KernelError(errno: errno, request: "TSCONFIG_GET eth0")) }
        #expect(reason(k(EOPNOTSUPP)) == .driverUnsupported)
        #expect(reason(k(EOPNOTSUPP), layer: .phy) == .phyReadbackUnsupported)
        #expect(reason(k(ERANGE)) == .driverUnsupported)
        #expect(reason(k(ENODEV)) == .noPHC)
        #expect(reason(k(EPERM)) == .permission)
        #expect(reason(k(EINVAL)) == .error)
        #expect(reason(.opMissing(family: "ethtool", op: "TSCONFIG_GET", since: "6.14")) == .kernelTooOld)
        let withExtack = Inventory.unavailable(
            .kernel(KernelError(errno: EINVAL, request: "x", message: "bad header")),
            advertisedLayer: nil, via: .tsconfig)
        #expect(withExtack.message == "bad header" && withExtack.errno == 22)
    }

    @Test func theIoctlsNumbersBecomeNamesAndUnknownOnesStayNumbers() {
        let a = Inventory.activeConfig(ioctl: HwtstampIoctl.Config(flags: 1, txType: 1, rxFilter: 12))
        #expect(a.readVia == .ioctl && a.txType == "on" && a.rxFilter == "ptpv2-event" && a.flags == ["bonded-phc-index"])
        let b = Inventory.activeConfig(ioctl: HwtstampIoctl.Config(flags: 4, txType: 9, rxFilter: -1))
        #expect(b.txType == "value-9" && b.rxFilter == "value--1" && b.flags == ["bit-2"])
    }

    @Test func aChangeBecomesTheRequestsNumbers() {
        let c = ConfigChange(
            provider: .init(phcIndex: 3, qualifier: .approx), txType: TxType(name: "on")?.numbered,
            rxFilter: RxFilter(name: "ptpv2-l2-event")?.numbered, flags: HwtstampFlags([HwtstampFlag(name: "bonded-phc-index")!]))
        #expect(
            KernelSession.tsconfigChange(c)
                == TsconfigChange(
                    provider: ProviderID(phcIndex: 3, qualifier: 1), txType: 1,
                    rxFilter: 9, flags: 1))
        #expect(KernelSession.tsconfigChange(ConfigChange(txType: 0)) == TsconfigChange(txType: 0))
        #expect(KernelSession.ioctlConfig(c) == HwtstampIoctl.Config(flags: 1, txType: 1, rxFilter: 9))
    }

    @Test func errorsReachTheCommandsWithTheirMeaning() {
        #expect(InventoryError.invalidInterfaceName("a b", reason: "space").failure.kind == .usage)
        #expect(
            InventoryError.noSuchInterface("eth7").failure
                == KernelFailure(kind: .noSuchDevice, message: "no such interface: eth7 (`ip link` lists this namespace's interfaces)"))
        #expect(InventoryError.netlink(.familyMissing("ethtool")).failure.kind == .notSupported)
        #expect(InventoryError.system(SystemError("ioctl(SIOCGHWTSTAMP)", EPERM)).failure.kind == .permission)
        #expect(SystemError("ioctl(SIOCSHWTSTAMP)", ERANGE).failure.kind == .notSupported)
    }

    @Test func statisticsErrorsSayWhy() {
        let old = Inventory.tsStats(
            .failure(.kernel(KernelError(errno: EINVAL, request: "TSINFO_GET eth0"))), tsconfig: false, phyGet: false)
        #expect(old.state == .unavailable && old.message?.hasPrefix("this kernel has no timestamping statistics") == true)
        let read = Inventory.tsStats(
            .success(TsStatsReply(device: DeviceRef(ifindex: 2, name: "eth0"), txPkts: 5, txLost: 1)),
            tsconfig: true, phyGet: true)
        #expect(read.state == .read && read.txPkts == 5 && read.txLost == 1)
    }
}
