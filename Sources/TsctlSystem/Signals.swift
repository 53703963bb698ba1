#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP while tsctl changes something: the handler only
/// notes the signal, so a request already sent is verified (or rolled back)
/// and reported before tsctl stops. Waiting calls (poll, sleeps) are
/// interrupted (no SA_RESTART) so a wait notices at once.
public enum Signals {
    nonisolated(unsafe) static var received: sig_atomic_t = 0

    /// The first signal received since `deferTermination()`, or 0.
    public static var pending: Int32 { Int32(received) }

    public static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }

    public static func deferTermination() {
        // A parent may have started tsctl with these blocked (a blocked SIGTERM
        // would never end `apply --keep`): tsctl handles them, so it takes them.
        // The handler goes in first: one left pending is then noted, not fatal.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if Signals.received == 0 { Signals.received = sig_atomic_t(sig) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
            sigaddset(&set, sig)
        }
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }

    /// `tsctl watch`: SIGINT, SIGTERM and SIGHUP only ask it to stop (exit 0),
    /// noted as `set` and `apply` note them (a signal left pending included).
    public static func catchStops() { deferTermination() }
}
