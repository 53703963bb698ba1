#if canImport(Glibc)
import Glibc
#endif

extension Sys {
    /// Replaces `path` with `text` so that a reader sees the old file or the
    /// new one, never half of either: written to a temporary file in the same
    /// directory (a rename does not cross file systems), flushed to disk, then
    /// renamed over `path`. The temporary name ends in `.tmp.XXXXXX`, which
    /// node_exporter's textfile collector (it reads `*.prom`) skips. On any
    /// failure the temporary file is removed and `path` is left as it was.
    /// The new file gets the mode a plain create would (0666 less the umask):
    /// a collector running as another user must be able to read it.
    public static func writeAtomically(_ text: String, to path: String) throws(SystemError) {
        let slash = path.lastIndex(of: "/")
        let base = String(path[(slash.map { path.index(after: $0) } ?? path.startIndex)...])
        guard !base.isEmpty, base != ".", base != ".." else { throw SystemError("open(\(path))", EISDIR) }
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let pattern = (dir == "/" ? "/" : dir + "/") + "." + base + ".tmp.XXXXXX"
        var template = Array(pattern.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
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
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let e = n < 0 ? errno : EIO
                close(fd)
                throw SystemError("write(\(tmp))", e)
            }
            bytes = bytes.dropFirst(n)
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd)
            throw SystemError("fsync(\(tmp))", e)
        }
        guard close(fd) == 0 else { throw SystemError("close(\(tmp))", errno) }
        guard rename(tmp, path) == 0 else { throw SystemError("rename(\(tmp), \(path))", errno) }
        ok = true
    }
}
