import Foundation
import Testing

@testable import TsctlCodec
@testable import TsctlModel

/// Every input that once crashed the desired-state or baseline fuzz target
/// (Fuzz/crashes/desired, Fuzz/crashes/baseline) goes through the same target
/// code again (FuzzTarget*.swift are Fuzz/Targets/*.swift): a trap here ends the
/// test run. Inputs in a crashes/open/ folder still crash and are left out.
@Suite struct FuzzReproducerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/crashes").standardized

    static func files(_ target: String) -> [String] {
        let dir = root.appendingPathComponent(target)
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "open" }.sorted().map { "\(target)/\($0)" }
    }

    static var all: [String] { files("desired") + files("baseline") }

    @Test func theReproducersAreThere() {
        #expect(Self.files("desired").count >= 1 && Self.files("baseline").count >= 1, "\(Self.root.path)")
    }

    @Test(arguments: all) func replays(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(name)))
        if name.hasPrefix("desired/") { fuzzDesired(bytes) } else { fuzzBaseline(bytes) }
    }

    /// The first crash the fuzzer found: a baseline whose "advertised" has no
    /// "timestamping" list. It is an invalid baseline, named by its JSON path.
    @Test func aBaselineWithoutAdvertisedTimestampingIsRefusedByPath() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("baseline/advertised-without-timestamping")))
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        #expect(throws: SnapshotDecodeError.self) { try Snapshot(json: try JSON.parse(text)) }
        do { _ = try Snapshot(json: try JSON.parse(text)) } catch let e as SnapshotDecodeError {
            #expect(e.path.hasSuffix(".advertised.timestamping"), "\(e)")
        }
    }
}
