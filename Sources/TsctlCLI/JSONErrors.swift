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

    /// Prints the error document if one is owed; stderr keeps its one line.
    static func fail(_ args: ArraySlice<String>, _ status: ExitStatus, _ message: String) {
        guard !printed, let cmd = command ?? ArgumentRules.jsonCommand(args) else { return }
        print(ErrorDocument.json(command: cmd, exitStatus: status.rawValue, message: message).serialized())
        printed = true
    }
}
