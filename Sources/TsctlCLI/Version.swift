import CBuildInfo

/// What `tsctl --version` prints: the release, the commit it was built from and the
/// architecture it was built for, so a binary copied to a board can be traced back to
/// its source (and an x86_64 binary on an arm64 board is named as such).
enum BuildInfo {
    static let version = "0.1.0"

    /// "2f0f31b", "2f0f31b-dirty" (uncommitted changes), or "unknown commit".
    static var commit: String { String(cString: tsctl_build_commit()) }

    /// The machine name `uname -m` prints on the architecture this binary runs on.
    static var architecture: String {
        #if arch(x86_64)
        return "x86_64"
        #elseif arch(arm64)
        return "aarch64"
        #else
        return "unknown architecture"
        #endif
    }

    static var versionLine: String {
        let c = commit
        return "tsctl \(version) (\(c == "unknown commit" ? c : "commit \(c)"), \(architecture))"
    }
}
