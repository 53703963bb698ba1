import ArgumentParser
import TsctlKernel
import TsctlModel
import TsctlSystem

/// What the shell completes (CompletionQueries asks this machine).
enum Completion {
    /// Interface names of this namespace, or of the `--netns` given.
    static let interfaces = CompletionKind.custom { words, _, _ in CompletionQueries.interfaces(words) }

    /// Namespaces made by `ip netns add`.
    static let namespaces = CompletionKind.custom { _, _, _ in CompletionQueries.namespaces() }

    /// The providers of the interface typed, as --source takes them.
    static let sources = CompletionKind.custom { words, _, _ in CompletionQueries.sources(words) }

    static let txTypes = CompletionKind.custom { words, _, _ in CompletionQueries.names(words) { $0.txTypes } }
    static let rxFilters = CompletionKind.custom { words, _, _ in CompletionQueries.names(words) { $0.rxFilters } }
    static let flags = CompletionKind.list(HwtstampFlag.allValueStrings)
}
