import Testing

@testable import TsctlChange
@testable import TsctlModel
@testable import TsctlNetlink

@Suite struct PlannerTests {
    let features = Board.kernel().features

    func plan(_ itf: InterfaceSnapshot, _ d: Desired) -> Result<InterfacePlan, PlanError> {
        Planner.plan(itf, d, features: features)
    }

    @Test func switchingToTheMACIsOneRequestCarryingProviderTxAndRx() throws {
        let p = try plan(Board.macchiatobin(active: .phy), Desired(source: .mac, txType: "on", rxFilter: "all")).get()
        #expect(p.change == ConfigChange(provider: .init(phcIndex: 2, qualifier: .precise), txType: 1, rxFilter: 1))
        #expect(p.changeDescription.contains("one TSCONFIG_SET: provider {phc 2, precise}, tx on, rx all"))
    }

    /// phc:N of an approximate clock without --qualifier: the refusal names the option.
    @Test func anApproxClockByNumberSuggestsItsQualifier() throws {
        var itf = Board.igb(name: "eth0", phc: 1)
        itf.providers.append(
            Provider(
                layer: .mac, phcIndex: 3, qualifier: .approx, capabilities: Board.macCaps, reportedBy: .tsinfoDump,
                advertised: false, active: false))
        guard case .failure(let e) = plan(itf, Desired(source: .phc(3), txType: "on", rxFilter: "all")) else {
            Issue.record("phc:3 is approx only")
            return
        }
        #expect(e.message.contains("ptp3 is the approx mac provider: add --qualifier approx"))
        #expect((try? plan(itf, Desired(source: .phc(3), qualifier: .approx, txType: "on", rxFilter: "all")).get()) != nil)
    }

