public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

extension Sys {
    /// How `writeOutput` wrote a report.
    public enum OutputWrite: Sendable, Equatable {
        /// A regular file (or a new one) was replaced as a whole.
        case replaced
        /// A device, FIFO, socket or symbolic link was opened and written to as it is.
        case inPlace
    }

    /// A failed `writeOutput`, with whether the file still holds what it held.
    public struct OutputError: Error, Sendable, CustomStringConvertible {
        public var problem: String
        /// false once bytes may have reached the file (written in place).
        public var unchanged: Bool
        public var description: String { problem }
    }

    /// Writes a report where the user pointed `--output`, as its kind of file allows.
    /// The path is lstat'ed first:
    /// - missing or a regular file: replaced atomically (`writeAtomically`), so
    ///   a reader sees the old report or the new one;
    /// - a character device (/dev/null, /dev/full, a terminal), a FIFO, a
    ///   socket, or a symbolic link (/dev/stdout): opened as it is, never
    ///   created, renamed over or unlinked, and written to; the file standard
    ///   output or standard error already writes to is written through that
    ///   descriptor (its offset and append mode kept); a FIFO nobody reads is
    ///   refused (ENXIO) rather than waited on; a regular file reached through a
    ///   link is truncated first, as a shell's `>` would;
    /// - a directory or a block device: refused.
    @discardableResult
    public static func writeOutput(_ text: String, to path: String) throws(OutputError) -> OutputWrite {
        var st = stat()
        if OSString.withCString(path, { lstat($0, &st) }) != 0 {
            let e = errno
            guard e == ENOENT else { throw OutputError(problem: "lstat: \(Errno.text(e))", unchanged: true) }
        } else {
            switch st.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw OutputError(problem: "it is a directory; name a file in it", unchanged: true)
            case S_IFBLK: throw OutputError(problem: "it is a block device; name a regular file", unchanged: true)
            default: return try writeInPlace(text, path: path)
            }
        }
        do { try writeAtomically(text, to: path) } catch {
            throw OutputError(problem: "\(error)", unchanged: true)
        }
        return .replaced
    }

    private static func writeInPlace(_ text: String, path: String) throws(OutputError) -> OutputWrite {
        let fd = retrying { OSString.withCString(path) { open($0, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) } }
        guard fd >= 0 else {
            let e = errno
            let why = e == ENXIO ? "it is a FIFO no process reads (ENXIO)" : Errno.text(e)
            throw OutputError(problem: "open: \(why)", unchanged: true)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw OutputError(problem: "fstat: \(Errno.text(errno))", unchanged: true) }
        // The same open file as standard output or error: write through that
        // descriptor, keeping its offset and append mode.
        for std: Int32 in [1, 2] {
            var s = stat()
            if fstat(std, &s) == 0, s.st_dev == st.st_dev, s.st_ino == st.st_ino {
                try check(writeAll(text, fd: std))
                return .inPlace
            }
        }
        if st.st_mode & S_IFMT == S_IFREG {
            guard retrying({ ftruncate(fd, 0) }) == 0 else {
                throw OutputError(problem: "ftruncate: \(Errno.text(errno))", unchanged: true)
            }
        }
        // Blocking writes from here on: a FIFO's reader sets the pace.
        let fl = fcntl(fd, F_GETFL)
        if fl >= 0 { _ = fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) }
        try check(writeAll(text, fd: fd))
        return .inPlace
    }

    private static func check(_ r: (errno: Int32, wrote: Bool)) throws(OutputError) {
        if r.errno != 0 { throw OutputError(problem: "write: \(Errno.text(r.errno))", unchanged: !r.wrote) }
    }

    /// Writes all of `text`; the errno that stopped it (0 when all was
    /// written) and whether any byte was written before.
    private static func writeAll(_ text: String, fd: Int32) -> (errno: Int32, wrote: Bool) {
        var bytes = Array(text.utf8)[...]
        var wrote = false
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return (n < 0 ? errno : EIO, wrote) }
            wrote = true
            bytes = bytes.dropFirst(n)
        }
        return (0, wrote)
    }

    /// Replaces `path` with `text` so that a reader sees the old file or the
    /// new one, never half of either: written to a temporary file in the same
    /// directory (a rename does not cross file systems), flushed to disk, then
    /// renamed over `path`. The temporary name ends in `.tmp.XXXXXX`, which
    /// node_exporter's textfile collector (it reads `*.prom`) skips. On any
    /// failure the temporary file is removed and `path` is left as it was.
    /// The new file gets the mode a plain create would (0666 less the umask):
    /// a collector running as another user must be able to read it.
    /// Only for a path that is missing or a regular file (`writeOutput` checks).
    public static func writeAtomically(_ text: String, to path: String) throws(SystemError) {
        let slash = path.lastIndex(of: "/")
        let base = String(path[(slash.map { path.index(after: $0) } ?? path.startIndex)...])
        guard !base.isEmpty, base != ".", base != ".." else { throw SystemError("open(\(path))", EISDIR) }
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let pattern = (dir == "/" ? "/" : dir + "/") + "." + base + ".tmp.XXXXXX"
        // mkstemp fills in the template: a retry after EINTR starts from a fresh one.
        var template: [CChar] = []
        let fd = retrying {
            template = Array(pattern.utf8CString)
            return template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        }
        guard fd >= 0 else { throw SystemError("mkstemp(\(pattern))", errno) }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        let mask = umask(0)
        umask(mask)
        guard fchmod(fd, 0o666 & ~mask) == 0 else {
            let e = errno
            close(fd)
            throw SystemError("fchmod(\(tmp))", e)
        }
        let w = writeAll(text, fd: fd)
        guard w.errno == 0 else {
            close(fd)
            throw SystemError("write(\(tmp))", w.errno)
        }
        guard retrying({ fsync(fd) }) == 0 else {
            let e = errno
            close(fd)
            throw SystemError("fsync(\(tmp))", e)
        }
        guard close(fd) == 0 else { throw SystemError("close(\(tmp))", errno) }
        guard rename(tmp, path) == 0 else { throw SystemError("rename(\(tmp), \(path))", errno) }
        ok = true
    }
}

extension Sys {
    /// A report written to `path` (check --output, see `writeOutput`); a
    /// failure says why and whether the file was left as it was.
    public static func writeReport(_ text: String, to path: String) throws(TsctlFailure) {
        do { try writeOutput(text, to: path) } catch {
            let left = error.unchanged ? "the file was not changed" : "part of the report may have been written"
            throw TsctlFailure(.kernelError, "cannot write the report to \(OSString.escaped(path)): \(error.problem); \(left)")
        }
    }
}
