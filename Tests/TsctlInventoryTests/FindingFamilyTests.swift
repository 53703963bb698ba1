import Testing
import TsctlDiagnosis

@testable import TsctlModel

/// The branches of each finding family the board tests do not reach: what a
/// user reads when a clock, a capability or a readable configuration changed,
/// and when a check could not run.
@Suite struct FindingFamilyTests {
    func drift(_ now: InterfaceSnapshot, since then: InterfaceSnapshot) -> [Finding] {
        Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(now), baseline: Board.snapshot(then))).findings
            .filter { $0.findingID == .drift }
    }

    @Test func driftNamesARenumberedClockAndChangedCapabilities() throws {
        let then = Board.igb()
        var now = Board.igb(phc: 3)
        now.providers[0].capabilities = Capabilities(
            timestamping: Board.macCaps.timestamping, txTypes: ["off", "on", "onestep-sync"], rxFilters: ["none"])
        let f = drift(now, since: then)
        let clock = try #require(f.first { $0.statement.hasPrefix("mac clock changed") })
        #expect(clock.statement == "mac clock changed: ptp1 igb -> ptp3 igb" && clock.severity == .warning)
        let caps = try #require(f.first { $0.statement.contains("capabilities changed") })
        #expect(caps.statement == "mac capabilities changed: tx gained onestep-sync; rx lost all")
        #expect(caps.evidence.map(\.says) == ["tx off on; rx none all", "tx off on onestep-sync; rx none"])
    }

    @Test func driftNamesANewProviderAndAConfigurationNoLongerReadable() {
        let then = Board.igb()
        var now = Board.igb()
        now.providers.append(
            Provider(layer: .phy, phcIndex: 5, qualifier: .precise, phyIndex: 1, capabilities: nil, reportedBy: .tsinfoDump))
        now.active = .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported", via: .tsconfig)
        let f = drift(now, since: then)
        #expect(f.contains { $0.statement == "provider phy:1 ptp5 is new since the baseline" && $0.severity == .warning })
        let unreadable = f.first { $0.statement.hasPrefix("the active configuration was") }
        #expect(unreadable?.statement == "the active configuration was readable and now is not (driver-unsupported)")
        #expect(unreadable?.evidence.map(\.says) == ["configured", "driver-unsupported"])
        // Only the tx/rx changed, on the same layer: a warning, not an error.
        var off = Board.igb()
        off.active.txType = "off"
        #expect(drift(off, since: then).map(\.severity) == [.warning])
    }

    @Test func daemonChecksThatCannotRunSaySo() {
        var itf = Board.igb()
        itf.active = .unavailable(.permission, errno: 1, message: "Operation not permitted", via: .tsconfig)
        let ptp4l = PTPDaemon(pid: 9, program: "ptp4l", interfaces: ["eth0"], namedPHCs: [], openPHCs: nil, commandLine: "ptp4l -i eth0")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf), daemons: [ptp4l]))
        #expect(
            r.notRun.contains {
                $0.findingID == .timestampingOffInUse && $0.reason == "ptp4l[9] uses eth0 but its configuration cannot be read"
            })
        #expect(r.notRun.contains { $0.findingID == .daemonPHCMismatch && $0.reason == "cannot read ptp4l[9]'s open files (run as root)" })
        let noProc = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Board.igb()), daemons: nil))
        #expect(noProc.notRun.map(\.reason) == ["/proc could not be read"])
    }

    @Test func anExpectationOnAnUnreadableConfigurationCannotBeVerified() throws {
        var itf = Board.igb()
        itf.active = .unavailable(.permission, errno: 1, message: "Operation not permitted", via: .tsconfig)
        let state = try DesiredState.parse("[[interface]]\nname = \"eth0\"\ntx = \"on\"\n", file: "ts.toml")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf), expectations: state))
        #expect(
            r.notRun.map(\.reason).contains(
                "the active configuration cannot be read (permission); ts.toml:1 cannot be verified"))
        #expect(!r.findings.contains { $0.findingID == .expectationNotMet })
    }

    @Test func aSourceTheKernelCannotNameCannotBeVerified() throws {
        var itf = Board.igb()
        itf.active.phcIndex = nil
        itf.active.readVia = .ioctl
        let state = try DesiredState.parse("[[interface]]\nname = \"eth0\"\nsource = \"mac\"\n", file: "ts.toml")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf), expectations: state))
        #expect(r.notRun.contains { $0.reason == "this kernel cannot name the active provider; source = \"mac\" cannot be verified" })
    }

    @Test func aUseWithUnknownCapabilitiesIsNotRun() {
        var itf = Board.igb()
        itf.providers[0].capabilities = nil
        itf.providers[0].advertised = false
        var input = DiagnosisInput(snapshot: Board.snapshot(itf))
        input.uses = [.ptp]
        let r = Diagnosis.run(input)
        #expect(r.notRun.contains { $0.findingID == .useUnsupported && $0.reason.hasPrefix("the capabilities of mac ptp1 are unknown") })
    }
}
