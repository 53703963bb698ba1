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

    func enter() throws {
        guard let netns else { return }
        do { try Sys.enterNetworkNamespace(netns) } catch {
            // No such namespace: ENOENT; otherwise what the errno means.
            let status: ExitStatus = error.errno == ENOENT ? .noSuchDevice : ExitStatus(error.failure.kind)
            throw TsctlFailure(status, "cannot enter network namespace \(netns): \(error.description)")
        }
    }
}

/// Refuses a malformed interface name before any request is made.
func validateInterfaceNames(_ names: [String]) throws {
    for n in names {
        if let why = InterfaceName.problem(n) { throw ValidationError("invalid interface name \"\(n)\": \(why)") }
    }
}
