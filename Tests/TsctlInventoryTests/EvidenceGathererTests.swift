import Testing
import TsctlDiagnosis

@testable import TsctlKernel
@testable import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// The kernel as check reads it, at protocol level: answers set by the test,
/// every call recorded.
final class FakeEvidenceKernel: EvidenceKernel {
    var interfaces: [InterfaceSnapshot]
    var kernel = Board.kernel()
    var snapshotFailure: KernelFailure?
    /// Fail the second read (the devices below) only.
    var lowerReadFailure: KernelFailure?
    var ioctlAnswers: [String: Result<Int?, KernelFailure>] = [:]
    var countersLater: [NameKey: TsStats] = [:]
    var aliases: [String: String] = [:]
    private(set) var snapshotCalls: [[String]?] = []
    private(set) var ioctlCalls: [String] = []
    private(set) var probed: [String] = []
    private(set) var rereadCalls = 0

    init(_ interfaces: InterfaceSnapshot...) { self.interfaces = interfaces }

    func snapshot(names: [String]?) throws(KernelFailure) -> Snapshot {
        snapshotCalls.append(names)
        if let f = snapshotFailure { throw f }
        if snapshotCalls.count > 1, let f = lowerReadFailure { throw f }
        let chosen = names.map { n in interfaces.filter { n.contains($0.name) } } ?? interfaces
        return Snapshot(kernel: kernel, interfaces: chosen)
    }

    func primaryNames(_ names: [String]) -> [String?] { names.map { aliases[$0] } }

    func attachClockHealth(_ interfaces: inout [InterfaceSnapshot]) {
        for i in interfaces.indices {
            for c in interfaces[i].phcs.indices where interfaces[i].phcs[c].present {
                interfaces[i].phcs[c].health = ClockHealth(state: .read, advances: true)
            }
        }
    }

    func rereadTsStats(_ interfaces: [InterfaceSnapshot]) -> [NameKey: TsStats] {
        rereadCalls += 1
        return countersLater
    }

    func ioctlPHC(_ interface: InterfaceSnapshot) -> Result<Int?, KernelFailure> {
        ioctlCalls.append(interface.name)
        return ioctlAnswers[interface.name] ?? .success(interface.advertised?.phcIndex)
    }

    func probe(_ interface: InterfaceSnapshot) -> Observation {
        probed.append(interface.name)
        return Observation(interface: interface.name, clocks: [], verdict: "probed")
    }
}

/// A clock that moves only when slept on.
final class FakeEvidenceClock: EvidenceClock {
    var now = 100.0
    private(set) var slept: [Double] = []
    func monotonicSeconds() -> Double { now }
    func sleep(seconds: Double) {
        slept.append(seconds)
        now += seconds + 0.25
    }
}

@Suite struct EvidenceGathererTests {
    static let ptp4l = PTPDaemon(
        pid: 42, program: "ptp4l", interfaces: ["eth0"], namedPHCs: [1], openPHCs: [1], commandLine: "ptp4l -i eth0")

    func gatherer(clock: FakeEvidenceClock = FakeEvidenceClock(), notes: NoteLog = NoteLog()) -> EvidenceGatherer {
        EvidenceGatherer(
            scanDaemons: { PTPDaemons.Scan(daemons: [Self.ptp4l], ignored: [IgnoredDaemon(pid: 7, program: "ptp4l", reason: "uid 1000")]) },
            clock: clock, note: { notes.lines.append($0) })
    }

    final class NoteLog { var lines: [String] = [] }

    func vlan() -> InterfaceSnapshot {
        var v = Board.virtio(name: "eth0.100")
        v.kind = "vlan"
        v.lower = "eth0"
        return v
    }

