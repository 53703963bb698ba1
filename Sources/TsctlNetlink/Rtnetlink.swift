import CNetlink

/// One link as RTM_GETLINK describes it: just what tsctl needs to list
/// interfaces and see through stacked devices.
public struct LinkReply: Equatable, Sendable {
    public var index: UInt32
    public var name: String
    /// IFLA_INFO_KIND: "vlan", "macvlan", "bond", "veth", ...; nil for plain hardware.
    public var kind: String?
    /// IFLA_LINK: the lower device's ifindex (VLAN, macvlan; for veth the peer).
    public var link: UInt32?
    /// IFLA_LINK_NETNSID is set when `link` lives in another namespace.
    public var linkInOtherNamespace: Bool
    /// IFLA_MASTER: the bond or bridge this link is enslaved to.
    public var master: UInt32?
    /// IFLA_BOND_ACTIVE_SLAVE for a bond in active-backup mode.
    public var bondActiveSlave: UInt32?
    /// IFLA_PARENT_DEV_NAME (5.15): the parent device (a MAC's PCI or platform
    /// device). `parentKnown` is true when the kernel sends it whenever there is
    /// one, so nil then means "no parent" and sysfs need not be asked.
    public var parentDevice: String?
    public var parentKnown: Bool

    public init(
        index: UInt32, name: String, kind: String? = nil, link: UInt32? = nil, linkInOtherNamespace: Bool = false,
        master: UInt32? = nil, bondActiveSlave: UInt32? = nil, parentDevice: String? = nil, parentKnown: Bool = false
    ) {
        (self.index, self.name, self.kind, self.link, self.linkInOtherNamespace) = (index, name, kind, link, linkInOtherNamespace)
        (self.master, self.bondActiveSlave, self.parentDevice, self.parentKnown) = (master, bondActiveSlave, parentDevice, parentKnown)
    }
}

/// rtnetlink link queries (NETLINK_ROUTE), on the same request machinery.
public final class RtnlClient {
    enum RTM {
        static let GETLINK: UInt16 = 18
        static let NEWLINK: UInt16 = 16
    }
    enum IFLA {
        static let IFNAME: UInt16 = 3
        static let LINK: UInt16 = 5
        static let MASTER: UInt16 = 10
        static let LINKINFO: UInt16 = 18
        static let EXT_MASK: UInt16 = 29
        static let LINK_NETNSID: UInt16 = 37
        static let PARENT_DEV_NAME: UInt16 = 56  // 5.15
        static let GRO_MAX_SIZE: UInt16 = 58  // 5.19: always sent, so its presence dates the kernel
        static let INFO_KIND: UInt16 = 1
        static let INFO_DATA: UInt16 = 2
        static let BOND_ACTIVE_SLAVE: UInt16 = 2
    }
    static let ifinfomsgSize = 16

    public let channel: NetlinkChannel
    /// Opens a socket for the dumps filtered by kind (strict checking, one datagram a
    /// read); nil: none can be made, and the callers read every link instead.
    public let filterSocket: (() throws(NetlinkError) -> NetlinkTransport)?
    /// The socket of the last filtered dump, while the kernel honoured its filter.
    private var filterTransport: NetlinkTransport?

    public init(transport: NetlinkTransport, filterSocket: (() throws(NetlinkError) -> NetlinkTransport)? = nil) {
        channel = NetlinkChannel(transport: transport)
        self.filterSocket = filterSocket
    }

    public static func open() throws(NetlinkError) -> RtnlClient {
        RtnlClient(transport: try LibnlSocket(netlinkProtocol: NETLINK_ROUTE))
    }

    /// Every link of this namespace (one dump), ordered by ifindex.
    public func links() throws(NetlinkError) -> [LinkReply] {
        let out = try channel.dump(Self.linkDumpRequest, decode: Self.decodeLinkMessage)
        return out.sorted { $0.index < $1.index }
    }

    /// Every link of this namespace as the dump's messages, undecoded
    /// (`decodeLinkMessage` turns each into its link), handed to `each` a datagram at
    /// a time as they arrive, in ifindex order (the kernel walks its devices by
    /// index). The dump is made once: a link added or removed while it runs may be
    /// missing, as from any listing made while links change.
    public func linkMessages(each: ([NetlinkMessage]) -> Void) throws(NetlinkError) {
        try channel.stream(Self.linkDumpRequest, messages: each)
    }

