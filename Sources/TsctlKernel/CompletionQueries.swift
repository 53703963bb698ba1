public import TsctlModel
import TsctlSystem

/// What the shell completes, asked of this machine when the user presses Tab.
/// Completion runs `tsctl ---completion ...` with the words typed so far; none of
/// it may print an error or change anything, so every failure completes nothing.
public enum CompletionQueries {
    /// The value after `--netns` in the words typed, if any.
    public static func netns(_ words: [String]) -> String? {
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
    public static func interface(_ words: [String], subcommand: String) -> String? {
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
    public static func interfaces(_ words: [String]) -> [String] {
        guard enterNamespace(words), let list = try? Sys.interfaces() else { return [] }
        return list.map(\.name)
    }

    /// Namespaces made by `ip netns add`.
    public static func namespaces() -> [String] { (Sys.listDirectory("/run/netns") ?? []).sorted() }

    /// The snapshot of the interface typed after `subcommand`, when there is one to read.
    static func snapshot(_ words: [String], _ subcommand: String) -> InterfaceSnapshot? {
        guard let name = interface(words, subcommand: subcommand), enterNamespace(words),
            let kernel = try? KernelSession.open()
        else { return nil }
        return try? kernel.snapshot(names: [name]).interfaces.first
    }

    /// `set IF --source`: the providers of the interface typed.
    public static func sources(_ words: [String]) -> [String] { sources(of: snapshot(words, "set")) }

    /// The providers of `itf`, as --source takes them; the forms without an
    /// index when no interface is typed yet or it has none.
    public static func sources(of itf: InterfaceSnapshot?) -> [String] {
        guard let itf, !itf.providers.isEmpty else { return ["mac", "phy"] }
        var out: [String] = []
        for p in itf.providers {
            let name = p.layer.providerLabel(phyIndex: p.phyIndex)
            if !out.contains(name) { out.append(name) }
            out.append("phc:\(p.phcIndex)")
        }
        return out
    }

    /// `set IF --tx` (`--rx`): the names the interface typed supports.
    public static func names<Table>(_ words: [String], _ supported: (Capabilities) -> [KernelValue<Table>]) -> [String] {
        names(of: snapshot(words, "set"), supported)
    }

    /// The kernel's tx types (rx filters): those `itf`'s providers support
    /// when it has any, else every name the kernel defines.
    public static func names<Table>(of itf: InterfaceSnapshot?, _ supported: (Capabilities) -> [KernelValue<Table>]) -> [String] {
        let all = Table.names
        guard let itf else { return all }
        let caps = itf.providers.compactMap(\.capabilities)
        let names = Set(caps.flatMap(supported).map(\.name))
        return names.isEmpty ? all : all.filter(names.contains)
    }
}
