// The part of TOML 1.0 a desired-state file needs: comments, [tables],
// [[arrays of tables]], key = value with strings, integers, booleans and
// arrays. Anything else is refused with its line and column, never guessed at.
// (The TOML and YAML packages available here link full Foundation, which
// triples the binary; this stays small.)

public struct SourcePosition: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var description: String { "\(line):\(column)" }
}

public struct TOMLError: Error, Equatable, Sendable {
    public var position: SourcePosition
    public var message: String
}

public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case array([TOMLItem])
    case table(TOMLTable)
    case tables([TOMLTable])

    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "true or false"
        case .array: return "an array"
        case .table: return "a table"
        case .tables: return "an array of tables"
        }
    }
}

public struct TOMLItem: Equatable, Sendable {
    public var value: TOMLValue
    /// Where the value starts.
    public var position: SourcePosition
    /// Where its key starts (the value's position for array items and tables).
    public var keyPosition: SourcePosition

    public init(value: TOMLValue, position: SourcePosition, keyPosition: SourcePosition? = nil) {
        self.value = value
        self.position = position
        self.keyPosition = keyPosition ?? position
    }
}

/// Keys in file order, each with where it was written.
public struct TOMLTable: Equatable, Sendable {
    public var entries: [(key: String, item: TOMLItem)] = []
    public var position: SourcePosition

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.position == b.position && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.item == $1.item }
    }

    public subscript(key: String) -> TOMLItem? { entries.first { $0.key == key }?.item }

    mutating func set(_ key: String, _ item: TOMLItem, at pos: SourcePosition) throws(TOMLError) {
        if entries.contains(where: { $0.key == key }) {
            throw TOMLError(position: pos, message: "key \"\(key)\" is defined twice")
        }
        entries.append((key, item))
    }
}

public enum TOML {
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var p = TOMLParser(Array(text.utf8))
        return try p.document()
    }
}

struct TOMLParser {
    let s: [UInt8]
    var i = 0
    var line = 1
    var lineStart = 0

    init(_ s: [UInt8]) { self.s = s }

    var pos: SourcePosition { SourcePosition(line: line, column: i - lineStart + 1) }
    var atEnd: Bool { i >= s.count }
    var c: UInt8 { s[i] }

    func fail(_ m: String, at p: SourcePosition? = nil) -> TOMLError { TOMLError(position: p ?? pos, message: m) }

    mutating func advance() {
        if s[i] == 0x0a { line += 1; lineStart = i + 1 }
        i += 1
    }

    mutating func skipBlanks() { while !atEnd, c == 0x20 || c == 0x09 { advance() } }

    mutating func skipComment() {
        if !atEnd, c == UInt8(ascii: "#") { while !atEnd, c != 0x0a { advance() } }
    }

    /// Whitespace, newlines and comments (inside arrays, between lines).
    mutating func skipAll() {
        while !atEnd {
            if c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { advance() } else if c == UInt8(ascii: "#") { skipComment() } else { return }
        }
    }

    mutating func endOfLine() throws(TOMLError) {
        skipBlanks()
        skipComment()
        if !atEnd, c == 0x0d { advance() }
        guard atEnd || c == 0x0a else { throw fail("unexpected text after the value; one key = value per line") }
        if !atEnd { advance() }
    }

    mutating func document() throws(TOMLError) -> TOMLTable {
        var root = TOMLTable(position: SourcePosition(line: 1, column: 1))
        // Path of the table being filled: (key, index in array-of-tables or nil).
        var current: [(String, Int?)] = []
        while true {
            skipAll()
            if atEnd { return root }
            let start = pos
            if c == UInt8(ascii: "[") {
                advance()
                let isArray = !atEnd && c == UInt8(ascii: "[")
                if isArray { advance() }
                skipBlanks()
                let keys = try dottedKey()
                skipBlanks()
                guard !atEnd, c == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
                advance()
                if isArray {
                    guard !atEnd, c == UInt8(ascii: "]") else { throw fail("expected ']]' to close the array-of-tables header") }
                    advance()
                }
                try endOfLine()
                current = try Self.open(&root, keys, array: isArray, at: start)
            } else {
                let key = try bareOrQuotedKey()
                skipBlanks()
                if !atEnd, c == UInt8(ascii: ".") { throw fail("dotted keys are not supported here; use a [table] header", at: start) }
                guard !atEnd, c == UInt8(ascii: "=") else { throw fail("expected '=' after key \"\(key)\"") }
                advance()
                skipBlanks()
                let vpos = pos
                let v = try value()
                try endOfLine()
                try Self.insert(&root, current, key, TOMLItem(value: v, position: vpos, keyPosition: start), at: start)
            }
        }
    }

    mutating func dottedKey() throws(TOMLError) -> [String] {
        var keys = [try bareOrQuotedKey()]
        while true {
            skipBlanks()
            guard !atEnd, c == UInt8(ascii: ".") else { return keys }
            advance()
            skipBlanks()
            keys.append(try bareOrQuotedKey())
        }
    }

