import TsctlModel

#if canImport(Glibc)
public import Glibc
#endif

/// Why a file was not read. Each case says what a user can do about it.
public enum FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case open(Int32)
    case notRegular(String)
    case tooLarge(limit: Int)
    case read(Int32)
    case owner(uid: UInt32)
    case notReadableBy(uid: UInt32)

    public var description: String {
        switch self {
        case .open(let e): return String(cString: strerror(e))
        case .notRegular(let kind): return "it is a \(kind), not a regular file"
        case .tooLarge(let limit): return "it is larger than the limit of \(Self.size(limit))"
        case .read(let e): return "read: \(String(cString: strerror(e)))"
        case .owner(let uid): return "it is owned by uid \(uid), neither root nor the daemon's user"
        case .notReadableBy(let uid): return "the daemon's user (uid \(uid)) could not read it itself"
        }
    }

    static func size(_ n: Int) -> String {
        n % (1 << 20) == 0 ? "\(n >> 20) MiB" : n % 1024 == 0 ? "\(n >> 10) KiB" : "\(n) bytes"
    }
}

/// What kind of file a stat mode is, in words.
public func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "regular file"
    case S_IFDIR: return "directory"
    case S_IFIFO: return "FIFO"
    case S_IFCHR: return "character device"
    case S_IFBLK: return "block device"
    case S_IFSOCK: return "socket"
    case S_IFLNK: return "symbolic link"
    default: return "special file"
    }
}

extension Sys {
    /// The whole of a regular file, never blocking on a FIFO or device and
    /// never reading more than `limit` bytes: O_NONBLOCK at open (a FIFO
    /// without a writer would otherwise block), then fstat on the descriptor
    /// (no race with a rename) and refuse anything but a regular file.
    /// `owners`, when given, are the uids allowed to own it; `readableBy` a
    /// non-root uid that must be able to read it by its mode bits alone.
    /// A relative `path` is taken from the directory `at` (a descriptor).
    public static func readRegularFile(
        _ path: String, at dir: Int32 = AT_FDCWD, limit: Int, owners: Set<UInt32>? = nil,
        readableBy: UInt32? = nil
    ) -> Result<[UInt8], FileReadError> {
        let fd = retrying { OSString.withCString(path) { openat(dir, $0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) } }
        guard fd >= 0 else { return .failure(.open(errno)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.read(errno)) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular(fileKind(st.st_mode))) }
        if let owners, !owners.contains(st.st_uid) { return .failure(.owner(uid: st.st_uid)) }
        if let uid = readableBy, uid != 0 {
            let ok = (st.st_uid == uid && st.st_mode & S_IRUSR != 0) || st.st_mode & S_IROTH != 0
            if !ok { return .failure(.notReadableBy(uid: uid)) }
        }
        if Int(st.st_size) > limit { return .failure(.tooLarge(limit: limit)) }
        // The size can change while reading (a file being written): read one
        // byte past the limit to tell "exactly the limit" from "more".
        var out: [UInt8] = []
        out.reserveCapacity(min(Int(st.st_size), limit) + 1)
        // Not zero-filled: clearing 64 KiB for every small /proc file was most of
        // `check`'s own work; only the n bytes read() wrote are copied out.
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
        defer { buf.deallocate() }
        while out.count <= limit {
            let n = retrying { read(fd, buf.baseAddress, min(buf.count, limit + 1 - out.count)) }
            if n < 0 { return .failure(.read(errno)) }
            if n == 0 { break }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[0..<n]))
        }
        if out.count > limit { return .failure(.tooLarge(limit: limit)) }
        return .success(out)
    }
}
