/// A kernel release as uname reports it: 6.17.10, 6.18.0-rc5, 6.18-rc5, 6.16.12+deb13-amd64.
/// The one reading of a release string: used only for behaviour no op or
/// attribute reveals (fixes by release, PHY-first reporting before 6.11, no
/// PHY read-back before 6.19).
public struct KernelRelease: Comparable, Sendable, CustomStringConvertible {
    public var major, minor, patch: Int
    /// A mainline release candidate (sorts before the release).
    public var rc: Int?

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0, rc: Int? = nil) {
        (self.major, self.minor, self.patch, self.rc) = (major, minor, patch, rc)
    }

    /// nil when the string does not start with MAJOR.MINOR.
    public init?(release: String) {
        var rest = Substring(release)
        func number() -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6 else { return nil }
            rest = rest.dropFirst(digits.count)
            return Int(digits)
        }
        guard let major = number(), rest.first == "." else { return nil }
        rest = rest.dropFirst()
        guard let minor = number() else { return nil }
        var patch = 0
        if rest.first == ".", rest.dropFirst().first?.isNumber == true {
            rest = rest.dropFirst()
            patch = number() ?? 0
        }
        var rc: Int?
        if rest.hasPrefix("-rc") || rest.hasPrefix("~rc") {
            rest = rest.dropFirst(3)
            rc = number()
            if rc == nil { return nil }
        }
        self.init(major, minor, patch, rc: rc)
    }

    public static func < (a: KernelRelease, b: KernelRelease) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        // 6.18-rc5 < 6.18-rc6 < 6.18
        return (a.rc ?? Int.max) < (b.rc ?? Int.max)
    }

    public var description: String {
        (patch == 0 && rc != nil ? "\(major).\(minor)" : "\(major).\(minor).\(patch)") + (rc.map { "-rc\($0)" } ?? "")
    }

    /// MAJOR.MINOR: the series a rule about kernel behaviour compares.
    public var series: (Int, Int) { (major, minor) }
}