    @Test func aStackedDeviceBringsInTheDeviceBelowInASecondRead() throws {
        let kernel = FakeEvidenceKernel(Board.igb(), vlan())
        let (evidence, _) = try gatherer().gather(EvidenceRequest(names: ["eth0.100"]), open: { kernel })
        #expect(kernel.snapshotCalls == [["eth0.100"], ["eth0"]])
        #expect(evidence.snapshot.interfaces.map(\.name) == ["eth0.100", "eth0"])
        // The device below has a hardware clock: its ioctl is read, the VLAN's is not.
        #expect(kernel.ioctlCalls == ["eth0"])
        #expect(evidence.ioctl["eth0"] == .success(IoctlView(phcIndex: 1)))
    }

    @Test func aDeviceBelowAlreadyListedIsNotReadTwice() throws {
        let kernel = FakeEvidenceKernel(Board.igb(), vlan())
        _ = try gatherer().gather(EvidenceRequest(names: ["eth0.100", "eth0"]), open: { kernel })
        #expect(kernel.snapshotCalls == [["eth0.100", "eth0"]])
        _ = try gatherer().gather(EvidenceRequest(), open: { kernel })
        #expect(kernel.snapshotCalls.last == nil as [String]?)
        #expect(kernel.snapshotCalls.count == 2)
    }