    static var linkDumpRequest: NetlinkRequest {
        NetlinkRequest(label: "RTM_GETLINK") { seq, flags in
            // struct ifinfomsg, all zero: any family, any device; no statistics
            // (RTEXT_FILTER_SKIP_STATS, 5.x; older kernels ignore the bit).
            let b = RequestBuilder(
                type: RTM.GETLINK, flags: flags, seq: seq,
                header: [UInt8](repeating: 0, count: Self.ifinfomsgSize))
            b.u32(IFLA.EXT_MASK, 1 << 3)
            return b.bytes
        }
    }

    public static func decodeLinkMessage(_ msg: NetlinkMessage) throws(NetlinkError) -> LinkReply? {
        msg.type == RTM.NEWLINK ? try decodeLink(msg) : nil
    }

    /// Whether `links(ofKind:)` can be asked.
    public var filtersByKind: Bool { filterSocket != nil }

    /// The links of one kind (IFLA_INFO_KIND): one RTM_GETLINK dump filtered by the
    /// kernel (4.20+, strict checking), so it fills a message only for a link of that
    /// kind. A kind the kernel has not registered (its module not loaded) cannot name a
    /// link; the kernel then ignores the filter and dumps every link: that is seen on the
    /// first link that is not of the kind, and the dump is given up there with its
    /// socket: nil (the kind is not registered, so no link of it exists).
    public func links(ofKind kind: String) throws(NetlinkError) -> [LinkReply]? {
        guard let filterSocket else { throw .malformed("no socket for filtered link dumps") }
        let transport: NetlinkTransport
        if let t = filterTransport { transport = t } else { transport = try filterSocket() }
        filterTransport = transport
        let request = Self.kindDumpRequest(kind)
        for attempt in 1...3 {
            let seq = UInt32(attempt)
            try transport.send(request.build(seq, NL.F_REQUEST | NL.F_DUMP))
            guard let found = try Self.receiveKindDump(transport, seq: seq, kind: kind, label: request.label) else {
                filterTransport = nil  // a dump of every link is under way on it
                return nil
            }
            if !found.interrupted || attempt == 3 { return found.links.sorted { $0.index < $1.index } }
        }
        return []
    }

    /// RTM_GETLINK, dump, filtered by kind: ifinfomsg all zero and IFLA_LINKINFO {
    /// IFLA_INFO_KIND "kind" }. No IFLA_EXT_MASK: with one, the kernel first sizes the
    /// message of every link of the namespace (rtnl_calcit), a walk that cost more than
    /// the statistics it would leave out of the few links that match.
    static func kindDumpRequest(_ kind: String) -> NetlinkRequest {
        NetlinkRequest(label: "RTM_GETLINK kind \(kind)") { seq, flags in
            let b = RequestBuilder(
                type: RTM.GETLINK, flags: flags, seq: seq, header: [UInt8](repeating: 0, count: Self.ifinfomsgSize))
            b.nest(IFLA.LINKINFO) { b.string(IFLA.INFO_KIND, kind) }
            return b.bytes
        }
    }

    /// The links of a kind-filtered dump up to NLMSG_DONE; nil at the first link of
    /// another kind (the kernel ignored the filter).
    static func receiveKindDump(
        _ transport: NetlinkTransport, seq: UInt32, kind: String, label: String
    ) throws(NetlinkError) -> (links: [LinkReply], interrupted: Bool)? {
        var out: [LinkReply] = []
        var interrupted = false
        while true {
            for msg in try NetlinkMessage.split(try transport.receive()) where msg.seq == seq {
                if msg.flags & NetlinkMessage.F_DUMP_INTR != 0 { interrupted = true }
                switch msg.type {
                case NL.NLMSG_DONE, NL.NLMSG_ERROR:
                    if let err = try NetlinkChannel.decodeError(msg, request: label) { throw .kernel(err) }
                    return (out, interrupted)
                case RTM.NEWLINK:
                    let l = try decodeLink(msg)
                    guard l.kind == kind else { return nil }
                    out.append(l)
                default: break
                }
            }
        }
    }

    /// Links by ifindex, one batched RTM_GETLINK *do* each (no statistics).
    public func links(indexes: [UInt32]) -> [Result<LinkReply, NetlinkError>] {
        decodeLinks(
            channel.batch(
                indexes.map { i in
                    NetlinkRequest(label: "RTM_GETLINK ifindex \(i)") { seq, flags in
                        var h = [UInt8](repeating: 0, count: Self.ifinfomsgSize)
                        withUnsafeBytes(of: i.littleEndian) { h.replaceSubrange(4..<8, with: $0) }
                        let b = RequestBuilder(type: RTM.GETLINK, flags: flags, seq: seq, header: h)
                        b.u32(IFLA.EXT_MASK, 1 << 3)
                        return b.bytes
                    }
                }))
    }

