import Foundation
import Testing

@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlRender

/// Timestamping counters and clock health: rules, text, JSON and Prometheus.
@Suite struct HealthTests {
    static func board(lost: UInt64? = 3, err: UInt64? = 0, phyOffset: Int64 = 2_500_000_000, phyAdvances: Bool = true) -> InterfaceSnapshot
    {
        var itf = Board.macchiatobin()
        itf.tsStats = TsStats(txPkts: 40, txLost: lost, txErr: err)
        itf.phcs[0].health = ClockHealth(
            offsetToRealtimeNs: 1_000_000_000, method: "extended", frequencyPPB: -12,
            advances: true, advancedNs: 5_100_000, intervalNs: 5_100_000,
            offsetsToPHCs: [.init(phcIndex: 0, offsetNs: 1_000_000_000 - phyOffset)])
        itf.phcs[1].health = ClockHealth(
            offsetToRealtimeNs: phyOffset, method: "extended", frequencyPPB: 0,
            advances: phyAdvances, advancedNs: phyAdvances ? 5_100_000 : 0, intervalNs: 5_100_000)
        return itf
    }

    func findings(_ input: DiagnosisInput, _ id: Check) -> [Finding] {
        Diagnosis.run(input).findings.filter { $0.id == id.rawValue }
    }

    @Test func lostTimestampsWarnWithTheCounts() throws {
        let f = findings(DiagnosisInput(snapshot: Board.snapshot(Self.board())), .txTimestampsLost)
        #expect(f.count == 1)
        #expect(f[0].severity == .warning)
        #expect(f[0].statement.contains("lost 3 and failed 0 transmit timestamps") && f[0].statement.contains("(40 delivered)"))
        #expect(f[0].evidence[0].says == "TSINFO statistics: tx_pkts 40, tx_lost 3, tx_err 0")
        #expect(findings(DiagnosisInput(snapshot: Board.snapshot(Self.board(lost: 0))), .txTimestampsLost).isEmpty)
    }

    @Test func growthDuringASampleIsAnErrorAndNoGrowthOnlyInfo() {
        let itf = Self.board()
        var input = DiagnosisInput(snapshot: Board.snapshot(itf))
        input.statsSamples["eth2"] = TsStatsSample(before: itf.tsStats!, after: TsStats(txPkts: 50, txLost: 5, txErr: 1), seconds: 2)
        let f = findings(input, .txTimestampsLost)
        #expect(f.map(\.severity) == [.error])
        #expect(f.first?.statement.contains("2 lost and 1 in error in 2 s") == true)
        input.statsSamples["eth2"] = TsStatsSample(before: itf.tsStats!, after: TsStats(txPkts: 50, txLost: 3, txErr: 0), seconds: 2)
        #expect(findings(input, .txTimestampsLost).map(\.severity) == [.info])
    }

