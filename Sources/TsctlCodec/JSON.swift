import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

// A small JSON value with a writer and a parser. tsctl's JSON is an API: keys
// keep a fixed order and absent values are explicit nulls, which the
// synthesized Codable encoders do not give; and the binary stays free of the
// JSON coders' start-up cost.

public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSON? {
        if case .object(let kv) = self { return kv.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int? { if case .int(let i) = self { return i }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    // MARK: writing

    /// Pretty-printed with two-space indents, or compact.
    public func serialized(pretty: Bool = true) -> String {
        var w = JSONByteWriter(pretty: pretty)
        w.value(self)
        return w.text()
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    // MARK: parsing

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> JSON {
        var p = Parser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.pos < p.bytes.count { throw p.error("unexpected text after the JSON value") }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        var pos = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> ParseError {
            var line = 1, col = 1
            for b in bytes[0..<min(pos, bytes.count)] {
                if b == 0x0a { line += 1; col = 1 } else { col += 1 }
            }
            return ParseError(line: line, column: col, message: message)
        }

        mutating func skipSpace() {
            while pos < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[pos]) { pos += 1 }
        }

        mutating func literal(_ word: String, _ v: JSON) throws(ParseError) -> JSON {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
                throw error("invalid literal")
            }
            pos += w.count
            return v
        }

        mutating func value(depth: Int) throws(ParseError) -> JSON {
            guard depth < 64 else { throw error("nesting too deep") }
            guard pos < bytes.count else { throw error("unexpected end of input") }
            switch bytes[pos] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                pos += 1
                var items: [JSON] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unterminated array") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "{"):
                pos += 1
                var kv: [(String, JSON)] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(kv) }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    let k = try string()
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    pos += 1
                    skipSpace()
                    let v = try value(depth: depth + 1)
                    // A key given twice: the last value counts, as jq and Python read it.
                    if let j = kv.firstIndex(where: { $0.0.utf8.elementsEqual(k.utf8) }) { kv[j].1 = v } else { kv.append((k, v)) }
                    skipSpace()
                    guard pos < bytes.count else { throw error("unterminated object") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(kv) }
                    throw error("expected ',' or '}'")
                }
            default:
                let start = pos
                if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                let digits = pos
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                guard pos > digits, let i = Int(String(decoding: bytes[start..<pos], as: UTF8.self)) else {
                    throw error(pos > digits ? "number out of range" : "unexpected character")
                }
                if bytes[digits] == 0x30 && pos - digits > 1 { throw error("a number with a leading zero") }
                if pos < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[pos]) {
                    throw error("only integers are expected here")
                }
                return .int(i)
            }
        }

        mutating func string() throws(ParseError) -> String {
            pos += 1
            var out: [UInt8] = []
            while pos < bytes.count {
                let b = bytes[pos]
                pos += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard pos < bytes.count else { throw error("unterminated escape") }
                    let e = bytes[pos]
                    pos += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0a)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0d)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0c)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "u"):
                        var v = try hex4()
                        // A UTF-16 surrogate pair is one scalar; a lone surrogate is U+FFFD.
                        if (0xd800...0xdbff).contains(v), pos + 6 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                            bytes[pos + 1] == UInt8(ascii: "u")
                        {
                            let save = pos
                            pos += 2
                            let low = try hex4()
                            if (0xdc00...0xdfff).contains(low) {
                                v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00)
                            } else {
                                pos = save
                            }
                        }
                        out += Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{fffd}").utf8)
                    default:
                        throw error("invalid escape \\\(Character(Unicode.Scalar(e < 0x80 ? e : 0x3f)))")
                    }
                default:
                    if b < 0x20 { throw error("control character in string") }
                    out.append(b)
                }
            }
            throw error("unterminated string")
        }

        /// Four hex digits after \u.
        mutating func hex4() throws(ParseError) -> UInt32 {
            guard pos + 4 <= bytes.count,
                bytes[pos..<pos + 4].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
                let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16)
            else { throw error("bad \\u escape: four hex digits expected") }
            pos += 4
            return v
        }
    }
}
