import Foundation
import Testing

@testable import TsctlNetlink

/// Malformed input on purpose: captured replies cut short or corrupted must
/// give a decode error, never a crash or a silently wrong value.
@Suite struct MalformedInputTests {
    @Test func truncatedDatagramsAreRejected() throws {
        let reply = try Fixture("show-lo").received[1]  // the TSINFO dump datagram
        let whole = try NetlinkMessage.split(reply)
        // Where each message ends: a cut there leaves whole messages.
        var boundaries = Set<Int>()
        var end = 0
        for m in whole { end += (NetlinkMessage.headerSize + m.payload.count + 3) & ~3; boundaries.insert(end) }
        var refused = 0
        for cut in 1..<reply.count {
            let short = Array(reply[0..<cut])
            if boundaries.contains(cut) {
                for m in try NetlinkMessage.split(short) where m.type != NL.NLMSG_DONE {
                    _ = try Decode.tsinfo(m)
                }
            } else {
                #expect(throws: NetlinkError.self, "cut at \(cut) of \(reply.count)") { try NetlinkMessage.split(short) }
                refused += 1
            }
        }
        #expect(refused == reply.count - 1 - boundaries.filter { $0 < reply.count }.count)
    }

    @Test func corruptedAttributeLengthsAreCaughtByTheStickyError() throws {
        let reply = try Fixture("tsinfo-compact-veth").received[0]
        var sawError = false
        // Set each attribute-length byte after the genl header to an overlong value.
        for i in stride(from: 20, to: reply.count - 1, by: 4) {
            var bad = reply
            bad[i] = 0xf0
            guard let msgs = try? NetlinkMessage.split(bad), let m = msgs.first else { sawError = true; continue }
            do { _ = try Decode.tsinfo(m) } catch { sawError = true }
        }
        #expect(sawError)
    }

    @Test func aWrongReplyCommandIsNotTakenForTsinfo() throws {
        let strset = try Fixture("strset-timestamping").receivedMessages[0]
        #expect(throws: NetlinkError.self) { try Decode.tsinfo(strset) }
    }
}

/// Hostile bytes that once trapped the decoder: each starts from a captured
/// reply and changes a few bytes by hand (malformed on purpose, not a kernel reply).
@Suite struct HostileReplyTests {
    /// Index of the first occurrence of `pattern` in `bytes`.
    private func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        return (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }

    @Test func aBitsetBitWithoutAnIndexIsMalformedNotBitMinusOne() throws {
        var reply = try Fixture("show-lo").received[1]  // TSINFO dump: verbose NOMASK bitsets
        // A BITS_BIT nest (len 36, nested) whose first attribute is BIT_INDEX (len 8, type 1).
        let at = try #require(find([0x24, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00], in: reply))
        reply[at + 6] = 0x09  // BIT_INDEX becomes an attribute type the decoder skips
        let msgs = try NetlinkMessage.split(reply)
        #expect(throws: NetlinkError.malformed("bitset bit without ETHTOOL_A_BITSET_BIT_INDEX")) {
            try Decode.tsinfo(msgs[0])
        }
    }

    /// A dump keeps the bitsets it decoded to share them with the next devices that
    /// send the same bytes: a malformed bitset must not be kept, so it fails each time.
    @Test func aMalformedBitsetFailsAgainInTheSameDump() throws {
        var reply = try Fixture("show-lo").received[1]
        let at = try #require(find([0x24, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00], in: reply))
        reply[at + 6] = 0x09
        let bad = try NetlinkMessage.split(reply)[0]
        let good = try NetlinkMessage.split(try Fixture("show-lo").received[1])[0]
        var cache = BitsetCache()
        let clean = try Decode.tsinfo(good, names: .builtin, cache: &cache)
        for _ in 0..<2 {
            #expect(throws: NetlinkError.malformed("bitset bit without ETHTOOL_A_BITSET_BIT_INDEX")) {
                try Decode.tsinfo(bad, names: .builtin, cache: &cache)
            }
        }
        #expect(try Decode.tsinfo(good, names: .builtin, cache: &cache) == clean)
    }

    @Test func anErrorCodeOfInt32MinIsMalformedNotNegated() throws {
        var reply = try Fixture("tsinfo-nosuch-extack").received[0]
        for code: UInt32 in [0x8000_0000, 0x0000_0013, 0xffff_f000] {  // Int32.min, +19, -4096
            withUnsafeBytes(of: code.littleEndian) { reply.replaceSubrange(16..<20, with: $0) }
            let msg = try NetlinkMessage.split(reply)[0]
            #expect(throws: NetlinkError.self, "code \(Int32(bitPattern: code))") {
                try NetlinkChannel.decodeError(msg, request: "TSINFO_GET nosuch0")
            }
        }
        // The largest errno the kernel can send still decodes.
        withUnsafeBytes(of: UInt32(0xffff_f001).littleEndian) { reply.replaceSubrange(16..<20, with: $0) }
        let err = try #require(try NetlinkChannel.decodeError(try NetlinkMessage.split(reply)[0], request: "x"))
        #expect(err.errno == 4095)
    }

    @Test func aBatchAnsweredWithAnUndecodableErrorFailsThatRequest() throws {
        var reply = try Fixture("tsinfo-nosuch-extack").received[0]
        withUnsafeBytes(of: UInt32(0x8000_0000).littleEndian) { reply.replaceSubrange(16..<20, with: $0) }
        reply.replaceSubrange(8..<12, with: [1, 0, 0, 0])  // seq 1: a fresh channel's first request
        let transport = ScriptedTransport([reply])
        let channel = NetlinkChannel(transport: transport)
        let outcome = channel.batch([NetlinkRequest(label: "TSINFO_GET nosuch0") { _, _ in [] }])
        guard case .failure(.malformed(let why)) = outcome[0] else {
            Issue.record("expected a malformed-reply failure, got \(outcome[0])")
            return
        }
        #expect(why.contains("-2147483648"))
    }
}

/// Hands out fixed datagrams, then fails: a reply stream that may be malformed.
final class ScriptedTransport: NetlinkTransport {
    private var datagrams: [[UInt8]]
    init(_ datagrams: [[UInt8]]) { self.datagrams = datagrams }
    func send(_ bytes: [UInt8]) throws(NetlinkError) {}
    func receive() throws(NetlinkError) -> [UInt8] {
        guard !datagrams.isEmpty else { throw .system(call: "scripted receive", errno: EPROTO) }
        return datagrams.removeFirst()
    }
}
