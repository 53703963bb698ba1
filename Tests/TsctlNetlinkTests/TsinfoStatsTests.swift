import Foundation
import Testing
@testable import TsctlNetlink

/// TSINFO statistics against exchanges captured from Linux 6.18.
@Suite struct TsinfoStatsTests {
    /// tsctl's stats request has the attributes of the captured one the kernel
    /// answered (veth0 by name, ETHTOOL_FLAG_STATS, no provider nest).
    @Test func theRequestIsTheOneTheKernelAnswered() throws {
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let spec = client.tsinfoStatsRequest(.name("veth0"))
        #expect(!spec.ack)
        let b = RequestBuilder(family: client.family.id, command: spec.command, version: 1, flags: NL.F_REQUEST, seq: 1)
        spec.fill(b)
        let ours = try #require(try NetlinkMessage.split(b.bytes).first)
        let captured = try #require(try NetlinkMessage.split(try Fixture("tsinfo-stats-veth").sent[0]).first)
        #expect(ours.genlCommand == captured.genlCommand)
        #expect(Array(ours.payload) == Array(captured.payload))
    }

    /// veth has no get_ts_stats: the kernel sends an empty STATS nest, and
    /// every counter stays absent (nil), not 0.
    @Test func anEmptyStatsNestLeavesEveryCounterAbsent() throws {
        let msgs = try Fixture("tsinfo-stats-veth").receivedMessages
        let r = try Decode.tsinfoStats(msgs[0])
        #expect(r == TsStatsReply(device: DeviceRef(ifindex: 3, name: "veth0")))
        // The same reply still decodes as the advertised view.
        #expect(try Decode.tsinfo(msgs[0]).timestamping?.names == ["software-transmit", "software-receive", "software-system-clock"])
    }

    /// Why tsctl never asks in a dump: the kernel refuses, with this text.
    @Test func aStatsDumpIsRefusedWithTheKernelsReason() throws {
        let msgs = try Fixture("tsinfo-stats-dump").receivedMessages
        let e = try #require(NetlinkChannel.decodeError(msgs[0], request: "TSINFO_GET stats dump"))
        #expect(e.errno == EOPNOTSUPP)
        #expect(e.message == "stats not supported in dump")
    }

    /// Counters are NLA_UINT: 4 bytes when they fit, 8 when not. Built by
    /// hand (malformed-input style): the 8-byte form needs 2^32 stamps.
    @Test func fourAndEightByteCountersBothDecode() throws {
        var msg = try Fixture("tsinfo-stats-veth").received[0]
        // Replace the empty STATS nest (the last 4 bytes) with TX_PKTS as u64 and TX_LOST as u32.
        msg.removeLast(4)
        let pkts: [UInt8] = [12, 0, 1, 0] + withUnsafeBytes(of: UInt64(1 << 33 | 5).littleEndian, Array.init)
        let lost: [UInt8] = [8, 0, 2, 0] + withUnsafeBytes(of: UInt32(7).littleEndian, Array.init)
        let nest = pkts + lost
        msg += withUnsafeBytes(of: UInt16(4 + nest.count).littleEndian, Array.init) + [6, 0x80] + nest
        withUnsafeBytes(of: UInt32(msg.count).littleEndian) { for i in 0..<4 { msg[i] = $0[i] } }
        let r = try Decode.tsinfoStats(try #require(try NetlinkMessage.split(msg).first))
        #expect(r.txPkts == 1 << 33 | 5)
        #expect(r.txLost == 7)
        #expect(r.txErr == nil && r.txOnestepPktsUnconfirmed == nil)
    }

    @Test func aCounterOfAnotherSizeIsMalformed() throws {
        var msg = try Fixture("tsinfo-stats-veth").received[0]
        msg.removeLast(4)
        msg += [12, 0, 6, 0x80, 6, 0, 3, 0, 1, 0, 0, 0]  // TX_ERR with 2 bytes
        withUnsafeBytes(of: UInt32(msg.count).littleEndian) { for i in 0..<4 { msg[i] = $0[i] } }
        #expect(throws: NetlinkError.self) { _ = try Decode.tsinfoStats(try NetlinkMessage.split(msg)[0]) }
    }
}
