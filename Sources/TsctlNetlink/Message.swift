// Netlink framing: datagrams -> messages -> attributes. Everything here reads
// bytes the kernel sent, so every length is checked; a malformed message is a
// decode error, never a crash.

import TsctlModel

/// One netlink message (nlmsghdr + payload) cut out of a received datagram.
public struct NetlinkMessage: Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var seq: UInt32
    public var pid: UInt32
    /// Everything after the 16-byte nlmsghdr, up to nlmsg_len.
    public var payload: ArraySlice<UInt8>

    public static let headerSize = 16
    /// NLM_F_DUMP_INTR: the dump changed under us; its result is inconsistent.
    public static let F_DUMP_INTR: UInt16 = 0x10

    /// Splits a datagram into messages. Throws on a length that does not fit.
    public static func split(_ datagram: [UInt8]) throws(NetlinkError) -> [NetlinkMessage] {
        var out: [NetlinkMessage] = []
        var pos = 0
        while datagram.count - pos >= headerSize {
            let len = Int(datagram.le32(at: pos))
            guard len >= headerSize, pos + len <= datagram.count else {
                throw NetlinkError.malformed("nlmsghdr length \(len) at offset \(pos) overruns the \(datagram.count)-byte datagram")
            }
            out.append(
                NetlinkMessage(
                    type: datagram.le16(at: pos + 4), flags: datagram.le16(at: pos + 6),
                    seq: datagram.le32(at: pos + 8), pid: datagram.le32(at: pos + 12),
                    payload: datagram[(pos + headerSize)..<(pos + len)]))
            pos += (len + 3) & ~3
        }
        // Fewer than 16 bytes left over is a cut-off header, not padding.
        if pos < datagram.count {
            throw NetlinkError.malformed("\(datagram.count - pos) stray bytes after the last message")
        }
        return out
    }

    /// For generic netlink messages: the genlmsghdr command byte.
    public var genlCommand: UInt8? { payload.count >= 4 ? payload[payload.startIndex] : nil }

    /// For generic netlink messages: the attributes after the 4-byte genlmsghdr.
    public var genlAttributes: AttributeDecoder {
        AttributeDecoder(payload.count >= 4 ? payload.dropFirst(4) : payload[payload.endIndex...])
    }
}

/// Walks a run of netlink attributes. Errors are sticky: decode in a loop, then
/// call `finish()` once; after the first error every read returns a neutral value.
///
/// `next()` runs once per attribute of every message (forty-odd per link in a
/// link dump of thousands), so it reads the header through the buffer once and
/// tests a plain flag, not the optional error, for stickiness.
public struct AttributeDecoder: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var pos: Int
    private var valueRange: Range<Int> = 0..<0
    public private(set) var type: UInt16 = 0
    public private(set) var isNested = false
    public private(set) var error: NetlinkError? {
        didSet { failed = error != nil }
    }
    /// `error != nil`, kept as a Bool: comparing the optional error with nil copied
    /// and released it on every attribute, a third of the walk.
    private var failed = false

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.pos = bytes.startIndex
    }

    /// Moves to the next attribute; false at the end or after an error.
    public mutating func next() -> Bool {
        let end = bytes.endIndex
        guard !failed, end - pos >= 4 else { return false }
        let at = pos - bytes.startIndex
        let (len, rawType) = bytes.withUnsafeBufferPointer { b in
            (Int(UInt16(b[at]) | UInt16(b[at + 1]) << 8), UInt16(b[at + 2]) | UInt16(b[at + 3]) << 8)
        }
        guard len >= 4, len <= end - pos else {
            error = .malformed("attribute length \(len) overruns its container")
            return false
        }
        type = rawType & NL.A_TYPE_MASK
        isNested = rawType & NL.A_F_NESTED != 0
        valueRange = (pos + 4)..<(pos + len)
        pos += (len + 3) & ~3
        return true
    }

    public var value: ArraySlice<UInt8> { bytes[valueRange] }

    private mutating func fail(_ what: String) {
        if !failed { error = .malformed("attribute \(type): \(what)") }
    }

    /// Marks this run of attributes malformed for a reason the caller found
    /// (a required attribute missing from a nest).
    mutating func reject(_ what: String) {
        if !failed { error = .malformed(what) }
    }

    public mutating func u32() -> UInt32 {
        guard valueRange.count == 4 else { fail("expected 4 bytes, got \(valueRange.count)"); return 0 }
        return bytes.le32(at: valueRange.lowerBound)
    }

    /// NLA_UINT: 4 or 8 bytes (the kernel picks the smaller that fits).
    public mutating func uint() -> UInt64 {
        switch valueRange.count {
        case 4: return UInt64(bytes.le32(at: valueRange.lowerBound))
        case 8:
            return UInt64(bytes.le32(at: valueRange.lowerBound))
                | UInt64(bytes.le32(at: valueRange.lowerBound + 4)) << 32
        default: fail("expected 4 or 8 bytes, got \(valueRange.count)"); return 0
        }
    }

    public mutating func u16() -> UInt16 {
        guard valueRange.count == 2 else { fail("expected 2 bytes, got \(valueRange.count)"); return 0 }
        return bytes.le16(at: valueRange.lowerBound)
    }

    /// A NUL-terminated string; a missing terminator is tolerated (older
    /// senders). Kept byte for byte (OSString): interface names need not be UTF-8.
    public mutating func string() -> String {
        let start = valueRange.lowerBound - bytes.startIndex, end = valueRange.upperBound - bytes.startIndex
        return bytes.withUnsafeBufferPointer { b in
            var stop = start, ascii = true
            while stop < end, b[stop] != 0 {
                ascii = ascii && b[stop] < 0x80
                stop += 1
            }
            let text = UnsafeBufferPointer(rebasing: b[start..<stop])
            // An ASCII name (nearly every one) needs no check of its encoding.
            return ascii ? String(decoding: text, as: UTF8.self) : OSString.decode(text)
        }
    }

    /// The nested attributes of the current attribute. Errors inside must be
    /// merged back with `absorb(_:)`.
    public var nested: AttributeDecoder { AttributeDecoder(bytes[valueRange]) }

    /// Carries a nested decoder's sticky error into this one.
    public mutating func absorb(_ inner: AttributeDecoder) {
        if !failed, inner.failed, let e = inner.error { error = e }
    }

    public func finish() throws(NetlinkError) {
        if failed, let error { throw error }
    }
}

extension Collection where Element == UInt8, Index == Int {
    @inline(__always) func le16(at i: Int) -> UInt16 {
        UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }
    @inline(__always) func le32(at i: Int) -> UInt32 {
        UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3]) << 24
    }
}
