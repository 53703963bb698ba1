import Testing

@testable import TsctlDiagnosis
@testable import TsctlModel

@Suite struct DiagnosisRuleTests {
    func ids(_ r: Report, _ itf: String? = nil) -> [String] {
        r.findings.filter { itf == nil || $0.interface == itf }.map(\.id)
    }

    @Test func cleanBoardsHaveNoFindings() {
        let r = Diagnosis.run(
            DiagnosisInput(
                snapshot: Board.snapshot(Board.macchiatobin(), Board.igb(), Board.virtio()),
                ioctl: ["eth2": .success(IoctlView(phcIndex: 2)), "eth0": .success(IoctlView(phcIndex: 1))]))
        #expect(r.findings.isEmpty, "\(r.findings)")
        #expect(r.notRun.isEmpty)
    }

    @Test func advertisedNotActiveFromTsconfig() {
        var itf = Board.macchiatobin()
        itf.active.phcIndex = 0  // TSCONFIG says the PHY clock while TSINFO advertises the MAC's
        itf.active.layer = .phy
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))
        let f = r.findings.first { $0.id == "advertised-not-active" }
        #expect(f?.severity == .error)
        #expect(f?.evidence.map(\.view) == [.advertised, .active])
    }

    @Test func advertisedNotActiveFromTheIoctlPtp4lReads() {
        let r = Diagnosis.run(
            DiagnosisInput(
                snapshot: Board.snapshot(Board.igb()),
                ioctl: ["eth0": .success(IoctlView(phcIndex: 7))]))
        #expect(ids(r) == ["advertised-not-active"])
        #expect(r.findings[0].statement.contains("ETHTOOL_GET_TS_INFO"))
    }

    @Test func ioctlFailureIsReportedAsNotRunNeverAsAPass() {
        let r = Diagnosis.run(
            DiagnosisInput(
                snapshot: Board.snapshot(Board.igb()),
                ioctl: ["eth0": .failure(KernelFailure(kind: .permission, errno: 1, message: "Operation not permitted"))]))
        #expect(r.notRun.map(\.check) == ["advertised-not-active"])
    }

    /// Kernel 6.1: TSINFO advertises the PHY's clock, the MAC has its own (found in sysfs).
    @Test func reportingConfigurationSplitBefore611() {
        var itf = Board.macchiatobin(active: .phy)
        itf.providers[0].reportedBy = .sysfs
        itf.providers[0].capabilities = nil
        itf.active = ActiveConfig(readVia: .ioctl, txType: "off", rxFilter: "none")
        for p in itf.providers.indices { itf.providers[p].active = false }
        let old = Board.kernel("6.1.0-27-amd64", tsconfig: false)
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf, kernel: old)))
        let split = r.findings.first { $0.id == "reporting-configuration-split" }
        #expect(split?.severity == .warning)
        #expect(split?.evidence.contains { $0.view == .kernel && $0.says.contains("6.1.0") } == true)
        #expect(split?.statement.contains("ptp0") == true && split?.statement.contains("ptp2") == true)
        #expect(Set(ids(r).filter { $0.hasPrefix("kernel-") }) == ["kernel-no-provider-selection", "kernel-phy-first-reporting"])
        #expect(r.findings.allSatisfy { $0.remedy == nil }, "6.1 cannot select a provider: no set command to offer")
        // With ptp4l on the port it is an error.
        let ptp4l = PTPDaemon(pid: 42, program: "ptp4l", interfaces: ["eth2"], namedPHCs: [], openPHCs: [0], commandLine: "ptp4l -i eth2")
        let r2 = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf, kernel: old), daemons: [ptp4l]))
        #expect(r2.findings.first { $0.id == "reporting-configuration-split" }?.severity == .error)
        // The same port on 7.2 is not split.
        #expect(
            !ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin(active: .phy))))).contains(
                "reporting-configuration-split"))
    }

    @Test func macchiatobinPHYActiveIsAPrecisionDowngradeWithTheSetCommandThatRestoresTheMAC() {
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin(active: .phy))))
        let f = r.findings.first { $0.id == "precision-downgrade" }
        #expect(f?.severity == .warning)
        #expect(f?.remedy == "tsctl set eth2 --source mac --tx on --rx all")
        #expect(f?.evidence.contains { $0.view == .expected && $0.says.contains("bootlin") } == true)
        // One readable sentence; the pair, its reason and its source each a line of evidence.
        #expect(f?.statement == "phy clock ptp0 is in use but tsctl's table of known MAC/PHY pairs prefers the mac clock ptp2")
        let expected = f?.evidence.filter { $0.view == .expected }.map(\.says) ?? []
        #expect(expected.count == 3)
        #expect(expected.first?.hasPrefix("known pair: mvpp2 MAC") == true)
        #expect(expected.contains { $0.hasPrefix("why: the MAC timestamps more precisely than the PHY") })
        #expect(expected.last?.hasPrefix("source: https://bootlin.com/") == true)
    }

    @Test func policyOverridesTheTable() {
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin(active: .mac)), prefer: .phy))
        #expect(r.findings.first { $0.id == "precision-downgrade" }?.remedy == "tsctl set eth2 --source phy:1 --tx on --rx some")
        #expect(
            !ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin(active: .phy)), prefer: .phy))).contains(
                "precision-downgrade"))
    }

    @Test func approxActiveWhilePreciseExists() {
        var itf = Board.igb()
        itf.providers.append(
            Provider(
                layer: .mac, phcIndex: 3, qualifier: .approx, capabilities: Board.macCaps,
                reportedBy: .tsinfoDump, active: true))
        itf.providers[0].active = false
        itf.active.phcIndex = 3
        itf.active.qualifier = .approx
        itf.advertised?.phcIndex = 3
        itf.advertised?.qualifier = .approx
        itf.phcs.append(PHC(index: 3, clockName: "igb approx", owner: "0000:00:02.0", ownerBus: "pci", present: true, layer: .mac))
        let f = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf))).findings.first { $0.id == "precision-downgrade" }
        #expect(f?.remedy == "tsctl set eth0 --source mac --tx on --rx all")
    }

    @Test func timestampingOffWhilePtp4lRuns() {
        let ptp4l = PTPDaemon(pid: 7, program: "ptp4l", interfaces: ["eth0"], namedPHCs: [], openPHCs: [1], commandLine: "ptp4l -i eth0")
        var off = Board.igb()
        off.active.txType = "off"
        off.active.rxFilter = "none"
        #expect(ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(off), daemons: [ptp4l]))) == ["timestamping-off-in-use"])
        // Off without a daemon is just unused.
        #expect(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(off), daemons: [])).findings.isEmpty)
    }

    @Test func rxFilterTheActiveProviderDoesNotSupport() {
        // The PHY lists none and some; "some" does not cover "all".
        let itf = Board.macchiatobin(active: .phy, rx: "all")
        #expect(ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))).contains("rx-filter-unsupported"))
        // The MAC lists "all", which covers ptpv2-event (mvpp2 widens it): supported.
        let widened = Board.macchiatobin(active: .mac, rx: "ptpv2-event")
        #expect(ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(widened)))).isEmpty)
    }

    @Test func daemonDiscipliningAnotherClock() {
        let wrong = PTPDaemon(
            pid: 9, program: "ptp4l", interfaces: ["eth2"], namedPHCs: [0], openPHCs: [0],
            commandLine: "ptp4l -i eth2 -p /dev/ptp0")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin()), daemons: [wrong]))
        let f = r.findings.first { $0.id == "daemon-phc-mismatch" }
        #expect(f?.severity == .error)
        #expect(f?.statement.contains("ptp0") == true && f?.statement.contains("ptp2") == true)
        let right = PTPDaemon(pid: 9, program: "ptp4l", interfaces: ["eth2"], namedPHCs: [], openPHCs: [2], commandLine: "ptp4l -i eth2")
        #expect(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin()), daemons: [right])).findings.isEmpty)
        #expect(
            Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin()), daemons: nil)).notRun
                .contains { $0.check == "daemon-phc-mismatch" })
    }

    @Test func danglingAndForeignClocks() {
        var itf = Board.igb()
        itf.phcs[0].present = false
        #expect(ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))) == ["phc-dangling"])
        var foreign = Board.igb()
        foreign.phcs[0].owner = "0000:00:05.0"
        foreign.phcs[0].layer = nil  // the inventory found it under neither the MAC nor a PHY
        #expect(ids(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(foreign)))) == ["phc-foreign-owner"])
    }

    @Test func readbackUnavailableIsInfoAndSaysWhatItMeans() {
        var itf = Board.igb()
        itf.active = .unavailable(.phyReadbackUnsupported, errno: 95, message: "Operation not supported", via: .tsconfig)
        for i in itf.providers.indices { itf.providers[i].active = false }
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))
        let f = r.findings.first { $0.id == "readback-unavailable" }
        #expect(f?.severity == .info)
        #expect(f?.statement.contains("6.19") == true)
        // And the comparison it prevents is reported as not run.
        #expect(r.notRun.contains { $0.check == "advertised-not-active" })
        // A virtual interface with no clock is not worth an info line.
        #expect(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.virtio()))).findings.isEmpty)
    }

    @Test func stackedDevicesPointAtTheLowerDevice() {
        var vlan = Board.virtio(name: "eth0.100")
        vlan.kind = "vlan"
        vlan.lower = "eth0"
        var bond = Board.igb(name: "bond0", phc: 1)
        bond.kind = "bond"
        bond.bondActiveSlave = "eth0"
        bond.phcs[0].owner = "0000:00:02.0"
        bond.device = nil
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.igb(), vlan, bond)))
        #expect(r.findings.filter { $0.id == "stacked-device" }.compactMap(\.interface).sorted() == ["bond0", "eth0.100"])
        #expect(r.findings.first { $0.interface == "eth0.100" }?.statement.contains("ptp1") == true)
        #expect(!ids(r, "bond0").contains("phc-foreign-owner"), "a bond reports its slave's clock by design")
        #expect(vlan.stacking == "vlan on eth0")
        #expect(bond.stacking == "bond, active slave eth0")
        #expect(Board.igb().stacking == nil)
    }

    @Test func driftAgainstABaseline() {
        let base = Board.snapshot(Board.macchiatobin(active: .mac))
        #expect(Diagnosis.run(DiagnosisInput(snapshot: base, baseline: base)).findings.isEmpty)
        let now = Board.snapshot(Board.macchiatobin(active: .phy))
        let r = Diagnosis.run(DiagnosisInput(snapshot: now, baseline: base))
        let drift = r.findings.filter { $0.id == "drift" }
        #expect(drift.contains { $0.statement.contains("advertised layer changed: mac -> phy") && $0.severity == .error })
        #expect(drift.contains { $0.statement.contains("active configuration changed") && $0.severity == .error })
        var gone = Board.macchiatobin()
        gone.providers.removeLast()
        #expect(
            Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(gone), baseline: base)).findings
                .contains { $0.id == "drift" && $0.statement.contains("phy:1") && $0.statement.contains("gone") })
        #expect(
            Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.igb()), baseline: base)).findings
                .contains { $0.id == "drift" && $0.statement.contains("no longer exists") })
    }

    @Test func expectationsFromADesiredStateFile() throws {
        let file = """
            [[interface]]
            name = "eth2"
            source = "mac"
            tx = "on"
            rx = "all"

            [[interface]]
            name = "eth7"
            source = "mac"
            """
        let exp = try DesiredState.parse(file, file: "board.toml")
        let ok = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin()), expectations: exp))
        #expect(ok.findings.map(\.statement) == ["board.toml:7: no interface eth7"])
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin(active: .phy)), expectations: exp))
        let f = r.findings.first { $0.id == "expectation-not-met" && $0.interface == "eth2" }
        #expect(f?.statement.contains("source mac ptp2, active phy:1 ptp0") == true)
        #expect(f?.statement.contains("rx all, active some") == true)
        #expect(f?.remedy == "tsctl apply board.toml")
    }
}

