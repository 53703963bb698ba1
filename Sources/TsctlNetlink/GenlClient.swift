#if canImport(Glibc)
import Glibc
#endif

/// A generic netlink family as the controller describes it: resolved once.
public struct GenlFamily: Equatable, Sendable {
    public var name: String
    public var id: UInt16
    public var version: UInt32
    /// Op id -> CTRL_ATTR_OP_FLAGS (GENL_ADMIN_PERM, CAP_DO, CAP_DUMP, ...).
    public var ops: [UInt32: UInt32]
    /// Multicast group name -> id.
    public var groups: [String: UInt32]

    public func has(_ op: UInt8) -> Bool { ops[UInt32(op)] != nil }
}

/// How one request ended.
public typealias Outcome = Result<[NetlinkMessage], NetlinkError>

/// One request to send: what to call it in errors, and how to fill it.
public struct RequestSpec {
    public var command: UInt8
    public var label: String
    /// Ask for an ACK: only changes need one (a SET may reply nothing before
    /// 6.18); a GET ends with its one reply or its error.
    public var ack: Bool
    public var fill: (RequestBuilder) -> Void

    public init(command: UInt8, label: String, ack: Bool = false, fill: @escaping (RequestBuilder) -> Void) {
        self.command = command
        self.label = label
        self.ack = ack
        self.fill = fill
    }
}

/// Request/response over a transport for one generic netlink family.
/// Every query goes through `dump` or `batch` of the shared channel.
public final class GenlClient {
    public let channel: NetlinkChannel
    public private(set) var family: GenlFamily

    public var transport: NetlinkTransport { channel.transport }

    public init(transport: NetlinkTransport, familyName: String) throws(NetlinkError) {
        channel = NetlinkChannel(transport: transport)
        self.family = GenlFamily(name: "nlctrl", id: GenlCtrl.familyID, version: 1, ops: [:], groups: [:])
        let spec = RequestSpec(command: GenlCtrl.CMD_GETFAMILY, label: "CTRL_CMD_GETFAMILY \(familyName)") { b in
            b.string(GenlCtrl.A_FAMILY_NAME, familyName)
        }
        let messages: [NetlinkMessage]
        switch batch([spec])[0] {
        case .success(let m): messages = m
        case .failure(let e):
            if e.errno == ENOENT { throw .familyMissing(familyName) }
            throw e
        }
        guard let reply = messages.first else { throw .malformed("empty CTRL_CMD_GETFAMILY reply") }
        self.family = try Self.decodeFamily(reply, name: familyName)
    }

    /// A client of a family already resolved (by another client), on its own transport.
    public init(transport: NetlinkTransport, family: GenlFamily) {
        channel = NetlinkChannel(transport: transport)
        self.family = family
    }

    static func decodeFamily(_ msg: NetlinkMessage, name: String) throws(NetlinkError) -> GenlFamily {
        var f = GenlFamily(name: name, id: 0, version: 0, ops: [:], groups: [:])
        var a = msg.genlAttributes
        while a.next() {
            switch a.type {
            case GenlCtrl.A_FAMILY_ID: f.id = a.u16()
            case GenlCtrl.A_VERSION: f.version = a.u32()
            case GenlCtrl.A_OPS:
                var list = a.nested
                while list.next() {
                    var op = list.nested
                    var id: UInt32 = 0, flags: UInt32 = 0
                    while op.next() {
                        switch op.type {
                        case GenlCtrl.A_OP_ID: id = op.u32()
                        case GenlCtrl.A_OP_FLAGS: flags = op.u32()
                        default: break
                        }
                    }
                    list.absorb(op)
                    f.ops[id] = flags
                }
                a.absorb(list)
            case GenlCtrl.A_MCAST_GROUPS:
                var list = a.nested
                while list.next() {
                    var g = list.nested
                    var gname = "", gid: UInt32 = 0
                    while g.next() {
                        switch g.type {
                        case GenlCtrl.A_MCAST_GRP_NAME: gname = g.string()
                        case GenlCtrl.A_MCAST_GRP_ID: gid = g.u32()
                        default: break
                        }
                    }
                    list.absorb(g)
                    f.groups[gname] = gid
                }
                a.absorb(list)
            default: break
            }
        }
        try a.finish()
        guard f.id != 0 else { throw .malformed("CTRL_CMD_GETFAMILY reply without a family id") }
        return f
    }

    private func request(_ spec: RequestSpec) -> NetlinkRequest {
        let family = self.family
        return NetlinkRequest(label: spec.label, ack: spec.ack) { seq, flags in
            let b = RequestBuilder(
                family: family.id, command: spec.command,
                version: UInt8(truncatingIfNeeded: family.version), flags: flags, seq: seq)
            spec.fill(b)
            return b.bytes
        }
    }

