import Testing

@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

/// How a PHC reads: windows and resolution from samples shaped as the kernel
/// returns them (CLOCK_REALTIME before and after, the PHC between, in ns).
@Suite struct ClockReadTests {
    /// Seconds in a finding, to a tenth: a whole number after rounding has no ".0",
    /// so two reads a moment apart say the same (seen: "2000000000.0 s" against
    /// "2000000000 s" for the same two clocks in two boots).
    @Test func secondsAreWrittenToATenthWithoutATrailingZero() {
        #expect(Rules.seconds(2e9) == "2000000000 s")
        #expect(Rules.seconds(1_999_999_999.97) == "2000000000 s")
        #expect(Rules.seconds(2_000_000_000.04) == "2000000000 s")
        #expect(Rules.seconds(12.34) == "12.3 s")
        #expect(Rules.seconds(0.06) == "0.1 s")
    }

    /// Realtime near 2026-12-06, a PHC 37 s ahead (TAI), reads `gap` apart, windows as given.
    static func samples(windows: [Int64], phcSteps: [Int64], start: Int64 = 1_796_544_000_123_456_789) -> [ClockSample] {
        var out: [ClockSample] = []
        var t = start, phc = start + 37_000_000_000 + 4_321
        for (w, step) in zip(windows, phcSteps) {
            out.append(ClockSample(before: t, phc: phc, after: t + w))
            t += w + 211
            phc += step
        }
        return out
    }

    @Test func windowsAreTheNarrowestAndTheMedian() throws {
        // Odd count: the middle one; the kernel's order is kept out of it.
        let odd = Self.samples(windows: [1_303, 871, 912, 2_950, 880], phcSteps: [1_100, 1_100, 1_100, 1_100, 1_100])
        let w = try #require(ClockMeasurement.windows(odd))
        #expect(w.min == 871 && w.median == 912)
        // Even count: the mean of the two middle ones.
        let even = Self.samples(windows: [40_512, 40_488, 40_520, 41_960], phcSteps: [40_704, 40_704, 40_704, 40_704])
        let e = try #require(ClockMeasurement.windows(even))
        #expect(e.min == 40_488 && e.median == 40_516)
    }

    @Test func aSystemClockStepIsNoWindowAndNoSamplesNoStatistics() throws {
        var s = Self.samples(windows: [900, 950, 1_000], phcSteps: [1_000, 1_000, 1_000])
        s[0].after = s[0].before - 1_000_000_000  // settimeofday between the two readings
        let w = try #require(ClockMeasurement.windows(s))
        #expect(w.min == 950 && w.median == 975)
        #expect(ClockMeasurement.windows([]) == nil)
    }

    @Test func aCoarseCounterShowsItsGrain() {
        // A PHY counter in 8 ns ticks: every reading is on the grid whatever the read takes.
        let phy = Self.samples(
            windows: Array(repeating: 40_500, count: 8), phcSteps: [40_712, 40_704, 40_720, 40_704, 40_696, 40_704, 40_712, 0]
        )
        .map { s -> ClockSample in
            var s = s; s.phc -= s.phc % 8; return s
        }
        #expect(ClockMeasurement.resolution(phy.map(\.phc)) == 8)
        // A MAC clock whose readings land on any nanosecond.
        let mac = Self.samples(windows: Array(repeating: 900, count: 8), phcSteps: [1_111, 1_104, 1_117, 1_109, 1_098, 1_120, 1_103, 0])
        #expect(ClockMeasurement.resolution(mac.map(\.phc)) == 1)
    }

    @Test func tooFewDistinctReadingsGiveNoResolution() {
        // A stopped clock: the same reading every time.
        #expect(ClockMeasurement.resolution(Array(repeating: 1_796_544_037_000_000_000, count: 25)) == nil)
        // A clock coarser than the reads: two values seen, their one step is no grain.
        let coarse: [Int64] = [1_796_544_037_004_000_000, 1_796_544_037_004_000_000, 1_796_544_037_008_000_000]
        #expect(ClockMeasurement.resolution(coarse) == nil)
        // Order and repeats do not matter once enough distinct readings are there.
        let grid: [Int64] = [48, 16, 16, 0, 88, 40, 32, 88].map { 1_796_544_037_000_000_000 + $0 }
        #expect(ClockMeasurement.resolution(grid) == 8)
    }

    static func measured() -> InterfaceSnapshot {
        var itf = Board.macchiatobin(active: .phy)
        itf.phcs[0].health = ClockHealth(
            offsetToRealtimeNs: 37_000_000_000, method: "extended", advances: true,
            read: ClockRead(method: "extended", windowMinNs: 812, windowMedianNs: 1_306, samples: 100), resolutionNs: 1)
        itf.phcs[1].health = ClockHealth(
            offsetToRealtimeNs: 37_000_000_480, method: "extended", advances: true,
            read: ClockRead(method: "extended", windowMinNs: 40_488, windowMedianNs: 41_230, samples: 20), resolutionNs: 8)
        return itf
    }

