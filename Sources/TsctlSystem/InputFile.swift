public import TsctlModel

/// The files tsctl reads as input: a desired state (apply FILE, check
/// --expect) and a baseline (check --baseline).
public enum InputFile {
    /// The most a baseline (--baseline) may hold: a `show --json` of 10,000
    /// interfaces is about 8 MiB.
    public static let limit = 16 << 20

    /// The most a desired-state file (apply FILE, --expect) may hold: about 20,000
    /// [[interface]] entries, far beyond a host's NICs, read in a few tens of MiB
    /// (a 16 MiB file of small entries took about 300 MiB to parse).
    public static let desiredStateLimit = 1 << 20

    /// A regular file, read whole without blocking (a FIFO or device is refused,
    /// not waited on), refused beyond `limit` rather than cut short, and
    /// only when it is UTF-8 text; every refusal is exit 3 (bad input file).
    public static func text(_ path: String, limit: Int = limit) throws(TsctlFailure) -> String {
        switch Sys.readRegularFile(path, limit: limit) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw TsctlFailure(.badInputFile, "cannot read \(path): it is not UTF-8 text")
            }
            return text
        case .failure(.tooLarge(let limit)):
            let what = limit == desiredStateLimit ? "desired-state files" : "input files"
            throw TsctlFailure(.badInputFile, "cannot read \(path): it is larger than tsctl's limit of \(limit >> 20) MiB for \(what)")
        case .failure(let e):
            throw TsctlFailure(.badInputFile, "cannot read \(path): \(e)")
        }
    }
}
