public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

// Typed ethtool replies. Only this module knows attribute numbers.

/// The device a message is about (reply header).
public struct DeviceRef: Equatable, Hashable, Sendable {
    public var ifindex: UInt32
    public var name: String
}

/// A decoded bitset: the set bits in bit order, with the kernel's names.
public struct BitList: Equatable, Sendable {
    /// ETHTOOL_A_BITSET_SIZE: how many bits this kernel defines.
    public var size: Int
    public var indices: [Int]
    public var names: [String]

    public init(size: Int, indices: [Int], names: [String]) {
        self.size = size
        self.indices = indices
        self.names = names
    }

    /// The set bits as values of a kernel name type, number and name.
    public func values<Table>(_: Table.Type = Table.self) -> [KernelValue<Table>] {
        zip(indices, names).map { KernelValue(index: UInt32($0.0), kernelName: $0.1) }
    }

    /// Decodes a verbose or compact bitset; names not given inline come from
    /// `fallbackNames` (the kernel's stable string set) or read "bit-N".
    static func decode(_ d: inout AttributeDecoder, fallbackNames: [String]) -> BitList {
        var a = d.nested
        var size = 0
        var listed: [(index: Int, name: String?, isSet: Bool)] = []
        var value: ArraySlice<UInt8>?
        var noMask = false
        while a.next() {
            switch a.type {
            case Ethtool.Bitset.NOMASK: noMask = true
            case Ethtool.Bitset.SIZE: size = Int(a.u32())
            case Ethtool.Bitset.VALUE: value = a.value
            case Ethtool.Bitset.BITS:
                var bits = a.nested
                listed = verboseBits(&bits)
                a.absorb(bits)
            default: break
            }
        }
        d.absorb(a)
        func name(_ i: Int) -> String { i < fallbackNames.count ? fallbackNames[i] : "bit-\(i)" }
        if let value { return compact(value, size: size, name: name) }
        // Verbose: a NOMASK list names only the set bits; otherwise VALUE marks them.
        var out = BitList(size: size, indices: [], names: [])
        for (i, n, isSet) in listed.sorted(by: { $0.index < $1.index }) where noMask || isSet {
            out.indices.append(i)
            out.names.append(n ?? name(i))
        }
        return out
    }

    /// ETHTOOL_A_BITSET_BITS: each bit's index, name and whether it is set.
    private static func verboseBits(_ bits: inout AttributeDecoder) -> [(index: Int, name: String?, isSet: Bool)] {
        var listed: [(index: Int, name: String?, isSet: Bool)] = []
        while bits.next() {
            guard bits.type == Ethtool.Bitset.BITS_BIT else { continue }
            var bit = bits.nested
            var index: Int?, name: String?, isSet = false
            while bit.next() {
                switch bit.type {
                case Ethtool.Bitset.BIT_INDEX: index = Int(bit.u32())
                case Ethtool.Bitset.BIT_NAME: name = bit.string()
                case Ethtool.Bitset.BIT_VALUE: isSet = true
                default: break
                }
            }
            bits.absorb(bit)
            // The kernel always sends the index; without it the bit means nothing.
            guard let index else { bits.reject("bitset bit without ETHTOOL_A_BITSET_BIT_INDEX"); break }
            listed.append((index, name, isSet))
        }
        return listed
    }

    /// A compact value: u32 words in host byte order, least significant word first.
    /// Set bits are counted first so each list is allocated once, then visited
    /// lowest first (a bit is cleared once taken).
    private static func compact(_ value: ArraySlice<UInt8>, size: Int, name: (Int) -> String) -> BitList {
        var out = BitList(size: size, indices: [], names: [])
        let words = value.count / 4
        func word(_ k: Int) -> UInt32 { value.le32(at: value.startIndex + k * 4) }
        var set = 0
        for k in 0..<words { set += word(k).nonzeroBitCount }
        out.indices.reserveCapacity(set)
        out.names.reserveCapacity(set)
        for k in 0..<words {
            var w = word(k)
            while w != 0 {
                let i = k * 32 + w.trailingZeroBitCount
                w &= w - 1
                if i < size || size == 0 { out.indices.append(i); out.names.append(name(i)) }
            }
        }
        return out
    }
}

/// The bitsets last decoded in one dump, by attribute: the devices of a large dump
/// (ten thousand veth) mostly send the same bytes, decoded once and then shared.
struct BitsetCache {
    private var last: [(type: UInt16, bytes: [UInt8], bits: BitList)] = []

    mutating func decode(_ d: inout AttributeDecoder, fallbackNames: [String]) -> BitList {
        let raw = d.value
        let k = last.firstIndex { $0.type == d.type }
        if let k, Self.same(last[k].bytes, raw) { return last[k].bits }
        let bits = BitList.decode(&d, fallbackNames: fallbackNames)
        // Only a clean decode is kept: a malformed one must fail again next time.
        guard d.error == nil else { return bits }
        let entry = (type: d.type, bytes: Array(raw), bits: bits)
        if let k { last[k] = entry } else { last.append(entry) }
        return bits
    }

