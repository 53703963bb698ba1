public import TsctlModel

// The part of TOML 1.0 a desired-state file needs: comments, [tables],
// [[arrays of tables]], key = value with strings, integers, booleans and
// arrays. Anything else is refused with its line and column, never guessed at.
// (The TOML and YAML packages available here link full Foundation, which
// triples the binary; this stays small.)

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
    public internal(set) var entries: [(key: String, item: TOMLItem)] = []
    public var position: SourcePosition

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.position == b.position && a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.item == $1.item }
    }

    /// Where each key is in `entries`: a lookup per key, not a scan.
    var index: [String: Int] = [:]

    public init(entries: [(key: String, item: TOMLItem)] = [], position: SourcePosition) {
        self.position = position
        for (k, v) in entries { append(k, v) }
    }

    public subscript(key: String) -> TOMLItem? { index[key].map { entries[$0].item } }

    @discardableResult
    mutating func append(_ key: String, _ item: TOMLItem) -> Int {
        index[key] = entries.count
        entries.append((key, item))
        return entries.count - 1
    }

    /// The table at `i`, moved out (a placeholder left behind) so the caller
    /// holds the only reference; nil, and nothing moved, when it is not one.
    mutating func takeTable(_ i: Int) -> TOMLTable? {
        guard case .table = entries[i].item.value else { return nil }
        let old = entries[i].item.value
        entries[i].item.value = .boolean(false)
        if case .table(let t) = consume old { return t }
        return nil
    }

    mutating func takeTables(_ i: Int) -> [TOMLTable]? {
        guard case .tables = entries[i].item.value else { return nil }
        let old = entries[i].item.value
        entries[i].item.value = .boolean(false)
        if case .tables(let l) = consume old { return l }
        return nil
    }

    mutating func set(_ key: String, _ item: TOMLItem, at pos: SourcePosition) throws(TOMLError) {
        if index[key] != nil {
            throw TOMLError(position: pos, message: "key \"\(key)\" is defined twice")
        }
        append(key, item)
    }
}

