import Testing
import TsctlModel

@testable import TsctlKernel
@testable import TsctlSystem

/// A system for `Watcher` that replays states and link events and records
/// what was written and how long was waited.
final class ScriptedWatch: WatchSystem {
    var reads: [Result<[(String, WatchState)], KernelFailure>]
    /// One answer per wait slice; none left: a stop request.
    var events: [Bool]
    var gone = false
    var failOnEmit: Int?
    var emitted: [[WatchEvent]] = []
    var waits: [Int32] = []
    var stop = false

    init(reads: [[(String, WatchState)]], events: [Bool]) {
        self.reads = reads.map { .success($0) }
        self.events = events
    }

    func states() throws(KernelFailure) -> [(String, WatchState)] { try reads.removeFirst().get() }
    func linkEvent(milliseconds: Int32) -> Bool {
        waits.append(milliseconds)
        if events.isEmpty {
            stop = true
            return false
        }
        return events.removeFirst()
    }
    var stopRequested: Bool { stop }
    var readerGone: Bool { gone }
    func emit(_ events: [WatchEvent]) {
        emitted.append(events)
        if emitted.count == failOnEmit { stop = true }
    }
}

@Suite struct WatcherTests {
    let up = WatchState(Board.igb(), link: "up, carrier")
    let down = WatchState(Board.igb(), link: "down")

    @Test func firstTheStateThenOnlyWhatChanged() throws {
        let w = ScriptedWatch(reads: [[("eth0", up)], [("eth0", up)], [("eth0", down)]], events: [true, true])
        #expect(try Watcher(interval: 1).run(w) == .stopped)
        #expect(w.emitted == [[.state("eth0", up)], [.changed("eth0", field: "link", before: "up, carrier", after: "down")]])
        // A link event re-reads at once; the stop came during the third wait.
        #expect(w.waits == [100, 100, 100])
    }

    @Test func withoutEventsTheIntervalIsWaitedInSlices() throws {
        let w = ScriptedWatch(reads: [[], [("eth1", up)]], events: [false, false])
        #expect(try Watcher(interval: 0.2).run(w) == .stopped)
        #expect(w.waits == [100, 100, 100])
        #expect(w.emitted == [[.added("eth1", up)]])
    }

    @Test func aGoneReaderEndsTheWatchWithoutAnotherRead() throws {
        let w = ScriptedWatch(reads: [[("eth0", up)]], events: [false, false])
        w.gone = true
        #expect(try Watcher(interval: 1).run(w) == .readerGone)
        #expect(w.waits == [100])
    }

    @Test func aFailedWriteStopsBeforeWaiting() throws {
        let w = ScriptedWatch(reads: [[("eth0", up)]], events: [true])
        w.failOnEmit = 1
        #expect(try Watcher(interval: 1).run(w) == .stopped)
        #expect(w.waits.isEmpty)
    }

    @Test func aKernelFailureEndsTheWatchWithIt() {
        let w = ScriptedWatch(reads: [[("eth0", up)]], events: [true])
        w.reads.append(.failure(KernelFailure(errno: 1, message: "ETHTOOL_MSG_TSINFO_GET: Operation not permitted")))
        #expect(throws: KernelFailure.self) { try Watcher(interval: 1).run(w) }
        #expect(w.emitted.count == 1)
    }

    @Test func theKernelsStatesAreThoseOfTheInterfacesNamed() throws {
        let kernel = try KernelSession.open()
        let lo = try KernelWatchStates(kernel: kernel, names: ["lo"]).read()
        #expect(lo.map(\.0) == ["lo"])
        #expect(lo.first?.1.values["link"]?.hasPrefix("up") == true)
        #expect(lo.first?.1.values["providers"] == "none")
        #expect(try KernelWatchStates(kernel: kernel, names: ["tsctl-none0"]).read().isEmpty)
        #expect(try KernelWatchStates(kernel: kernel, names: []).read().contains { $0.0 == "lo" })
    }

    @Test func timestampsAreUTCToTheMillisecond() {
        #expect(Sys.utcTimestamp(seconds: 1_795_621_638, microseconds: 123_456) == "2026-11-25T15:47:18.123Z")
        #expect(Sys.utcTimestamp(seconds: 0, microseconds: 9_999) == "1970-01-01T00:00:00.009Z")
        #expect(Sys.utcTimestamp(seconds: 0, microseconds: 99_000) == "1970-01-01T00:00:00.099Z")
        #expect(Sys.utcTimestamp().hasSuffix("Z"))
    }
}
