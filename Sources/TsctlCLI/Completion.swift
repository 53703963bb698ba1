import ArgumentParser
import TsctlKernel
import TsctlModel
import TsctlSystem

/// What the shell completes, asked of this machine when the user presses Tab.
/// Completion runs `tsctl ---completion ...` with the words typed so far; none of
/// it may print an error or change anything, so every failure completes nothing.
enum Completion {
    /// The value after `--netns` in the words typed, if any.
    static func netns(_ words: [String]) -> String? {
        guard let i = words.lastIndex(of: "--netns"), i + 1 < words.count, !words[i + 1].isEmpty else { return nil }
        return words[i + 1]
    }

    /// Enters the `--netns` the user typed (needs root, as the command itself does).
    static func enterNamespace(_ words: [String]) -> Bool {
        guard let ns = netns(words) else { return true }
        do { try Sys.enterNetworkNamespace(ns) } catch { return false }
        return true
    }

    /// The interface the command works on: the first word after the subcommand
    /// that is neither an option nor an option's value.
    static func interface(_ words: [String], subcommand: String) -> String? {
        guard let start = words.firstIndex(of: subcommand) else { return nil }
        var i = start + 1
        while i < words.count {
            let w = words[i]
            if w.hasPrefix("--") {
                i += valueOptions.contains(w) ? 2 : 1
                continue
            }
            if !w.isEmpty && InterfaceName.problem(w) == nil { return w }
            i += 1
        }
        return nil
    }

    static let valueOptions: Set = [
        "--netns", "--source", "--qualifier", "--tx", "--rx", "--expect", "--baseline",
        "--prefer", "--format", "--wait", "--interval"
    ]

    /// Interface names of this namespace, or of the `--netns` given.
    static let interfaces = CompletionKind.custom { words, _, _ in
        guard enterNamespace(words), let list = try? Sys.interfaces() else { return [] }
        return list.map(\.name)
    }

    /// Namespaces made by `ip netns add`.
    static let namespaces = CompletionKind.custom { _, _, _ in
        (Sys.listDirectory("/run/netns") ?? []).sorted()
    }

    /// The typed interface's snapshot, when there is one to read.
    static func snapshot(_ words: [String], _ subcommand: String) -> InterfaceSnapshot? {
        guard let name = interface(words, subcommand: subcommand), enterNamespace(words),
            let kernel = try? KernelSession.open()
        else { return nil }
        return try? kernel.snapshot(names: [name]).interfaces.first
    }

    /// The providers of the interface typed, as --source takes them; the forms
    /// without an index when no interface is typed yet or it has none.
    static let sources = CompletionKind.custom { words, _, _ in
        guard let itf = snapshot(words, "set"), !itf.providers.isEmpty else { return ["mac", "phy"] }
        var out: [String] = []
        for p in itf.providers {
            let name = p.layer.providerLabel(phyIndex: p.phyIndex)
            if !out.contains(name) { out.append(name) }
            out.append("phc:\(p.phcIndex)")
        }
        return out
    }

    /// The kernel's tx types (rx filters): those the typed interface's providers
    /// support when it has any, else every name the kernel defines.
    static func kernelNames<Table>(_ supported: @escaping @Sendable (Capabilities) -> [KernelValue<Table>]) -> CompletionKind {
        .custom { words, _, _ in
            let all = Table.names
            guard let itf = snapshot(words, "set") else { return all }
            let caps = itf.providers.compactMap(\.capabilities)
            let names = Set(caps.flatMap(supported).map(\.name))
            return names.isEmpty ? all : all.filter(names.contains)
        }
    }

    static let txTypes = kernelNames { $0.txTypes }
    static let rxFilters = kernelNames { $0.rxFilters }
    static let flags = CompletionKind.list(HwtstampFlag.allValueStrings)
}
