import Foundation
import Testing
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

    @Test func extackMessageAndOffsetAreKept() throws {
        let msg = try Fixture("tsinfo-nosuch-extack").receivedMessages[0]
        let err = try #require(GenlClient.decodeError(msg, request: "TSINFO_GET nosuch0"))
        #expect(err.errno == ENODEV)
        #expect(err.message == "no device matches name")
        #expect(err.offset == 24)  // the DEV_NAME attribute: 16 nlmsghdr + 4 genl + 4 nest header
        #expect(NetlinkError.kernel(err).isNoDevice)
        #expect(err.description.contains("no device matches name"))
    }

    @Test func missingNestedFlagIsExplainedByTheKernel() throws {
        let msg = try Fixture("tsinfo-nonested-extack").receivedMessages[0]
        let err = try #require(GenlClient.decodeError(msg, request: "TSINFO_GET lo"))
        #expect(err.errno == EINVAL)
        #expect(err.message == "NLA_F_NESTED is missing")
        #expect(err.offset == 20)
    }

    @Test func unknownProviderIsAPlainENODEV() throws {
        let msg = try Fixture("tsinfo-provider-enodev").receivedMessages[0]
        let err = try #require(GenlClient.decodeError(msg, request: "TSINFO_GET veth0"))
        #expect(err.errno == ENODEV)
        #expect(err.message == nil)
    }

    @Test func compactBitsetsDecodeToTheKernelNames() throws {
        let msgs = try Fixture("tsinfo-compact-veth").receivedMessages
        let r = try Decode.tsinfo(msgs[0])
        #expect(r.timestamping == BitList(size: 19, indices: [1, 3, 4],
                                          names: ["software-transmit", "software-receive", "software-system-clock"]))
        // The ACK that ends the do carries error 0.
        #expect(GenlClient.decodeError(msgs[1], request: "ack") == nil)
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
