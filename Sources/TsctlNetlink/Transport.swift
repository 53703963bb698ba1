public import CNetlink
import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// The socket as a small protocol: the client hands it finished request bytes
/// and gets datagrams back. Tests substitute recorded kernel replies and
/// inspect the exact request bytes.
public protocol NetlinkTransport: AnyObject {
    func send(_ bytes: [UInt8]) throws(NetlinkError)
    /// One datagram (may hold several messages).
    func receive() throws(NetlinkError) -> [UInt8]
}

/// A NETLINK_GENERIC socket through libnl-3, with extended ACKs turned on.
public final class LibnlSocket: NetlinkTransport {
    private let sk: OpaquePointer
    /// Where every generic-netlink datagram is copied as hex when TSCTL_NETLINK_TRACE
    /// names a file (how the test fixtures are captured from a real kernel).
    private let trace: UnsafeMutablePointer<FILE>?

    /// `netlinkProtocol`: NETLINK_GENERIC (ethtool) or NETLINK_ROUTE (links).
    /// `receiveBuffer`: 0 keeps the system's default.
    /// `strictChecking` (NETLINK_GET_STRICT_CHK, 4.20): the kernel honours the filters of a
    /// dump request (RTM_GETLINK by kind or master) and refuses what it does not know.
    /// `datagramsPerReceive`: 1 reads one datagram a system call, so a dump that is
    /// given up after its first datagram has cost the kernel no more than that one (the
    /// kernel fills the next datagram of a dump as each one is read). 16 (256 KiB of
    /// receive area) read as fast as 64 did: the kernel fills a dump's datagrams one at
    /// a time either way, and the system calls saved were a few microseconds; the area
    /// and its copies were 2 MiB of `show --all --json`'s peak at 10,001 links.
    ///
    /// The socket is made, bound and checked here, one system call at a time,
    /// so a failure names its call and errno; libnl takes the finished socket
    /// (nl_socket_set_fd). nl_connect's own failure paths leave the nl_sock in
    /// states in which freeing it can trip libnl's assertions.
    public init(
        netlinkProtocol: Int32 = NETLINK_GENERIC, receiveBuffer: Int32 = 4 << 20, strictChecking: Bool = false,
        datagramsPerReceive: Int = 16
    ) throws(NetlinkError) {
        slots = max(1, min(datagramsPerReceive, 64))
        let family = netlinkProtocol == NETLINK_GENERIC ? "NETLINK_GENERIC" : "NETLINK_ROUTE"
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        guard fd >= 0 else { throw .system(call: "socket(AF_NETLINK, \(family))", errno: errno) }
        var one: Int32 = 1
        var size = receiveBuffer
        // Extended ACKs carry the kernel's reason text; CAP_ACK keeps error
        // messages small (the echoed request is cut to its header); a large
        // receive buffer keeps a batch of replies from overflowing (ENOBUFS).
        // tsctl works without each of them, so a refusal is not a failure.
        let int = socklen_t(MemoryLayout<Int32>.size)
        _ = setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_EXT_ACK, &one, int)
        _ = setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_CAP_ACK, &one, int)
        if size > 0 { _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, int) }
        if strictChecking { _ = setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_GET_STRICT_CHK, &one, int) }
        var local = sockaddr_nl()
        local.nl_family = sa_family_t(AF_NETLINK)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw .system(call: "bind(AF_NETLINK, \(family))", errno: e)
        }
        guard let sk = nl_socket_alloc() else {
            close(fd)
            throw .system(call: "nl_socket_alloc", errno: ENOMEM)
        }
        // getsockname, then getsockopt(SO_TYPE) and (SO_PROTOCOL).
        if nl_socket_set_fd(sk, netlinkProtocol, fd) < 0 {
            let e = errno == 0 ? EINVAL : errno
            nl_socket_free(sk)
            close(fd)
            throw .system(call: "getsockname/getsockopt(AF_NETLINK, \(family))", errno: e)
        }
        self.sk = sk
        trace = netlinkProtocol == NETLINK_GENERIC ? TraceFile.open(variable: "TSCTL_NETLINK_TRACE") : nil
    }

    /// Joins a multicast group (e.g. RTNLGRP_LINK for link events).
    public func join(group: Int32) throws(NetlinkError) {
        if nl_socket_add_membership(sk, group) < 0 { throw .system(call: "setsockopt(NETLINK_ADD_MEMBERSHIP)", errno: errno) }
    }

    /// Waits until a datagram can be read, at most `milliseconds`; false on
    /// timeout, or when a signal interrupted the wait and `stopOnSignal` says
    /// the caller acts on it (tsctl's deferred signals end the wait).
    public func waitReadable(milliseconds: Int32, stopOnSignal: () -> Bool = { false }) -> Bool {
        var p = pollfd(fd: nl_socket_get_fd(sk), events: Int16(POLLIN), revents: 0)
        while true {
            let r = poll(&p, 1, milliseconds)
            if r < 0 && errno == EINTR && !stopOnSignal() { continue }
            return r > 0
        }
    }

    deinit {
        area.deallocate()
        if let trace { fclose(trace) }
        nl_socket_free(sk)
    }

    public func send(_ bytes: [UInt8]) throws(NetlinkError) {
        writeTrace(">", bytes)
        // A signal (tsctl's handlers do not restart calls) may interrupt the
        // send before anything went out: send again.
        var n: Int32
        repeat {
            errno = 0
            n = bytes.withUnsafeBytes { raw in
                nl_sendto(sk, UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count)
            }
        } while n < 0 && errno == EINTR
        if n < 0 { throw .system(call: "sendto(netlink)", errno: errno == 0 ? EIO : errno) }
    }

    /// Datagrams received by one recvmmsg and not yet handed out.
    private var queue: [[UInt8]] = []
    private var queueHead = 0
    private let slots: Int
    private static let slotSize = 16384
    /// Receive area: the kernel sizes dump datagrams to the reader's buffer (16 KiB here).
    private lazy var area = UnsafeMutableRawPointer.allocate(byteCount: slots * Self.slotSize, alignment: 16)

    /// Datagrams already read from the kernel and not yet handed out: they do
    /// not make the socket readable any more.
    public var hasQueued: Bool { queueHead < queue.count }

    /// One datagram. Up to `slots` waiting datagrams are read with one recvmmsg
    /// (libnl's nl_recv peeks and then reads: two system calls per datagram).
    public func receive() throws(NetlinkError) -> [UInt8] {
        if queueHead < queue.count {
            queueHead += 1
            return queue[queueHead - 1]
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
        var iov = [iovec](repeating: iovec(), count: slots)
        var hdrs = [tsctl_mmsghdr](repeating: tsctl_mmsghdr(), count: slots)
        let fd = nl_socket_get_fd(sk)
        var n: Int32 = -1
        repeat {
            n = iov.withUnsafeMutableBufferPointer { iovp in
                hdrs.withUnsafeMutableBufferPointer { hp in
                    for i in 0..<slots {
                        iovp[i] = iovec(iov_base: area + i * Self.slotSize, iov_len: Self.slotSize)
                        hp[i].msg_hdr.msg_iov = iovp.baseAddress! + i
                        hp[i].msg_hdr.msg_iovlen = 1
                    }
                    return tsctl_recvmmsg(fd, hp.baseAddress, UInt32(slots), TSCTL_MSG_WAITFORONE)
                }
            }
        } while n < 0 && errno == EINTR
        if n < 0 { throw .system(call: "recvmmsg(netlink)", errno: errno) }
        if n == 0 { throw .system(call: "recvmmsg(netlink)", errno: ECONNRESET) }
        for i in 0..<Int(n) {
            if hdrs[i].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0 {
                throw .system(call: "recvmmsg(netlink): a datagram larger than \(Self.slotSize) bytes", errno: EMSGSIZE)
            }
            let d = Array(UnsafeRawBufferPointer(start: area + i * Self.slotSize, count: Int(hdrs[i].msg_len)))
            writeTrace("<", d)
            queue.append(d)
        }
        queueHead = 1
        return queue[0]
    }

    private func writeTrace(_ dir: String, _ bytes: [UInt8]) {
        guard let trace else { return }
        var line = dir + " "
        for b in bytes {
            line += String(b >> 4, radix: 16) + String(b & 0xf, radix: 16)
        }
        fputs(line + "\n", trace)
    }
}

