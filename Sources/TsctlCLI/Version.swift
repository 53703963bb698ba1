import CBuildInfo

/// What `tsctl --version` prints: the release and the commit it was built
/// from, so a binary copied to a board can be traced back to its source.
enum BuildInfo {
    static let version = "0.1.0"

    /// "2f0f31b", "2f0f31b-dirty" (uncommitted changes), or "unknown commit".
    static var commit: String { String(cString: tsctl_build_commit()) }

    static var versionLine: String {
        let c = commit
        return "tsctl \(version) (\(c == "unknown commit" ? c : "commit \(c)"))"
    }
}
