// Administrative and operational link state (ifinfomsg flags, IFLA_OPERSTATE)
// for `tsctl watch`; decoded apart from LinkReply, which serves the snapshot.

public struct LinkState: Equatable, Sendable {
    public var index: UInt32
    public var name: String
    /// ifi_flags: IFF_UP 0x1, IFF_RUNNING 0x40, IFF_LOWER_UP 0x10000.
    public var flags: UInt32
    /// IFLA_OPERSTATE (RFC 2863): 0 unknown, 2 down, 5 dormant, 6 up, ...
    public var operstate: UInt8?

    public var isUp: Bool { flags & 0x1 != 0 }
    public var hasCarrier: Bool { flags & 0x10000 != 0 }

    /// "up", "down", "up, no carrier": what `ip link` users read.
    public var summary: String {
        guard isUp else { return "down" }
        return hasCarrier ? "up" : "up, no carrier"
    }
}

extension RtnlClient {
    static let IFLA_OPERSTATE: UInt16 = 16

    /// Every link's state (one RTM_GETLINK dump).
    public func linkStates() throws(NetlinkError) -> [LinkState] {
        let request = NetlinkRequest(label: "RTM_GETLINK state") { seq, flags in
            let b = RequestBuilder(
                type: RTM.GETLINK, flags: flags, seq: seq,
                header: [UInt8](repeating: 0, count: Self.ifinfomsgSize))
            b.u32(IFLA.EXT_MASK, 1 << 3)  // RTEXT_FILTER_SKIP_STATS
            return b.bytes
        }
        var out: [LinkState] = []
        for msg in try channel.dump(request) where msg.type == RTM.NEWLINK {
            out.append(try Self.decodeLinkState(msg))
        }
        return out.sorted { $0.index < $1.index }
    }

    static func decodeLinkState(_ msg: NetlinkMessage) throws(NetlinkError) -> LinkState {
        let p = msg.payload
        guard p.count >= ifinfomsgSize else { throw .malformed("RTM_NEWLINK shorter than ifinfomsg") }
        var s = LinkState(index: p.le32(at: p.startIndex + 4), name: "", flags: p.le32(at: p.startIndex + 8), operstate: nil)
        var a = AttributeDecoder(p.dropFirst(ifinfomsgSize))
        while a.next() {
            switch a.type {
            case IFLA.IFNAME: s.name = a.string()
            case IFLA_OPERSTATE: s.operstate = a.value.first
            default: break
            }
        }
        try a.finish()
        return s
    }
}