    /// *do* requests, batched; results keep the order of `specs`.
    public func batch(_ specs: [RequestSpec]) -> [Outcome] { channel.batch(specs.map(request)) }

    /// A *dump*: every message up to NLMSG_DONE.
    public func dump(_ spec: RequestSpec) throws(NetlinkError) -> [NetlinkMessage] { try channel.dump(request(spec)) }

    /// A *dump*'s messages handed out undecoded as they arrive (see `NetlinkChannel.stream(_:messages:)`).
    public func stream(_ spec: RequestSpec, messages each: ([NetlinkMessage]) -> Void) throws(NetlinkError) {
        try channel.stream(request(spec), messages: each)
    }

    /// A *dump* decoded as it arrives (see `NetlinkChannel.dump(_:decode:)`).
    public func dump<T>(_ spec: RequestSpec, decode: (NetlinkMessage) throws(NetlinkError) -> T?) throws(NetlinkError) -> [T] {
        try channel.dump(request(spec), decode: decode)
    }
}

/// One request of any netlink protocol: its bytes for a given seq and flags.
public struct NetlinkRequest {
    public var label: String
    /// With an ACK the request ends at the ACK; without, at its first reply.
    public var ack: Bool
    public var build: (_ seq: UInt32, _ flags: UInt16) -> [UInt8]
    public init(label: String, ack: Bool = false, build: @escaping (_ seq: UInt32, _ flags: UInt16) -> [UInt8]) {
        self.label = label
        self.ack = ack
        self.build = build
    }
}

/// Sequence numbers, batching and dumps over one socket, for any protocol.
public final class NetlinkChannel {
    public let transport: NetlinkTransport
    private var nextSeq: UInt32 = 1
    /// Requests per sendmsg in a batch: replies for a batch must fit the socket buffer.
    public var batchSize = 128

    public init(transport: NetlinkTransport) { self.transport = transport }

    private func takeSeq(_ n: Int) -> UInt32 {
        let s = nextSeq
        nextSeq &+= UInt32(n)
        if nextSeq == 0 { nextSeq = 1 }
        return s
    }

    /// *do* requests, several per sendmsg (the kernel processes every message of
    /// a datagram in turn), each ended by its reply, ACK or error. Results keep
    /// the order of `requests`.
    public func batch(_ requests: [NetlinkRequest]) -> [Outcome] {
        var results = [Outcome?](repeating: nil, count: requests.count)
        var todo = Array(requests.indices)
        var attempts = 0
        while !todo.isEmpty {
            attempts += 1
            var lost: [Int] = []
            for start in stride(from: 0, to: todo.count, by: batchSize) {
                let chunk = Array(todo[start..<min(start + batchSize, todo.count)])
                lost += runChunk(chunk, requests, &results, lastTry: attempts >= 3)
            }
            todo = lost
        }
        return results.map { $0! }
    }

    /// Sends one chunk and collects its answers. Returns the requests whose
    /// answers were lost to a receive-buffer overflow, to be sent again.
    private func runChunk(
        _ chunk: [Int], _ requests: [NetlinkRequest], _ results: inout [Outcome?],
        lastTry: Bool
    ) -> [Int] {
        let base = takeSeq(chunk.count)
        var bytes: [UInt8] = []
        for (i, idx) in chunk.enumerated() {
            bytes += requests[idx].build(base &+ UInt32(i), requests[idx].ack ? NL.F_REQUEST | NL.F_ACK : NL.F_REQUEST)
        }
        var replies = [[NetlinkMessage]](repeating: [], count: chunk.count)
        var pending = chunk.count
        do throws(NetlinkError) {
            try transport.send(bytes)
            while pending > 0 {
                for msg in try NetlinkMessage.split(try transport.receive()) {
                    let i = Int(msg.seq &- base)
                    guard msg.seq &- base < UInt32(chunk.count), results[chunk[i]] == nil else { continue }
                    if msg.type == NL.NLMSG_ERROR {
                        let err = try NetlinkChannel.decodeError(msg, request: requests[chunk[i]].label)
                        results[chunk[i]] = err.map { .failure(.kernel($0)) } ?? .success(replies[i])
                        pending -= 1
                    } else {
                        replies[i].append(msg)
                        if !requests[chunk[i]].ack {
                            results[chunk[i]] = .success(replies[i])
                            pending -= 1
                        }
                    }
                }
            }
        } catch {
            if error.errno == ENOBUFS && !lastTry {
                return chunk.filter { results[$0] == nil }
            }
            for idx in chunk where results[idx] == nil { results[idx] = .failure(error) }
        }
        return []
    }

