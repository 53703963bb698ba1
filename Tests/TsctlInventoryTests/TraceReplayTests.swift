import Foundation
import Testing
import TsctlKernel
import TsctlModel

/// Snapshots assembled again from real kernels' answers: each trace in Traces/
/// was recorded with TSCTL_TRACE while `tsctl show --json` ran (on this
/// machine's kernel by Scripts/fixtures/capture-traces, in the QEMU test bed by
/// tb_inspect), and NAME.json is what that run printed. Replaying the trace must
/// send the very same requests and print the very same document.
struct TraceReplayTests {
    static func load(_ name: String) throws -> (KernelTrace.Replay, JSON) {
        let dir = Bundle.module.url(forResource: "Traces", withExtension: nil)!
        let trace = try String(contentsOf: dir.appendingPathComponent(name + ".trace"), encoding: .utf8)
        let json = try String(contentsOf: dir.appendingPathComponent(name + ".json"), encoding: .utf8)
        return (try KernelTrace.Replay(trace), try JSON.parse(json))
    }

    /// The names the recorded run asked for, from its JSON: all of them for --all.
    static func replay(_ name: String, names: [String]?) throws -> (Snapshot, JSON, KernelTrace.Replay) {
        let (replay, printed) = try load(name)
        let snap = try replay.inventory().snapshot(names: names)
        return (snap, printed, replay)
    }

    static var all: [String] {
        let dir = Bundle.module.url(forResource: "Traces", withExtension: nil)!
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".trace") }.map { String($0.dropLast(6)) }.sorted()
    }

    @Test(arguments: all)
    func replayPrintsWhatTheKernelRunPrinted(name: String) throws {
        let (replay, printed) = try Self.load(name)
        let names: [String]? = name.hasSuffix("-all") ? nil : [String(name.split(separator: "-").last!)]
        let snap = try replay.inventory().snapshot(names: names)
        #expect(replay.deviations.isEmpty, "\(replay.deviations)")
        #expect(snap.json == printed)
    }

    @Test func hostNamespaceHasNoHardwareProviderAndStackingIsKept() throws {
        let (snap, _, _) = try Self.replay("host-all", names: nil)
        #expect(Set(snap.interfaces.map(\.name)) == ["lo", "veth0", "veth1", "mv0", "br0"])
        let byName = Dictionary(uniqueKeysWithValues: snap.interfaces.map { ($0.name, $0) })
        #expect(byName["mv0"]?.kind == "macvlan")
        #expect(byName["mv0"]?.lower == "veth0")
        #expect(byName["veth1"]?.master == "br0")
        for itf in snap.interfaces {
            #expect(itf.providers.isEmpty, "\(itf.name) has no hardware clock")
            #expect(itf.advertised?.phcIndex == nil)
        }
    }

    @Test func aDifferentRequestIsADeviationNotAnAnswer() throws {
        let (replay, _) = try Self.load("host-veth0")
        // The recording asked for veth0; asking for lo sends other bytes.
        #expect(throws: (any Error).self) { try replay.inventory().snapshot(names: ["lo"]) }
        #expect(!replay.deviations.isEmpty)
    }

    @Test func escapingKeepsEveryByte() {
        for s in ["plain", "a\\b", "tab\there", "caf\u{e9}", OSString.decode([0x65, 0xff, 0x0a])] {
            #expect(KernelTrace.unescape(KernelTrace.escape(s)[...]) == s)
        }
        #expect(KernelTrace.escape("a b\n") == "a b\\x0a")
    }

    @Test func malformedTracesAreRefusedWithTheLine() {
        #expect(throws: KernelTrace.Replay.ParseError.line(1, "hex outside a datagram")) { try KernelTrace.Replay("0000") }
        #expect(throws: KernelTrace.Replay.ParseError.line(2, "not hex: zz")) { try KernelTrace.Replay("> genl\nzz") }
        #expect(throws: KernelTrace.Replay.ParseError.line(1, "an answer without a question")) { try KernelTrace.Replay("= x") }
    }
}