    private func decodeLinks(_ outcomes: [Outcome]) -> [Result<LinkReply, NetlinkError>] {
        outcomes.map { outcome in
            switch outcome {
            case .failure(let e): return .failure(e)
            case .success(let msgs):
                guard let m = msgs.first(where: { $0.type == RTM.NEWLINK }) else {
                    return .failure(.malformed("RTM_GETLINK acknowledged without a link"))
                }
                do throws(NetlinkError) { return .success(try Self.decodeLink(m)) } catch { return .failure(error) }
            }
        }
    }

    /// Named links, one batched RTM_GETLINK *do* each; ENODEV for a name that does not exist.
    public func links(named names: [String]) -> [Result<LinkReply, NetlinkError>] {
        let requests = names.map { name in
            NetlinkRequest(label: "RTM_GETLINK \(name)") { seq, flags in
                let b = RequestBuilder(
                    type: RTM.GETLINK, flags: flags, seq: seq,
                    header: [UInt8](repeating: 0, count: Self.ifinfomsgSize))
                b.string(IFLA.IFNAME, name)
                return b.bytes
            }
        }
        return decodeLinks(channel.batch(requests))
    }

    /// Link events: a socket in RTNLGRP_LINK. `next` returns the names of links
    /// that were added or came up (IFF_UP and IFF_RUNNING) since the last call,
    /// or nil when nothing happened within the timeout.
    public final class LinkMonitor {
        let socket: LibnlSocket
        let stopOnSignal: () -> Bool
        /// `stopOnSignal`: whether a signal that interrupts the wait ends it.
        public init(stopOnSignal: @escaping () -> Bool = { false }) throws(NetlinkError) {
            self.stopOnSignal = stopOnSignal
            socket = try LibnlSocket(netlinkProtocol: NETLINK_ROUTE)
            try socket.join(group: 1)  // RTNLGRP_LINK
        }

        public func next(timeoutMilliseconds: Int32) throws(NetlinkError) -> [String]? {
            // Events already read (one recvmmsg takes several) come first: they
            // would not wake poll.
            guard socket.hasQueued || socket.waitReadable(milliseconds: timeoutMilliseconds, stopOnSignal: stopOnSignal) else { return nil }
            var up: [String] = []
            repeat {
                for msg in try NetlinkMessage.split(try socket.receive()) where msg.type == RTM.NEWLINK {
                    let p = msg.payload
                    guard p.count >= RtnlClient.ifinfomsgSize else { continue }
                    let flags = p.le32(at: p.startIndex + 8)
                    let link = try RtnlClient.decodeLink(msg)
                    if flags & 0x1 != 0 && flags & 0x40 != 0 { up.append(link.name) }
                }
            } while socket.hasQueued
            return up
        }
    }

    static func decodeLink(_ msg: NetlinkMessage) throws(NetlinkError) -> LinkReply {
        // Forty attributes a link, six of them read, ten thousand links in a large
        // dump: one pass over the headers finds the six, and only they are decoded.
        // Anything unusual (a bad length, an attribute twice, a value that does not
        // decode) is left to the full walk, which says what is wrong.
        let p = msg.payload
        guard p.count >= ifinfomsgSize, let at = LinkAttributes(p.dropFirst(ifinfomsgSize)) else { return try walk(msg) }
        var r = bare(p)
        for start in [at.name, at.link, at.master, at.netnsid, at.parent, at.info] where start >= 0 {
            var a = AttributeDecoder(p[start...])
            _ = a.next()
            read(&a, into: &r)
            if a.error != nil { return try walk(msg) }
        }
        r.parentKnown = at.late || r.parentDevice != nil
        return r
    }

    /// Every attribute in turn: the reference reading, and the one that reports
    /// a malformed message.
    static func walk(_ msg: NetlinkMessage) throws(NetlinkError) -> LinkReply {
        let p = msg.payload
        guard p.count >= ifinfomsgSize else { throw .malformed("RTM_NEWLINK shorter than ifinfomsg") }
        var r = bare(p)
        var a = AttributeDecoder(p.dropFirst(ifinfomsgSize))
        while a.next() {
            read(&a, into: &r)
            if a.type >= IFLA.GRO_MAX_SIZE { r.parentKnown = true }
        }
        try a.finish()
        if r.parentDevice != nil { r.parentKnown = true }
        return r
    }

