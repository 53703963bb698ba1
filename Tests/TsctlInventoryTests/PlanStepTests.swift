import Testing

@testable import TsctlChange
@testable import TsctlModel

/// Each step of the planner on its own: what it decides, and the refusal a user
/// reads when it cannot (PlannerTests drive the whole pipeline).
@Suite struct PlanStepTests {
    static let k72 = Board.kernel()
    static let k61 = Board.kernel("6.1.0-41-arm64", tsconfig: false)

    func input(_ itf: InterfaceSnapshot, _ d: Desired, _ k: KernelInfo = k72) -> PlanInput { PlanInput(itf, d, kernel: k) }

    func refusal<T>(_ step: () throws(PlanError) -> T) -> PlanError? {
        do {
            _ = try step()
            return nil
        } catch {
            return error
        }
    }

    func unreadable(_ itf: InterfaceSnapshot) -> InterfaceSnapshot {
        var itf = itf
        itf.active = .unavailable(.driverUnsupported, errno: 95)
        for i in itf.providers.indices { itf.providers[i].active = false }
        return itf
    }

    // MARK: input

    @Test func theInputSaysWhatIsConfiguredOnlyWhenTheKernelCouldRead() {
        let read = input(Board.macchiatobin(active: .phy), Desired())
        #expect(read.known && read.current.txType == "on" && read.current.rxFilter == "some")
        #expect(read.current.provider?.phcIndex == 0)
        let unread = input(unreadable(Board.macchiatobin()), Desired())
        #expect(!unread.known && unread.current.txType == nil && unread.current.rxFilter == nil && unread.current.flags == nil)
        #expect(unread.current.provider == nil)
    }

    // MARK: resolve provider

    @Test func resolvingTheProviderFollowsSourceThenQualifier() throws {
        let mp = Board.macchiatobin(active: .phy)
        #expect(try Planner.resolveProvider(input(mp, Desired())) == nil)
        #expect(try Planner.resolveProvider(input(mp, Desired(source: .mac)))?.phcIndex == 2)
        // --qualifier alone keeps the current provider's layer.
        #expect(try Planner.resolveProvider(input(mp, Desired(qualifier: .precise)))?.layer == .phy)
        let e = refusal { () throws(PlanError) in try Planner.resolveProvider(input(mp, Desired(source: .phc(9)))) }
        #expect(e?.kind == .noSuchProvider && e?.interface == "eth2")
    }