@Suite struct ObservedViewTests {
    func obs(_ offsets: [(Int, Int64)]) -> Observation {
        Prober.match(
            Observation(
                interface: "eth2", timestampNanoseconds: 1, clocks: offsets.map { .init(phcIndex: $0.0, offsetNanoseconds: $0.1) },
                verdict: ""),
            Board.macchiatobin(active: .phy))
    }

    @Test func theClockNearestTheTimestampStampedIt() {
        // The test bed gives each clock a distinct offset: the MAC's is 1000 s away from the PHY's.
        let o = obs([(2, 40_000), (0, -1_000_000_000_000)])
        #expect(o.phcIndex == 2 && o.layer == .mac)
        #expect(o.verdict.hasPrefix("stamped by mac ptp2"))
        #expect(obs([(2, 40_000), (0, 90_000)]).phcIndex == nil, "clocks a few µs apart cannot be told apart")
        #expect(obs([(2, 5_000_000_000), (0, 9_000_000_000)]).phcIndex == nil, "no clock is near the stamp")
    }

    @Test func aFrameStampedByTheMACWhileThePHYIsAdvertisedIsFinding1() {
        // The 6.1 split: TSINFO advertises the PHY; the probe proves the MAC stamps.
        var itf = Board.macchiatobin(active: .phy)
        itf.active = ActiveConfig(readVia: .ioctl, txType: "on", rxFilter: "all")
        for i in itf.providers.indices { itf.providers[i].active = false }
        let old = Board.kernel("6.1.0-27-amd64", tsconfig: false)
        var input = DiagnosisInput(snapshot: Board.snapshot(itf, kernel: old))
        input.observations["eth2"] = obs([(2, 40_000), (0, -1_000_000_000_000)])
        let r = Diagnosis.run(input)
        let f = r.findings.first { $0.id == "advertised-not-active" }
        #expect(f?.severity == .error)
        #expect(f?.evidence.first?.view == .observed)
        #expect(f?.statement.contains("stamped by mac ptp2") == true)
        #expect(!r.findings.contains { $0.id == "reporting-configuration-split" }, "the probe settled it")
    }

    @Test func anInconclusiveProbeIsACheckThatDidNotRun() {
        var input = DiagnosisInput(snapshot: Board.snapshot(Board.macchiatobin()))
        input.observations["eth2"] = obs([(2, 40_000), (0, 90_000)])
        let r = Diagnosis.run(input)
        #expect(r.findings.isEmpty)
        #expect(r.notRun.map(\.check) == ["advertised-not-active"])
        #expect(r.notRun.first?.reason.hasPrefix("probe: inconclusive") == true)
    }
}
