@preconcurrency import CNetlink
import TsctlModel

#if canImport(Glibc)
// stdout is a C global; tsctl is single-threaded where it touches it.
@preconcurrency import Glibc
#endif

/// Writing standard output directly (not through stdio) failed: the errno of
/// the first failed write(2). The process ends with exit status 11 for it
/// (`Sys.exitProcess(_:outputError:)`), so a lost `show --json` never looks
/// like a good one.
public struct StandardOutputLost: Error, Equatable, Sendable {
    public var errno: Int32

    public init(errno: Int32) { self.errno = errno }
}

/// write(2) to a descriptor until every byte is taken, again after EINTR;
/// remembers the first error.
public struct DescriptorWriter {
    public let fd: Int32
    /// The errno of the first write that failed; nil while none has.
    public private(set) var failure: Int32?

    public init(fd: Int32) { self.fd = fd }

    /// After an error the rest of `bytes` is dropped (a later piece is still tried).
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, base + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                if failure == nil { failure = errno }
                return
            }
            off += n
        }
    }
}

extension Sys {
    /// Runs `produce`, which hands its output in pieces, writing each to
    /// standard output with write(2) (after stdio's buffer is flushed, so the
    /// two keep their order); throws when a write failed.
    public static func writeStandardOutput(
        _ produce: ((UnsafeRawBufferPointer) -> Void) -> Void
    ) throws(StandardOutputLost) {
        fflush(nil)
        var w = DescriptorWriter(fd: STDOUT_FILENO)
        produce { w.write($0) }
        if let e = w.failure { throw StandardOutputLost(errno: e) }
    }

    /// Puts standard output's stdio stream on a write function that sends
    /// again after EINTR. tsctl's signal handlers do not restart system calls
    /// (so a wait notices a signal at once), and glibc's own stream would drop
    /// the buffer and report EINTR as a write error. Line-buffered on a
    /// terminal, as before; 64 KiB blocks otherwise.
    public static func retryStandardOutputWrites() {
        tsctl_retry_stdout_writes()
    }

    /// Appends `bytes` to standard output's stdio stream, as print does (its
    /// buffering and its error flag).
    public static func printBytes(_ bytes: UnsafeRawBufferPointer) {
        _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout)
    }

    /// Whether a write to standard output has failed (its stream's error flag).
    public static func standardOutputFailed() -> Bool { ferror(stdout) != 0 }

    /// Whether standard output is a pipe or socket whose reader has gone
    /// (poll reports POLLERR or POLLHUP on the writing end); false for a
    /// terminal or a file, which have no reader to lose.
    public static func standardOutputReaderGone() -> Bool {
        var p = pollfd(fd: 1, events: 0, revents: 0)
        return poll(&p, 1, 0) == 1 && p.revents & Int16(POLLERR | POLLHUP) != 0
    }

    /// Flushes stdout and ends the process with `code`, or, when the output
    /// could not be written (a full disk, /dev/full, a closed descriptor),
    /// says so and ends with 11: a lost `show --json` must not look like a
    /// good baseline. A reader that went away (EPIPE) ends it quietly.
    /// `outputError`: a direct write's failure (`StandardOutputLost`), 0 if none.
    public static func exitProcess(_ code: Int32, outputError: Int32 = 0) -> Never {
        var outputError = outputError
        if (fflush(stdout) != 0 || ferror(stdout) != 0) && outputError == 0 { outputError = errno == 0 ? EIO : errno }
        fflush(nil)
        if outputError != 0 && outputError != EPIPE && code != 11 {
            printError("tsctl: cannot write to standard output: \(Errno.text(outputError)); the output is incomplete")
            Glibc.exit(11)
        }
        Glibc.exit(code)
    }

}
