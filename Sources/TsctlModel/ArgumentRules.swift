/// Rules tsctl applies to its command line beyond what the parser checks.
public enum ArgumentRules {
    /// Options that take one value: given twice, the second would silently win.
    public static let singleValueOptions: Set<String> = [
        "--source", "--qualifier", "--tx", "--rx", "--format", "--output", "--expect", "--baseline", "--prefer", "--sample",
        "--interval", "--wait", "--netns"
    ]

    /// "--tx is given twice (on, then off); give it once", or nil.
    public static func givenTwice(_ args: ArraySlice<String>) -> String? {
        var seen: [String: String] = [:]
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a == "--" { return nil }
            let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
            if let name = parts.first, singleValueOptions.contains(name) {
                var value = parts.count == 2 ? parts[1] : ""
                if parts.count == 1, i + 1 < args.endIndex {
                    value = args[i + 1]
                    i += 1
                }
                if let first = seen[name] {
                    let shown = [first, value].map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }
                    return "\(name) is given twice (\(shown[0]), then \(shown[1])); give it once (see `tsctl --help`)"
                }
                seen[name] = value
            }
            i += 1
        }
        return nil
    }

    /// A parser message on one line: "…following:\n  - a\n  - b" -> "…following: a, b".
    public static func oneLine(_ text: String) -> String {
        var head = "", items: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.drop { $0 == " " }
            if line.hasPrefix("- ") { items.append(String(line.dropFirst(2))) } else { head += (head.isEmpty ? "" : " ") + line }
        }
        return items.isEmpty ? head : head + " " + items.joined(separator: ", ")
    }

    /// The command whose JSON document the command line asks for, or nil, for
    /// failures raised before the command ran (a bad option is exit 2 under
    /// --json too).
    public static func jsonCommand(_ args: ArraySlice<String>) -> String? {
        let commands = ["show", "check", "set", "apply", "probe"]
        guard let cmd = args.first(where: { commands.contains($0) }) else { return nil }
        let a = Array(args)
        let json =
            a.contains("--json") || a.contains("--format=json")
            || zip(a, a.dropFirst()).contains { $0 == "--format" && $1 == "json" }
        return json ? cmd : nil
    }
}
