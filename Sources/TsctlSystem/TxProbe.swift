// timespec as the libnl headers declare it: the release build resolves the type there.
import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// Sends one PTPv2 Sync frame (ethertype 0x88F7, so a PHY timestamper sees it
/// as PTP too) with hardware transmit timestamping asked for, and returns the
/// raw hardware timestamp the driver reported on the socket's error queue.
public enum TxProbe {
    static let ETH_P_1588: UInt16 = 0x88F7
    static let SO_TIMESTAMPING: Int32 = 37
    static let SOF_TX_HARDWARE: UInt32 = 0x1
    static let SOF_RAW_HARDWARE: UInt32 = 0x40
    static let SOF_OPT_TSONLY: UInt32 = 0x800

    public struct Stamp: Equatable, Sendable {
        public var seconds: Int64
        public var nanoseconds: Int64
        public var asDouble: Double { Double(seconds) + Double(nanoseconds) / 1e9 }
    }

    /// nil when no hardware timestamp came back within `timeoutMs` (transmit
    /// timestamping off, or the driver does not stamp).
    public static func send(ifname: String, ifindex: Int32, timeoutMs: Int32 = 1000) throws(SystemError) -> Stamp? {
        let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue), Int32(ETH_P_1588.bigEndian))
        guard fd >= 0 else { throw SystemError("socket(AF_PACKET)", errno) }
        defer { close(fd) }
        var flags = SOF_TX_HARDWARE | SOF_RAW_HARDWARE | SOF_OPT_TSONLY
        if setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, socklen_t(MemoryLayout<UInt32>.size)) < 0 {
            throw SystemError("setsockopt(SO_TIMESTAMPING)", errno)
        }
        let dst: [UInt8] = [0x01, 0x1b, 0x19, 0x00, 0x00, 0x00]  // PTP primary multicast
        // struct sockaddr_ll (20 bytes; <netpacket/packet.h> is not in Swift's Glibc module):
        // family u16, protocol be16, ifindex s32, hatype u16, pkttype u8, halen u8, addr[8].
        var addr = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: UInt16(AF_PACKET)) { addr.replaceSubrange(0..<2, with: $0) }
        withUnsafeBytes(of: ETH_P_1588.bigEndian) { addr.replaceSubrange(2..<4, with: $0) }
        withUnsafeBytes(of: ifindex) { addr.replaceSubrange(4..<8, with: $0) }
        addr[11] = 6
        addr.replaceSubrange(12..<18, with: dst)
        let src = macAddress(ifname)
        var frame = dst + src + [0x88, 0xf7]
        frame += ptpSync(sourcePort: src)
        let sent = frame.withUnsafeBytes { f in
            addr.withUnsafeBytes { a in
                sendto(fd, f.baseAddress, f.count, 0, a.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(a.count))
            }
        }
        if sent < 0 { throw SystemError("sendto(\(ifname))", errno) }

        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = Double(deadline.tv_sec) * 1000 + Double(deadline.tv_nsec) / 1e6 + Double(timeoutMs)
        while true {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = Int32(max(0, end - (Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6)))
            var p = pollfd(fd: fd, events: Int16(POLLERR), revents: 0)
            let r = poll(&p, 1, left)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return nil }
            if let stamp = readErrorQueue(fd) { return stamp }
            if left == 0 { return nil }
        }
    }

    static func readErrorQueue(_ fd: Int32) -> Stamp? {
        var data = [UInt8](repeating: 0, count: 256)
        var control = [UInt8](repeating: 0, count: 512)
        return data.withUnsafeMutableBytes { d in
            control.withUnsafeMutableBytes { c in
                var iov = iovec(iov_base: d.baseAddress, iov_len: d.count)
                return withUnsafeMutablePointer(to: &iov) { iovp in
                    var msg = msghdr()
                    msg.msg_iov = iovp
                    msg.msg_iovlen = 1
                    msg.msg_control = c.baseAddress
                    msg.msg_controllen = c.count
                    guard recvmsg(fd, &msg, Int32(MSG_ERRQUEUE)) >= 0 else { return nil }
                    // Walk the cmsgs by hand: CMSG_* are macros.
                    var off = 0
                    let total = Int(msg.msg_controllen)
                    while off + 16 <= total {
                        let len = Int(c.load(fromByteOffset: off, as: UInt64.self))
                        let level = c.load(fromByteOffset: off + 8, as: Int32.self)
                        let type = c.load(fromByteOffset: off + 12, as: Int32.self)
                        if level == SOL_SOCKET && type == SO_TIMESTAMPING && len >= 16 + 48 {
                            // struct scm_timestamping { timespec ts[3] }: [2] is the raw hardware stamp.
                            let sec = c.load(fromByteOffset: off + 16 + 32, as: Int64.self)
                            let nsec = c.load(fromByteOffset: off + 16 + 40, as: Int64.self)
                            if sec != 0 || nsec != 0 { return Stamp(seconds: sec, nanoseconds: nsec) }
                        }
                        guard len > 0 else { break }
                        off += (len + 7) & ~7
                    }
                    return nil
                }
            }
        }
    }

    static func macAddress(_ ifname: String) -> [UInt8] {
        let text = Sys.readAttr("/sys/class/net/\(ifname)/address") ?? ""
        let bytes = text.split(separator: ":").compactMap { UInt8($0, radix: 16) }
        return bytes.count == 6 ? bytes : [0x02, 0, 0, 0, 0, 1]
    }

    /// A 44-byte PTPv2 Sync message, enough for ptp_classify_raw to call it PTP.
    static func ptpSync(sourcePort mac: [UInt8]) -> [UInt8] {
        var m = [UInt8](repeating: 0, count: 44)
        m[0] = 0x00  // transportSpecific 0, messageType Sync
        m[1] = 0x02  // versionPTP 2
        m[3] = 44  // messageLength
        m[6] = 0x02  // flags: twoStep
        // sourcePortIdentity: EUI-64 from the MAC, port 1
        let id = [mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]]
        for i in 0..<8 { m[20 + i] = id[i] }
        m[29] = 1
        m[31] = 0x01  // sequenceId 1
        m[32] = 0x00  // controlField Sync
        m[33] = 0x00  // logMessageInterval
        return m
    }

    /// The time of PHC `index` now (CLOCK_REALTIME-like seconds), or nil.
    public static func phcTime(_ index: Int) -> Double? {
        let fd = open("/dev/ptp\(index)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var ts = timespec()
        let clock = clockid_t((~fd << 3) | 3)
        guard clock_gettime(clock, &ts) == 0 else { return nil }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
