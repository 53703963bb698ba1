import Testing
@testable import TsctlNetlink

/// Malformed input on purpose: captured replies cut short or corrupted must
/// give a decode error, never a crash or a silently wrong value.
@Suite struct MalformedInputTests {
    @Test func truncatedDatagramsAreRejected() throws {
        let reply = try Fixture("show-lo").received[1]  // the TSINFO dump datagram
        for cut in stride(from: 1, to: reply.count, by: 7) {
            let short = Array(reply[0..<cut])
            if let msgs = try? NetlinkMessage.split(short) {
                // A cut on a message boundary leaves whole messages; they must decode.
                for m in msgs where m.genlCommand == Ethtool.Reply.TSINFO_GET_REPLY && m.type != NL.NLMSG_DONE {
                    _ = try Decode.tsinfo(m)
                }
            }
        }
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
