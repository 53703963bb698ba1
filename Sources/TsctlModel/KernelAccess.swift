// The small protocols the kernel-facing target (TsctlKernel) implements, so
// the transaction and the CLI's flow can be tested against a fake kernel.

/// One request that changes an interface's timestamping: what TSCONFIG_SET
/// carries (nil: leave it as it is), or SIOCSHWTSTAMP (tx, rx and flags).
public struct ConfigChange: Equatable, Sendable {
    public struct ProviderRef: Equatable, Sendable {
        public var phcIndex: Int
        public var qualifier: Qualifier
        public init(phcIndex: Int, qualifier: Qualifier) {
            self.phcIndex = phcIndex
            self.qualifier = qualifier
        }
    }

    public var provider: ProviderRef?
    public var txType: TxType.Numbered?
    public var rxFilter: RxFilter.Numbered?
    public var flags: HwtstampFlags?

    public init(
        provider: ProviderRef? = nil, txType: TxType.Numbered? = nil, rxFilter: RxFilter.Numbered? = nil, flags: HwtstampFlags? = nil
    ) {
        self.provider = provider
        self.txType = txType
        self.rxFilter = rxFilter
        self.flags = flags
    }

    public var isEmpty: Bool { self == ConfigChange() }
}

/// How a change is sent.
public enum ChangeRequest: String, Sendable {
    /// ethtool netlink TSCONFIG_SET (6.14+): provider, tx, rx and flags.
    case tsconfigSet = "TSCONFIG_SET"
    /// The legacy ioctl: tx, rx and flags together, to the advertised provider.
    case ioctl = "SIOCSHWTSTAMP"
}

/// Reads the kernel's view of interfaces.
public protocol KernelReader: AnyObject {
    /// The named interfaces (each must exist), or all of them when nil.
    func snapshot(names: [String]?) throws(KernelFailure) -> Snapshot
}

/// An interface once the kernel has answered for it: requests go by its
/// index (a rename between plan and send cannot redirect them); the name is
/// for people, and for the ioctls, which know no index.
public struct InterfaceRef: Hashable, Sendable, CustomStringConvertible {
    public var ifindex: Int
    public var name: String

    public init(ifindex: Int, name: String) {
        self.ifindex = ifindex
        self.name = name
    }

    public var description: String { InterfaceName.display(name) }
}

extension InterfaceSnapshot {
    public var ref: InterfaceRef { InterfaceRef(ifindex: ifindex, name: name) }
}

/// Writes timestamping configuration and reads back one interface.
public protocol KernelWriter: AnyObject {
    /// Sends one change. On success, the configuration the kernel says it set
    /// when it says so (the TSCONFIG_SET reply, 6.18+), else nil.
    func send(_ change: ConfigChange, to interface: InterfaceRef, via request: ChangeRequest) -> Result<ActiveConfig?, KernelFailure>
    /// The interface as it is now, or why it could not be read (noSuchDevice:
    /// it is gone; anything else: the read itself failed).
    func reread(_ interface: InterfaceRef) -> Result<InterfaceSnapshot, KernelFailure>
}

/// The kernel a change reads and writes (set, apply).
public protocol ChangeKernel: KernelReader, KernelWriter {
    /// The interface each of `names` (a name or an altname) is, nil where none is.
    func primaryNames(_ names: [String]) -> [String?]
}
