/// Byte strings from the kernel (interface names, argv, paths) carried in a
/// Swift String without loss. The kernel takes any bytes but a few in an
/// interface name, and Swift's String would repair invalid UTF-8 into U+FFFD,
/// so `\xff\xfe` and `\xfe\xff` would become the same name. Instead each byte
/// that is not part of valid UTF-8 is held as the private-use scalar
/// U+10FF00 + byte (bytes 0x80-0xFF only: ASCII is always valid), and a real
/// U+10FF80...U+10FFFF in the input is held the same way, byte by byte, so the
/// mapping is one to one. Valid UTF-8 (every ordinary name) is held as itself.
public enum OSString {
    static let base: UInt32 = 0x10FF00
    public static let reserved: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The same for the bytes netlink attributes and argv come in: an ASCII name
    /// (nearly every one) is copied as it is, without the generic validation,
    /// which cost a tenth of `show --all` at ten thousand interfaces.
    public static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let ascii = bytes.withUnsafeBufferPointer { b in
            b.allSatisfy { $0 < 0x80 } ? String(decoding: b, as: UTF8.self) : nil
        }
        return ascii ?? decode(AnyCollection(bytes))
    }

    /// Bytes as a String, losslessly (see above).
    public static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        // The common case, fast: valid UTF-8 without a reserved scalar (F4 8F ..).
        if !bytes.contains(0xf4), let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = String.UnicodeScalarView()
        var it = Array(bytes)[...]
        while let first = it.first {
            let n = sequenceLength(it)
            if n > 0, let scalar = scalarOf(it.prefix(n)), !reserved.contains(scalar.value) {
                out.append(scalar)
                it = it.dropFirst(n)
            } else {
                // Only the lead byte (always >= 0x80 here): what follows may be valid.
                out.append(Unicode.Scalar(base + UInt32(first))!)
                it = it.dropFirst()
            }
        }
        return String(out)
    }

    /// The bytes a String from `decode` came from.
    public static func bytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if reserved.contains(u.value) { out.append(UInt8(u.value - base)) } else { out += Array(String(u).utf8) }
        }
        return out
    }

    /// Whether the String holds valid UTF-8 only (no escaped byte).
    public static func isUTF8(_ s: String) -> Bool {
        // A reserved scalar's UTF-8 leads with 0xF4: without one, no scalar need be looked at.
        var s = s
        if !s.withUTF8({ $0.contains(0xf4) }) { return true }
        return !s.unicodeScalars.contains { reserved.contains($0.value) }
    }

    /// Runs `body` with the bytes NUL-terminated, as a path or name for libc.
    public static func withCString<R>(_ s: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        if isUTF8(s) { return try s.withCString(body) }
        let b = bytes(s).map { CChar(bitPattern: $0) } + [0]
        return try b.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// For a terminal or a log: printable text as it is, every other byte as
    /// \xNN (controls, invalid UTF-8, and Unicode spaces, separators, format and
    /// private-use characters, which look like something they are not), and a
    /// backslash as \\, so the text always tells the bytes apart.
    public static func escaped(_ s: String) -> String {
        // Printable ASCII without a backslash, as nearly every name is: nothing to look up per scalar.
        var plain = s
        if plain.withUTF8({ b in b.allSatisfy { $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\\") } }) { return s }
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u == "\\" {
                out += "\\\\"
            } else if needsEscape(u) {
                let b: [UInt8] = reserved.contains(u.value) ? [UInt8(u.value - base)] : Array(String(u).utf8)
                for x in b { out += byteEscape(x) }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Text that is valid UTF-8 as it is; other bytes as `escaped` writes them
    /// (for JSON, which cannot hold bytes; `name_bytes` carries them exactly).
    public static func text(_ s: String) -> String {
        // Over the contiguous bytes: String.UTF8View.contains went byte by byte through
        // the view, a tenth of show --all --json's JSON writing.
        var s = s
        let marked = s.withUTF8 { $0.contains(0xf4) }
        return marked && !isUTF8(s) ? escaped(s) : s
    }

    /// One byte as `\xNN` (lowercase), the spelling every escape of names uses.
    public static func byteEscape(_ b: UInt8) -> String {
        "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
    }

    /// Lowercase hex of the bytes ("fffe").
    public static func hex(_ s: String) -> String {
        bytes(s).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The inverse of `hex`, nil for anything else.
    public static func fromHex(_ h: String) -> String? {
        let u = Array(h.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: u.count, by: 2) {
            guard let b = UInt8(String(decoding: u[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return decode(out)
    }

    static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        if u == "\\" { return true }
        if u.isASCII { return u.value < 0x20 || u.value == 0x7f }
        switch u.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return true
        default:
            return false
        }
    }

    /// The length of the UTF-8 sequence `b` starts with, 0 when its lead byte is invalid.
    private static func sequenceLength(_ b: ArraySlice<UInt8>) -> Int {
        let lead = b.first!
        switch lead {
        case 0x00...0x7f: return 1
        case 0xc2...0xdf: return b.count >= 2 ? 2 : 0
        case 0xe0...0xef: return b.count >= 3 ? 3 : 0
        case 0xf0...0xf4: return b.count >= 4 ? 4 : 0
        default: return 0
        }
    }

    /// The scalar of one complete sequence, nil when it is not valid UTF-8
    /// (bad continuation, overlong, surrogate, beyond U+10FFFF).
    private static func scalarOf(_ b: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var it = b.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let s) = decoder.decode(&it) else { return nil }
        return String(s).utf8.count == b.count ? s : nil
    }
}
