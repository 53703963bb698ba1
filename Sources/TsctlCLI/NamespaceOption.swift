import ArgumentParser
import TsctlKernel
import TsctlModel
import TsctlSystem

/// --netns NAME: run in a network namespace made by `ip netns add` (needs root).
struct NamespaceOption: ParsableArguments {
    @Option(
        help: ArgumentHelp("Work in this network namespace (a name from `ip netns list`, or a path).", valueName: "name"),
        completion: Completion.namespaces)
    var netns: String?

    func validate() throws {
        if let netns, let problem = NetworkNamespaceOption.problem(netns) { throw ValidationError(problem) }
    }

    func enter() throws {
        if let netns { try NetworkNamespaceOption.enter(netns) }
    }
}

/// Refuses a malformed interface name before any request is made.
func validateInterfaceNames(_ names: [String]) throws {
    if let refusal = InterfaceName.refusal(names) { throw ValidationError(refusal) }
}