    @Test func textJSONAndPrometheusCarryTheMeasurements() throws {
        let snap = Board.snapshot(Self.measured())
        let text = ShowText.render(snap, style: .plain)
        #expect(text.contains("advancing, read extended window 812 ns min, 1.3 µs median (100 samples), resolution 1 ns\n"))
        #expect(text.contains("read extended window 40.5 µs min, 41.2 µs median (20 samples), resolution 8 ns\n"))
        let json = snap.json
        let h = try #require(json["interfaces"]?.arrayValue?[0]["phcs"]?.arrayValue?[1]["health"])
        #expect(h["read"]?["window_min_ns"] == .int(40_488))
        #expect(h["read"]?["method"] == .string("extended"))
        #expect(h["read"]?["samples"] == .int(20))
        #expect(h["resolution_ns"] == .int(8))
        #expect(try Snapshot(json: try JSON.parse(json.serialized())) == snap)
        let scope = CheckRender.JUnitScope(baseline: false, expect: false, hardware: [], seconds: 0)
        let prom = CheckRender.prometheus(Diagnosis.run(DiagnosisInput(snapshot: snap)), snapshot: snap, scope: scope, status: 0, now: 1)
        #expect(prom.contains("# TYPE tsctl_phc_read_window_ns gauge\n"))
        #expect(prom.contains("tsctl_phc_read_window_ns{device=\"eth2\",phc=\"ptp0\",method=\"extended\",stat=\"min\"} 40488\n"))
        #expect(prom.contains("tsctl_phc_read_window_ns{device=\"eth2\",phc=\"ptp2\",method=\"extended\",stat=\"median\"} 1306\n"))
        #expect(prom.contains("tsctl_phc_resolution_ns{device=\"eth2\",phc=\"ptp0\"} 8\n"))
    }

    @Test func durationsReadShort() {
        #expect(ShowText.duration(812) == "812 ns")
        #expect(ShowText.duration(40_488) == "40.5 µs")
        #expect(ShowText.duration(2_305_000) == "2.31 ms")
        #expect(ShowText.duration(999_960) == "1.00 ms")
    }

    func worse(_ itf: InterfaceSnapshot) -> [Finding] {
        Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf))).findings.filter { $0.id == "active-clock-worse" }
    }

    @Test func aSlowActiveClockIsFoundBesideTheKnownPair() throws {
        let itf = Self.measured()
        let f = worse(itf)
        #expect(f.map(\.severity) == [.warning])
        let one = try #require(f.first)
        #expect(one.statement.hasPrefix("the active phy clock ptp0 reads 49 times worse than the mac clock ptp2 of eth2"))
        #expect(one.statement.contains("(narrowest read window 40.5 µs against 812 ns, a factor of 4 or more counts)"))
        #expect(
            one.evidence.map(\.says).contains(
                "ptp0: read window min 40488 ns, median 41230 ns over 20 PTP_SYS_OFFSET_EXTENDED samples, resolution 8 ns"))
        #expect(
            one.evidence.map(\.says).contains(
                "ptp2: read window min 812 ns, median 1306 ns over 100 PTP_SYS_OFFSET_EXTENDED samples, resolution 1 ns"))
        #expect(one.remedy?.hasPrefix("tsctl set eth2 --source mac") == true)
        // The known pair says the same from its table: both are reported.
        let all = Diagnosis.run(DiagnosisInput(snapshot: Board.snapshot(itf))).findings
        #expect(all.contains { $0.id == "precision-downgrade" })
    }

    @Test func theBetterClockActiveOrClocksAlikeFindNothing() {
        // The MAC active: nothing worse in use.
        var mac = Board.macchiatobin(active: .mac)
        mac.phcs = Self.measured().phcs
        #expect(worse(mac).isEmpty)
        // Less than the factor apart.
        var near = Self.measured()
        near.phcs[1].health?.read?.windowMinNs = 3_000
        #expect(worse(near).isEmpty)
        // The factor, but both well under microseconds: no margin.
        var fast = Self.measured()
        fast.phcs[0].health?.read?.windowMinNs = 150
        fast.phcs[1].health?.read?.windowMinNs = 800
        #expect(worse(fast).isEmpty)
        // Not measured (no --clocks, or the clock could not be read): nothing claimed.
        var unread = Self.measured()
        unread.phcs[1].health = nil
        #expect(worse(unread).isEmpty)
    }
}
