import Foundation
import Testing
import TsctlModel

@testable import TsctlNetlink

/// The client against byte-exact exchanges captured from a real kernel
/// (Linux 6.18, Scripts/fixtures/capture).
@Suite struct ClientReplayTests {
    @Test func showLoExchangeIsByteExactAndDecodes() throws {
        let replay = ReplayTransport(try Fixture("show-lo"))
        let client = try EthtoolClient(transport: replay)
        #expect(client.family.id == 21)
        #expect(client.family.groups["monitor"] != nil)
        #expect(client.hasTsinfo && client.hasPhyGet && client.hasTsconfig)
        // TSCONFIG_SET needs CAP_NET_ADMIN (GENL_UNS_ADMIN_PERM); the GETs do not.
        #expect(client.family.ops[UInt32(Ethtool.Cmd.TSCONFIG_SET)]! & GenlCtrl.GENL_UNS_ADMIN_PERM != 0)
        #expect(client.family.ops[UInt32(Ethtool.Cmd.TSCONFIG_GET)]! & (GenlCtrl.GENL_ADMIN_PERM | GenlCtrl.GENL_UNS_ADMIN_PERM) == 0)

        let dump = try client.tsinfoDump(.name("lo"))
        #expect(dump.count == 1)
        #expect(dump[0].device == DeviceRef(ifindex: 1, name: "lo"))
        #expect(dump[0].timestamping?.names == ["software-transmit", "software-receive", "software-system-clock"])
        #expect(dump[0].timestamping?.size == 19)
        #expect(dump[0].phcIndex == nil && dump[0].provider == nil)

        #expect(try client.phyDump(.name("lo")).isEmpty)

        let outcomes = client.batch([client.tsinfoRequest(.name("lo")), client.tsconfigRequest(.name("lo"))])
        let adv = try client.decodeTsinfo(outcomes[0]).get()
        #expect(adv.timestamping?.indices == [1, 3, 4])
        switch client.decodeTsconfig(outcomes[1]) {
        case .success: Issue.record("lo has no hwtstamp_get; TSCONFIG_GET must fail")
        case .failure(let e):
            #expect(e.isNotSupported)
            #expect(e.errno == EOPNOTSUPP)
        }
        #expect(replay.mismatches.isEmpty, "\(replay.mismatches)")
        #expect(replay.finished)
    }

