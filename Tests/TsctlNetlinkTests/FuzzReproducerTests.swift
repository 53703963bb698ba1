import Foundation
import Testing

@testable import TsctlNetlink

/// Every input that once crashed a fuzz target (Fuzz/crashes/netlink, made by
/// Scripts/fuzz or by hand from captured replies) goes through the same target
/// code again (FuzzTargetNetlink.swift is Fuzz/Targets/netlink.swift): a trap
/// here ends the test run.
@Suite struct NetlinkFuzzReproducerTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/crashes/netlink").standardized

    static var reproducers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func theReproducersAreThere() {
        #expect(Self.reproducers.count >= 3, "\(Self.dir.path)")
    }

    @Test(arguments: reproducers) func replays(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.dir.appendingPathComponent(name)))
        fuzzNetlink(bytes)
        // Each is a malformed reply: it must be refused, not decoded into something.
        guard bytes.first == 0, let msgs = try? NetlinkMessage.split(Array(bytes.dropFirst())) else { return }
        for m in msgs {
            if m.type == NL.NLMSG_ERROR {
                #expect(throws: NetlinkError.self) { try NetlinkChannel.decodeError(m, request: name) }
            } else {
                #expect(throws: NetlinkError.self) { try Decode.tsinfo(m) }
            }
        }
    }
}
