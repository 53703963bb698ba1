public import TsctlModel

/// How a request names its device.
public enum DeviceSelector: Sendable, Equatable {
    case name(String)
    case index(UInt32)
    /// By index, named by `name` in messages: an interface the kernel has answered for.
    case interface(index: UInt32, name: String)
}

/// The ethtool generic-netlink family: every query has a singular form (a *do*
/// for one device) and a plural one (a *dump*, filtered or over all devices).
/// Feature checks come from the family's op list, never the kernel version.
public final class EthtoolClient {
    public let genl: GenlClient

    public var family: GenlFamily { genl.family }

    /// When set, TSINFO and TSCONFIG_GET ask for compact bitsets (bit numbers
    /// only) and `names` holds the kernel's names for them: much less to send
    /// and decode for thousands of interfaces.
    public private(set) var compact = false
    public private(set) var names = BitNames.builtin

    /// Switches to compact bitsets, reading the bit names once from the kernel
    /// (STRSET_GET of the timestamping string sets).
    public func useCompactBitsets() throws(NetlinkError) {
        var ids = [Ethtool.StringSet.SOF_TIMESTAMPING, Ethtool.StringSet.TS_TX_TYPES, Ethtool.StringSet.TS_RX_FILTERS]
        if hasTsconfig { ids.append(Ethtool.StringSet.TS_FLAGS) }
        var n = BitNames.builtin
        for set in try stringSets(ids) {
            switch set.id {
            case Ethtool.StringSet.SOF_TIMESTAMPING: n.timestamping = set.strings
            case Ethtool.StringSet.TS_TX_TYPES: n.txTypes = set.strings
            case Ethtool.StringSet.TS_RX_FILTERS: n.rxFilters = set.strings
            case Ethtool.StringSet.TS_FLAGS: n.flags = set.strings
            default: break
            }
        }
        names = n
        compact = true
    }

    private var headerFlags: UInt32 { compact ? Ethtool.Header.FLAG_COMPACT_BITSETS : 0 }
    private func decodeTsinfo(_ m: NetlinkMessage) throws(NetlinkError) -> TsinfoReply { try Decode.tsinfo(m, names: names) }
    private func decodeTsconfig(_ m: NetlinkMessage) throws(NetlinkError) -> TsconfigReply { try Decode.tsconfig(m, names: names) }

    public init(transport: NetlinkTransport) throws(NetlinkError) {
        genl = try GenlClient(transport: transport, familyName: Ethtool.familyName)
    }

    /// A client of the family another client resolved, on its own socket (for
    /// requests from a second thread), without resolving it again. It reads
    /// bitsets in full until `useCompactBitsets`.
    public init(transport: NetlinkTransport, family: GenlFamily) {
        genl = GenlClient(transport: transport, family: family)
    }

    /// Opens a libnl socket and resolves the family.
    public static func open() throws(NetlinkError) -> EthtoolClient {
        try EthtoolClient(transport: LibnlSocket())
    }

    public var hasTsinfo: Bool { family.has(Ethtool.Cmd.TSINFO_GET) }
    public var hasPhyGet: Bool { family.has(Ethtool.Cmd.PHY_GET) }
    public var hasTsconfig: Bool { family.has(Ethtool.Cmd.TSCONFIG_GET) && family.has(Ethtool.Cmd.TSCONFIG_SET) }

    private func require(_ op: UInt8, _ name: String, since: String) throws(NetlinkError) {
        guard family.has(op) else { throw .opMissing(family: Ethtool.familyName, op: name, since: since) }
    }

    private static func header(_ b: RequestBuilder, _ dev: DeviceSelector?, flags: UInt32 = 0, keepEmpty: Bool = false) {
        b.nest(1, keepEmpty: keepEmpty) {  // ETHTOOL_A_*_HEADER is attribute 1 in every message
            switch dev {
            case .name(let n): b.string(Ethtool.Header.DEV_NAME, n)
            case .index(let i), .interface(let i, _): b.u32(Ethtool.Header.DEV_INDEX, i)
            case nil: break
            }
            if flags != 0 { b.u32(Ethtool.Header.FLAGS, flags) }
        }
    }

    private static func label(_ op: String, _ dev: DeviceSelector?) -> String {
        switch dev {
        case .name(let n): return "\(op) \(n)"
        case .index(let i): return "\(op) ifindex \(i)"
        case .interface(_, let n): return "\(op) \(n)"
        case nil: return op
        }
    }

    // MARK: TSINFO (5.7; provider nest 6.14)

