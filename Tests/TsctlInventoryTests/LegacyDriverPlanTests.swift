import Testing

@testable import TsctlChange
@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlNetlink
@testable import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// igb on 6.16: TSCONFIG answers EOPNOTSUPP, SIOCGHWTSTAMP/SIOCSHWTSTAMP work. The
/// inventory shows it read through the ioctl; the planner sets it the same way.
enum Legacy {
    static let features = Board.kernel("6.16.12+deb13-amd64").features
    static let igbCaps = Capabilities(
        timestamping: Board.macCaps.timestamping, txTypes: ["off", "on"],
        rxFilters: ["none", "ptpv1-l4-sync", "ptpv1-l4-delay-req", "ptpv2-event"])

    static func igb(tx: TxType = "off", rx: RxFilter = "none") -> InterfaceSnapshot {
        var itf = Board.igb(name: "eth0", phc: 0)
        itf.advertised?.capabilities = igbCaps
        itf.providers[0].capabilities = igbCaps
        itf.providers[0].active = false  // SIOCGHWTSTAMP does not name it
        itf.active = ActiveConfig(readVia: .ioctl, txType: tx, rxFilter: rx)
        return itf
    }

    static func vlan(tx: TxType = "off", rx: RxFilter = "none") -> InterfaceSnapshot {
        var itf = igb(tx: tx, rx: rx)
        itf.name = "eth0.7"
        itf.kind = "vlan"
        itf.lower = "eth0"
        itf.active.readFrom = "eth0"
        return itf
    }
}

@Suite struct LegacyDriverPlanTests {
    func plan(_ itf: InterfaceSnapshot, _ d: Desired) -> Result<InterfacePlan, PlanError> {
        Planner.plan(itf, d, features: Legacy.features)
    }

    @Test func txRxGoThroughSIOCSHWTSTAMPWithBothValues() throws {
        let p = try plan(Legacy.igb(), Desired(txType: "on", rxFilter: "ptpv2-event")).get()
        #expect(p.viaIoctl)
        #expect(p.currentKnown)
        #expect(p.change == ConfigChange(txType: 1, rxFilter: 12, flags: 0))
        #expect(p.changeDescription.contains("one SIOCSHWTSTAMP: tx on, rx ptpv2-event"))
        // Only tx given: the ioctl carries all three, rx from what was read.
        let tx = try plan(Legacy.igb(rx: "ptpv2-event"), Desired(txType: "on")).get()
        #expect(tx.change == ConfigChange(txType: 1, rxFilter: 12, flags: 0))
        #expect(try plan(Legacy.igb(tx: "on", rx: "ptpv2-event"), Desired(txType: "on", rxFilter: "ptpv2-event")).get().isNoOp)
    }

    @Test func aProviderChoiceIsRefusedWithTheReason() {
        guard case .failure(let e) = plan(Legacy.igb(), Desired(source: .mac, txType: "on", rxFilter: "ptpv2-event")) else {
            Issue.record("a driver without TSCONFIG cannot have its provider chosen")
            return
        }
        #expect(e.kind == .notSupported)
        #expect(
            e.message
                == "eth0: its driver (igb) does not take TSCONFIG on this kernel, only the legacy SIOCSHWTSTAMP, so the timestamp provider cannot be chosen (mac ptp0 asked); leave out --source and --qualifier to set tx/rx"
        )
    }

    @Test func aDriverReadThroughTSCONFIGStaysOnTSCONFIG() throws {
        let p = try plan(Board.igb(), Desired(txType: "off", rxFilter: "none")).get()
        #expect(!p.viaIoctl)
    }

    @Test func aStackedDeviceReadThroughItsLowerIsNeverChanged() throws {
        guard case .failure(let e) = plan(Legacy.vlan(), Desired(txType: "on", rxFilter: "ptpv2-event")) else {
            Issue.record("a change to a stacked device on an affected kernel must not be sent")
            return
        }
        #expect(e.kind == .notSupported)
        #expect(
            e.message.contains(
                "eth0.7 is a vlan on eth0: on this kernel a timestamping request to a stacked device can crash it (CVE-2025-40255)"))
        #expect(e.message.hasSuffix("configure eth0 instead"))
        // Already as asked: nothing would be sent, so nothing to refuse (apply with a glob).
        #expect(try plan(Legacy.vlan(), Desired(txType: "off", rxFilter: "none")).get().isNoOp)
        var unknown = Legacy.vlan()
        unknown.active = .unavailable(.stackedLowerUnknown, message: "eth0.7's lower device cannot be found")
        #expect((try? plan(unknown, Desired(txType: "on", rxFilter: "ptpv2-event")).get()) == nil)
    }
}