public enum TOML {
    /// Bounds that keep a hostile file from exhausting the stack: arrays
    /// nested deeper, or headers with more dotted parts, are refused.
    public static let maxDepth = 16

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var bytes = Array(text.utf8)
        // A UTF-8 byte-order mark may open a TOML document (Windows editors write one).
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes.removeFirst(3) }
        var p = TOMLParser(bytes)
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

    /// TOML allows no control character but tab in a comment or string (a
    /// CR only before its LF): each one is named, NUL, BOM and DEL included.
    func controlProblem(_ b: UInt8, in what: String) -> String? {
        if b == 0x0d, i + 1 < s.count, s[i + 1] == 0x0a { return nil }
        guard (b < 0x20 && b != 0x09) || b == 0x7f else { return nil }
        let name: String
        switch b {
        case 0x00: name = "a NUL byte"
        case 0x0d: name = "a carriage return without a line feed (CR-only line ends: save the file with LF or CRLF ends)"
        case 0x7f: name = "the control character DEL (U+007F)"
        default:
            let hex = String(b, radix: 16, uppercase: true)
            name = "the control character U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return "\(name) is not allowed in \(what)"
    }

    mutating func skipComment() throws(TOMLError) {
        guard !atEnd, c == UInt8(ascii: "#") else { return }
        while !atEnd, c != 0x0a {
            if let p = controlProblem(c, in: "a comment") { throw fail(p) }
            advance()
        }
    }

    /// Whitespace, newlines and comments (inside arrays, between lines).
    mutating func skipAll() throws(TOMLError) {
        while !atEnd {
            if c == 0x20 || c == 0x09 || c == 0x0a {
                advance()
            } else if c == 0x0d {
                if let p = controlProblem(c, in: "a TOML file outside a string") { throw fail(p) }
                advance()
            } else if c == UInt8(ascii: "#") {
                try skipComment()
            } else {
                return
            }
        }
    }

    mutating func endOfLine() throws(TOMLError) {
        skipBlanks()
        try skipComment()
        if !atEnd, c == 0x0d, i + 1 < s.count, s[i + 1] == 0x0a { advance() }
        guard atEnd || c == 0x0a else {
            if let p = controlProblem(c, in: "a TOML file outside a string") { throw fail(p) }
            throw fail("unexpected text after the value; one key = value per line")
        }
        if !atEnd { advance() }
    }

    mutating func document() throws(TOMLError) -> TOMLTable {
        var root = TOMLTable(position: SourcePosition(line: 1, column: 1))
        // Path of the table being filled: (key, index in array-of-tables or nil).
        var current: [(String, Int?)] = []
        // Tables a [header] has defined; the others were made on the way to one
        // ([x.y] makes x), and may still get a [header] of their own once.
        var defined = Set<[String]>()
        while true {
            try skipAll()
            if atEnd { return root }
            let start = pos
            if c == UInt8(ascii: "[") {
                advance()
                let isArray = !atEnd && c == UInt8(ascii: "[")
                if isArray { advance() }
                skipBlanks()
                let keys = try dottedKey()
                if keys.count > TOML.maxDepth {
                    throw fail("a table header with more than \(TOML.maxDepth) dotted parts is not one tsctl reads", at: start)
                }
                skipBlanks()
                guard !atEnd, c == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
                advance()
                if isArray {
                    guard !atEnd, c == UInt8(ascii: "]") else { throw fail("expected ']]' to close the array-of-tables header") }
                    advance()
                }
                try endOfLine()
                current = try Self.open(&root, keys, array: isArray, at: start, defined: &defined)
            } else {
                let key = try bareOrQuotedKey()
                skipBlanks()
                if !atEnd, c == UInt8(ascii: ".") { throw fail("dotted keys are not supported here; use a [table] header", at: start) }
                guard !atEnd, c == UInt8(ascii: "=") else { throw fail("expected '=' after key \"\(key)\"") }
                advance()
                skipBlanks()
                let vpos = pos
                let v = try value(depth: 0)
                try endOfLine()
                try Self.insert(&root, current[...], key, TOMLItem(value: v, position: vpos, keyPosition: start), at: start)
            }
        }
    }

    mutating func dottedKey() throws(TOMLError) -> [String] {
        var keys = [try bareOrQuotedKey()]
        while true {
            skipBlanks()
            guard !atEnd, c == UInt8(ascii: "."), keys.count <= TOML.maxDepth else { return keys }
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

    mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        guard !atEnd, c != 0x0a else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try string())
        case UInt8(ascii: "["):
            guard depth < TOML.maxDepth else { throw fail("arrays nested more than \(TOML.maxDepth) deep are not ones tsctl reads") }
            advance()
            var items: [TOMLItem] = []
            while true {
                try skipAll()
                guard !atEnd else { throw fail("unterminated array") }
                if c == UInt8(ascii: "]") { advance(); return .array(items) }
                let p = pos
                items.append(TOMLItem(value: try value(depth: depth + 1), position: p))
                try skipAll()
                guard !atEnd else { throw fail("unterminated array") }
                if c == UInt8(ascii: ",") { advance(); continue }
                guard c == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
            }
        case UInt8(ascii: "{"):
            throw fail("inline tables are not supported here; use a [table] header")
        default:
            let start = i
            while !atEnd, c != 0x0a, c != 0x20, c != 0x09, c != UInt8(ascii: ","), c != UInt8(ascii: "]"),
                c != UInt8(ascii: "#"), c != 0x0d
            { advance() }
            let word = String(decoding: s[start..<i], as: UTF8.self)
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            let at = SourcePosition(line: line, column: start - lineStart + 1)
            if let problem = Self.integerProblem(s[start..<i]) {
                if problem.isEmpty {
                    let digits = word.filter { $0 != "_" }
                    if let n = Int(digits) { return .integer(n) }
                    throw fail("\(word) is out of range", at: at)
                }
                throw fail("\(word) is not a TOML integer: \(problem)", at: at)
            }
            throw fail(
                "\"\(word)\" is not a value tsctl reads: strings need quotes (\"\(word)\"); numbers are whole",
                at: SourcePosition(line: line, column: start - lineStart + 1))
        }
    }

    /// A decimal integer as TOML writes one: an optional sign, then 0 or a
    /// digit 1-9 followed by digits, each underscore between two digits.
    /// nil: not a number at all; "": a valid integer; else what is wrong.
    static func integerProblem(_ w: ArraySlice<UInt8>) -> String? {
        var d = w
        if let f = d.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { d = d.dropFirst() }
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        guard let first = d.first, digit(first) else { return nil }
        guard d.allSatisfy({ digit($0) || $0 == UInt8(ascii: "_") }) else {
            return d.contains(UInt8(ascii: ".")) || d.contains(UInt8(ascii: "e")) || d.contains(UInt8(ascii: "E"))
                ? "numbers are whole" : "only digits and '_' between digits"
        }
        if first == 0x30 && d.count > 1 { return "leading zeros are not allowed" }
        let b = Array(d)
        for (k, x) in b.enumerated() where x == UInt8(ascii: "_") {
            if k == 0 || k == b.count - 1 || !digit(b[k - 1]) || !digit(b[k + 1]) {
                return "'_' must stand between two digits"
            }
        }
        return ""
    }

    mutating func string() throws(TOMLError) -> String {
        let quote = c
        advance()
        if i + 1 < s.count, s[i] == quote, s[i + 1] == quote {
            throw fail(
                "multi-line strings (\(quote == UInt8(ascii: "'") ? "\'\'\'" : "\"\"\"")) are not supported here; write the string on one line"
            )
        }
        var out: [UInt8] = []
        while true {
            guard !atEnd, c != 0x0a else { throw fail("unterminated string") }
            if let p = controlProblem(c, in: "a string") { throw fail(p) }
            let b = c
            advance()
            if b == quote { return String(decoding: out, as: UTF8.self) }
            if quote == UInt8(ascii: "\""), b == UInt8(ascii: "\\") {
                guard !atEnd else { throw fail("unterminated escape") }
                let e = c
                advance()
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + n <= s.count, let v = UInt32(String(decoding: s[i..<i + n], as: UTF8.self), radix: 16),
                        s[i..<i + n].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
                        let scalar = Unicode.Scalar(v)
                    else { throw fail("\\\(Character(Unicode.Scalar(e))) needs \(n) hex digits of a Unicode scalar value") }
                    for _ in 0..<n { advance() }
                    out += Array(String(Character(scalar)).utf8)
                default: throw fail("unsupported escape \\\(Character(Unicode.Scalar(e)))")
                }
            } else {
                out.append(b)
            }
        }
    }

    /// Opens (creating) the table named by `keys`; returns the path to fill.
    /// Each level's table or array is moved out of its entry before it is
    /// changed and moved back after, so it is changed in place rather than
    /// copied: a file of n entries parses in O(n), not O(n²).
    static func open(
        _ root: inout TOMLTable, _ keys: [String], array: Bool,
        at pos: SourcePosition, defined: inout Set<[String]>
    ) throws(TOMLError) -> [(String, Int?)] {
        var path: [(String, Int?)] = []
        var k = 0
        func walk(_ t: inout TOMLTable) throws(TOMLError) {
            let key = keys[k]
            let idx = t.index[key]
            if k == keys.count - 1 {
                if array, let idx {
                    guard var list = t.takeTables(idx) else {
                        throw TOMLError(position: pos, message: "\"\(key)\" is already \(t.entries[idx].item.value.typeName)")
                    }
                    list.append(TOMLTable(position: pos))
                    path.append((key, list.count - 1))
                    t.entries[idx].item.value = .tables(list)
                } else if array {
                    t.append(key, TOMLItem(value: .tables([TOMLTable(position: pos)]), position: pos))
                    path.append((key, 0))
                } else {
                    path.append((key, nil))
                    let id = path.map { $0.0 + ($0.1.map { "\u{0}\($0)" } ?? "") }
                    if let idx {
                        guard case .table = t.entries[idx].item.value else {
                            throw TOMLError(position: pos, message: "\"\(key)\" is already \(t.entries[idx].item.value.typeName)")
                        }
                        guard !defined.contains(id) else {
                            throw TOMLError(position: pos, message: "table [\(keys.joined(separator: "."))] is defined twice")
                        }
                    } else {
                        t.append(key, TOMLItem(value: .table(TOMLTable(position: pos)), position: pos))
                    }
                    defined.insert(id)
                }
                return
            }
            let j = idx ?? t.append(key, TOMLItem(value: .table(TOMLTable(position: pos)), position: pos))
            k += 1
            if var sub = t.takeTable(j) {
                path.append((key, nil))
                defer { t.entries[j].item.value = .table(sub) }
                try walk(&sub)
            } else if var list = t.takeTables(j) {
                path.append((key, list.count - 1))
                defer { t.entries[j].item.value = .tables(list) }
                try walk(&list[list.count - 1])
            } else {
                throw TOMLError(position: pos, message: "\"\(key)\" is already \(t.entries[j].item.value.typeName)")
            }
        }
        try walk(&root)
        return path
    }

    static func insert(
        _ t: inout TOMLTable, _ path: ArraySlice<(String, Int?)>, _ key: String, _ item: TOMLItem,
        at pos: SourcePosition
    ) throws(TOMLError) {
        guard let (head, index) = path.first else { return try t.set(key, item, at: pos) }
        guard let j = t.index[head] else { return }
        if var sub = t.takeTable(j) {
            defer { t.entries[j].item.value = .table(sub) }
            try insert(&sub, path.dropFirst(), key, item, at: pos)
        } else if var list = t.takeTables(j) {
            defer { t.entries[j].item.value = .tables(list) }
            try insert(&list[index ?? list.count - 1], path.dropFirst(), key, item, at: pos)
        }
    }
}
