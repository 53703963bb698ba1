import TsctlModel

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
    /// Writes again the bytes of the run last recorded under `slot` (see `run`);
    /// false when the sink keeps none, or cannot repeat it here.
    mutating func repeatRun(_ slot: Int) -> Bool
    mutating func beginRun(_ slot: Int)
    mutating func endRun(_ slot: Int)
}

extension JSONSink {
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    public mutating func bool(_ b: Bool?) { if let b { bool(b) } else { null() } }
    public mutating func field(_ k: StaticString, _ s: String?) { key(k); string(s) }
    public mutating func field(_ k: StaticString, _ i: Int?) { key(k); int(i) }
    public mutating func field(_ k: StaticString, _ b: Bool?) { key(k); bool(b) }
    public mutating func field(_ k: StaticString, strings a: [String]?) { key(k); if let a { strings(a) } else { null() } }

    /// A run of fields `write` writes. When `same` (the caller knows they equal the
    /// ones the last run under `slot` wrote: ten thousand veth devices differ only
    /// in name and index), a sink may repeat that run's bytes instead.
    public mutating func run(_ slot: Int, same: Bool, _ write: (inout Self) -> Void) {
        if same && repeatRun(slot) { return }
        beginRun(slot)
        write(&self)
        endRun(slot)
    }
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
    public mutating func repeatRun(_ slot: Int) -> Bool { false }
    public mutating func beginRun(_ slot: Int) {}
    public mutating func endRun(_ slot: Int) {}
}

/// Writes JSON in 64 KiB pieces to an output (`show --json`: standard output,
/// by TsctlSystem's writer), or collects it in memory (`JSON.serialized()`):
/// pretty-printed with two-space indents, or compact.
///
/// `show --all --json` writes some sixty keys per interface, so the common
/// pieces (a key with its separator and indent, a plain string, an integer)
/// check the room left once and store their bytes straight into the buffer;
/// anything that might not fit takes the general path, which flushes as it goes.
public struct JSONByteWriter: JSONSink {
    private var buf: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let capacity = 1 << 16
    /// Where each full buffer goes; nil: kept in `collected`.
    private let output: ((UnsafeRawBufferPointer) -> Void)?
    /// How many containers are open.
    private var depth = 0
    /// Has the innermost open container an element yet? The outer ones' answers
    /// wait in `outerFilled` (kept apart so a key or value touches one stored Bool).
    private var filled = false
    private var outerFilled: [Bool] = []
    fileprivate var afterKey = false
    private let pretty: Bool
    /// Without a descriptor: what was written so far.
    private var collected: [UInt8] = []

    /// Where a run starts and ends: what the next key or value will write before itself.
    private struct State: Equatable {
        var depth: Int
        var filled: Bool
        var afterKey: Bool
    }
    private var state: State { State(depth: depth, filled: filled, afterKey: afterKey) }
    /// A run's bytes, valid where the writer is in the state it began in; a run
    /// closes every container it opens, so the outer ones are left as they were.
    private struct Run {
        var before: State
        var after: State
        var bytes: [UInt8]
    }
    private var runs: [Run?] = []
    /// The run being recorded: its slot, where its bytes start, and the flush count
    /// then (a run the buffer was flushed in the middle of is not kept).
    private var recording: (slot: Int, start: Int, before: State, flushes: Int)?
    private var flushes = 0

    public init(output: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.output = output
        pretty = true
        buf = .allocate(capacity: capacity)
        outerFilled.reserveCapacity(16)
    }

    /// In memory, for `text()`.
    init(pretty: Bool) {
        output = nil
        self.pretty = pretty
        buf = .allocate(capacity: capacity)
        outerFilled.reserveCapacity(16)
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
        writeOut(UnsafeRawBufferPointer(start: buf, count: count))
        count = 0
        flushes += 1
    }

    public mutating func repeatRun(_ slot: Int) -> Bool {
        guard slot < runs.count, let r = runs[slot], r.before == state else { return false }
        r.bytes.withUnsafeBytes { bytes($0) }
        filled = r.after.filled
        afterKey = r.after.afterKey
        return true
    }

    public mutating func beginRun(_ slot: Int) {
        while runs.count <= slot { runs.append(nil) }
        runs[slot] = nil
        recording = (slot, count, state, flushes)
    }

    public mutating func endRun(_ slot: Int) {
        guard let r = recording, r.slot == slot else { return }
        recording = nil
        guard r.flushes == flushes, state.depth == r.before.depth else { return }
        runs[slot] = Run(before: r.before, after: state, bytes: Array(UnsafeBufferPointer(start: buf + r.start, count: count - r.start)))
    }

    /// Bytes past the buffer: to the output, or to `collected`.
    private mutating func writeOut(_ p: UnsafeRawBufferPointer) {
        guard p.baseAddress != nil, p.count > 0 else { return }
        guard let output else {
            collected.append(contentsOf: p)
            return
        }
        output(p)
    }