    @Test func countersThatCannotBeReadAreNotRunNeverAPass() {
        var itf = Self.board()
        itf.tsStats = TsStats(state: .unavailable, errno: 22, message: "this kernel has no timestamping statistics (Linux 6.10 added them)")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))
        #expect(r.notRun.contains { $0.check == "tx-timestamps-lost" && $0.reason.contains("Linux 6.10") })
        itf.tsStats = TsStats(txPkts: 4)  // a driver that counts only delivered stamps
        #expect(Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf))).notRun.contains { $0.check == "tx-timestamps-lost" })
    }

    @Test func aStoppedClockIsAnErrorAndClocksFarApartAreInfo() {
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Self.board(phyAdvances: false))))
        let stopped = r.findings.filter { $0.id == "clock-stopped" }
        #expect(stopped.map(\.severity) == [.error])
        #expect(stopped.first?.statement.hasPrefix("ptp0 \"Marvell 88E151x PTP\" does not advance") == true)
        let apart = r.findings.filter { $0.id == "clocks-far-apart" }
        #expect(apart.map(\.severity) == [.info])
        #expect(apart.first?.statement.contains("ptp2 and ptp0 of eth2 are 1.5 s apart") == true)
        let near = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(Self.board(phyOffset: 1_000_000_100))))
        #expect(!near.findings.contains { $0.id == "clocks-far-apart" || $0.id == "clock-stopped" })
    }

    @Test func unreadableClocksAreNotRun() {
        var itf = Self.board()
        itf.phcs[0].health = ClockHealth(
            state: .unavailable, errno: 13, message: "open(/dev/ptp2): Permission denied (reading a PTP clock needs root)")
        let r = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf)))
        #expect(r.notRun.contains { $0.check == "clock-stopped" && $0.reason.contains("needs root") })
    }

    @Test func textShowsCountersByTheKernelsNamesAndEachClock() {
        let out = ShowText.render(Board.snapshot(Self.board(phyAdvances: false)), style: .plain)
        #expect(out.contains("  stats      tx_pkts 40, tx_lost 3, tx_err 0\n"))
        #expect(out.contains("  ptp2       +1.000000000 s to realtime (extended), -1.500000000 s to ptp0, freq -12 ppb, advancing\n"))
        #expect(out.contains("  ptp0       +2.500000000 s to realtime (extended), freq +0 ppb, NOT ADVANCING\n"))
        var none = Self.board()
        none.tsStats = TsStats()
        #expect(ShowText.render(Board.snapshot(none), style: .plain).contains("stats      the driver reports no timestamping counters"))
    }

    @Test func jsonRoundTripsAndAbsentCountersAreNull() throws {
        let snap = Board.snapshot(Self.board(err: nil), Board.virtio())
        let json = snap.json
        let stats = try #require(json["interfaces"]?.arrayValue?[0]["ts_stats"])
        #expect(stats["tx_lost"] == .int(3))
        #expect(stats["tx_err"] == .null)
        #expect(json["interfaces"]?.arrayValue?[1]["ts_stats"] == .null)
        #expect(try Snapshot(json: try JSON.parse(json.serialized())) == snap)
    }

    @Test func prometheusExportsCountersAsCountersWithADeviceLabel() {
        let snap = Board.snapshot(Self.board())
        let scope = CheckRender.JUnitScope(baseline: false, expect: false, hardware: [], seconds: 0)
        let text = CheckRender.prometheus(Diagnosis.run(DiagnosisInput(snapshot: snap)), snapshot: snap, scope: scope, status: 0, now: 1)
        #expect(text.contains("# TYPE tsctl_ts_tx_lost_total counter\ntsctl_ts_tx_lost_total{device=\"eth2\"} 3\n"))
        #expect(text.contains("tsctl_ts_tx_pkts_total{device=\"eth2\"} 40\n"))
        #expect(!text.contains("tsctl_ts_tx_onestep_pkts_unconfirmed_total"), "a counter the driver does not report is left out")
        #expect(text.contains("tsctl_phc_advancing{device=\"eth2\",phc=\"ptp0\"} 1\n"))
        #expect(text.contains("tsctl_phc_offset_realtime_seconds{device=\"eth2\",phc=\"ptp2\"} 1.0\n"))
        #expect(text.contains("tsctl_phc_info{device=\"eth2\",phc=\"ptp0\",clock_name=\"Marvell 88E151x PTP\"} 1\n"), "the name in _info")
    }

    /// A clock that cannot be opened is reported per clock with the reason,
    /// and a dangling index (no /sys/class/ptp/ptpN) is not opened at all.
    @Test func aClockThatCannotBeOpenedSaysWhy() {
        var itf = Board.igb(phc: 4093)
        itf.phcs.append(PHC(index: 4094, present: false))
        var list = [itf]
        Inventory.attachClockHealth(&list)
        let h = list[0].phcs[0].health
        #expect(h?.state == .unavailable)
        #expect(h?.message?.hasPrefix("open(/dev/ptp4093): ") == true)
        #expect(h?.errno == Int(ENOENT) || h?.errno == Int(EACCES))
        #expect(list[0].phcs[1].health == nil)
    }
}
