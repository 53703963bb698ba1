#if canImport(Glibc)
import Glibc
#endif

/// Brings loopback up in the calling thread's network namespace.
public func loopbackUp() -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var ifr = ifreq()
    withUnsafeMutableBytes(of: &ifr.ifr_ifrn.ifrn_name) { $0.copyBytes(from: Array("lo".utf8)) }
    ifr.ifr_ifru.ifru_flags = Int16(IFF_UP)
    return ioctl(fd, 0x8914, &ifr) == 0  // SIOCSIFFLAGS
}

/// unshare(2), which Glibc's Swift module leaves out (a _GNU_SOURCE call).
@_silgen_name("unshare") public func unshare(_ flags: Int32) -> Int32
