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
        var w = JSONWriter(fd: nil)
        write(into: &w, indent: pretty ? 0 : -1)
        return String(decoding: w.buffer, as: UTF8.self)
    }

    private func write(into out: inout JSONWriter, indent: Int) {
        switch self {
        case .null: out.ascii("null")
        case .bool(let b): out.ascii(b ? "true" : "false")
        case .int(let i): out.int(i)
        case .string(let s): out.quoted(s)
        case .array(let items):
            if items.isEmpty { out.ascii("[]"); return }
            // Arrays of scalars stay on one line: bit-name lists read better so.
            let scalar = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            out.byte(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.byte(UInt8(ascii: ",")) }
                if indent >= 0 && !scalar { out.newline(indent + 1) } else if i > 0 && indent >= 0 { out.byte(0x20) }
                v.write(into: &out, indent: indent >= 0 ? indent + 1 : -1)
            }
            if indent >= 0 && !scalar { out.newline(indent) }
            out.byte(UInt8(ascii: "]"))
        case .object(let kv):
            if kv.isEmpty { out.ascii("{}"); return }
            out.byte(UInt8(ascii: "{"))
            for (i, (k, v)) in kv.enumerated() {
                if i > 0 { out.byte(UInt8(ascii: ",")) }
                if indent >= 0 { out.newline(indent + 1) }
                out.quoted(k)
                if indent >= 0 { out.ascii(": ") } else { out.byte(UInt8(ascii: ":")) }
                v.write(into: &out, indent: indent >= 0 ? indent + 1 : -1)
            }
            if indent >= 0 { out.newline(indent) }
            out.byte(UInt8(ascii: "}"))
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
                    kv.append((k, try value(depth: depth + 1)))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unterminated object") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(kv) }
                    throw error("expected ',' or '}'")
                }
            default:
                let start = pos
                if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                guard pos > start, let i = Int(String(decoding: bytes[start..<pos], as: UTF8.self)) else {
                    throw error("unexpected character")
                }
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
                    case UInt8(ascii: "u"):
                        guard pos + 4 <= bytes.count,
                              let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16)
                        else { throw error("bad \\u escape") }
                        pos += 4
                        out += Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{fffd}").utf8)
                    default: out.append(e)
                    }
                default:
                    if b < 0x20 { throw error("control character in string") }
                    out.append(b)
                }
            }
            throw error("unterminated string")
        }
    }
}

/// UTF-8 bytes of a JSON text, flushed to a file descriptor when one is given.
struct JSONWriter {
    var buffer: [UInt8] = []
    let fd: Int32?
    static let chunk = 1 << 16

    init(fd: Int32?) {
        self.fd = fd
        buffer.reserveCapacity(fd == nil ? 256 : Self.chunk + 4096)
    }

    @inline(__always) mutating func byte(_ b: UInt8) { buffer.append(b) }

    mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    mutating func int(_ i: Int) {
        var s = String(i)
        s.withUTF8 { buffer.append(contentsOf: $0) }
    }

    mutating func newline(_ level: Int) {
        if let fd, buffer.count >= Self.chunk { flush(fd) }
        buffer.append(0x0a)
        for _ in 0..<level { buffer.append(0x20); buffer.append(0x20) }
    }

    /// A string in quotes: only ", \\ and control characters are escaped (bytes
    /// of multi-byte UTF-8 sequences pass through).
    mutating func quoted(_ s: String) {
        var s = s
        buffer.append(UInt8(ascii: "\""))
        s.withUTF8 { u in
            if !u.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                buffer.append(contentsOf: u)
                return
            }
            for b in u {
                switch b {
                case UInt8(ascii: "\""): ascii("\\\"")
                case UInt8(ascii: "\\"): ascii("\\\\")
                case 0x0a: ascii("\\n")
                case 0x0d: ascii("\\r")
                case 0x09: ascii("\\t")
                case 0..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    ascii("\\u00")
                    buffer.append(hex[Int(b >> 4)])
                    buffer.append(hex[Int(b & 0xf)])
                default: buffer.append(b)
                }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func flush() { if let fd { flush(fd) } }

    private mutating func flush(_ fd: Int32) {
        var off = 0
        buffer.withUnsafeBytes { p in
            while off < p.count {
                let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue } else { StandardOutput.note(errno); return } }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
