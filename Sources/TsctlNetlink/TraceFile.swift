import TsctlModel

#if canImport(Glibc)
public import Glibc
#endif

/// The file a trace variable (TSCTL_TRACE, TSCTL_NETLINK_TRACE) names, opened
/// the way tsctl opens every file a user names: without blocking, without
/// following a symbolic link, and only when it is a regular file (created if
/// missing, appended to). Anything else is refused with one line on standard
/// error, and the command goes on untraced: a FIFO nobody reads must not hang
/// every command, and a link must not make root append to another file.
public enum TraceFile {
    public static func open(variable: String) -> UnsafeMutablePointer<FILE>? {
        guard let value = getenv(variable) else { return nil }
        let path = OSString.decode(UnsafeBufferPointer(start: value, count: strlen(value)).lazy.map { UInt8(bitPattern: $0) })
        guard !path.isEmpty else { return nil }
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let fd = Glibc.open(value, flags, 0o644)
        var problem: String?
        if fd < 0 {
            problem = errno == ELOOP ? "it is a symbolic link" : Errno.text(errno)
        } else {
            var st = stat()
            if fstat(fd, &st) != 0 {
                problem = Errno.text(errno)
            } else if st.st_mode & S_IFMT != S_IFREG {
                problem = "it is not a regular file"
            } else if let f = fdopen(fd, "a") {
                return f
            } else {
                problem = Errno.text(errno)
            }
            close(fd)
        }
        let line = "tsctl: \(variable)=\(OSString.escaped(path)): \(problem ?? "cannot open"); name a regular file. Tracing is off.\n"
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes = bytes.dropFirst(n)
        }
        return nil
    }
}