    /// A *dump*: every message up to NLMSG_DONE. A dump the kernel flags as
    /// interrupted (the device list changed under it) is run again.
    public func dump(_ request: NetlinkRequest) throws(NetlinkError) -> [NetlinkMessage] {
        try dump(request) { (m: NetlinkMessage) throws(NetlinkError) -> NetlinkMessage? in m }
    }

    /// A *dump* decoded as it arrives (nil: a message to skip), so the datagrams
    /// are freed one receive at a time instead of all being held until the end
    /// (11 MB of link messages at ten thousand interfaces).
    public func dump<T>(
        _ request: NetlinkRequest,
        decode: (NetlinkMessage) throws(NetlinkError) -> T?
    ) throws(NetlinkError) -> [T] {
        var attempt = 0
        while true {
            attempt += 1
            var out: [T] = []
            let interrupted = try stream(request, decode: decode) { out += $0 }
            if !interrupted || attempt >= 3 { return out }
        }
    }

    /// A *dump* handed to `each` a datagram at a time as it arrives (the messages
    /// `decode` keeps, never an empty batch); returns whether the kernel flagged it
    /// interrupted. It is not run again: what was handed out stays handed out.
    @discardableResult
    public func stream<T>(
        _ request: NetlinkRequest,
        decode: (NetlinkMessage) throws(NetlinkError) -> T?, each: ([T]) -> Void
    ) throws(NetlinkError) -> Bool {
        try stream(request) { (messages: [NetlinkMessage]) throws(NetlinkError) in
            var batch: [T] = []
            batch.reserveCapacity(messages.count)
            for m in messages { if let v = try decode(m) { batch.append(v) } }
            if !batch.isEmpty { each(batch) }
        }
    }

    /// A *dump*'s messages, undecoded, handed to `each` a datagram at a time as they
    /// arrive (never an empty batch; NLMSG_DONE and errors are this method's), so
    /// another thread can decode them while this one reads on; returns whether the
    /// kernel flagged the dump interrupted.
    @discardableResult
    public func stream(
        _ request: NetlinkRequest, messages each: ([NetlinkMessage]) throws(NetlinkError) -> Void
    ) throws(NetlinkError) -> Bool {
        let seq = takeSeq(1)
        try transport.send(request.build(seq, NL.F_REQUEST | NL.F_DUMP))
        var interrupted = false
        while true {
            var batch = try NetlinkMessage.split(try transport.receive())
            var done = false
            var kept = 0
            for msg in batch where msg.seq == seq {
                if msg.flags & NetlinkMessage.F_DUMP_INTR != 0 { interrupted = true }
                if msg.type == NL.NLMSG_DONE || msg.type == NL.NLMSG_ERROR {
                    if let err = try NetlinkChannel.decodeError(msg, request: request.label) { throw .kernel(err) }
                    done = true
                    break
                }
                batch[kept] = msg
                kept += 1
            }
            if kept > 0 {
                batch.removeSubrange(kept...)
                try each(batch)
            }
            if done { return interrupted }
        }
    }
}

extension NetlinkChannel {
    /// Decodes NLMSG_ERROR (or NLMSG_DONE) into nil for success or the error with
    /// its extended-ACK attributes. A code that is no negative errno is malformed.
    static func decodeError(_ msg: NetlinkMessage, request: String) throws(NetlinkError) -> KernelError? {
        let p = msg.payload
        guard p.count >= 4 else { return nil }
        let code = Int32(bitPattern: p.le32(at: p.startIndex))
        guard code != 0 else { return nil }
        // The kernel's errnos are 1...4095 (MAX_ERRNO); Int32.min has no negation.
        guard code < 0, code >= -4095 else {
            throw .malformed(
                "\(request): error code \(code) in \(msg.type == NL.NLMSG_ERROR ? "NLMSG_ERROR" : "NLMSG_DONE") is not a negative errno")
        }
        var err = KernelError(errno: -code, request: request)
        guard msg.flags & NL.F_ACK_TLVS != 0 else { return err }
        // NLMSG_ERROR echoes the request (only its header when CAPPED); DONE does not.
        var tlvStart = p.startIndex + 4
        if msg.type == NL.NLMSG_ERROR {
            guard p.count >= 4 + NetlinkMessage.headerSize else { return err }
            let echoed = Int(p.le32(at: tlvStart))
            tlvStart += msg.flags & NL.F_CAPPED != 0 ? NetlinkMessage.headerSize : (echoed + 3) & ~3
        }
        guard tlvStart <= p.endIndex else { return err }
        var a = AttributeDecoder(p[tlvStart...])
        while a.next() {
            switch a.type {
            case NL.ExtAck.MSG: err.message = a.string()
            case NL.ExtAck.OFFS: err.offset = a.u32()
            case NL.ExtAck.MISS_TYPE: err.missingAttribute = a.u32()
            default: break
            }
        }
        return err
    }
}
