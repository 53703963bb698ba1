import Foundation
import Testing

@testable import TsctlCodec
@testable import TsctlModel

/// Hostile or huge desired-state files: refused with their position, never a
/// stack overflow, and parsed in time proportional to their size.
@Suite struct DesiredStateLimitTests {
    func error(_ text: String) -> DesiredStateError? {
        do { _ = try DesiredState.parse(text, file: "f.toml"); return nil } catch { return error }
    }

    @Test func deeplyNestedArraysAreRefusedNotRecursedInto() {
        let e = error("[[interface]]\nname = \"eth0\"\nflags = " + String(repeating: "[", count: 50_000) + "\n")
        #expect(e?.description == "f.toml:3:25: arrays nested more than 16 deep are not ones tsctl reads")
    }

    @Test func aHeaderOfManyDottedPartsIsRefused() {
        let e = error("[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]\n")
        #expect(e?.description == "f.toml:1:1: a table header with more than 16 dotted parts is not one tsctl reads")
    }

    @Test func anIntegerBeyondRangeIsNamedAsSuch() {
        #expect(error("version = 99999999999999999999\n")?.description == "f.toml:1:11: 99999999999999999999 is out of range")
    }

    static func entries(_ n: Int) -> String {
        var s = "version = 1\n"
        s.reserveCapacity(n * 40)
        for i in 0..<n { s += "[[interface]]\nname = \"e\(i)\"\ntx = \"on\"\n" }
        return s
    }

    /// Fastest of three runs, in seconds.
    static func parseTime(_ text: String) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let d = try DesiredState.parse(text, file: "f.toml")
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            #expect(d.interfaces.count == text.split(separator: "[").count - 1)
        }
        return best
    }

    @Test func parsingGrowsLinearlyWithTheNumberOfEntries() throws {
        // 8x the entries: linear parsing takes about 8x as long, quadratic 64x
        // (before, 40,000 entries took 26 s). 24x leaves room for noise.
        let small = try Self.parseTime(Self.entries(12_500))
        let large = try Self.parseTime(Self.entries(100_000))
        #expect(large / small < 24, "12,500 entries: \(small) s, 100,000: \(large) s")
        // Only a guard against a hang: the growth above is the test. A debug build
        // on a busy 2-core machine took 10 s once; the quadratic parser took hours.
        #expect(large < 120, "100,000 entries in \(large) s")
    }
}
