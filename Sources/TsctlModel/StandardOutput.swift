#if canImport(Glibc)
import Glibc
#endif

/// The first error writing standard output outside stdio (the JSON writers
/// write the descriptor directly); 0 when none. The process's exit turns it
/// into exit status 11, so a lost `show --json` never looks like a good one.
public enum StandardOutput {
    // tsctl is single-threaded where it writes standard output.
    nonisolated(unsafe) public static var firstError: Int32 = 0

    public static func note(_ e: Int32) { if firstError == 0 { firstError = e } }
}
