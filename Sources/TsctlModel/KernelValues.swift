// tx types, rx filters and hwtstamp flags as values: the number the request
// bytes carry, spelled with the kernel's name. The one place a name becomes a
// number and back; a name this table does not know has no number, so it is
// never sent (never as 0, which means off or none).

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

/// A value of a kernel enum (HWTSTAMP_TX_*, HWTSTAMP_FILTER_*).
public struct KernelValue<Table: KernelNameTable>: Hashable, Sendable, CustomStringConvertible {
    public var index: UInt32

    public init(index: UInt32) { self.index = index }

    /// nil for a name the table does not know.
    public init?(name: String) {
        guard let i = Table.names.firstIndex(of: name) else { return nil }
        index = UInt32(i)
    }

    /// The kernel's name; "value-N" for a number newer than the table.
    public var name: String { Int(index) < Table.names.count ? Table.names[Int(index)] : "value-\(index)" }
    public var description: String { name }

    /// Why `name` cannot be sent, or nil when it can.
    public static func problem(_ name: String) -> String? {
        guard Self(name: name) == nil else { return nil }
        return "\(Table.what) \"\(name)\" (tsctl knows \(Table.names.joined(separator: ", ")))"
    }
}

public typealias TxType = KernelValue<TxTypeTable>
public typealias RxFilter = KernelValue<RxFilterTable>

/// HWTSTAMP_FLAG_* bits.
public struct HwtstampFlags: Hashable, Sendable, CustomStringConvertible {
    public var bits: UInt32

    public init(bits: UInt32) { self.bits = bits }

    /// nil when a name is not in the table.
    public init?(names: [String]) {
        var bits: UInt32 = 0
        for n in names {
            guard let i = HwtstampFlagTable.names.firstIndex(of: n) else { return nil }
            bits |= 1 << UInt32(i)
        }
        self.bits = bits
    }

    /// The set bits by name; "bit-N" beyond the table.
    public var names: [String] {
        let table = HwtstampFlagTable.names
        return (0..<32).filter { bits & (1 << $0) != 0 }.map { $0 < table.count ? table[$0] : "bit-\($0)" }
    }

    public var description: String { names.joined(separator: ",") }

    public static func problem(_ names: [String]) -> String? {
        guard let bad = names.first(where: { !HwtstampFlagTable.names.contains($0) }) else { return nil }
        return "\(HwtstampFlagTable.what) \"\(bad)\" (tsctl knows \(HwtstampFlagTable.names.joined(separator: ", ")))"
    }
}

// Numbers as the kernel's headers write them, for tables and tests.
extension KernelValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral v: UInt32) { self.init(index: v) }
}

extension HwtstampFlags: ExpressibleByIntegerLiteral {
    public init(integerLiteral v: UInt32) { self.init(bits: v) }
}
