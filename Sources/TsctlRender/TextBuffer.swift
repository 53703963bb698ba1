import TsctlModel

/// Text built as bytes in one buffer. `show --all` writes ten thousand interfaces;
/// building each from a score of small strings cost a score of malloc calls an
/// interface, where appending to one reused buffer costs none once it has grown.
public struct TextBuffer: Sendable {
    /// Zero-filled beyond `count`: appending copies into it with one memcpy, where
    /// Array's append(contentsOf:) cost about 90 instructions a call (forty thousand
    /// calls at a thousand veth pairs).
    private var storage: [UInt8]
    /// How many bytes of `storage` are the text.
    public private(set) var count = 0
    let color: Bool

    public init(style: TextStyle, capacity: Int = 4096) {
        color = style.color
        storage = [UInt8](repeating: 0, count: Swift.max(capacity, 16))
    }

    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// The text's bytes, for as long as `body` runs.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    /// Forgets the bytes and keeps the storage.
    public mutating func clear() { count = 0 }

    /// Room for `n` more bytes: the storage at least doubles, so appends stay linear.
    private mutating func reserve(_ n: Int) {
        guard count + n > storage.count else { return }
        storage.append(contentsOf: repeatElement(0, count: Swift.max(storage.count, count + n - storage.count)))
    }

    private mutating func append(_ src: UnsafeRawBufferPointer) {
        let n = src.count
        guard n > 0, let from = src.baseAddress else { return }
        reserve(n)
        let at = count
        storage.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: from, byteCount: n) }
        count += n
    }

    /// The bytes from `start` on, as an array.
    func bytes(from start: Int) -> [UInt8] { Array(storage[start..<count]) }

    mutating func add(bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ s: StaticString) {
        s.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// A decimal number, as `"\(n)"` writes it.
    mutating func add(_ n: Int) {
        // Written backwards into 24 bytes on the stack (Int.min is 20), then copied once.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            var m = n.magnitude
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            if n < 0 {
                i -= 1
                buf[i] = UInt8(ascii: "-")
            }
            append(UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }

    /// `s`'s elements with `separator` between them.
    mutating func add(_ s: [String], separator: StaticString) {
        for (i, e) in s.enumerated() {
            if i > 0 { add(separator) }
            add(e)
        }
    }

    /// The kernel names of `s`, with `separator` between them.
    mutating func add<Table>(_ s: [KernelValue<Table>], separator: StaticString) {
        for (i, e) in s.enumerated() {
            if i > 0 { add(separator) }
            add(e.name)
        }
    }

    /// What `body` writes, in the colour or weight of an SGR code (as TextStyle
    /// writes it) when colour is on.
    mutating func styled(_ code: StaticString, _ body: (inout TextBuffer) -> Void) {
        if color {
            add("\u{1b}[")
            add(code)
            add("m")
        }
        body(&self)
        if color { add("\u{1b}[0m") }
    }

    mutating func dim(_ s: StaticString) { styled("2") { $0.add(s) } }
    mutating func dim(_ s: String) { styled("2") { $0.add(s) } }
}
