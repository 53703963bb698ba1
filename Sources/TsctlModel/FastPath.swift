/// The commonest command lines (boot scripts, CI loops, fleet scrapes), read
/// without the argument parser's start-up cost (its reflection is about 8
/// million instructions, 4x ethtool's whole run). Anything else, help and
/// errors included, is left to the parser: nil.
public enum FastPath {
    /// `show [--all] [--json] [--clocks] [IF...]`.
    public struct Show: Equatable, Sendable {
        public var interfaces: [String] = []
        public var all = false
        public var json = false
        public var clocks = false

        /// Why these interfaces and --all cannot go together, or nil.
        public static func problem(interfaces: [String], all: Bool) -> String? {
            if let refusal = InterfaceName.refusal(interfaces) { return refusal }
            if all && !interfaces.isEmpty { return "--all shows every interface; give interface names or --all, not both" }
            return nil
        }
    }

    /// `check [--strict] [--json] [IF...]`.
    public struct Check: Equatable, Sendable {
        public var interfaces: [String] = []
        public var strict = false
        public var json = false
    }

    public static func show(_ args: ArraySlice<String>) -> Show? {
        guard args.first == "show" else { return nil }
        var line = Show()
        for a in args.dropFirst() {
            switch a {
            case "--all": line.all = true
            case "--json": line.json = true
            case "--clocks": line.clocks = true
            default:
                if a.hasPrefix("-") { return nil }
                line.interfaces.append(a)
            }
        }
        return Show.problem(interfaces: line.interfaces, all: line.all) == nil ? line : nil
    }

    public static func check(_ args: ArraySlice<String>) -> Check? {
        guard args.first == "check" else { return nil }
        var line = Check()
        for a in args.dropFirst() {
            switch a {
            case "--strict": line.strict = true
            case "--json": line.json = true
            default:
                if a.hasPrefix("-") || InterfaceName.problem(a) != nil { return nil }
                line.interfaces.append(a)
            }
        }
        return line
    }
}
