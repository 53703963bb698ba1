import Foundation
import Testing

/// `tsctl --version` names the release, the commit the binary was built from and its
/// architecture
/// (Scripts/lib/common.sh writes it at build time; "unknown commit" outside git).
struct VersionEndToEndTests {
    @Test func versionNamesReleaseAndCommit() throws {
        let r = try Run.run([E2E.tsctl, "--version"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let line = r.stdout.trimmingCharacters(in: .newlines)
        let shape = try Regex(#"^tsctl [0-9]+\.[0-9]+\.[0-9]+ \((commit [0-9a-f]{7,40}(-dirty)?|unknown commit), (x86_64|aarch64)\)$"#)
        #expect(line.wholeMatch(of: shape) != nil, "\(line)")
        // The architecture the test itself was built for: the same as the binary's.
        #if arch(x86_64)
        #expect(line.hasSuffix(", x86_64)"), "\(line)")
        #elseif arch(arm64)
        #expect(line.hasSuffix(", aarch64)"), "\(line)")
        #endif
        // Scripts/test builds the binary it names in TSCTL_BIN from this checkout:
        // the commit must be this checkout's HEAD.
        if ProcessInfo.processInfo.environment["TSCTL_BIN"] != nil {
            let head = try Run.run(["git", "-C", E2E.packageRoot.path, "rev-parse", "--short=12", "HEAD"])
            if head.status == 0 {
                #expect(line.contains("commit \(head.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"), "\(line)")
            }
        }
    }
}