    /// One memcmp: the element-wise comparison was a quarter of a TSINFO message's decoding.
    private static func same(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }
}

/// {PHC index, qualifier}: how the kernel names a timestamp provider (6.14).
public struct ProviderID: Equatable, Hashable, Sendable {
    public var phcIndex: UInt32
    public var qualifier: UInt32
    public init(phcIndex: UInt32, qualifier: UInt32) {
        self.phcIndex = phcIndex
        self.qualifier = qualifier
    }
}

/// ETHTOOL_MSG_TSINFO_GET_REPLY.
public struct TsinfoReply: Equatable, Sendable {
    public var device: DeviceRef
    public var timestamping: BitList?
    public var txTypes: BitList?
    public var rxFilters: BitList?
    public var phcIndex: UInt32?
    public var provider: ProviderID?
    /// enum hwtstamp_source (6.16): 1 netdev (MAC), 2 phylib (PHY).
    public var source: UInt32?
    public var phyIndex: UInt32?
}

/// ETHTOOL_MSG_PHY_GET_REPLY (6.12).
public struct PhyReply: Equatable, Sendable {
    public var device: DeviceRef
    public var index: UInt32
    public var driver: String?
    public var name: String
    public var upstreamType: UInt32
    public var upstreamIndex: UInt32?
    public var upstreamSFP: String?
    public var downstreamSFP: String?
}

/// ETHTOOL_MSG_TSCONFIG_GET_REPLY / _SET_REPLY (6.14).
public struct TsconfigReply: Equatable, Sendable {
    public var device: DeviceRef
    public var provider: ProviderID?
    public var txType: BitList?
    public var rxFilter: BitList?
    public var flags: BitList?
}

/// One string set from STRSET_GET.
public struct StringSet: Equatable, Sendable {
    public var id: UInt32
    public var strings: [String]
}

/// Names for the bits of compact bitsets: the kernel's string sets, read once
/// with STRSET_GET, or tsctl's copy of them.
public struct BitNames: Sendable, Equatable {
    public var timestamping: [String]
    public var txTypes: [String]
    public var rxFilters: [String]
    public var flags: [String]

    public static let builtin = BitNames(
        timestamping: TimestampingNames.sofTimestamping, txTypes: TimestampingNames.txTypes,
        rxFilters: TimestampingNames.rxFilters, flags: TimestampingNames.hwtstampFlags)
}

enum Decode {
    static func header(_ a: inout AttributeDecoder) -> DeviceRef {
        var h = a.nested
        var dev = DeviceRef(ifindex: 0, name: "")
        while h.next() {
            switch h.type {
            case Ethtool.Header.DEV_INDEX: dev.ifindex = h.u32()
            case Ethtool.Header.DEV_NAME: dev.name = h.string()
            default: break
            }
        }
        a.absorb(h)
        return dev
    }

    static func provider(_ a: inout AttributeDecoder) -> ProviderID {
        var p = a.nested
        var id = ProviderID(phcIndex: 0, qualifier: 0)
        while p.next() {
            switch p.type {
            case Ethtool.Provider.INDEX: id.phcIndex = p.u32()
            case Ethtool.Provider.QUALIFIER: id.qualifier = p.u32()
            default: break
            }
        }
        a.absorb(p)
        return id
    }

    static func tsinfo(_ msg: NetlinkMessage) throws(NetlinkError) -> TsinfoReply { try tsinfo(msg, names: .builtin) }

    static func tsinfo(_ msg: NetlinkMessage, names: BitNames) throws(NetlinkError) -> TsinfoReply {
        var cache = BitsetCache()
        return try tsinfo(msg, names: names, cache: &cache)
    }

    /// `cache`: the bitsets of the messages before in the same dump.
    static func tsinfo(_ msg: NetlinkMessage, names: BitNames, cache: inout BitsetCache) throws(NetlinkError) -> TsinfoReply {
        try expect(msg, Ethtool.Reply.TSINFO_GET_REPLY, "TSINFO_GET_REPLY")
        var r = TsinfoReply(device: DeviceRef(ifindex: 0, name: ""))
        var a = msg.genlAttributes
        while a.next() {
            switch a.type {
            case Ethtool.Tsinfo.HEADER: r.device = header(&a)
            case Ethtool.Tsinfo.TIMESTAMPING:
                r.timestamping = cache.decode(&a, fallbackNames: names.timestamping)
            case Ethtool.Tsinfo.TX_TYPES: r.txTypes = cache.decode(&a, fallbackNames: names.txTypes)
            case Ethtool.Tsinfo.RX_FILTERS: r.rxFilters = cache.decode(&a, fallbackNames: names.rxFilters)
            case Ethtool.Tsinfo.PHC_INDEX: r.phcIndex = a.u32()
            case Ethtool.Tsinfo.HWTSTAMP_PROVIDER: r.provider = provider(&a)
            case Ethtool.Tsinfo.HWTSTAMP_SOURCE: r.source = a.u32()
            case Ethtool.Tsinfo.HWTSTAMP_PHYINDEX: r.phyIndex = a.u32()
            default: break
            }
        }
        try a.finish()
        return r
    }

