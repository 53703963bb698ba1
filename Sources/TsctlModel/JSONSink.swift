#if canImport(Glibc)
import Glibc
#endif

/// Where a JSON document goes as it is produced: one layout definition
/// (`emit(into:)`) serves both the value tree (tests, baselines) and the
/// streaming byte writer (`show --json` on ten thousand interfaces, without
/// building a tree per interface).
public protocol JSONSink {
    mutating func beginObject()
    mutating func endObject()
    /// An array of objects or arrays.
    mutating func beginArray()
    mutating func endArray()
    mutating func key(_ k: StaticString)
    mutating func string(_ s: String)
    mutating func int(_ i: Int)
    mutating func bool(_ b: Bool)
    mutating func null()
    /// An array of strings (written on one line).
    mutating func strings(_ a: [String])
}

extension JSONSink {
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    public mutating func bool(_ b: Bool?) { if let b { bool(b) } else { null() } }
    public mutating func field(_ k: StaticString, _ s: String?) { key(k); string(s) }
    public mutating func field(_ k: StaticString, _ i: Int?) { key(k); int(i) }
    public mutating func field(_ k: StaticString, _ b: Bool?) { key(k); bool(b) }
    public mutating func field(_ k: StaticString, strings a: [String]?) { key(k); if let a { strings(a) } else { null() } }
}

/// A value with one JSON layout, for every sink.
public protocol JSONEmitting {
    func emit<S: JSONSink>(into s: inout S)
}

extension JSONEmitting {
    /// The layout as a value tree.
    public var json: JSON {
        var b = JSONTreeBuilder()
        emit(into: &b)
        return b.result
    }
}

/// Builds a `JSON` value.
public struct JSONTreeBuilder: JSONSink {
    private enum Container { case object([(String, JSON)]), array([JSON]) }
    /// Open containers, each with the key it will be stored under in its parent.
    private var stack: [(key: String?, container: Container)] = []
    private var pendingKey: String?
    public private(set) var result: JSON = .null

    public init() {}

    private mutating func put(_ v: JSON) {
        guard var top = stack.popLast() else { result = v; return }
        switch top.container {
        case .object(var kv):
            kv.append((pendingKey ?? "", v))
            top.container = .object(kv)
        case .array(var items):
            items.append(v)
            top.container = .array(items)
        }
        pendingKey = nil
        stack.append(top)
    }

    private mutating func open(_ c: Container) {
        stack.append((pendingKey, c))
        pendingKey = nil
    }

    private mutating func close() {
        guard let (k, c) = stack.popLast() else { return }
        pendingKey = k
        switch c {
        case .object(let kv): put(.object(kv))
        case .array(let items): put(.array(items))
        }
    }

    public mutating func beginObject() { open(.object([])) }
    public mutating func endObject() { close() }
    public mutating func beginArray() { open(.array([])) }
    public mutating func endArray() { close() }
    public mutating func key(_ k: StaticString) { pendingKey = k.description }
    public mutating func string(_ s: String) { put(.string(s)) }
    public mutating func int(_ i: Int) { put(.int(i)) }
    public mutating func bool(_ b: Bool) { put(.bool(b)) }
    public mutating func null() { put(.null) }
    public mutating func strings(_ a: [String]) { put(.array(a.map { .string($0) })) }
}

/// Writes JSON to a file descriptor in 64 KiB pieces (`show --json`), or
/// collects it in memory (`JSON.serialized()`): pretty-printed with two-space
/// indents, or compact.
public struct JSONByteWriter: JSONSink {
    private var buf: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let capacity = 1 << 16
    private let fd: Int32
    /// Per open container: has it an element yet?
    private var filled: [Bool] = []
    fileprivate var afterKey = false
    private let pretty: Bool
    /// Without a descriptor: what was written so far.
    private var collected: [UInt8] = []

    public init(fd: Int32) {
        self.fd = fd
        pretty = true
        buf = .allocate(capacity: capacity + 4096)
    }

    /// In memory, for `text()`.
    init(pretty: Bool) {
        fd = -1
        self.pretty = pretty
        buf = .allocate(capacity: capacity + 4096)
    }

    /// The document written in memory, and frees the buffer.
    mutating func text() -> String {
        flush()
        buf.deallocate()
        return String(decoding: collected, as: UTF8.self)
    }

    /// Writes what is left and a final newline, and frees the buffer.
    public mutating func finish() {
        byte(0x0a)
        flush()
        buf.deallocate()
    }

