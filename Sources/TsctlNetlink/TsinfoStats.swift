// TSINFO statistics (6.10): the driver's get_ts_stats counters, asked with
// ETHTOOL_FLAG_STATS in the header of a per-device TSINFO *do* without a
// provider. Before 7.1 the same flag with a provider or in a dump gives
// zero-filled counters; from 7.1 it is refused (EOPNOTSUPP). So tsctl never
// asks for them any other way.

extension Ethtool {
    /// ETHTOOL_A_TS_STAT_* inside ETHTOOL_A_TSINFO_STATS; each an NLA_UINT
    /// (4 or 8 bytes). A counter the driver does not fill is left out.
    public enum TsStat {
        public static let TX_PKTS: UInt16 = 1  // 6.10
        public static let TX_LOST: UInt16 = 2  // 6.10
        public static let TX_ERR: UInt16 = 3  // 6.10
        public static let TX_ONESTEP_PKTS_UNCONFIRMED: UInt16 = 4  // 6.14
    }
}

/// The counters of one device; nil where the driver reported nothing (not 0).
public struct TsStatsReply: Equatable, Sendable {
    public var device: DeviceRef
    public var txPkts: UInt64?
    public var txLost: UInt64?
    public var txErr: UInt64?
    public var txOnestepPktsUnconfirmed: UInt64?

    public init(
        device: DeviceRef, txPkts: UInt64? = nil, txLost: UInt64? = nil, txErr: UInt64? = nil,
        txOnestepPktsUnconfirmed: UInt64? = nil
    ) {
        self.device = device
        self.txPkts = txPkts
        self.txLost = txLost
        self.txErr = txErr
        self.txOnestepPktsUnconfirmed = txOnestepPktsUnconfirmed
    }
}

extension Decode {
    /// The STATS nest of a TSINFO_GET_REPLY; the rest of the reply is the
    /// advertised view, which `tsinfo` decodes.
    static func tsinfoStats(_ msg: NetlinkMessage) throws(NetlinkError) -> TsStatsReply {
        try expect(msg, Ethtool.Reply.TSINFO_GET_REPLY, "TSINFO_GET_REPLY")
        var r = TsStatsReply(device: DeviceRef(ifindex: 0, name: ""))
        var a = msg.genlAttributes
        while a.next() {
            switch a.type {
            case Ethtool.Tsinfo.HEADER: r.device = header(&a)
            case Ethtool.Tsinfo.STATS:
                var s = a.nested
                while s.next() {
                    switch s.type {
                    case Ethtool.TsStat.TX_PKTS: r.txPkts = s.uint()
                    case Ethtool.TsStat.TX_LOST: r.txLost = s.uint()
                    case Ethtool.TsStat.TX_ERR: r.txErr = s.uint()
                    case Ethtool.TsStat.TX_ONESTEP_PKTS_UNCONFIRMED: r.txOnestepPktsUnconfirmed = s.uint()
                    default: break
                    }
                }
                a.absorb(s)
            default: break
            }
        }
        try a.finish()
        return r
    }
}

extension EthtoolClient {
    /// TSINFO_GET *do* for one device with ETHTOOL_FLAG_STATS and no provider:
    /// the only form every kernel since 6.10 answers with real counters.
    public func tsinfoStatsRequest(_ dev: DeviceSelector) -> RequestSpec {
        let label: String
        switch dev {
        case .name(let n): label = "TSINFO_GET stats \(n)"
        case .index(let i): label = "TSINFO_GET stats ifindex \(i)"
        case .interface(_, let n): label = "TSINFO_GET stats \(n)"
        }
        let flags = Ethtool.Header.FLAG_STATS | (compact ? Ethtool.Header.FLAG_COMPACT_BITSETS : 0)
        return RequestSpec(command: Ethtool.Cmd.TSINFO_GET, label: label) { b in
            b.nest(Ethtool.Tsinfo.HEADER) {
                switch dev {
                case .name(let n): b.string(Ethtool.Header.DEV_NAME, n)
                case .index(let i), .interface(let i, _): b.u32(Ethtool.Header.DEV_INDEX, i)
                }
                b.u32(Ethtool.Header.FLAGS, flags)
            }
        }
    }

    public func decodeTsinfoStats(_ o: Outcome) -> Result<TsStatsReply, NetlinkError> {
        switch o {
        case .failure(let e): return .failure(e)
        case .success(let msgs):
            guard let m = msgs.first else { return .failure(.malformed("the kernel acknowledged without a reply")) }
            do { return .success(try Decode.tsinfoStats(m)) } catch { return .failure(error) }
        }
    }

    /// The counters of one device.
    public func tsinfoStats(_ dev: DeviceSelector) throws(NetlinkError) -> TsStatsReply {
        guard family.has(Ethtool.Cmd.TSINFO_GET) else {
            throw .opMissing(family: Ethtool.familyName, op: "TSINFO_GET", since: "5.7")
        }
        return try decodeTsinfoStats(genl.batch([tsinfoStatsRequest(dev)])[0]).get()
    }
}