    mutating func bareOrQuotedKey() throws(TOMLError) -> String {
        guard !atEnd else { throw fail("expected a key") }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return try string() }
        let start = i
        while !atEnd, Self.isBare(c) { advance() }
        guard i > start else { throw fail("expected a key (letters, digits, '_' or '-')") }
        return String(decoding: s[start..<i], as: UTF8.self)
    }

    static func isBare(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f || b == 0x2d
    }

    mutating func value() throws(TOMLError) -> TOMLValue {
        guard !atEnd, c != 0x0a else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try string())
        case UInt8(ascii: "["):
            advance()
            var items: [TOMLItem] = []
            while true {
                skipAll()
                guard !atEnd else { throw fail("unterminated array") }
                if c == UInt8(ascii: "]") { advance(); return .array(items) }
                let p = pos
                items.append(TOMLItem(value: try value(), position: p))
                skipAll()
                guard !atEnd else { throw fail("unterminated array") }
                if c == UInt8(ascii: ",") { advance(); continue }
                guard c == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
            }
        case UInt8(ascii: "{"):
            throw fail("inline tables are not supported here; use a [table] header")
        default:
            let start = i
            while !atEnd, c != 0x0a, c != 0x20, c != 0x09, c != UInt8(ascii: ","), c != UInt8(ascii: "]"),
                  c != UInt8(ascii: "#"), c != 0x0d { advance() }
            let word = String(decoding: s[start..<i], as: UTF8.self)
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            let digits = word.filter { $0 != "_" }
            if let n = Int(digits), !word.hasPrefix("_"), !word.hasSuffix("_") { return .integer(n) }
            throw fail("\"\(word)\" is not a value tsctl reads: strings need quotes (\"\(word)\"); numbers are whole",
                       at: SourcePosition(line: line, column: start - lineStart + 1))
        }
    }

    mutating func string() throws(TOMLError) -> String {
        let quote = c
        advance()
        if quote == UInt8(ascii: "\""), i + 1 < s.count, s[i] == quote, s[i + 1] == quote {
            throw fail("multi-line strings are not supported here")
        }
        var out: [UInt8] = []
        while true {
            guard !atEnd, c != 0x0a else { throw fail("unterminated string") }
            let b = c
            advance()
            if b == quote { return String(decoding: out, as: UTF8.self) }
            if quote == UInt8(ascii: "\""), b == UInt8(ascii: "\\") {
                guard !atEnd else { throw fail("unterminated escape") }
                let e = c
                advance()
                switch e {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
                default: throw fail("unsupported escape \\\(Character(Unicode.Scalar(e)))")
                }
            } else {
                out.append(b)
            }
        }
    }

    /// Opens (creating) the table named by `keys`; returns the path to fill.
    static func open(_ root: inout TOMLTable, _ keys: [String], array: Bool,
                     at pos: SourcePosition) throws(TOMLError) -> [(String, Int?)] {
        var path: [(String, Int?)] = []
        func walk(_ t: inout TOMLTable, _ k: Int) throws(TOMLError) {
            let key = keys[k]
            let last = k == keys.count - 1
            let idx = t.entries.firstIndex { $0.key == key }
            if last {
                if array {
                    if let idx {
                        guard case .tables(var list) = t.entries[idx].item.value else {
                            throw TOMLError(position: pos, message: "\"\(key)\" is already \(t.entries[idx].item.value.typeName)")
                        }
                        list.append(TOMLTable(position: pos))
                        path.append((key, list.count - 1))
                        t.entries[idx].item.value = .tables(list)
                    } else {
                        t.entries.append((key, TOMLItem(value: .tables([TOMLTable(position: pos)]), position: pos)))
                        path.append((key, 0))
                    }
                } else {
                    if idx != nil { throw TOMLError(position: pos, message: "table [\(keys.joined(separator: "."))] is defined twice") }
                    t.entries.append((key, TOMLItem(value: .table(TOMLTable(position: pos)), position: pos)))
                    path.append((key, nil))
                }
                return
            }
            if idx == nil { t.entries.append((key, TOMLItem(value: .table(TOMLTable(position: pos)), position: pos))) }
            let j = t.entries.firstIndex { $0.key == key }!
            switch t.entries[j].item.value {
            case .table(var sub):
                path.append((key, nil))
                try walk(&sub, k + 1)
                t.entries[j].item.value = .table(sub)
            case .tables(var list):
                path.append((key, list.count - 1))
                try walk(&list[list.count - 1], k + 1)
                t.entries[j].item.value = .tables(list)
            default:
                throw TOMLError(position: pos, message: "\"\(key)\" is already \(t.entries[j].item.value.typeName)")
            }
        }
        try walk(&root, 0)
        return path
    }

    static func insert(_ t: inout TOMLTable, _ path: [(String, Int?)], _ key: String, _ item: TOMLItem,
                       at pos: SourcePosition) throws(TOMLError) {
        guard let (head, index) = path.first else { return try t.set(key, item, at: pos) }
        let j = t.entries.firstIndex { $0.key == head }!
        switch t.entries[j].item.value {
        case .table(var sub):
            try insert(&sub, Array(path.dropFirst()), key, item, at: pos)
            t.entries[j].item.value = .table(sub)
        case .tables(var list):
            try insert(&list[index!], Array(path.dropFirst()), key, item, at: pos)
            t.entries[j].item.value = .tables(list)
        default: break
        }
    }
}
