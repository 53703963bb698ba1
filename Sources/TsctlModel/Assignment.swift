/// Which entry of a desired-state file owns which interface: the one reading of a
/// file that `apply`, `apply --dry-run` and `check --expect` share.
public struct Assignment: Sendable {
    /// Each interface with the one entry that matches it, in file order.
    public var pairs: [(entry: DesiredInterface, interface: InterfaceSnapshot)] = []
    /// An interface matched by more than one entry: the file is ambiguous.
    public var conflicts: [Conflict] = []
    /// Entries that match no interface and are not `optional = true`.
    public var unmatched: [DesiredInterface] = []

    public struct Conflict: Sendable, CustomStringConvertible {
        public var interface: String
        public var entries: [DesiredInterface]
        public var file: String
        public var description: String {
            "\(InterfaceName.display(interface)) is matched by "
                + entries.map { "\(file):\($0.position.line) (\($0.label))" }.joined(separator: " and ")
                + "; one entry per interface: make the names, globs or drivers exclusive"
        }
    }
}

extension DesiredInterface {
    /// Why this entry matching nothing is a problem, in words.
    public func unmatchedMessage(_ file: String) -> String {
        let at = "\(file):\(position.line)"
        if !isGlob, let name { return "\(at): no interface \(InterfaceName.display(name))" }
        return "\(at): \(label) matches no interface; if that is expected here, mark the entry optional = true"
    }
}

extension DesiredState {
    /// Matches every entry against `interfaces`. `scope`, when given, limits the
    /// judgement to those interface names (a check of some interfaces only):
    /// entries matching none of them are then out of scope, not unmatched.
    /// `scope`: the interfaces named on the command line (by their bytes).
    public func assign(_ interfaces: [InterfaceSnapshot], scope: Set<NameKey>? = nil) -> Assignment {
        var a = Assignment()
        // By ifindex: two names equal to Unicode but not in bytes are two interfaces.
        var owner: [Int: Int] = [:]
        var conflictAt: [Int: Int] = [:]
        let inScope = interfaces.filter { scope?.contains($0.key) ?? true }
        for entry in self.interfaces {
            let matched = inScope.filter(entry.matches)
            if matched.isEmpty && !entry.optional && scope == nil { a.unmatched.append(entry) }
            if matched.isEmpty && !entry.optional && !entry.isGlob, let scope, let n = entry.name, scope.contains(NameKey(n)) {
                a.unmatched.append(entry)
            }
            for itf in matched {
                if let first = owner[itf.ifindex] {
                    if let c = conflictAt[itf.ifindex] {
                        a.conflicts[c].entries.append(entry)
                    } else {
                        conflictAt[itf.ifindex] = a.conflicts.count
                        a.conflicts.append(.init(interface: itf.name, entries: [a.pairs[first].entry, entry], file: file))
                    }
                    continue
                }
                owner[itf.ifindex] = a.pairs.count
                a.pairs.append((entry, itf))
            }
        }
        return a
    }
}
