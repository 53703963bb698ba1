#if canImport(Glibc)
import Glibc
#endif

/// What a failure means to a user, whichever path reported it (netlink, an
/// ioctl, a file). Each maps to one exit status (the CLI's `ExitStatus(_:)`).
public enum FailureKind: String, Sendable, CaseIterable {
    /// The kernel or driver cannot do it (EOPNOTSUPP, ERANGE, a missing op).
    case notSupported
    /// The interface, provider or PHC is not there (ENODEV).
    case noSuchDevice
    /// Not allowed (EPERM, EACCES).
    case permission
    /// The input given to tsctl was wrong (an invalid interface name).
    case usage
    /// Anything else: an unexpected kernel or system error.
    case other
}

/// The one table from errno to what it means: every reader and writer of the
/// kernel asks it, so "not supported" is the same answer for netlink and ioctls.
public enum Errno {
    public struct Entry: Sendable {
        public var errno: Int32
        public var symbol: String
        public var kind: FailureKind
    }

    public static let table: [Entry] = [
        Entry(errno: EPERM, symbol: "EPERM", kind: .permission),
        Entry(errno: EACCES, symbol: "EACCES", kind: .permission),
        Entry(errno: ENODEV, symbol: "ENODEV", kind: .noSuchDevice),
        // Drivers answer an rx filter or tx type they cannot do with ERANGE (igb,
        // mvpp2) and a missing hook with EOPNOTSUPP.
        Entry(errno: EOPNOTSUPP, symbol: "EOPNOTSUPP", kind: .notSupported),
        Entry(errno: ERANGE, symbol: "ERANGE", kind: .notSupported),
        Entry(errno: EPROTONOSUPPORT, symbol: "EPROTONOSUPPORT", kind: .notSupported),
        Entry(errno: ENOENT, symbol: "ENOENT", kind: .other),
        Entry(errno: EINTR, symbol: "EINTR", kind: .other),
        Entry(errno: EBUSY, symbol: "EBUSY", kind: .other),
        Entry(errno: EINVAL, symbol: "EINVAL", kind: .other),
        Entry(errno: ENOBUFS, symbol: "ENOBUFS", kind: .other),
        // A kernel built without AF_NETLINK or a sandbox that forbids it.
        Entry(errno: EAFNOSUPPORT, symbol: "EAFNOSUPPORT", kind: .notSupported),
        Entry(errno: ENOPROTOOPT, symbol: "ENOPROTOOPT", kind: .other),
        Entry(errno: EMFILE, symbol: "EMFILE", kind: .other),
        Entry(errno: ENFILE, symbol: "ENFILE", kind: .other),
        Entry(errno: ENOMEM, symbol: "ENOMEM", kind: .other),
        Entry(errno: ENOSPC, symbol: "ENOSPC", kind: .other),
        Entry(errno: EIO, symbol: "EIO", kind: .other),
        Entry(errno: EAGAIN, symbol: "EAGAIN", kind: .other),
        Entry(errno: ENXIO, symbol: "ENXIO", kind: .other),
        Entry(errno: EPIPE, symbol: "EPIPE", kind: .other),
        Entry(errno: EROFS, symbol: "EROFS", kind: .other),
        Entry(errno: EISDIR, symbol: "EISDIR", kind: .other),
        Entry(errno: ENOTDIR, symbol: "ENOTDIR", kind: .other),
        Entry(errno: ELOOP, symbol: "ELOOP", kind: .other),
        Entry(errno: EEXIST, symbol: "EEXIST", kind: .other),
        Entry(errno: EADDRINUSE, symbol: "EADDRINUSE", kind: .other),
        Entry(errno: EMSGSIZE, symbol: "EMSGSIZE", kind: .other),
        Entry(errno: ECONNRESET, symbol: "ECONNRESET", kind: .other),
        Entry(errno: ESRCH, symbol: "ESRCH", kind: .other),
        Entry(errno: EFAULT, symbol: "EFAULT", kind: .other),
        Entry(errno: ETIMEDOUT, symbol: "ETIMEDOUT", kind: .other)
    ]

    public static func entry(_ e: Int32) -> Entry? { table.first { $0.errno == e } }

    public static func kind(_ e: Int32) -> FailureKind { entry(e)?.kind ?? .other }

    /// strerror text plus the symbolic name users search for.
    public static func text(_ e: Int32) -> String {
        "\(String(cString: strerror(e))) (\(entry(e)?.symbol ?? "errno \(e)"))"
    }
}

/// A failed read or write of the kernel, as the layers above it see it: what
/// it means, the errno when there was one, and the full message (with the
/// kernel's extended ACK when it sent one).
public struct KernelFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var kind: FailureKind
    public var errno: Int32?
    public var message: String

    public init(kind: FailureKind, errno: Int32? = nil, message: String) {
        self.kind = kind
        self.errno = errno
        self.message = message
    }

    /// A failed system call or kernel answer, its kind from the table.
    public init(errno: Int32, message: String) {
        self.init(kind: Errno.kind(errno), errno: errno, message: message)
    }

    public var description: String { message }
}
