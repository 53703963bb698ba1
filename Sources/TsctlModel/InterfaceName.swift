/// Interface names as the kernel has them: bytes, held losslessly in a String
/// (OSString), validated as the kernel validates them, escaped for display.
public enum InterfaceName {
    /// The kernel's dev_valid_name(), byte for byte: nil when valid, else why
    /// not. Its isspace() is the kernel's own (lib/ctype.c): \t \n \v \f \r,
    /// space, and 0xA0 (Latin-1 no-break space); every other byte, invalid
    /// UTF-8 and control bytes included, is allowed.
    public static func problem(_ name: String) -> String? {
        let b = OSString.bytes(name)
        if b.isEmpty { return "it is empty" }
        if b.count > 15 { return "it is \(b.count) bytes; the kernel's limit is 15 (IFNAMSIZ)" }
        if b == [0x2e] || b == [0x2e, 0x2e] { return "\".\" and \"..\" are not interface names" }
        if b.contains(0) { return "it contains a NUL byte" }
        if let bad = b.first(where: { $0 == 0x2f || $0 == 0x3a || isKernelSpace($0) }) {
            let what =
                bad == 0x2f ? "\"/\"" : bad == 0x3a ? "\":\"" : "the space byte \(OSString.byteEscape(bad))"
            return "it contains \(what), which the kernel refuses in interface names"
        }
        return nil
    }

    /// The line that refuses the first invalid name of `names` (nil when all
    /// are valid): what every command says before any request is made.
    public static func refusal(_ names: [String]) -> String? {
        for n in names {
            if let why = problem(n) { return "invalid interface name \"\(display(n))\": \(why)" }
        }
        return nil
    }

    static func isKernelSpace(_ b: UInt8) -> Bool { (0x09...0x0d).contains(b) || b == 0x20 || b == 0xa0 }

    /// The name for a person to read: \xNN for bytes that are not printable
    /// UTF-8, \\ for a backslash. Ordinary names are unchanged.
    public static func display(_ name: String) -> String { OSString.escaped(name) }

    /// The name as a shell word, for commands tsctl suggests: ordinary names as
    /// they are, others in $'...' quoting that bash, zsh and ksh read back as
    /// the same bytes.
    public static func shellWord(_ name: String) -> String {
        let plain =
            OSString.isUTF8(name) && !name.isEmpty
            && name.unicodeScalars.allSatisfy { u in
                u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "._-@+%=,".unicodeScalars.contains(u))
            }
        if plain { return name }
        var out = "$'"
        for b in OSString.bytes(name) {
            if b >= 0x20 && b < 0x7f && b != 0x27 && b != 0x5c {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += OSString.byteEscape(b)
            }
        }
        return out + "'"
    }
}

extension InterfaceSnapshot {
    /// The name for text output (InterfaceName.display).
    public var displayName: String { InterfaceName.display(name) }

    /// What a stacked device sits on, in words: "macvlan on veth0", "vlan on
    /// eth0", "bond, active slave eth1"; nil for a device that is not stacked.
    /// Its timestamping is that device's, so text names it wherever it matters.
    public var stacking: String? {
        if let lower { return "\(kind ?? "stacked device") on \(InterfaceName.display(lower))" }
        if kind == "bond" { return "bond" + (bondActiveSlave.map { ", active slave \(InterfaceName.display($0))" } ?? "") }
        return nil
    }

    /// The device whose timestamping a stacked device uses: its lower device or
    /// a bond's active slave; nil for a device that is not stacked.
    public var timestampingFrom: String? { lower ?? (kind == "bond" ? bondActiveSlave : nil) }
}

/// An interface name as a dictionary or set key: its bytes. A String compares
/// and hashes by Unicode canonical equivalence, so `caf\xc3\xa9` and
/// `cafe\xcc\x81`, two interfaces to the kernel, would be one key.
public struct NameKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let bytes: [UInt8]
    public static func < (a: NameKey, b: NameKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
    public init(_ name: String) { bytes = Array(name.utf8) }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}

extension InterfaceSnapshot {
    public var key: NameKey { NameKey(name) }
}

/// Whether two names are the same bytes (String's == is Unicode canonical
/// equivalence: two interfaces to the kernel can be one name to it).
public func sameName(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.utf8.elementsEqual(b.utf8)
}
