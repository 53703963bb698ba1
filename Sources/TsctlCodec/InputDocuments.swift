public import TsctlModel

extension DesiredState {
    /// A desired-state file's text (apply FILE, check --expect) read as one;
    /// an error says where in `file` and is exit 3 (bad input file).
    public static func input(_ text: String, file: String) throws(TsctlFailure) -> DesiredState {
        do { return try parse(text, file: file) } catch { throw TsctlFailure(.badInputFile, error.description) }
    }
}

extension Snapshot {
    /// A baseline's text (check --baseline: a saved `tsctl show --json`) read
    /// as a snapshot; an error says where in `file` and is exit 3 (bad input file).
    public static func baseline(_ text: String, file: String) throws(TsctlFailure) -> Snapshot {
        let json: JSON
        do { json = try JSON.parse(text) } catch {
            throw TsctlFailure(.badInputFile, "\(file):\(error.line):\(error.column): \(error.message) \(baselineHint)")
        }
        do { return try Snapshot(json: json) } catch { throw TsctlFailure(.badInputFile, "\(file): \(error) \(baselineHint)") }
    }

    static let baselineHint = "(a baseline is the output of `tsctl show --json`)"
}