    public func tsinfoRequest(_ dev: DeviceSelector?, provider: ProviderID? = nil) -> RequestSpec {
        let flags = headerFlags
        return RequestSpec(command: Ethtool.Cmd.TSINFO_GET, label: Self.label("TSINFO_GET", dev)) { b in
            Self.header(b, dev, flags: flags)
            if let provider {
                b.nest(Ethtool.Tsinfo.HWTSTAMP_PROVIDER) {
                    b.u32(Ethtool.Provider.INDEX, provider.phcIndex)
                    b.u32(Ethtool.Provider.QUALIFIER, provider.qualifier)
                }
            }
        }
    }

    /// Every provider: filtered on one device, or over all devices when nil.
    /// On 6.14+ one message per provider; before, one per device.
    public func tsinfoDump(_ dev: DeviceSelector?) throws(NetlinkError) -> [TsinfoReply] {
        try require(Ethtool.Cmd.TSINFO_GET, "TSINFO_GET", since: "5.7")
        var cache = BitsetCache()
        let names = names
        return try genl.dump(tsinfoRequest(dev)) { (m: NetlinkMessage) throws(NetlinkError) -> TsinfoReply? in
            try Decode.tsinfo(m, names: names, cache: &cache)
        }
    }

    /// The TSINFO dump of every device as its messages, undecoded, a datagram at a
    /// time as they arrive (another thread decodes them with `tsinfoDumpDecoder`).
    /// It is made once: a device added or removed meanwhile may be missing.
    public func tsinfoMessages(each: ([NetlinkMessage]) -> Void) throws(NetlinkError) {
        try require(Ethtool.Cmd.TSINFO_GET, "TSINFO_GET", since: "5.7")
        try genl.stream(tsinfoRequest(nil), messages: each)
    }

    /// Decodes the messages of one TSINFO dump in the bit names this client reads
    /// them in, each distinct bitset once.
    public struct TsinfoDumpDecoder: Sendable {
        let names: BitNames
        var cache = BitsetCache()

        public mutating func decode(_ m: NetlinkMessage) throws(NetlinkError) -> TsinfoReply {
            try Decode.tsinfo(m, names: names, cache: &cache)
        }
    }

    public var tsinfoDumpDecoder: TsinfoDumpDecoder { TsinfoDumpDecoder(names: names) }

    // MARK: PHY_GET (6.12)

    /// The PHYs of one device, or of all devices; PHY_GET's *do* cannot name a
    /// PHY index (the kernel rejects it), so this is always a dump.
    public func phyDump(_ dev: DeviceSelector?) throws(NetlinkError) -> [PhyReply] {
        try require(Ethtool.Cmd.PHY_GET, "PHY_GET", since: "6.12")
        let spec = RequestSpec(command: Ethtool.Cmd.PHY_GET, label: Self.label("PHY_GET", dev)) { b in
            Self.header(b, dev)
        }
        return try genl.dump(spec) { (m: NetlinkMessage) throws(NetlinkError) -> PhyReply? in try Decode.phy(m) }
    }

    // MARK: TSCONFIG (6.14)

    public func tsconfigRequest(_ dev: DeviceSelector) -> RequestSpec {
        let flags = headerFlags
        return RequestSpec(command: Ethtool.Cmd.TSCONFIG_GET, label: Self.label("TSCONFIG_GET", dev)) { b in
            Self.header(b, dev, flags: flags)
        }
    }

    /// The active configuration of every device that has one: the kernel's dump
    /// ignores any device filter and silently leaves out devices that answer
    /// EOPNOTSUPP; another per-device error (ENODEV) ends the whole dump.
    public func tsconfigDump() throws(NetlinkError) -> [TsconfigReply] {
        try require(Ethtool.Cmd.TSCONFIG_GET, "TSCONFIG_GET", since: "6.14")
        let flags = headerFlags
        let spec = RequestSpec(command: Ethtool.Cmd.TSCONFIG_GET, label: "TSCONFIG_GET dump") { b in Self.header(b, nil, flags: flags) }
        return try genl.dump(spec) { (m: NetlinkMessage) throws(NetlinkError) -> TsconfigReply? in try decodeTsconfig(m) }
    }

    /// Several kinds of *do* in one batch (one round trip for a single interface).
    public func batch(_ specs: [RequestSpec]) -> [Outcome] { genl.batch(specs) }

    public func decodeTsinfo(_ o: Outcome) -> Result<TsinfoReply, NetlinkError> { single(o, decodeTsinfo) }
    public func decodeTsconfig(_ o: Outcome) -> Result<TsconfigReply, NetlinkError> { single(o, decodeTsconfig) }

    // MARK: STRSET (5.6)

    /// Global string sets by id (names of timestamping bits, tx types, ...).
    public func stringSets(_ ids: [UInt32]) throws(NetlinkError) -> [StringSet] {
        let spec = RequestSpec(command: Ethtool.Cmd.STRSET_GET, label: "STRSET_GET") { b in
            Self.header(b, nil, keepEmpty: true)
            b.nest(Ethtool.Strset.STRINGSETS) {
                for id in ids {
                    b.nest(Ethtool.Strset.STRINGSETS_STRINGSET) { b.u32(Ethtool.Strset.STRINGSET_ID, id) }
                }
            }
        }
        let msgs = try genl.batch([spec])[0].get()
        var out: [StringSet] = []
        for m in msgs { out += try Decode.strsets(m) }
        return out
    }
}

