import Testing
import TsctlKernel
import TsctlModel
import TsctlRender

/// `show` in text writes the snapshot a chunk of interfaces at a time: the chunks,
/// end to end, are the snapshot a whole reading gives, and so is their text.
struct ChunkedSnapshotTests {
    /// One chunk holding every interface: the very snapshot, statistics included.
    @Test(arguments: TraceReplayTests.all.filter { $0.hasSuffix("-all") })
    func oneChunkIsTheWholeSnapshot(name: String) throws {
        let whole = try TraceReplayTests.load(name).0.inventory().snapshot(names: nil)
        var parts: [[InterfaceSnapshot]] = []
        _ = try TraceReplayTests.load(name).0.inventory().snapshot(names: nil, detail: .complete, chunk: 256) { part, _ in
            parts.append(part)
        }
        #expect(parts == [whole.interfaces])
    }

    @Test(arguments: TraceReplayTests.all.filter { $0.hasSuffix("-all") })
    func chunksMakeTheWholeSnapshot(name: String) throws {
        let whole = try TraceReplayTests.load(name).0.inventory().snapshot(names: nil)
        var parts: [[InterfaceSnapshot]] = []
        var kernel: KernelInfo?
        let last = try TraceReplayTests.load(name).0.inventory().snapshot(names: nil, detail: .complete, chunk: 2) { part, k in
            parts.append(part)
            kernel = k
        }
        // A recorded trace holds one batch of statistics requests; chunks of two
        // send one a chunk, which the replay cannot answer: compared without them.
        func noStats(_ a: [InterfaceSnapshot]) -> [InterfaceSnapshot] {
            a.map {
                var i = $0; i.tsStats = nil; return i
            }
        }
        #expect(noStats(parts.flatMap { $0 }) == noStats(whole.interfaces))
        #expect(parts.dropLast().allSatisfy { $0.count == 2 })
        #expect(last == whole.kernel)
        #expect(kernel?.features.tsconfig == whole.kernel.features.tsconfig)
        var text = ""
        var w = ShowText.Writer(style: .plain) { text += String(decoding: $0, as: UTF8.self) }
        for part in parts { for itf in noStats(part) { w.add(itf, kernel: kernel!) } }
        w.finish()
        #expect(text == ShowText.render(Snapshot(kernel: whole.kernel, interfaces: noStats(whole.interfaces)), style: .plain))
        #expect(w.count == whole.interfaces.count)
    }
}
