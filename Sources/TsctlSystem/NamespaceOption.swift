public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// `--netns NAME`: a network namespace made by `ip netns add`, or a path to one.
public enum NetworkNamespaceOption {
    /// Why `netns` names no namespace a user could mean, or nil: `ip netns`
    /// names are single path components; anything else must be a path.
    public static func problem(_ netns: String) -> String? {
        guard netns.isEmpty || (!netns.hasPrefix("/") && (netns.contains("/") || netns == "." || netns == "..")) else { return nil }
        return
            "--netns \"\(OSString.escaped(netns))\": a namespace name from `ip netns list` has no \"/\"; give a path that starts with / for a namespace file"
    }

    /// Moves tsctl into `netns` (needs root); a failure says what the user can do.
    public static func enter(_ netns: String) throws(TsctlFailure) {
        do { try Sys.enterNetworkNamespace(netns) } catch { throw failure(error, netns) }
    }

    /// A failure to enter `netns`, as the user sees it: no such namespace is
    /// exit 4, like no such interface.
    static func failure(_ error: SystemError, _ netns: String) -> TsctlFailure {
        let shown = OSString.escaped(netns)
        if error.call.hasPrefix("setns"), error.errno == EINVAL {
            return TsctlFailure(.noSuchDevice, "--netns \(shown) is not a network namespace (`ip netns list` names them); nothing was done")
        }
        // No such namespace: ENOENT; otherwise what the errno means.
        let status: ExitStatus = error.errno == ENOENT ? .noSuchDevice : ExitStatus(error.failure.kind)
        return TsctlFailure(status, "cannot enter network namespace \(shown): \(error.description)")
    }
}
