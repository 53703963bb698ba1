#if canImport(Glibc)
import Glibc
#endif

/// Colour for people at a terminal; never in a pipe and never with NO_COLOR.
public struct TextStyle: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// Colour only when stdout is a terminal and NO_COLOR is unset or empty.
    public static func forStdout() -> TextStyle {
        let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
        // A terminal that says it is dumb does not read escape sequences.
        let dumb = getenv("TERM").map { String(cString: $0) == "dumb" } ?? false
        return TextStyle(color: isatty(STDOUT_FILENO) == 1 && !noColor && !dumb)
    }

    public static let plain = TextStyle(color: false)

    private func sgr(_ code: String, _ s: String) -> String { color ? "\u{1b}[\(code)m\(s)\u{1b}[0m" : s }
    public func bold(_ s: String) -> String { sgr("1", s) }
    public func dim(_ s: String) -> String { sgr("2", s) }
    public func green(_ s: String) -> String { sgr("32", s) }
    public func yellow(_ s: String) -> String { sgr("33", s) }
    public func red(_ s: String) -> String { sgr("31", s) }
    public func cyan(_ s: String) -> String { sgr("36", s) }
}