    @Test func everyNestTsctlSendsCarriesNLA_F_NESTED() throws {
        for name in ["show-lo", "show-all-veth"] {
            for datagram in try Fixture(name).sent {
                for msg in try NetlinkMessage.split(datagram) {
                    #expect(msg.flags & NL.F_REQUEST != 0)
                    var a = msg.genlAttributes
                    var checked = 0
                    while a.next() {
                        // In ethtool requests attribute 1 is always the header nest;
                        // the controller's FAMILY_NAME is a string.
                        if msg.type != GenlCtrl.familyID && a.type == 1 {
                            #expect(a.isNested, "\(name): header nest without NLA_F_NESTED")
                            checked += 1
                        }
                    }
                    try a.finish()
                    // libnl drops an empty nest, so an unfiltered dump has no header
                    // (the kernel then walks every device); every *do* names its device.
                    let isDump = msg.flags & NL.F_DUMP == NL.F_DUMP
                    if msg.type != GenlCtrl.familyID { #expect(checked == 1 || (isDump && checked == 0)) }
                }
            }
        }
    }

    @Test func requestFlagsFollowTheKernelsRules() throws {
        var sawTsconfigDump = false
        for msg in try Fixture("show-all-veth").sent.flatMap({ try NetlinkMessage.split($0) }) {
            let isDump = msg.flags & NL.F_DUMP == NL.F_DUMP
            // A GET ends with its one reply or error: no ACK asked for.
            #expect(msg.flags & NL.F_ACK == 0)
            var a = msg.genlAttributes
            var hasDevice = false
            while a.next() {
                guard a.type == 1 else { continue }
                var h = a.nested
                while h.next() { if h.type == Ethtool.Header.DEV_NAME || h.type == Ethtool.Header.DEV_INDEX { hasDevice = true } }
            }
            if msg.genlCommand == Ethtool.Cmd.TSCONFIG_GET && isDump {
                // The kernel ignores a device filter on this dump, so none is sent.
                #expect(!hasDevice)
                sawTsconfigDump = true
            }
            if msg.genlCommand == Ethtool.Cmd.PHY_GET { #expect(isDump) }
        }
        #expect(sawTsconfigDump)
    }

    @Test func showAllDumpListsEveryDeviceOfTheNamespace() throws {
        let f = try Fixture("show-all-veth")
        let tsinfo = try f.receivedMessages.filter { $0.genlCommand == Ethtool.Reply.TSINFO_GET_REPLY && $0.type != NL.NLMSG_ERROR }
            .map(Decode.tsinfo)
        let names = Set(tsinfo.map(\.device.name))
        #expect(names == ["lo", "veth0", "veth1"])
        for r in tsinfo where r.device.name.hasPrefix("veth") {
            #expect(r.timestamping?.names == ["software-transmit", "software-receive", "software-system-clock"])
            #expect(r.txTypes == nil && r.rxFilters == nil)
        }
    }

    /// One dump shares the bitsets its devices send alike: the same replies as each
    /// message decoded on its own.
    @Test func aDumpDecodesItsSharedBitsetsAsEachAlone() throws {
        let msgs = try Fixture("show-all-veth").receivedMessages.filter {
            $0.genlCommand == Ethtool.Reply.TSINFO_GET_REPLY && $0.type != NL.NLMSG_ERROR
        }
        var cache = BitsetCache()
        let shared = try msgs.map { m throws(NetlinkError) in try Decode.tsinfo(m, names: .builtin, cache: &cache) }
        #expect(shared.count >= 3)
        #expect(try shared == msgs.map(Decode.tsinfo))
    }

    @Test func extackMessageAndOffsetAreKept() throws {
        let msg = try Fixture("tsinfo-nosuch-extack").receivedMessages[0]
        let err = try #require(try NetlinkChannel.decodeError(msg, request: "TSINFO_GET nosuch0"))
        #expect(err.errno == ENODEV)
        #expect(err.message == "no device matches name")
        #expect(err.offset == 24)  // the DEV_NAME attribute: 16 nlmsghdr + 4 genl + 4 nest header
        #expect(NetlinkError.kernel(err).isNoDevice)
        #expect(err.description.contains("no device matches name"))
    }

    @Test func missingNestedFlagIsExplainedByTheKernel() throws {
        let msg = try Fixture("tsinfo-nonested-extack").receivedMessages[0]
        let err = try #require(try NetlinkChannel.decodeError(msg, request: "TSINFO_GET lo"))
        #expect(err.errno == EINVAL)
        #expect(err.message == "NLA_F_NESTED is missing")
        #expect(err.offset == 20)
    }

    @Test func unknownProviderIsAPlainENODEV() throws {
        let msg = try Fixture("tsinfo-provider-enodev").receivedMessages[0]
        let err = try #require(try NetlinkChannel.decodeError(msg, request: "TSINFO_GET veth0"))
        #expect(err.errno == ENODEV)
        #expect(err.message == nil)
    }

    @Test func compactBitsetsDecodeToTheKernelNames() throws {
        let msgs = try Fixture("tsinfo-compact-veth").receivedMessages
        let r = try Decode.tsinfo(msgs[0])
        #expect(
            r.timestamping
                == BitList(
                    size: 19, indices: [1, 3, 4],
                    names: ["software-transmit", "software-receive", "software-system-clock"]))
        // The ACK that ends the do carries error 0.
        #expect(try NetlinkChannel.decodeError(msgs[1], request: "ack") == nil)
    }

    @Test func builtInNameTablesMatchTheKernelStringSets() throws {
        let sets = try Decode.strsets(try Fixture("strset-timestamping").receivedMessages[0])
        let byID = Dictionary(uniqueKeysWithValues: sets.map { ($0.id, $0.strings) })
        #expect(byID[Ethtool.StringSet.SOF_TIMESTAMPING] == TimestampingNames.sofTimestamping)
        #expect(byID[Ethtool.StringSet.TS_TX_TYPES] == TimestampingNames.txTypes)
        #expect(byID[Ethtool.StringSet.TS_RX_FILTERS] == TimestampingNames.rxFilters)
        #expect(byID[Ethtool.StringSet.TS_FLAGS] == TimestampingNames.hwtstampFlags)
    }
}

@Suite struct TsconfigSetRequestTests {
    /// The kernel accepts this shape (the QEMU test bed sends it to 7.2); here its
    /// bytes are pinned: provider nest, and compact NOMASK bitsets with a SIZE
    /// even when empty (a verbose empty list would be an empty nest, which
    /// libnl drops, and the kernel would then miss the size).
    @Test func oneRequestCarriesProviderTxRxAndAnEmptyFlagsSet() throws {
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let spec = client.tsconfigSetRequest(
            .name("eth0"),
            TsconfigChange(provider: ProviderID(phcIndex: 2, qualifier: 0), txType: 1, rxFilter: 12, flags: 0))
        #expect(spec.ack, "a SET may reply nothing before 6.18: it must end with an ACK")
        let b = RequestBuilder(family: client.family.id, command: spec.command, version: 1, flags: NL.F_REQUEST | NL.F_ACK, seq: 9)
        spec.fill(b)
        let msg = try #require(try NetlinkMessage.split(b.bytes).first)
        #expect(msg.genlCommand == Ethtool.Cmd.TSCONFIG_SET)
        var a = msg.genlAttributes
        var seen: [UInt16: (size: UInt32, value: [UInt8], nomask: Bool)] = [:]
        var provider: (UInt32, UInt32)?
        while a.next() {
            #expect(a.type == 1 || a.isNested, "every nest carries NLA_F_NESTED")
            switch a.type {
            case Ethtool.Tsconfig.HWTSTAMP_PROVIDER:
                var p = a.nested
                var idx: UInt32 = 99, q: UInt32 = 99
                while p.next() { if p.type == 1 { idx = p.u32() } else { q = p.u32() } }
                provider = (idx, q)
            case Ethtool.Tsconfig.TX_TYPES, Ethtool.Tsconfig.RX_FILTERS, Ethtool.Tsconfig.HWTSTAMP_FLAGS:
                var bs = a.nested
                var entry: (size: UInt32, value: [UInt8], nomask: Bool) = (0, [], false)
                while bs.next() {
                    switch bs.type {
                    case Ethtool.Bitset.NOMASK: entry.nomask = true
                    case Ethtool.Bitset.SIZE: entry.size = bs.u32()
                    case Ethtool.Bitset.VALUE: entry.value = Array(bs.value)
                    default: Issue.record("unexpected bitset attribute \(bs.type)")
                    }
                }
                seen[a.type] = entry
            default: break
            }
        }
        try a.finish()
        #expect(provider.map { [$0.0, $0.1] } == [2, 0])
        #expect(seen[Ethtool.Tsconfig.TX_TYPES].map { [$0.size] + $0.value.map(UInt32.init) } == [4, 0x02, 0, 0, 0])
        #expect(seen[Ethtool.Tsconfig.RX_FILTERS].map { [$0.size] + $0.value.map(UInt32.init) } == [16, 0x00, 0x10, 0, 0])
        #expect(seen[Ethtool.Tsconfig.HWTSTAMP_FLAGS].map { [$0.size] + $0.value.map(UInt32.init) } == [1, 0, 0, 0, 0])
        #expect(seen.values.allSatisfy { $0.nomask })
    }
}

/// Answers every request with the next captured kernel datagram, its sequence
/// number set to the request's (the captured request came from another sender).
final class ReseqTransport: NetlinkTransport {
    private var replies: [[UInt8]]
    private var lastSeq: UInt32 = 0
    init(_ replies: [[UInt8]]) { self.replies = replies }
    func send(_ bytes: [UInt8]) throws(NetlinkError) { lastSeq = bytes.le32(at: 8) }
    func receive() throws(NetlinkError) -> [UInt8] {
        guard !replies.isEmpty else { throw .system(call: "replay receive", errno: EPROTO) }
        var d = replies.removeFirst()
        withUnsafeBytes(of: lastSeq.littleEndian) { for i in 0..<4 { d[8 + i] = $0[i] } }
        return d
    }
}

@Suite struct MissingFamilyTests {
    @Test func aKernelWithoutTheEthtoolFamilyGetsAClearStatement() throws {
        let reply = try Fixture("getfamily-missing").received
        #expect(throws: NetlinkError.familyMissing("ethtool")) {
            _ = try EthtoolClient(transport: ReseqTransport(reply))
        }
        let e = NetlinkError.familyMissing("ethtool")
        #expect(e.description.contains("CONFIG_ETHTOOL_NETLINK"))
        #expect(e.isNotSupported, "tsctl maps it to exit 5, not supported")
    }
}
