/// A line and column in a file tsctl read (a desired-state file), from 1.
public struct SourcePosition: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var description: String { "\(line):\(column)" }

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
