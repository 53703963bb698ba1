public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// A failure talking to the kernel. Keeps the errno and, where the kernel sent
/// one, its extended-ACK message and offset (libnl would drop them).
public enum NetlinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel answered a request with an error.
    case kernel(KernelError)
    /// A system call failed (socket, send, receive).
    case system(call: String, errno: Int32)
    /// The kernel sent bytes tsctl cannot decode.
    case malformed(String)
    /// The generic netlink family (e.g. "ethtool") is not registered.
    case familyMissing(String)
    /// The kernel lacks the operation (not in the family's op list).
    case opMissing(family: String, op: String, since: String)

    public var errno: Int32? {
        switch self {
        case .kernel(let k): return k.errno
        case .system(_, let e): return e
        default: return nil
        }
    }

    /// What it means, from the one errno table; a missing family or op is "not supported".
    public var kind: FailureKind {
        switch self {
        case .opMissing, .familyMissing: return .notSupported
        default: return errno.map(Errno.kind) ?? .other
        }
    }

    /// Intent tests, so callers never compare raw errno values.
    public var isNotSupported: Bool { kind == .notSupported }
    public var isNoDevice: Bool { kind == .noSuchDevice }
    public var isPermission: Bool { kind == .permission }

    /// As the layers above the kernel see it.
    public var failure: KernelFailure { KernelFailure(kind: kind, errno: errno, message: description) }

    public var description: String {
        switch self {
        case .kernel(let k): return k.description
        case .system(let call, let e): return "\(call): \(errnoText(e))"
        case .malformed(let what): return "malformed netlink message: \(what)"
        case .familyMissing(let name):
            return "the kernel has no \"\(name)\" generic netlink family (CONFIG_ETHTOOL_NETLINK is off or the kernel is older than 5.6)"
        case .opMissing(let family, let op, let since):
            return "the kernel's \(family) netlink family has no \(op) (added in Linux \(since))"
        }
    }
}

/// The kernel's own answer to a failed request.
public struct KernelError: Equatable, Sendable, CustomStringConvertible {
    /// Positive errno (EOPNOTSUPP, ENODEV, ...).
    public var errno: Int32
    /// The request that failed, in tsctl's words (e.g. "TSCONFIG_GET eth0").
    public var request: String
    /// NLMSGERR_ATTR_MSG: the kernel's explanation, when it gave one.
    public var message: String?
    /// NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request.
    public var offset: UInt32?
    /// NLMSGERR_ATTR_MISS_TYPE: the attribute the kernel says was missing.
    public var missingAttribute: UInt32?

    public init(
        errno: Int32, request: String, message: String? = nil, offset: UInt32? = nil,
        missingAttribute: UInt32? = nil
    ) {
        self.errno = errno
        self.request = request
        self.message = message
        self.offset = offset
        self.missingAttribute = missingAttribute
    }

    public var description: String {
        var s = "\(request): \(errnoText(errno))"
        if let message { s += " (kernel: \(message)" + (offset.map { ", offset \($0))" } ?? ")") }
        if let missingAttribute { s += " [missing attribute \(missingAttribute)]" }
        return s
    }
}

/// strerror text plus the symbolic name users search for.
public func errnoText(_ e: Int32) -> String { Errno.text(e) }