    @Test func switchingWithoutTxRxCarriesTheCurrentOnesOrRefuses() throws {
        // MAC active with rx all; the PHY offers only none/some: the user must say.
        if case .failure(let e) = plan(Board.macchiatobin(active: .mac), Desired(source: .phy(nil))) {
            #expect(
                e.kind == .notSupported
                    && e.message.contains(
                        "rx all (carried over from the current configuration; give --rx) is not supported by phy:1 ptp0 (it supports none, some)"
                    ))
        } else {
            Issue.record("rx all is not a PHY filter here")
        }
        // PHY active with rx some; the MAC lists "all", which covers it (its driver widens).
        let widen = try plan(Board.macchiatobin(active: .phy), Desired(source: .mac)).get()
        #expect(widen.change?.rxFilter?.name == "some")
        #expect(widen.notes.contains("mac does not list rx some; its driver may widen it to all"))
        let p = try plan(Board.macchiatobin(active: .phy, rx: "none"), Desired(source: .mac)).get()
        #expect(p.change == ConfigChange(provider: .init(phcIndex: 2, qualifier: .precise), txType: 1, rxFilter: 0))
        #expect(p.notes == ["tx on carried over", "rx none carried over"])
    }

    @Test func theStateAlreadyAskedForSendsNothing() throws {
        let p = try plan(Board.macchiatobin(), Desired(source: .mac, txType: "on", rxFilter: "all")).get()
        #expect(p.isNoOp, "re-selecting the active provider would reset it in the kernel")
        // A filter the driver already widened to counts as met.
        #expect(try plan(Board.macchiatobin(), Desired(rxFilter: "ptpv2-event")).get().isNoOp)
    }

    @Test func onlyWhatChangesIsSentWhenTheProviderStays() throws {
        let p = try plan(Board.macchiatobin(), Desired(txType: "off")).get()
        #expect(p.change == ConfigChange(txType: 0))
        #expect(try plan(Board.macchiatobin(), Desired(rxFilter: "none")).get().change == ConfigChange(rxFilter: 0))
    }

    @Test func unreadableConfigNeedsBothTxAndRx() throws {
        var itf = Board.macchiatobin()
        itf.active = .unavailable(.driverUnsupported, errno: 95)
        for i in itf.providers.indices { itf.providers[i].active = false }
        if case .failure(let e) = plan(itf, Desired(txType: "on")) {
            #expect(e.kind == .needsConfig && e.message.contains("give both --tx and --rx"))
        } else {
            Issue.record("the kernel would reset rx to none")
        }
        let p = try plan(itf, Desired(source: .mac, txType: "on", rxFilter: "all")).get()
        #expect(p.change?.provider != nil, "the active provider is unknown, so it is selected explicitly")
        #expect(p.notes.first?.contains("cannot be read") == true)
        #expect(p.notes.contains("its configuration cannot be read back, so if the change fails it cannot be rolled back"))
    }

    @Test func beforeLinux614OnlyTxRxThroughTheIoctl() throws {
        let old = KernelFeatures(tsinfo: true, phyGet: false, tsconfig: false, hwtstampSource: nil)
        var itf = Board.igb()
        itf.active = ActiveConfig(readVia: .ioctl, txType: "off", rxFilter: "none")
        itf.providers[0].active = false
        let p = try Planner.plan(itf, Desired(txType: "on", rxFilter: "all"), features: old).get()
        #expect(p.viaIoctl && p.change == ConfigChange(txType: 1, rxFilter: 1, flags: 0))
        // Already as asked: nothing is sent (a --keep loop would otherwise reset it forever).
        var on = itf
        on.active = ActiveConfig(readVia: .ioctl, txType: "on", rxFilter: "all")
        #expect(try Planner.plan(on, Desired(txType: "on", rxFilter: "all"), features: old).get().isNoOp)
        var mp = Board.macchiatobin(active: .phy)
        mp.active = ActiveConfig(readVia: .ioctl, txType: "off", rxFilter: "none")
        if case .failure(let e) = Planner.plan(mp, Desired(source: .mac, txType: "on", rxFilter: "all"), features: old) {
            #expect(e.kind == .notSupported && e.message.contains("has no TSCONFIG_SET (Linux 6.14 added it)"))
        } else {
            Issue.record("6.1 cannot select a provider")
        }
    }

    /// 6.1 with mvpp2 over a Marvell PHY (the MAC keeps SIOC[GS]HWTSTAMP): TSINFO
    /// advertises the PHY, yet the MAC driver answered SIOCGHWTSTAMP, which no
    /// PHY can before 6.19. set/apply judge the MAC as the layer configured, as
    /// probe proves: --source phy is refused instead of "nothing to change".
    @Test func onTheSplitThe61IoctlConfiguresTheMACThatAnswered() throws {
        let k61 = KernelInfo(
            release: "6.1.0-41-arm64", ethtoolNetlink: true,
            features: KernelFeatures(tsinfo: true, phyGet: false, tsconfig: false, hwtstampSource: nil))
        var mp = Board.macchiatobin(active: .phy)
        for i in mp.providers.indices { mp.providers[i].active = false }
        mp.active = ActiveConfig(readVia: .ioctl, txType: "on", rxFilter: "all")
        guard case .failure(let e) = Planner.plan(mp, Desired(source: .phy(nil), txType: "on", rxFilter: "ptpv2-event"), kernel: k61)
        else {
            Issue.record("--source phy must not be a no-op: the MAC takes the ioctl")
            return
        }
        #expect(e.kind == .notSupported && e.message.contains("SIOCSHWTSTAMP configures the MAC"))
        #expect(e.message.contains("give --source mac"))
        // The PHY's clock named by number: the same answer.
        guard case .failure = Planner.plan(mp, Desired(source: .phc(0), txType: "on", rxFilter: "ptpv2-event"), kernel: k61) else {
            Issue.record("--source phc:0 (the PHY's clock) must be refused too")
            return
        }
        // The MAC, which is what the ioctl configures: already on, and said so with its clock.
        let same = try Planner.plan(mp, Desired(source: .mac, txType: "on", rxFilter: "ptpv2-event"), kernel: k61).get()
        #expect(same.isNoOp && same.current.provider?.layer == .mac)
        #expect(same.changeDescription.contains("mac ptp2"))
        let off = try Planner.plan(mp, Desired(source: .mac, txType: "off", rxFilter: "none"), kernel: k61).get()
        #expect(off.viaIoctl && off.change == ConfigChange(txType: 0, rxFilter: 0, flags: 0))
        // Without --source, tx/rx go to the MAC as before.
        #expect(try Planner.plan(mp, Desired(txType: "on", rxFilter: "all"), kernel: k61).get().isNoOp)

        // When SIOCGHWTSTAMP is refused, the MAC driver handed it to phylib: the PHY
        // takes the ioctl, and naming it is fine.
        var fwd = mp
        fwd.active = .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported", via: .ioctl)
        #expect((try? Planner.plan(fwd, Desired(source: .phy(nil), txType: "on", rxFilter: "some"), kernel: k61).get()) != nil)
        // From 6.19 a PHY answers SIOCGHWTSTAMP too: an answer no longer says whose it is.
        var k619 = k61
        k619.release = "6.19.3"
        guard case .failure(let late) = Planner.plan(mp, Desired(source: .mac, txType: "on", rxFilter: "all"), kernel: k619) else {
            Issue.record("an unselectable MAC stays refused when the answer cannot be placed")
            return
        }
        #expect(late.message.contains("has no TSCONFIG_SET"))
    }

    @Test func aFileIsValidatedWholeAndConflictsAreRefused() throws {
        let state = try DesiredState.parse(
            """
            [[interface]]
            name = "eth*"
            tx = "on"
            rx = "all"

            [[interface]]
            name = "eth2"
            source = "phy:2"

            [[interface]]
            name = "eth5"
            tx = "on"
            """, file: "b.toml")
        let (plans, errors) = Planner.plan(state, Board.snapshot(Board.macchiatobin(), Board.igb()))
        // eth2 has two entries: it is not planned at all.
        #expect(plans.map(\.interface) == ["eth0"])
        #expect(
            errors.map(\.message) == [
                "b.toml:10: no interface eth5",
                "eth2 is matched by b.toml:1 (name \"eth*\") and b.toml:6 (name \"eth2\"); one entry per interface: make the names, globs or drivers exclusive"
            ])
    }

    @Test func rxCoverage() {
        #expect(rxCovers("all", "ptpv2-event"))
        #expect(rxCovers("ptpv2-event", "ptpv2-l2-sync"))
        #expect(rxCovers("ptpv2-l2-event", "ptpv2-l2-delay-req"))
        #expect(!rxCovers("ptpv2-l2-event", "ptpv2-l4-sync"))
        #expect(!rxCovers("some", "all"))
        #expect(!rxCovers("none", "ptpv2-event"))
        #expect(!rxCovers("all", "none"), "turning receive stamping off is a change")
        #expect(rxCovers("none", "none"))
        #expect(!rxCovers(nil, "none"))
    }

    /// A newer kernel may report a tx type or rx filter tsctl's table lacks:
    /// it is kept as it is, never sent as index 0 (off, none), and a change
    /// that could not be rolled back to it is refused.
    @Test func namesTheTableDoesNotKnowAreRefusedNeverTurnedIntoZero() throws {
        let future = Board.macchiatobin(rx: "ptpv3-future")
        guard case .failure(let e) = plan(future, Desired(txType: "off")) else {
            Issue.record("a change whose rollback would set rx none must be refused"); return
        }
        #expect(e.kind == .notSupported)
        #expect(e.message.hasPrefix("eth2: its current rx filter \"ptpv3-future\" (tsctl knows none, all, "))
        #expect(e.message.hasSuffix("could not be restored if the change failed: tsctl does not know its number; nothing was changed"))
        // Switching carries the current tx over: a name the kernel lists for the
        // new provider but tsctl cannot number cannot be sent either.
        var itf = Board.macchiatobin(active: .phy, tx: "onestep-future")
        for i in itf.providers.indices { itf.providers[i].capabilities?.txTypes.append("onestep-future") }
        guard case .failure(let s) = plan(itf, Desired(source: .mac)) else {
            Issue.record("an unknown tx type must not be sent"); return
        }
        #expect(s.message.contains("tx type \"onestep-future\""))
        #expect(s.message.contains("cannot be sent"))
    }
}