    @Test func theIoctlFailureKeepsItsErrnoUntilAFindingRendersIt() throws {
        let kernel = FakeEvidenceKernel(Board.igb(), Board.virtio())
        let eperm = KernelFailure(errno: EPERM, message: "ioctl(SIOCETHTOOL, ETHTOOL_GET_TS_INFO): \(Errno.text(EPERM))")
        kernel.ioctlAnswers["eth0"] = .failure(eperm)
        let (evidence, _) = try gatherer().gather(EvidenceRequest(), open: { kernel })
        guard case .failure(let f)? = evidence.ioctl["eth0"] else {
            Issue.record("the ioctl's failure was not kept")
            return
        }
        #expect(f.errno == EPERM && f.kind == .permission)
        #expect(evidence.ioctl["eth9"] == nil, "no hardware provider: no ioctl")
        let report = Diagnosis.run(DiagnosisInput(evidence: evidence))
        #expect(
            report.notRun.map(\.reason) == [
                "ETHTOOL_GET_TS_INFO failed: ioctl(SIOCETHTOOL, ETHTOOL_GET_TS_INFO): Operation not permitted (EPERM)"
            ])
    }

    @Test func daemonsAndClockHealthAreInTheEvidence() throws {
        let kernel = FakeEvidenceKernel(Board.igb())
        let (evidence, _) = try gatherer().gather(EvidenceRequest(), open: { kernel })
        #expect(evidence.daemons == [Self.ptp4l])
        #expect(evidence.ignoredDaemons.map(\.label) == ["ptp4l[7]"])
        #expect(evidence.snapshot.interfaces[0].phcs[0].health?.advances == true)
        #expect(evidence.statsSamples.isEmpty && evidence.observations.isEmpty)
    }

    @Test func aSampleReadsTheCountersAgainAfterTheWait() throws {
        var itf = Board.igb()
        itf.tsStats = TsStats(txPkts: 10, txLost: 0, txErr: 0)
        let kernel = FakeEvidenceKernel(itf, Board.virtio())
        kernel.countersLater = ["eth0": TsStats(txPkts: 30, txLost: 2, txErr: 0)]
        let clock = FakeEvidenceClock()
        let (evidence, _) = try gatherer(clock: clock).gather(EvidenceRequest(sampleSeconds: 2), open: { kernel })
        #expect(clock.slept == [2])
        let s = try #require(evidence.statsSamples["eth0"])
        #expect(s.seconds == 2.25, "the time measured, not the time asked for")
        #expect(s.before.txLost == 0 && s.after.txLost == 2)
        #expect(evidence.statsSamples["eth9"] == nil)
    }

    @Test func aSampleWithNoCountersToReadSaysSoAndDoesNotWait() throws {
        let kernel = FakeEvidenceKernel(Board.igb())
        let clock = FakeEvidenceClock()
        let notes = NoteLog()
        let (evidence, _) = try gatherer(clock: clock, notes: notes).gather(EvidenceRequest(sampleSeconds: 10), open: { kernel })
        #expect(clock.slept.isEmpty && kernel.rereadCalls == 0)
        #expect(evidence.statsSamples.isEmpty)
        #expect(
            notes.lines == [
                "--sample: no interface checked has timestamping counters that can be read (see the report); nothing was sampled"
            ])
    }

    @Test func aKernelThatCannotBeOpenedOrReadIsThrown() {
        let enodev = KernelFailure(kind: .noSuchDevice, errno: ENODEV, message: "no such interface: eth7")
        #expect(throws: enodev) {
            _ = try gatherer().gather(
                EvidenceRequest(names: ["eth7"]), open: { () throws(KernelFailure) -> FakeEvidenceKernel in throw enodev })
        }
        let kernel = FakeEvidenceKernel(Board.igb())
        kernel.snapshotFailure = enodev
        #expect(throws: enodev) { _ = try gatherer().gather(EvidenceRequest(names: ["eth7"]), open: { kernel }) }
        let stacked = FakeEvidenceKernel(Board.igb(), vlan())
        let eperm = KernelFailure(errno: EPERM, message: "TSINFO: Operation not permitted")
        stacked.lowerReadFailure = eperm
        #expect(throws: eperm) { _ = try gatherer().gather(EvidenceRequest(names: ["eth0.100"]), open: { stacked }) }
    }

    @Test func probesAreAStepOfTheirOwnForInterfacesWithAProvider() throws {
        let kernel = FakeEvidenceKernel(Board.igb(), Board.virtio())
        let g = gatherer()
        var (evidence, k) = try g.gather(EvidenceRequest(), open: { kernel })
        #expect(kernel.probed.isEmpty, "gathering alone sends nothing")
        g.probe(&evidence, with: k)
        #expect(kernel.probed == ["eth0"])
        #expect(evidence.observations["eth0"]?.verdict == "probed")
    }

    @Test func theHostClockAdvancesAcrossASleep() {
        let clock = SystemClock()
        let before = clock.monotonicSeconds()
        clock.sleep(seconds: 0.02)
        #expect(clock.monotonicSeconds() - before >= 0.02)
    }

    /// The live kernel behind the same protocol: the loopback device, which
    /// any user may read, has no hardware provider and so no ioctl to ask.
    @Test func theLiveKernelGathersTheLoopbackDevice() throws {
        let (evidence, kernel) = try EvidenceGatherer(scanDaemons: { PTPDaemons.Scan(daemons: [], ignored: []) })
            .gather(EvidenceRequest(names: ["lo"]), open: { () throws(KernelFailure) in try KernelSession.open() })
        #expect(evidence.snapshot.interfaces.map(\.name) == ["lo"])
        #expect(evidence.ioctl.isEmpty)
        #expect(kernel.primaryNames(["lo"]) == ["lo"])
        #expect(kernel.rereadTsStats(evidence.snapshot.interfaces).isEmpty)
        if case .failure(let f) = kernel.ioctlPHC(evidence.snapshot.interfaces[0]) {
            #expect(f.errno != nil, "a failure keeps its errno")
        }
    }

    /// A probe of an interface that is gone sends nothing and says why, as a
    /// check that did not run (never as root being needed, unless it is).
    @Test func aProbeOfAnInterfaceThatIsGoneSaysItCouldNotSend() throws {
        let kernel = try KernelSession.open()
        var gone = Board.igb(name: "tsctl-gone0")
        gone.ifindex = Int(Int32.max)
        let o = kernel.probe(gone)
        #expect(o.verdict.hasPrefix("could not send a probe frame: "))
        #expect(!o.conclusive && o.phcIndex == nil)
        #expect(o.permissionDenied == (getuid() != 0 && o.verdict.contains("EPERM")))
    }
}
