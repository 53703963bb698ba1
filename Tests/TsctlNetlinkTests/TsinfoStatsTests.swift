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
        let e = try #require(try NetlinkChannel.decodeError(msgs[0], request: "TSINFO_GET stats dump"))
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
        // Optionals named as such: Debian's Swift 6.2 crashes (SILGen) on #expect
        // comparing an Optional<UInt64> with an integer literal expression.
        let pkts64: UInt64? = 1 << 33 | 5
        let lost64: UInt64? = 7
        #expect(r.txPkts == pkts64)
        #expect(r.txLost == lost64)
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

/// Real counters, captured in the QEMU test bed from the test module's
/// get_ts_stats on 7.x and 6.12 after one stamped and one lost frame.
@Suite struct TsinfoStatsTestbedTests {
    @Test(arguments: ["show-health-sid", "show-health-trixie"])
    func theCountersOfOneStampedAndOneLostFrameDecode(_ name: String) throws {
        let f = try Fixture(name)
        // tsctl's stats request: by ifindex, FLAGS = ETHTOOL_FLAG_STATS alone, no provider.
        let sent = try f.sent.flatMap { try NetlinkMessage.split($0) }
        let statsRequests = sent.filter { m in
            guard m.genlCommand == Ethtool.Cmd.TSINFO_GET else { return false }
            var a = m.genlAttributes
            while a.next() {
                guard a.type == Ethtool.Tsinfo.HEADER else { continue }
                var h = a.nested
                while h.next() {
                    if h.type == Ethtool.Header.FLAGS { return h.u32() == Ethtool.Header.FLAG_STATS }
                }
            }
            return false
        }
        #expect(statsRequests.count == 1)
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let b = RequestBuilder(family: 0, command: Ethtool.Cmd.TSINFO_GET, version: 1, flags: NL.F_REQUEST, seq: 1)
        client.tsinfoStatsRequest(.index(2)).fill(b)
        let ours = try #require(try NetlinkMessage.split(b.bytes).first)
        #expect(Array(ours.payload) == Array(try #require(statsRequests.first).payload))

        let replies = f.receivedMessages.filter { $0.genlCommand == Ethtool.Reply.TSINFO_GET_REPLY }
        let stats = try replies.map(Decode.tsinfoStats).filter { $0.txPkts != nil || $0.txLost != nil }
        #expect(stats == [TsStatsReply(device: DeviceRef(ifindex: 2, name: "eth0"), txPkts: 1, txLost: 1, txErr: 0)])
        // Replies to requests without the flag carry no counters at all.
        #expect(try replies.map(Decode.tsinfoStats).filter { $0.txErr == nil }.count == replies.count - 1)
    }
}