    static func phy(_ msg: NetlinkMessage) throws(NetlinkError) -> PhyReply {
        try expect(msg, Ethtool.Reply.PHY_GET_REPLY, "PHY_GET_REPLY")
        var r = PhyReply(device: DeviceRef(ifindex: 0, name: ""), index: 0, name: "", upstreamType: 0)
        var a = msg.genlAttributes
        while a.next() {
            switch a.type {
            case Ethtool.Phy.HEADER: r.device = header(&a)
            case Ethtool.Phy.INDEX: r.index = a.u32()
            case Ethtool.Phy.DRVNAME: r.driver = a.string()
            case Ethtool.Phy.NAME: r.name = a.string()
            case Ethtool.Phy.UPSTREAM_TYPE: r.upstreamType = a.u32()
            case Ethtool.Phy.UPSTREAM_INDEX: r.upstreamIndex = a.u32()
            case Ethtool.Phy.UPSTREAM_SFP_NAME: r.upstreamSFP = a.string()
            case Ethtool.Phy.DOWNSTREAM_SFP_NAME: r.downstreamSFP = a.string()
            default: break
            }
        }
        try a.finish()
        return r
    }

    static func tsconfig(_ msg: NetlinkMessage, names: BitNames) throws(NetlinkError) -> TsconfigReply {
        guard msg.genlCommand == Ethtool.Reply.TSCONFIG_GET_REPLY || msg.genlCommand == Ethtool.Reply.TSCONFIG_SET_REPLY
        else { throw .malformed("expected a TSCONFIG reply, got command \(msg.genlCommand.map(String.init) ?? "none")") }
        var r = TsconfigReply(device: DeviceRef(ifindex: 0, name: ""))
        var a = msg.genlAttributes
        while a.next() {
            switch a.type {
            case Ethtool.Tsconfig.HEADER: r.device = header(&a)
            case Ethtool.Tsconfig.HWTSTAMP_PROVIDER: r.provider = provider(&a)
            case Ethtool.Tsconfig.TX_TYPES: r.txType = BitList.decode(&a, fallbackNames: names.txTypes)
            case Ethtool.Tsconfig.RX_FILTERS: r.rxFilter = BitList.decode(&a, fallbackNames: names.rxFilters)
            case Ethtool.Tsconfig.HWTSTAMP_FLAGS:
                r.flags = BitList.decode(&a, fallbackNames: names.flags)
            default: break
            }
        }
        try a.finish()
        return r
    }

    static func strsets(_ msg: NetlinkMessage) throws(NetlinkError) -> [StringSet] {
        try expect(msg, Ethtool.Reply.STRSET_GET_REPLY, "STRSET_GET_REPLY")
        var out: [StringSet] = []
        var a = msg.genlAttributes
        while a.next() {
            guard a.type == Ethtool.Strset.STRINGSETS else { continue }
            var sets = a.nested
            while sets.next() {
                guard sets.type == Ethtool.Strset.STRINGSETS_STRINGSET else { continue }
                var set = sets.nested
                var s = StringSet(id: 0, strings: [])
                var byIndex: [(UInt32, String)] = []
                while set.next() {
                    switch set.type {
                    case Ethtool.Strset.STRINGSET_ID: s.id = set.u32()
                    case Ethtool.Strset.STRINGSET_STRINGS:
                        var strings = set.nested
                        while strings.next() {
                            var str = strings.nested
                            var idx: UInt32 = 0, value = ""
                            while str.next() {
                                switch str.type {
                                case Ethtool.Strset.STRING_INDEX: idx = str.u32()
                                case Ethtool.Strset.STRING_VALUE: value = str.string()
                                default: break
                                }
                            }
                            strings.absorb(str)
                            byIndex.append((idx, value))
                        }
                        set.absorb(strings)
                    default: break
                    }
                }
                sets.absorb(set)
                s.strings = byIndex.sorted { $0.0 < $1.0 }.map(\.1)
                out.append(s)
            }
            a.absorb(sets)
        }
        try a.finish()
        return out
    }

    static func expect(_ msg: NetlinkMessage, _ cmd: UInt8, _ name: String) throws(NetlinkError) {
        guard msg.genlCommand == cmd else {
            throw .malformed("expected \(name) (\(cmd)), got command \(msg.genlCommand.map(String.init) ?? "none")")
        }
    }
}