/// The ioctl transaction against a fake kernel: set, read back, verify, roll back.
@Suite struct LegacyApplyTests {
    /// One igb port whose driver keeps what it is given, or refuses some filters.
    final class FakeIgb: KernelWriter {
        var config = HwtstampIoctl.Config(flags: 0, txType: 0, rxFilter: 0)
        var refuse: Set<Int32> = []
        /// A driver that ignores rx (returns success and keeps the old filter).
        var ignoreRx = false
        var writes: [HwtstampIoctl.Config] = []
        var gone = false

        /// The bytes the kernel-facing side would give SIOCSHWTSTAMP.
        func send(_ change: ConfigChange, to interface: InterfaceRef, via request: ChangeRequest) -> Result<ActiveConfig?, KernelFailure> {
            #expect(request == .ioctl)
            let c = KernelSession.ioctlConfig(change)
            writes.append(c)
            if refuse.contains(c.rxFilter) { return .failure(SystemError("ioctl(SIOCSHWTSTAMP)", ERANGE).failure) }
            config = HwtstampIoctl.Config(flags: c.flags, txType: c.txType, rxFilter: ignoreRx ? config.rxFilter : c.rxFilter)
            return .success(nil)
        }

        func reread(_ interface: InterfaceRef) -> Result<InterfaceSnapshot, KernelFailure> {
            read(interface.name).map { .success($0) } ?? .failure(KernelFailure(kind: .noSuchDevice, errno: ENODEV, message: "no device"))
        }

        func read(_ name: String) -> InterfaceSnapshot? {
            if gone { return nil }
            return Legacy.igb(tx: TxType(index: UInt32(config.txType)), rx: RxFilter(index: UInt32(config.rxFilter)))
        }

        var applier: Applier { Applier(kernel: self) }
    }

    func plan(_ d: Desired, from igb: FakeIgb) throws -> InterfacePlan {
        try Planner.plan(igb.read("eth0")!, d, features: Legacy.features).get()
    }

    @Test func setIsVerifiedByReadingBack() throws {
        let igb = FakeIgb()
        let p = try plan(Desired(txType: "on", rxFilter: "ptpv2-event"), from: igb)
        let o = try igb.applier.apply(p).get()
        #expect(o.state == .applied)
        #expect(o.message == "through SIOCSHWTSTAMP, verified by read back (SIOCGHWTSTAMP)")
        #expect(o.final == "tx on, rx ptpv2-event")
        #expect(igb.writes == [HwtstampIoctl.Config(flags: 0, txType: 1, rxFilter: 12)])
    }

    @Test func aReadBackMismatchFailsAndTheRollbackRestoresThePrevious() throws {
        let igb = FakeIgb()
        igb.config = HwtstampIoctl.Config(flags: 0, txType: 1, rxFilter: 4)  // on, ptpv1-l4-sync
        igb.ignoreRx = true
        let p = try plan(Desired(txType: "off", rxFilter: "ptpv2-event"), from: igb)
        guard case .failure(let f) = igb.applier.apply(p) else {
            Issue.record("the driver kept rx ptpv1-l4-sync: verification must fail")
            return
        }
        #expect(f == .verification("eth0: after the change (read back) rx is ptpv1-l4-sync, not ptpv2-event"))
        let back = try igb.applier.rollback(p).get()
        #expect(back.state == .rolledBack)
        #expect(igb.writes.last == HwtstampIoctl.Config(flags: 0, txType: 1, rxFilter: 4), "the previous tx/rx, through the ioctl")
        #expect(igb.config.txType == 1)
    }

    @Test func aRefusalIsNotSupportedAndChangesNothing() throws {
        let igb = FakeIgb()
        igb.refuse = [12]
        let p = try plan(Desired(txType: "on", rxFilter: "ptpv2-event"), from: igb)
        guard case .failure(let f) = igb.applier.apply(p) else {
            Issue.record("ERANGE from the driver is a failure")
            return
        }
        #expect(f.kind == .notSupported)
        #expect(!igb.applier.changed(since: p))
        #expect(igb.config == HwtstampIoctl.Config(flags: 0, txType: 0, rxFilter: 0))
    }

    @Test func anInterfaceThatVanishesCannotBeVerified() throws {
        let igb = FakeIgb()
        let p = try plan(Desired(txType: "on", rxFilter: "ptpv2-event"), from: igb)
        igb.gone = true
        #expect(igb.applier.apply(p) == .failure(.verification("eth0 disappeared while it was being configured")))
    }

    @Test func aPreviousConfigThatWasNeverReadIsNotRestored() throws {
        let igb = FakeIgb()
        var itf = igb.read("eth0")!
        itf.active = .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported", via: .tsconfig)
        // Unreadable: TSCONFIG is the path, and a rollback has nothing to go back to.
        let p = try Planner.plan(itf, Desired(txType: "on", rxFilter: "ptpv2-event"), features: Legacy.features).get()
        #expect(!p.viaIoctl)
        #expect(
            igb.applier.rollback(p)
                == .failure(.verification("eth0: its previous configuration was never readable, so it cannot be restored")))
    }
}
