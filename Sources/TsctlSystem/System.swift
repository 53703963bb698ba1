import CNetlink
public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: the call and its errno, nothing else.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    public init(_ call: String, _ errno: Int32) {
        self.call = call
        self.errno = errno
    }
    public var description: String { "\(call): \(Errno.text(errno))" }

    /// As the layers above the kernel see it: its meaning from the one errno table.
    public var failure: KernelFailure { KernelFailure(errno: errno, message: description) }
}

/// Thin wrappers over libc: -1/errno becomes a typed error, EINTR is retried.
public enum Sys {
    /// The whole of a small file (sysfs, procfs), or nil when it cannot be read.
    public static func readFile(_ path: String, limit: Int = 65536) -> String? {
        let fd = retrying { OSString.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) } }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = buf.withUnsafeMutableBytes { p in retrying { read(fd, p.baseAddress, p.count) } }
            if n < 0 { return nil }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A sysfs attribute without its trailing newline.
    public static func readAttr(_ path: String) -> String? {
        guard var s = readFile(path) else { return nil }
        while s.last == "\n" { s.removeLast() }
        return s
    }

    public static func readInt(_ path: String) -> Int? { readAttr(path).flatMap { Int($0) } }

    /// The target of a symbolic link as stored (relative paths stay relative).
    public static func readLink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = OSString.withCString(path) { readlink($0, &buf, buf.count - 1) }
        guard n > 0 else { return nil }
        return OSString.decode(buf[0..<n].map { UInt8(bitPattern: $0) })
    }

    /// The canonical path (symlinks resolved).
    public static func realPath(_ path: String) -> String? {
        guard let p = OSString.withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(p) }
        return OSString.decode(UnsafeRawBufferPointer(start: p, count: strlen(p)))
    }

    public static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Names in a directory (without . and ..), or nil when it cannot be read.
    public static func listDirectory(_ path: String) -> [String]? {
        guard let dir = OSString.withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(dir) }
        var out: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: ent.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) {
                    let b = UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))
                    // An ASCII name (nearly every one) as it is: the generic validation
                    // cost a tenth of the listing of ten thousand devices.
                    return b.allSatisfy { $0 < 0x80 } ? String(decoding: b, as: UTF8.self) : OSString.decode(b)
                }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    public static func exists(_ path: String) -> Bool { OSString.withCString(path) { access($0, F_OK) } == 0 }

    /// uname -r
    public static func kernelRelease() -> String {
        var u = utsname()
        guard uname(&u) == 0 else { return "unknown" }
        return withUnsafePointer(to: u.release) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }

    /// Every network interface of this namespace, ordered by ifindex.
    public static func interfaces() throws(SystemError) -> [(index: UInt32, name: String)] {
        guard let list = if_nameindex() else { throw SystemError("if_nameindex", errno) }
        defer { if_freenameindex(list) }
        var out: [(UInt32, String)] = []
        var p = list
        while p.pointee.if_index != 0 {
            out.append(
                (p.pointee.if_index, OSString.decode(UnsafeRawBufferPointer(start: p.pointee.if_name, count: strlen(p.pointee.if_name)))))
            p += 1
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The name of an ifindex, or nil.
    public static func interfaceName(_ index: UInt32) -> String? {
        var buf = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(index, &buf) != nil else { return nil }
        let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return OSString.decode(bytes)
    }

    @inline(__always)
    static func retrying<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let r = call()
            if r >= 0 || errno != EINTR { return r }
        }
    }
}

extension Sys {
    /// The most characters one error line shows.
    public static let errorLineLimit = 2000

    /// One line to standard error, unbuffered.
    public static func printError(_ line: String) {
        // A name that slipped through unescaped still cannot put raw control
        // bytes (a terminal's escape sequences) on the user's terminal.
        func raw(_ u: Unicode.Scalar) -> Bool {
            (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7f || OSString.reserved.contains(u.value)
        }
        var safe = line
        if line.unicodeScalars.contains(where: raw) {
            safe = ""
            for u in line.unicodeScalars { if raw(u) { safe += OSString.escaped(String(u)) } else { safe.unicodeScalars.append(u) } }
        }
        // An echoed value can be megabytes (an 8 MiB name, 500,000 flags): the
        // line keeps its start and end and says how much it left out.
        let scalars = safe.unicodeScalars
        if scalars.count > Self.errorLineLimit {
            let head = String(String.UnicodeScalarView(scalars.prefix(Self.errorLineLimit - 200)))
            let tail = String(String.UnicodeScalarView(scalars.suffix(200)))
            safe = head + " ... (\(scalars.count - Self.errorLineLimit) characters left out) ... " + tail
        }
        let s = safe.hasSuffix("\n") ? safe : safe + "\n"
        var bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { p in write(STDERR_FILENO, p.baseAddress! + off, p.count - off) }
            if n < 0 { if errno == EINTR { continue } else { return } }
            off += n
        }
    }

    /// Standard input, output and error must be open before any other file
    /// is: a closed descriptor 1 would otherwise be reused by a socket or
    /// file and output written into it. 0 and 2 get /dev/null; a closed
    /// stdout is an error (the output would be lost).
    public static func checkStandardDescriptors() {
        for fd: Int32 in [0, 2] where fcntl(fd, F_GETFD) < 0 {
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd { dup2(null, fd); close(null) }
        }
        if fcntl(1, F_GETFD) < 0 {
            printError("tsctl: standard output is closed; nothing was done")
            Glibc.exit(11)
        }
    }
}

extension Sys {
    /// Whether this process has CAP_NET_ADMIN (bit 12 of CapEff in /proc/self/status).
    public static func hasNetAdmin() -> Bool {
        guard let status = readFile("/proc/self/status") else { return true }
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let hex = line.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            guard let caps = UInt64(hex, radix: 16) else { return true }
            return caps & (1 << 12) != 0
        }
        return true
    }
}

extension Sys {
    /// Moves this process into the named network namespace (/run/netns/NAME, as
    /// `ip netns add` makes) and mounts that namespace's sysfs privately, as
    /// `ip netns exec` does, so /sys/class/net shows its interfaces.
    public static func enterNetworkNamespace(_ name: String) throws(SystemError) {
        let path = name.hasPrefix("/") ? name : "/run/netns/\(name)"
        // O_NONBLOCK: a FIFO given as the namespace must not block.
        let fd = OSString.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open(\(OSString.escaped(path)))", errno) }
        defer { close(fd) }
        if setns(fd, 0x4000_0000) < 0 { throw SystemError("setns(\(OSString.escaped(path)), CLONE_NEWNET)", errno) }  // CLONE_NEWNET
        if unshare(0x0002_0000) < 0 { throw SystemError("unshare(CLONE_NEWNS)", errno) }  // CLONE_NEWNS
        // Keep our mounts from propagating back, then replace /sys with this namespace's.
        if mount("none", "/", nil, UInt(MS_REC | MS_SLAVE), nil) < 0 { throw SystemError("mount(/, MS_SLAVE)", errno) }
        _ = umount2("/sys", Int32(MNT_DETACH))
        if mount(name, "/sys", "sysfs", 0, nil) < 0 { throw SystemError("mount(sysfs, /sys)", errno) }
    }
}