private func single<T>(_ o: Outcome, _ decode: (NetlinkMessage) throws(NetlinkError) -> T) -> Result<T, NetlinkError> {
    switch o {
    case .failure(let e): return .failure(e)
    case .success(let msgs):
        guard let m = msgs.first else { return .failure(.malformed("the kernel acknowledged without a reply")) }
        do { return .success(try decode(m)) } catch { return .failure(error) }
    }
}

// MARK: TSCONFIG_SET (6.14)

/// What one TSCONFIG_SET carries; nil fields are not sent (the kernel keeps
/// them, except that a provider change starts from an all-zero config).
public struct TsconfigChange: Equatable, Sendable {
    public var provider: ProviderID?
    public var txType: TxType.Numbered?
    public var rxFilter: RxFilter.Numbered?
    /// HWTSTAMP_FLAG_* bits, sent as a whole list.
    public var flags: HwtstampFlags?

    public init(
        provider: ProviderID? = nil, txType: TxType.Numbered? = nil, rxFilter: RxFilter.Numbered? = nil,
        flags: HwtstampFlags? = nil
    ) {
        self.provider = provider
        self.txType = txType
        self.rxFilter = rxFilter
        self.flags = flags
    }
}

extension EthtoolClient {
    public func tsconfigSetRequest(_ dev: DeviceSelector, _ change: TsconfigChange) -> RequestSpec {
        RequestSpec(command: Ethtool.Cmd.TSCONFIG_SET, label: "TSCONFIG_SET \(Self.describe(dev))", ack: true) { b in
            b.nest(1) {
                switch dev {
                case .name(let n): b.string(Ethtool.Header.DEV_NAME, n)
                case .index(let i), .interface(let i, _): b.u32(Ethtool.Header.DEV_INDEX, i)
                }
            }
            if let p = change.provider {
                b.nest(Ethtool.Tsconfig.HWTSTAMP_PROVIDER) {
                    b.u32(Ethtool.Provider.INDEX, p.phcIndex)
                    b.u32(Ethtool.Provider.QUALIFIER, p.qualifier)
                }
            }
            // Each bitset is as long as the kernel's string set of its name type.
            if let tx = change.txType { Self.bits(b, Ethtool.Tsconfig.TX_TYPES, size: TxType.Numbered.bitCount, [tx.index]) }
            if let rx = change.rxFilter { Self.bits(b, Ethtool.Tsconfig.RX_FILTERS, size: RxFilter.Numbered.bitCount, [rx.index]) }
            if let f = change.flags { Self.bits(b, Ethtool.Tsconfig.HWTSTAMP_FLAGS, size: HwtstampFlags.bitCount, f.indices) }
        }
    }

    /// A compact NOMASK bitset: the value replaces what was there (the kernel
    /// wants exactly one tx type and one filter), and an empty set (no flags)
    /// stays well-formed; a verbose list with no bits would be an empty nest,
    /// which libnl drops.
    static func bits(_ b: RequestBuilder, _ attr: UInt16, size: Int, _ set: [UInt32]) {
        // u32 words in host byte order, least significant word first.
        var words = [UInt32](repeating: 0, count: (size + 31) / 32)
        for bit in set where Int(bit) < size { words[Int(bit) / 32] |= 1 << (bit % 32) }
        b.nest(attr) {
            b.flag(Ethtool.Bitset.NOMASK)
            b.u32(Ethtool.Bitset.SIZE, UInt32(size))
            b.binary(Ethtool.Bitset.VALUE, words.withUnsafeBytes { Array($0) })
        }
    }

    /// Applies a change. The kernel replies with the new config from 6.18 on;
    /// earlier kernels (and PHY providers before 6.19) may send only the ACK: nil.
    public func setTsconfig(_ dev: DeviceSelector, _ change: TsconfigChange) throws(NetlinkError) -> TsconfigReply? {
        guard family.has(Ethtool.Cmd.TSCONFIG_SET) else {
            throw .opMissing(family: Ethtool.familyName, op: "TSCONFIG_SET", since: "6.14")
        }
        let msgs = try genl.batch([tsconfigSetRequest(dev, change)])[0].get()
        guard let m = msgs.first else { return nil }
        return try decodeTsconfig(m)
    }

    static func describe(_ dev: DeviceSelector) -> String {
        switch dev {
        case .name(let n): return n
        case .index(let i): return "ifindex \(i)"
        case .interface(_, let n): return n
        }
    }
}
