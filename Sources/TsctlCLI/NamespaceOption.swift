import ArgumentParser
import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// --netns NAME: run in a network namespace made by `ip netns add` (needs root).
struct NamespaceOption: ParsableArguments {
    @Option(
        help: ArgumentHelp("Work in this network namespace (a name from `ip netns list`, or a path).", valueName: "name"),
        completion: Completion.namespaces)
    var netns: String?

    func validate() throws {
        guard let netns else { return }
        // `ip netns` names are single path components; anything else must be a path.
        if netns.isEmpty || (!netns.hasPrefix("/") && (netns.contains("/") || netns == "." || netns == "..")) {
            throw ValidationError(
                "--netns \"\(OSString.escaped(netns))\": a namespace name from `ip netns list` has no \"/\"; give a path that starts with / for a namespace file"
            )
        }
    }

    func enter() throws {
        guard let netns else { return }
        let shown = OSString.escaped(netns)
        do { try Sys.enterNetworkNamespace(netns) } catch {
            if error.call.hasPrefix("setns"), error.errno == EINVAL {
                throw TsctlFailure(
                    .noSuchDevice, "--netns \(shown) is not a network namespace (`ip netns list` names them); nothing was done")
            }
            // No such namespace: ENOENT; otherwise what the errno means.
            let status: ExitStatus = error.errno == ENOENT ? .noSuchDevice : ExitStatus(error.failure.kind)
            throw TsctlFailure(status, "cannot enter network namespace \(shown): \(error.description)")
        }
    }
}

/// Refuses a malformed interface name before any request is made.
func validateInterfaceNames(_ names: [String]) throws {
    if let refusal = InterfaceName.refusal(names) { throw ValidationError(refusal) }
}