    private mutating func flush() {
        if fd < 0 {
            collected.append(contentsOf: UnsafeBufferPointer(start: buf, count: count))
            count = 0
            return
        }
        var off = 0
        while off < count {
            let n = write(fd, buf + off, count - off)
            if n < 0 { if errno == EINTR { continue } else { StandardOutput.note(errno); break } }
            off += n
        }
        count = 0
    }

    @inline(__always) fileprivate mutating func byte(_ b: UInt8) {
        if count >= capacity + 4000 { flush() }
        buf[count] = b
        count += 1
    }

    private mutating func bytes(_ p: UnsafeRawBufferPointer) {
        if count + p.count > capacity { flush() }
        if p.count > capacity {
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue } else { StandardOutput.note(errno); return } }
                off += n
            }
            return
        }
        (buf + count).update(from: p.bindMemory(to: UInt8.self).baseAddress!, count: p.count)
        count += p.count
    }

    private mutating func newline(_ level: Int) {
        guard pretty else { return }
        if count > capacity - 256 { flush() }
        buf[count] = 0x0a
        (buf + count + 1).update(repeating: 0x20, count: 2 * level)
        count += 1 + 2 * level
    }

    /// Before a value: the separator and indent its container needs.
    fileprivate mutating func element() {
        if afterKey { afterKey = false; return }
        guard !filled.isEmpty else { return }
        if filled[filled.count - 1] { byte(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
        newline(filled.count)
    }

    private mutating func close(_ c: UInt8) {
        if filled.removeLast() { newline(filled.count) }
        byte(c)
    }

    public mutating func beginObject() { element(); byte(UInt8(ascii: "{")); filled.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { element(); byte(UInt8(ascii: "[")); filled.append(false) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ k: StaticString) {
        beforeKey()
        byte(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes(UnsafeRawBufferPointer($0)) }
        byte(UInt8(ascii: "\""))
        afterKeyText()
    }

    /// A key that is not a literal (a `JSON` object's), escaped as a string.
    mutating func key(dynamic k: String) {
        beforeKey()
        quoted(k)
        afterKeyText()
    }

    private mutating func beforeKey() {
        if filled[filled.count - 1] { byte(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
        newline(filled.count)
    }

    private mutating func afterKeyText() {
        byte(UInt8(ascii: ":"))
        if pretty { byte(0x20) }
        afterKey = true
    }

    public mutating func string(_ s: String) { element(); quoted(s) }
    public mutating func int(_ i: Int) {
        element()
        var s = String(i)
        s.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }
    public mutating func bool(_ b: Bool) { element(); literal(b ? "true" : "false") }
    public mutating func null() { element(); literal("null") }

    public mutating func strings(_ a: [String]) {
        element()
        byte(UInt8(ascii: "["))
        for (i, s) in a.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")); if pretty { byte(0x20) } }
            quoted(s)
        }
        byte(UInt8(ascii: "]"))
    }

    private mutating func literal(_ s: StaticString) { s.withUTF8Buffer { bytes(UnsafeRawBufferPointer($0)) } }

    /// Only ", \ and control characters are escaped; other UTF-8 passes through.
    private mutating func quoted(_ s: String) {
        var s = OSString.text(s)
        byte(UInt8(ascii: "\""))
        s.withUTF8 { u in
            if !u.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes(UnsafeRawBufferPointer(u))
                return
            }
            let hex = Array("0123456789abcdef".utf8)
            for b in u {
                if count > capacity { flush() }
                switch b {
                case UInt8(ascii: "\""): byte(UInt8(ascii: "\\")); byte(b)
                case UInt8(ascii: "\\"): byte(UInt8(ascii: "\\")); byte(b)
                case 0x0a: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "n"))
                case 0x0d: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "r"))
                case 0x09: byte(UInt8(ascii: "\\")); byte(UInt8(ascii: "t"))
                case 0..<0x20:
                    for c in "\\u00".utf8 { byte(c) }
                    byte(hex[Int(b >> 4)])
                    byte(hex[Int(b & 0xf)])
                default: byte(b)
                }
            }
        }
        byte(UInt8(ascii: "\""))
    }
}

extension JSONByteWriter {
    /// Any `JSON` value. Arrays of scalars stay on one line: bit-name lists read better so.
    mutating func value(_ v: JSON) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .string(let s): string(s)
        case .array(let items) where items.allSatisfy(\.isScalar):
            element()
            byte(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")); if pretty { byte(0x20) } }
                afterKey = true  // no separator or indent of its own
                value(item)
            }
            byte(UInt8(ascii: "]"))
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .object(let kv):
            beginObject()
            for (k, item) in kv {
                key(dynamic: k)
                value(item)
            }
            endObject()
        }
    }
}
