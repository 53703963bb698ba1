import Testing
import TsctlModel

@testable import TsctlNetlink

/// tx types, rx filters and flags between the model's values and the bitsets
/// of TSCONFIG_SET and the GET replies.
@Suite struct KernelValueBitsetTests {
    @Test func aDecodedBitKeepsItsNumberOnlyWhereTheTableAgrees() {
        // A newer kernel's verbose bitset: a name tsctl's table lacks, at a new index.
        let bits = BitList(size: 5, indices: [1, 4], names: ["on", "onestep-pdelay"])
        let values = bits.values(TxTypeTable.self)
        #expect(values.map(\.name) == ["on", "onestep-pdelay"])
        #expect(values.map(\.index) == [1, nil])
        #expect(values[0].numbered?.index == 1 && values[1].numbered == nil)
        // A compact bitset beyond the fallback names reads bit-N: shown, never sent.
        let flags = BitList(size: 3, indices: [0, 2], names: ["bonded-phc-index", "bit-2"]).values(HwtstampFlagTable.self)
        #expect(flags.map(\.name) == ["bonded-phc-index", "bit-2"])
        #expect(HwtstampFlags(flags) == nil)
        #expect(HwtstampFlags([flags[0]])?.bits == 1)
    }

    /// Each bitset of a TSCONFIG_SET is as long as its name type's table and
    /// decodes back to the value that was sent.
    @Test func aRequestsBitsetsFollowTheirNameType() throws {
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let change = TsconfigChange(
            txType: TxType(name: "onestep-p2p")?.numbered, rxFilter: RxFilter(name: "ntp-all")?.numbered,
            flags: HwtstampFlags([HwtstampFlag(name: "bonded-phc-index")!]))
        let spec = client.tsconfigSetRequest(.index(7), change)
        #expect(spec.label == "TSCONFIG_SET ifindex 7")
        let b = RequestBuilder(family: client.family.id, command: spec.command, version: 1, flags: NL.F_REQUEST | NL.F_ACK, seq: 3)
        spec.fill(b)
        let msg = try #require(try NetlinkMessage.split(b.bytes).first)
        var a = msg.genlAttributes
        var decoded: [UInt16: BitList] = [:]
        var device: UInt32?
        while a.next() {
            switch a.type {
            case 1:
                var h = a.nested
                while h.next() { if h.type == Ethtool.Header.DEV_INDEX { device = h.u32() } }
                a.absorb(h)
            case Ethtool.Tsconfig.TX_TYPES: decoded[a.type] = BitList.decode(&a, fallbackNames: TimestampingNames.txTypes)
            case Ethtool.Tsconfig.RX_FILTERS: decoded[a.type] = BitList.decode(&a, fallbackNames: TimestampingNames.rxFilters)
            case Ethtool.Tsconfig.HWTSTAMP_FLAGS: decoded[a.type] = BitList.decode(&a, fallbackNames: TimestampingNames.hwtstampFlags)
            default: Issue.record("unexpected attribute \(a.type)")
            }
        }
        try a.finish()
        #expect(device == 7)
        let tx = try #require(decoded[Ethtool.Tsconfig.TX_TYPES])
        let rx = try #require(decoded[Ethtool.Tsconfig.RX_FILTERS])
        let flags = try #require(decoded[Ethtool.Tsconfig.HWTSTAMP_FLAGS])
        #expect(tx.size == TimestampingNames.txTypes.count && tx.values(TxTypeTable.self) == [TxType(index: 3)])
        #expect(rx.size == TimestampingNames.rxFilters.count && rx.values(RxFilterTable.self) == [RxFilter(index: 15)])
        #expect(
            flags.size == TimestampingNames.hwtstampFlags.count && flags.values(HwtstampFlagTable.self).map(\.name) == ["bonded-phc-index"])
    }

    @Test func anEmptyChangeCarriesOnlyTheDevice() throws {
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let spec = client.tsconfigSetRequest(.name("eth0"), TsconfigChange())
        let b = RequestBuilder(family: client.family.id, command: spec.command, version: 1, flags: NL.F_REQUEST | NL.F_ACK, seq: 3)
        spec.fill(b)
        let msg = try #require(try NetlinkMessage.split(b.bytes).first)
        var a = msg.genlAttributes
        var types: [UInt16] = []
        while a.next() { types.append(a.type) }
        try a.finish()
        #expect(types == [1])
    }
}

/// TSINFO for one provider (6.14): the device by index and the provider nest,
/// {PHC index, qualifier}, as the kernel reads them.
@Suite struct ProviderRequestTests {
    @Test func aProvidersTsinfoNamesTheDeviceAndTheProvider() throws {
        let client = try EthtoolClient(transport: ReplayTransport(try Fixture("show-lo")))
        let spec = client.tsinfoRequest(.index(4), provider: ProviderID(phcIndex: 2, qualifier: 1))
        #expect(spec.label == "TSINFO_GET ifindex 4" && spec.command == Ethtool.Cmd.TSINFO_GET)
        let b = RequestBuilder(family: client.family.id, command: spec.command, version: 1, flags: NL.F_REQUEST, seq: 5)
        spec.fill(b)
        let msg = try #require(try NetlinkMessage.split(b.bytes).first)
        var a = msg.genlAttributes
        var device: UInt32?, provider: [UInt16: UInt32] = [:]
        while a.next() {
            #expect(a.isNested)
            var n = a.nested
            while n.next() {
                if a.type == 1, n.type == Ethtool.Header.DEV_INDEX { device = n.u32() }
                if a.type == Ethtool.Tsinfo.HWTSTAMP_PROVIDER { provider[n.type] = n.u32() }
            }
            a.absorb(n)
        }
        try a.finish()
        #expect(device == 4)
        #expect(provider == [Ethtool.Provider.INDEX: 2, Ethtool.Provider.QUALIFIER: 1])
    }
}