    /// The link as struct ifinfomsg names it, before any attribute.
    private static func bare(_ p: ArraySlice<UInt8>) -> LinkReply {
        LinkReply(
            index: p.le32(at: p.startIndex + 4), name: "", kind: nil, link: nil,
            linkInOtherNamespace: false, master: nil, bondActiveSlave: nil, parentDevice: nil, parentKnown: false)
    }

    /// The attribute `a` stands on, if it is one tsctl reads.
    private static func read(_ a: inout AttributeDecoder, into r: inout LinkReply) {
        switch a.type {
        case IFLA.IFNAME: r.name = a.string()
        case IFLA.LINK: r.link = a.u32()
        case IFLA.MASTER: r.master = a.u32()
        case IFLA.LINK_NETNSID: r.linkInOtherNamespace = true
        case IFLA.PARENT_DEV_NAME: r.parentDevice = a.string()
        case IFLA.LINKINFO:
            var info = a.nested
            while info.next() {
                switch info.type {
                case IFLA.INFO_KIND: r.kind = info.string()
                case IFLA.INFO_DATA where r.kind == "bond":
                    var data = info.nested
                    while data.next() {
                        if data.type == IFLA.BOND_ACTIVE_SLAVE { r.bondActiveSlave = data.u32() }
                    }
                    info.absorb(data)
                default: break
                }
            }
            a.absorb(info)
        default: break
        }
    }

    /// Where the attributes tsctl reads start in a link message (-1: absent), and
    /// whether one dates the kernel 5.19 or later; nil when the lengths do not add
    /// up or one of the six comes twice.
    struct LinkAttributes {
        var name = -1, link = -1, master = -1, netnsid = -1, parent = -1, info = -1
        var late = false

        init?(_ attrs: ArraySlice<UInt8>) {
            let base = attrs.startIndex
            guard
                let found = attrs.withUnsafeBytes({ raw -> LinkAttributes? in
                    // 0 <= off <= raw.count holds throughout (len fits what is left), so
                    // the arithmetic cannot overflow and need not be checked.
                    var s = LinkAttributes(), off = 0
                    while raw.count &- off >= 4 {
                        let len = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt16.self)))
                        let type = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: off &+ 2, as: UInt16.self)) & NL.A_TYPE_MASK
                        guard len >= 4, len <= raw.count &- off else { return nil }
                        if type >= IFLA.GRO_MAX_SIZE { s.late = true }
                        let ok: Bool
                        switch type {
                        case IFLA.IFNAME: ok = Self.claim(&s.name, base + off)
                        case IFLA.LINK: ok = Self.claim(&s.link, base + off)
                        case IFLA.MASTER: ok = Self.claim(&s.master, base + off)
                        case IFLA.LINK_NETNSID: ok = Self.claim(&s.netnsid, base + off)
                        case IFLA.PARENT_DEV_NAME: ok = Self.claim(&s.parent, base + off)
                        case IFLA.LINKINFO: ok = Self.claim(&s.info, base + off)
                        default: ok = true
                        }
                        guard ok else { return nil }
                        off = min(off &+ ((len &+ 3) & ~3), raw.count)
                    }
                    return s
                })
            else { return nil }
            self = found
        }

        private init() {}

        private static func claim(_ slot: inout Int, _ start: Int) -> Bool {
            guard slot < 0 else { return false }
            slot = start
            return true
        }
    }
}

extension LibnlSocket {
    /// A NETLINK_ROUTE socket (links), 4 datagrams a read: a link dump read on one thread and
    /// assembled on another (Inventory.completeListing) reaches the other thread 4
    /// datagrams at a time, so what is left to it once the dump ends is small.
    public static func route() throws(NetlinkError) -> LibnlSocket {
        try LibnlSocket(netlinkProtocol: NETLINK_ROUTE, datagramsPerReceive: 4)
    }

    /// A NETLINK_ROUTE socket for dumps filtered by kind: strict checking, one datagram
    /// a read, the default receive buffer.
    public static func routeFiltered() throws(NetlinkError) -> LibnlSocket {
        try LibnlSocket(netlinkProtocol: NETLINK_ROUTE, receiveBuffer: 0, strictChecking: true, datagramsPerReceive: 1)
    }
}