    /// Room for `n` more bytes in the buffer (n <= capacity).
    @inline(__always) private mutating func room(_ n: Int) {
        if count + n > capacity { flush() }
    }

    @inline(__always) fileprivate mutating func byte(_ b: UInt8) {
        room(1)
        buf[count] = b
        count += 1
    }

    private mutating func bytes(_ p: UnsafeRawBufferPointer) {
        guard p.count <= capacity else {
            flush()
            writeOut(p)
            return
        }
        room(p.count)
        if let base = p.baseAddress { (buf + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: p.count) }
        count += p.count
    }

    /// Any number of indent spaces, in pieces that fit.
    private mutating func spaces(_ n: Int) {
        var left = n
        while left > 0 {
            room(1)
            let k = min(left, capacity - count)
            (buf + count).update(repeating: 0x20, count: k)
            count += k
            left -= k
        }
    }

    private mutating func newline(_ level: Int) {
        guard pretty else { return }
        byte(0x0a)
        spaces(2 * level)
    }

    /// Before a value: the separator and indent its container needs.
    fileprivate mutating func element() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        if filled { byte(UInt8(ascii: ",")) }
        filled = true
        newline(depth)
    }

    private mutating func open(_ c: UInt8) {
        element()
        byte(c)
        outerFilled.append(filled)
        filled = false
        depth += 1
    }

    private mutating func close(_ c: UInt8) {
        let had = filled
        depth -= 1
        filled = outerFilled.removeLast()
        if had { newline(depth) }
        byte(c)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ k: StaticString) {
        k.withUTF8Buffer { u in
            // `,` `\n` indent `"` key `": `: stored in one go when it fits.
            let indent = pretty ? 2 * depth : 0
            let need = u.count + indent + 6
            guard need <= capacity, let base = u.baseAddress else {
                beforeKey()
                byte(UInt8(ascii: "\""))
                bytes(UnsafeRawBufferPointer(u))
                byte(UInt8(ascii: "\""))
                afterKeyText()
                return
            }
            room(need)
            var p = buf + count
            if filled { p.pointee = UInt8(ascii: ","); p += 1 }
            filled = true
            if pretty {
                p.pointee = 0x0a
                (p + 1).update(repeating: 0x20, count: indent)
                p += 1 + indent
            }
            p.pointee = UInt8(ascii: "\"")
            (p + 1).update(from: base, count: u.count)
            p += 1 + u.count
            p[0] = UInt8(ascii: "\"")
            p[1] = UInt8(ascii: ":")
            p += 2
            if pretty { p.pointee = 0x20; p += 1 }
            count = p - buf
            afterKey = true
        }
    }

    /// A key that is not a literal (a `JSON` object's), escaped as a string.
    mutating func key(dynamic k: String) {
        beforeKey()
        quoted(k)
        afterKeyText()
    }

    private mutating func beforeKey() {
        if filled { byte(UInt8(ascii: ",")) }
        filled = true
        newline(depth)
    }

    private mutating func afterKeyText() {
        byte(UInt8(ascii: ":"))
        if pretty { byte(0x20) }
        afterKey = true
    }

    public mutating func string(_ s: String) { element(); quoted(s) }

    /// Decimal digits stored from the end backwards, without a String in between.
    public mutating func int(_ i: Int) {
        element()
        room(20)  // "-9223372036854775808"
        var digits = 1
        var m = i.magnitude
        while m >= 10 { m /= 10; digits += 1 }
        if i < 0 { buf[count] = UInt8(ascii: "-"); count += 1 }
        m = i.magnitude
        var at = count + digits
        count = at
        repeat {
            at -= 1
            buf[at] = UInt8(ascii: "0") + UInt8(m % 10)
            m /= 10
        } while m > 0
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
        var s = s
        let done = s.withUTF8 { u -> Bool in
            // One pass decides: nothing to escape and no byte OSString marked (a
            // marked byte is U+10FF80... , which UTF-8 leads with 0xF4) is stored as it is.
            for b in u where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0xf4 { return false }
            guard u.count + 2 <= capacity, let base = u.baseAddress else {
                byte(UInt8(ascii: "\""))
                bytes(UnsafeRawBufferPointer(u))
                byte(UInt8(ascii: "\""))
                return true
            }
            room(u.count + 2)
            buf[count] = UInt8(ascii: "\"")
            (buf + count + 1).update(from: base, count: u.count)
            count += u.count + 2
            buf[count - 1] = UInt8(ascii: "\"")
            return true
        }
        if !done { escapedQuoted(OSString.text(s)) }
    }

    private mutating func escapedQuoted(_ s: String) {
        var s = s
        byte(UInt8(ascii: "\""))
        s.withUTF8 { u in
            let hex = Array("0123456789abcdef".utf8)
            for b in u {
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