    @Test func resolvingRefusesAQualifierWithoutAProviderAndARequirementNoneMeets() {
        var none = unreadable(Board.macchiatobin())
        for i in none.providers.indices { none.providers[i].advertised = false }
        let q = refusal { () throws(PlanError) in try Planner.resolveProvider(input(none, Desired(qualifier: .approx))) }
        #expect(
            q
                == PlanError(
                    kind: .needsConfig, interface: "eth2", message: "eth2: --qualifier needs --source (the current provider is unknown)"))
        var vlan = Board.virtio()
        vlan.kind = "vlan"
        vlan.lower = "eth0"
        let r = refusal { () throws(PlanError) in try Planner.resolveProvider(input(vlan, Desired(require: true))) }
        #expect(r?.message == "eth9 (a vlan on eth0) has no hardware timestamp provider (require = true)")
    }

    // MARK: route

    @Test func routeSwitchesOnlyToAnotherProvider() throws {
        let mp = Board.macchiatobin(active: .phy)
        let mac = mp.providers[0], phy = mp.providers[1]
        let to = try Planner.route(input(mp, Desired()), wanted: mac)
        #expect(to == PlanRoute(wanted: mac, viaIoctl: false, switching: true, target: mac))
        // Re-selecting the active provider would reset it: not a switch.
        #expect(try Planner.route(input(mp, Desired()), wanted: phy).switching == false)
        #expect(
            try Planner.route(input(mp, Desired()), wanted: nil) == PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: phy))
    }

    @Test func routeSelectsExplicitlyWhenTheActiveProviderCannotBeRead() throws {
        let itf = unreadable(Board.macchiatobin())
        let r = try Planner.route(input(itf, Desired()), wanted: itf.providers[0])
        #expect(r.switching && r.target == itf.providers[0])
        #expect(
            r.notes == ["the active provider cannot be read, so mac is selected explicitly; the kernel then starts it from tx off, rx none"]
        )
    }

    @Test func routeGoesThroughTheIoctlBefore614AndRefusesAnotherProvider() throws {
        var mp = Board.macchiatobin(active: .phy)
        for i in mp.providers.indices { mp.providers[i].active = false }
        mp.active = ActiveConfig(readVia: .ioctl, txType: "on", rxFilter: "all")
        let i = input(mp, Desired(), Self.k61)
        // The MAC driver answered SIOCGHWTSTAMP: the ioctl configures the MAC.
        #expect(try Planner.route(i, wanted: nil) == PlanRoute(wanted: nil, viaIoctl: true, switching: false, target: mp.providers[0]))
        #expect(try Planner.route(i, wanted: mp.providers[0]).switching == false)
        let e = refusal { () throws(PlanError) in try Planner.route(i, wanted: mp.providers[1]) }
        #expect(e?.kind == .notSupported)
        #expect(
            e?.message.hasPrefix("eth2: on this kernel SIOCSHWTSTAMP configures the MAC: its driver (mvpp2) answered SIOCGHWTSTAMP") == true
        )
    }

    @Test func routeRefusesToChooseForALegacyDriver() {
        let igb = Legacy.igb()
        var other = igb.providers[0]
        other.phcIndex = 7
        let i = input(igb, Desired(), KernelInfo(release: "unknown", ethtoolNetlink: true, features: Legacy.features))
        let e = refusal { () throws(PlanError) in try Planner.route(i, wanted: other) }
        #expect(e?.message.hasPrefix("eth0: its driver (igb) does not take TSCONFIG on this kernel, only the legacy SIOCSHWTSTAMP") == true)
    }

    // MARK: carry over

    @Test func carryOverKeepsTxAndRxAcrossASwitchAndSaysSo() throws {
        let mp = Board.macchiatobin(active: .phy)
        let switching = PlanRoute(wanted: mp.providers[0], viaIoctl: false, switching: true, target: mp.providers[0])
        let s = try Planner.carryOver(input(mp, Desired(source: .mac, rxFilter: "all")), switching)
        #expect(s == PlanSettings(tx: "on", rx: "all", notes: ["tx on carried over"]))
        // Without a switch on a readable config, only what was asked.
        let stay = PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: mp.providers[1])
        #expect(try Planner.carryOver(input(mp, Desired(rxFilter: "none")), stay) == PlanSettings(tx: nil, rx: "none"))
    }

    @Test func carryOverRefusesHalfAConfigurationTheKernelWouldReset() throws {
        let itf = unreadable(Board.macchiatobin())
        let stay = PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: nil)
        let e = refusal { () throws(PlanError) in try Planner.carryOver(input(itf, Desired(txType: "on")), stay) }
        #expect(
            e?.message
                == "eth2: the current configuration cannot be read back, so the kernel would reset what is not given; give both --tx and --rx"
        )
        // Nothing to set at all is fine.
        #expect(try Planner.carryOver(input(itf, Desired()), stay) == PlanSettings())
        let switching = PlanRoute(wanted: itf.providers[0], viaIoctl: false, switching: true, target: itf.providers[0])
        let s = refusal { () throws(PlanError) in try Planner.carryOver(input(itf, Desired(source: .mac)), switching) }
        #expect(s?.message.contains("switching provider turns timestamping off unless the same request sets tx and rx") == true)
    }

    // MARK: capabilities

    @Test func capabilitiesRefuseWhatTheTargetCannotDoAndSayWhenItWasCarried() {
        let mp = Board.macchiatobin(active: .mac)
        let phy = PlanRoute(wanted: mp.providers[1], viaIoctl: false, switching: true, target: mp.providers[1])
        let e = refusal { () throws(PlanError) in
            try Planner.checkCapabilities(input(mp, Desired(source: .phy(nil), txType: "on")), phy, PlanSettings(tx: "on", rx: "all"))
        }
        #expect(
            e?.message
                == "eth2: rx all (carried over from the current configuration; give --rx) is not supported by phy:1 ptp0 (it supports none, some)"
        )
        let mac = PlanRoute(wanted: mp.providers[0], viaIoctl: false, switching: false, target: mp.providers[0])
        let t = refusal { () throws(PlanError) in
            try Planner.checkCapabilities(input(mp, Desired(txType: "onestep-sync")), mac, PlanSettings(tx: "onestep-sync"))
        }
        #expect(t?.message == "eth2: tx onestep-sync is not supported by mac ptp2 (it supports off, on)")
    }

    @Test func capabilitiesNoteAFilterTheDriverMayWiden() throws {
        let mp = Board.macchiatobin()
        let stay = PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: mp.providers[0])
        let notes = try Planner.checkCapabilities(input(mp, Desired(rxFilter: "ptpv2-event")), stay, PlanSettings(rx: "ptpv2-event"))
        #expect(notes == ["mac does not list rx ptpv2-event; its driver may widen it to all"])
        #expect(try Planner.checkCapabilities(input(mp, Desired(rxFilter: "all")), stay, PlanSettings(rx: "all")).isEmpty)
    }

    @Test func capabilitiesRefuseTxRxWithoutAProviderAndPointBelowAStackedDevice() throws {
        var vlan = Board.virtio(name: "eth0.7")
        vlan.kind = "vlan"
        vlan.lower = "eth0"
        let none = PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: nil)
        let s = PlanSettings(tx: "on", rx: "all")
        let e = refusal { () throws(PlanError) in try Planner.checkCapabilities(input(vlan, Desired()), none, s) }
        #expect(
            e?.message
                == "eth0.7 is a vlan on eth0 and has no hardware timestamp provider of its own; its timestamps come from eth0: configure eth0"
        )
        let plain = refusal { () throws(PlanError) in try Planner.checkCapabilities(input(Board.virtio(), Desired()), none, s) }
        #expect(plain?.message == "eth9 has no hardware timestamp provider to configure")
        #expect(try Planner.checkCapabilities(input(Board.virtio(), Desired()), none, PlanSettings()).isEmpty)
    }

    // MARK: encode

    @Test func encodeSendsOnlyWhatDiffersUnlessSwitching() throws {
        let mp = Board.macchiatobin()
        let i = input(mp, Desired(txType: "on", rxFilter: "none", flags: []))
        let stay = PlanRoute(wanted: nil, viaIoctl: false, switching: false, target: mp.providers[0])
        let target = Config(provider: mp.providers[0], txType: "on", rxFilter: "none", flags: [])
        #expect(try Planner.encode(i, stay, PlanSettings(tx: "on", rx: "none"), target: target) == ConfigChange(rxFilter: 0))
        let phy = mp.providers[1]
        let to = PlanRoute(wanted: phy, viaIoctl: false, switching: true, target: phy)
        #expect(
            try Planner.encode(i, to, PlanSettings(tx: "on", rx: "none"), target: target)
                == ConfigChange(provider: .init(phcIndex: 0, qualifier: .precise), txType: 1, rxFilter: 0, flags: 0))
    }

    @Test func encodeGivesTheIoctlAllThreeAndRefusesWhatHasNoNumber() throws {
        let igb = Legacy.igb(tx: "on", rx: "ptpv2-event")
        let i = input(igb, Desired(rxFilter: "none"))
        let ioctl = PlanRoute(wanted: nil, viaIoctl: true, switching: false, target: igb.providers[0])
        let target = Config(provider: igb.providers[0], txType: "on", rxFilter: "none", flags: [])
        #expect(try Planner.encode(i, ioctl, PlanSettings(rx: "none"), target: target) == ConfigChange(txType: 1, rxFilter: 0, flags: 0))
        // Nothing to send: the ioctl is not sent either.
        #expect(try Planner.encode(i, ioctl, PlanSettings(rx: "ptpv2-event"), target: target) == ConfigChange())
        let unknown = refusal { () throws(PlanError) in
            try Planner.encode(
                i, ioctl, PlanSettings(rx: "none"), target: Config(provider: nil, txType: "value-9", rxFilter: "none", flags: []))
        }
        #expect(unknown?.message.hasPrefix("eth0: the current tx type \"value-9\" (tsctl knows ") == true)
        #expect(
            unknown?.message.hasSuffix("cannot be sent back with SIOCSHWTSTAMP: tsctl does not know its number; give --tx and --rx") == true
        )
        let unread = refusal { () throws(PlanError) in
            try Planner.encode(i, ioctl, PlanSettings(rx: "none"), target: Config(provider: nil, txType: nil, rxFilter: "none", flags: nil))
        }
        #expect(unread?.kind == .needsConfig)
        let asked = refusal { () throws(PlanError) in
            try Planner.encode(input(igb, Desired(flags: ["new-flag"])), ioctl, PlanSettings(), target: target)
        }
        #expect(asked?.message.hasPrefix("eth0: the flag \"new-flag\" (tsctl knows bonded-phc-index) cannot be sent") == true)
    }

    // MARK: rollback

    @Test func rollbackRefusesAChangeThatCouldNotBeUndone() throws {
        let future = Board.macchiatobin(rx: "ptpv3-future")
        let e = refusal { () throws(PlanError) in
            try Planner.checkRollback(input(future, Desired()), PlanSettings(), ConfigChange(txType: 0))
        }
        #expect(
            e?.message.hasSuffix("could not be restored if the change failed: tsctl does not know its number; nothing was changed") == true)
        // Nothing sent: nothing to undo.
        #expect(try Planner.checkRollback(input(future, Desired()), PlanSettings(), ConfigChange()).isEmpty)
        let vlan = Legacy.vlan()
        let s = refusal { () throws(PlanError) in try Planner.checkRollback(input(vlan, Desired()), PlanSettings(), ConfigChange(txType: 1))
        }
        #expect(s?.message.contains("CVE-2025-40255") == true && s?.message.contains("configure eth0 instead") == true)
    }

    @Test func rollbackNotesWhatCannotBeUndoneAndAFilterAlreadyCovered() throws {
        let unread = input(unreadable(Board.macchiatobin()), Desired())
        #expect(
            try Planner.checkRollback(unread, PlanSettings(), ConfigChange(txType: 1))
                == ["its configuration cannot be read back, so if the change fails it cannot be rolled back"])
        let mp = input(Board.macchiatobin(), Desired(rxFilter: "ptpv2-event"))
        #expect(try Planner.checkRollback(mp, PlanSettings(rx: "ptpv2-event"), ConfigChange()) == ["rx all already covers ptpv2-event"])
    }
}
