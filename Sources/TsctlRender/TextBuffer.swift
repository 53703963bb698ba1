import TsctlModel

/// Text built as bytes in one buffer. `show --all` writes ten thousand interfaces;
/// building each from a score of small strings cost a score of malloc calls an
/// interface, where appending to one reused buffer costs none once it has grown.
public struct TextBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []
    let color: Bool

    public init(style: TextStyle, capacity: Int = 4096) {
        color = style.color
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Forgets the bytes and keeps the storage.
    public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    mutating func add(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func add(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A decimal number, as `"\(n)"` writes it.
    mutating func add(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = n.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
            m /= 10
        } while m > 0
        bytes[start...].reverse()
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
