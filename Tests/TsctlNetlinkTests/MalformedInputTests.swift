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
