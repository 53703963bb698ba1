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