/// Builds one request with libnl's message API (which sets NLA_F_NESTED on
/// every nest since libnl 3.5) and hands back its bytes.
public final class RequestBuilder {
    private let msg: OpaquePointer

    public init(family: UInt16, command: UInt8, version: UInt8, flags: UInt16, seq: UInt32) {
        msg = nlmsg_alloc()
        genlmsg_put(msg, 0, seq, Int32(family), 0, Int32(flags), command, version)
    }

    /// A plain netlink message (rtnetlink) with a fixed protocol header.
    public init(type: UInt16, flags: UInt16, seq: UInt32, header: [UInt8]) {
        msg = nlmsg_alloc_simple(Int32(type), Int32(flags))
        nlmsg_hdr(msg)!.pointee.nlmsg_seq = seq
        var h = header
        _ = h.withUnsafeMutableBytes { nlmsg_append(msg, $0.baseAddress, $0.count, 4) }
    }

    deinit { nlmsg_free(msg) }

    public func u32(_ type: UInt16, _ value: UInt32) {
        nla_put_u32(msg, Int32(type), value)
    }

    public func u16(_ type: UInt16, _ value: UInt16) {
        nla_put_u16(msg, Int32(type), value)
    }

    /// A NUL-terminated string; its bytes as OSString holds them (a name
    /// that is not UTF-8 goes out as the bytes it came in as).
    public func string(_ type: UInt16, _ value: String) {
        OSString.withCString(value) { _ = nla_put_string(msg, Int32(type), $0) }
    }

    public func binary(_ type: UInt16, _ bytes: [UInt8]) {
        var b = bytes
        _ = b.withUnsafeMutableBytes { nla_put(msg, Int32(type), Int32($0.count), $0.baseAddress) }
    }

    public func flag(_ type: UInt16) {
        nla_put_flag(msg, Int32(type))
    }

    /// A nest; an empty one is dropped unless `keepEmpty` (STRSET_GET needs
    /// its header even when it names no device).
    public func nest(_ type: UInt16, keepEmpty: Bool = false, _ body: () -> Void) {
        let start = nla_nest_start(msg, Int32(type))
        body()
        if keepEmpty { nla_nest_end_keep_empty(msg, start) } else { nla_nest_end(msg, start) }
    }

    public var bytes: [UInt8] {
        let hdr = nlmsg_hdr(msg)!
        let len = Int(hdr.pointee.nlmsg_len)
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(hdr), count: len).map { $0 }
    }
}
