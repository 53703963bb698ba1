import TsctlCodec
import TsctlModel
import TsctlRender

/// Under --json a script reads stdout, so a failure must leave a document there
/// too (Schemas/error.schema.json), not only a line on stderr.
enum JSONMode {
    /// The command whose --json document is still owed; nil without --json.
    nonisolated(unsafe) static var command: String?
    /// Set once a document is on stdout: a later failure adds no second one.
    nonisolated(unsafe) static var printed = false

    /// Whether the command line asks for JSON, for failures raised before the
    /// command ran (a bad option is exit 2 under --json too).
    static func requested(_ args: ArraySlice<String>) -> String? {
        let commands = ["show", "check", "set", "apply", "probe"]
        guard let cmd = args.first(where: { commands.contains($0) }) else { return nil }
        let a = Array(args)
        let json =
            a.contains("--json") || a.contains("--format=json")
            || zip(a, a.dropFirst()).contains { $0 == "--format" && $1 == "json" }
        return json ? cmd : nil
    }

    static func errorDocument(command: String, status: ExitStatus, message: String) -> JSON {
        ErrorDocument.json(command: command, exitStatus: status.rawValue, message: message)
    }

    /// Prints the error document if one is owed; stderr keeps its one line.
    static func fail(_ args: ArraySlice<String>, _ status: ExitStatus, _ message: String) {
        guard !printed, let cmd = command ?? requested(args) else { return }
        print(errorDocument(command: cmd, status: status, message: message).serialized())
        printed = true
    }
}
