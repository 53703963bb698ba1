public import TsctlCodec

/// What a command prints under --json when it fails before its own document
/// (Schemas/error.schema.json): a script reading stdout still finds one.
public enum ErrorDocument {
    public static func json(command: String, exitStatus: Int32, message: String) -> JSON {
        .object([
            ("schema_version", .int(1)),
            ("command", .string(command)),
            ("exit_status", .int(Int(exitStatus))),
            ("error", .object([("message", .string(message)), ("exit_status", .int(Int(exitStatus)))]))
        ])
    }
}
