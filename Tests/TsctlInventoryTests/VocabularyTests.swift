import Testing

@testable import TsctlDiagnosis
@testable import TsctlModel

/// The words every output shares: finding ids, provider labels, kernel releases.
@Suite struct VocabularyTests {
    /// Scripts, dashboards and alert rules key on these strings: a typed id must
    /// never change how any output spells it.
    @Test func findingIdsAreSpelledAsTheReadmeListsThem() {
        #expect(
            FindingID.allCases.map(\.rawValue) == [
                "advertised-not-active", "reporting-configuration-split", "precision-downgrade", "timestamping-off-in-use",
                "rx-filter-unsupported", "daemon-phc-mismatch", "phc-dangling", "phc-foreign-owner", "readback-unavailable",
                "stacked-device", "kernel-no-provider-selection", "kernel-phy-first-reporting", "drift", "expectation-not-met",
                "tx-timestamps-lost", "clock-stopped", "clocks-far-apart", "active-clock-worse", "use-unsupported"
            ])
        let f = Finding(.phcDangling, .error, "eth0", "gone")
        #expect(f.id == "phc-dangling" && f.findingID == .phcDangling)
        #expect(NotRun(.drift, nil, "why").check == "drift")
    }

    @Test func oneProviderLabelForEveryOutput() {
        #expect(Layer.mac.providerLabel(phyIndex: nil) == "mac")
        #expect(Layer.phy.providerLabel(phyIndex: 2) == "phy:2")
        #expect(Layer.phy.providerLabel(phyIndex: nil) == "phy")
        let approx = Provider(layer: .phy, phcIndex: 4, qualifier: .approx, phyIndex: 1, capabilities: nil, reportedBy: .tsinfoDump)
        #expect(approx.label == "phy:1/approx")
        // --source reads back what it is shown.
        #expect(SourceSpec("phy:1")?.description == "phy:1" && SourceSpec("phy")?.description == "phy")
        #expect(SourceSpec("mac")?.description == "mac" && SourceSpec("phc:3")?.description == "phc:3")
    }

    /// A set line for a PHY the kernel gave no index names it by its clock.
    @Test func aRemedyNamesAPHYWithoutIndexByItsClock() {
        var itf = Board.macchiatobin(active: .mac)
        itf.providers[1].phyIndex = nil
        let cmd = Rules(input: DiagnosisInput(snapshot: Board.snapshot(itf))).setCommand(itf, to: itf.providers[1])
        #expect(cmd == "tsctl set eth2 --source phc:0 --tx on --rx some")
        #expect(
            Rules(input: DiagnosisInput(snapshot: Board.snapshot(itf))).setCommand(itf, to: itf.providers[0])?.contains("--source mac")
                == true)
    }

    /// One parser for every rule keyed on the release: its series is what the
    /// 6.11 and 6.19 rules compare, release candidates included.
    @Test func oneReleaseParserAndItsSeries() {
        #expect(KernelRelease(release: "6.1.0-27-amd64")?.series ?? (0, 0) == (6, 1))
        #expect(KernelRelease(release: "6.11.0-rc3")?.series ?? (0, 0) == (6, 11))
        #expect(KernelRelease(release: "6.19-rc1")?.series ?? (0, 0) == (6, 19))
        #expect(KernelRelease(release: "unknown") == nil)
        let mac = Provider(layer: .mac, phcIndex: 2, qualifier: .precise, capabilities: nil, reportedBy: .sysfs)
        #expect(LayerAttribution.ioctlAnswerer(release: "6.18.3", providers: [mac]) == mac)
        #expect(LayerAttribution.ioctlAnswerer(release: "6.19-rc1", providers: [mac]) == nil, "6.19 release candidates have PHY read-back")
        #expect(LayerAttribution.ioctlAnswerer(release: "unknown", providers: [mac]) == nil)
        #expect(TsinfoDumpTrap.affected(release: "6.17.2") && !TsinfoDumpTrap.affected(release: "6.18.1"))
        #expect(TsinfoDumpTrap.affected(release: "garbage"))
    }

    /// PHY-first reporting is a 6.10-and-older rule, 6.11 release candidates excluded.
    @Test func kernelWideFindingsFollowTheRelease() {
        func ids(_ release: String, tsconfig: Bool) -> [String] {
            Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.igb(), kernel: Board.kernel(release, tsconfig: tsconfig))))
                .findings.filter { $0.interface == nil }.map(\.id)
        }
        #expect(ids("6.1.0-27-amd64", tsconfig: false) == ["kernel-no-provider-selection", "kernel-phy-first-reporting"])
        #expect(ids("6.11.0-rc1", tsconfig: false) == ["kernel-no-provider-selection"])
        #expect(ids("6.14.2", tsconfig: true).isEmpty)
        #expect(
            Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.virtio(), kernel: Board.kernel("6.1", tsconfig: false))))
                .findings.isEmpty, "no hardware: nothing to say about the kernel")
    }
}
