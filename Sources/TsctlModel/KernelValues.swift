// tx types, rx filters and hwtstamp flags as values, from argv and TOML to the
// request bytes and back: the kernel's name, and the number a request carries
// when tsctl's table knows it. The one place a name becomes a number and back.
// A name or number the table does not know is kept and shown, never sent
// (never as 0, which means off or none): only a `Numbered` value reaches a request.

/// One of the kernel's timestamping string sets.
public protocol KernelNameTable: Sendable {
    static var names: [String] { get }
    /// What a value is called in messages: "tx type", "rx filter", "flag".
    static var what: String { get }
}

public enum TxTypeTable: KernelNameTable {
    public static var names: [String] { TimestampingNames.txTypes }
    public static var what: String { "tx type" }
}

public enum RxFilterTable: KernelNameTable {
    public static var names: [String] { TimestampingNames.rxFilters }
    public static var what: String { "rx filter" }
}

public enum HwtstampFlagTable: KernelNameTable {
    public static var names: [String] { TimestampingNames.hwtstampFlags }
    public static var what: String { "flag" }
}

/// A value of a kernel enum (HWTSTAMP_TX_*, HWTSTAMP_FILTER_*, HWTSTAMP_FLAG_*).
public struct KernelValue<Table: KernelNameTable>: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's name: its own spelling when it sent one, "value-N" for a
    /// number newer than the table.
    public let name: String
    /// The number a request carries; nil when the table does not know the name.
    public let index: UInt32?

    /// A number from the kernel (SIOCGHWTSTAMP); "value-N" beyond the table.
    public init(index: UInt32) {
        let known = Int(index) < Table.names.count
        name = known ? Table.names[Int(index)] : "value-\(index)"
        self.index = known ? index : nil
    }

    /// A name typed by a user: nil when the table does not know it.
    public init?(name: String) {
        guard let i = Table.names.firstIndex(of: name) else { return nil }
        self.name = name
        index = UInt32(i)
    }

    /// A name as the kernel (or a saved snapshot) spells it, known or not.
    public init(kernelName: String) {
        name = kernelName
        index = Table.names.firstIndex(of: kernelName).map { UInt32($0) }
    }

    /// A value as the kernel sent it, number and name (a bitset's bit): its
    /// number is kept only when tsctl's table gives it the same name.
    public init(index: UInt32, kernelName: String) {
        name = kernelName
        let i = Int(index)
        self.index = i < Table.names.count && Table.names[i] == kernelName ? index : nil
    }

    public var description: String { name }

    /// The value as a request carries it; nil when tsctl does not know its number.
    public var numbered: Numbered? { index.map { Numbered(checked: $0) } }

    /// Why this value cannot be sent, or nil when it can.
    public var problem: String? {
        index == nil ? "\(Table.what) \"\(name)\" (tsctl knows \(Table.names.joined(separator: ", ")))" : nil
    }

    /// Every name the table knows, in the kernel's order.
    public static var all: [Self] { Table.names.indices.map { Self(index: UInt32($0)) } }

    /// A value whose number tsctl knows: the only form a request carries.
    public struct Numbered: Hashable, Sendable, CustomStringConvertible {
        public let index: UInt32

        fileprivate init(checked index: UInt32) { self.index = index }

        public var value: KernelValue { KernelValue(index: index) }
        public var name: String { value.name }
        public var description: String { name }
        /// How many bits the kernel's bitset for this table has (its size in a request).
        public static var bitCount: Int { Table.names.count }
    }
}

public typealias TxType = KernelValue<TxTypeTable>
public typealias RxFilter = KernelValue<RxFilterTable>
public typealias HwtstampFlag = KernelValue<HwtstampFlagTable>

extension Sequence {
    /// The names joined, as a list of strings would be.
    public func joined<Table>(separator: String) -> String where Element == KernelValue<Table> {
        map(\.name).joined(separator: separator)
    }
}

/// HWTSTAMP_FLAG_* bits: the flags as a request carries them.
public struct HwtstampFlags: Hashable, Sendable, CustomStringConvertible {
    public var bits: UInt32

    public init(bits: UInt32) { self.bits = bits }

    /// nil when a flag has no number tsctl knows.
    public init?(_ flags: [HwtstampFlag]) {
        var bits: UInt32 = 0
        for f in flags {
            guard let i = f.index else { return nil }
            bits |= 1 << i
        }
        self.bits = bits
    }

    /// The set bits as flags; "bit-N" beyond the table.
    public var flags: [HwtstampFlag] {
        (0..<32).filter { bits & (1 << $0) != 0 }.map {
            $0 < HwtstampFlagTable.names.count ? HwtstampFlag(index: $0) : HwtstampFlag(kernelName: "bit-\($0)")
        }
    }

    public var names: [String] { flags.map(\.name) }

    public var description: String { names.joined(separator: ",") }

    /// The set bits by number, lowest first.
    public var indices: [UInt32] { (0..<32).filter { bits & (1 << $0) != 0 } }

    public static var bitCount: Int { HwtstampFlagTable.names.count }
}

// Numbers and names as the kernel's headers write them, for tables and tests.
extension KernelValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral v: UInt32) { self.init(index: v) }
}

extension KernelValue: ExpressibleByStringLiteral {
    public init(stringLiteral v: String) { self.init(kernelName: v) }
}

extension KernelValue.Numbered: ExpressibleByIntegerLiteral {
    /// A number in the table (a literal beyond it is a programming error).
    public init(integerLiteral v: UInt32) {
        precondition(Int(v) < Table.names.count, "\(Table.what) \(v) is not in tsctl's table")
        self.init(checked: v)
    }
}

extension HwtstampFlags: ExpressibleByIntegerLiteral {
    public init(integerLiteral v: UInt32) { self.init(bits: v) }
}
