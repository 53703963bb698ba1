#if canImport(Glibc)
import Glibc
#endif

/// systemd's readiness protocol (sd_notify) without libsystemd: one datagram on the
/// AF_UNIX socket systemd names in NOTIFY_SOCKET (a path, or "@name" in the abstract
/// namespace). A Type=notify unit is started only when READY=1 arrives, so units
/// ordered after it (ptp4l, phc2sys, ...) start with the configuration applied.
public enum SystemdNotify {
    /// Sends `state` ("READY=1\nSTATUS=...") to NOTIFY_SOCKET; false when
    /// there is no socket to send to.
    @discardableResult
    public static func send(_ state: String) -> Bool {
        guard let env = getenv("NOTIFY_SOCKET") else { return false }
        return send(state, to: String(cString: env))
    }

    /// Sends `state` to the socket `name` names: a path, or "@name".
    public static func send(_ state: String, to name: String) -> Bool {
        var path = Array(name.utf8)
        guard let first = path.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else { return false }
        if first == UInt8(ascii: "@") { path[0] = 0 }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
        }
        // An abstract name is exactly its bytes; a path ends at its NUL.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (first == UInt8(ascii: "@") ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let sent = Array(state.utf8).withUnsafeBytes { bytes in
            withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent == state.utf8.count
    }
}
