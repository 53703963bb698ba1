@preconcurrency import CNetlink
import TsctlModel

#if canImport(Glibc)
// stdout is a C global; tsctl is single-threaded where it touches it.
@preconcurrency import Glibc
#endif

extension Sys {
    static var outputError: Int32 { StandardOutput.firstError }

    static func noteOutputError(_ e: Int32) { StandardOutput.note(e) }

    /// Puts standard output's stdio stream on a write function that sends
    /// again after EINTR. tsctl's signal handlers do not restart system calls
    /// (so a wait notices a signal at once), and glibc's own stream would drop
    /// the buffer and report EINTR as a write error. Line-buffered on a
    /// terminal, as before; 64 KiB blocks otherwise.
    public static func retryStandardOutputWrites() {
        tsctl_retry_stdout_writes()
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
    public static func exitProcess(_ code: Int32) -> Never {
        if fflush(stdout) != 0 || ferror(stdout) != 0 { noteOutputError(errno == 0 ? EIO : errno) }
        fflush(nil)
        if outputError != 0 && outputError != EPIPE && code != 11 {
            printError("tsctl: cannot write to standard output: \(Errno.text(outputError)); the output is incomplete")
            Glibc.exit(11)
        }
        Glibc.exit(code)
    }

}
