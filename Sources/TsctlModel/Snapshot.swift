// The snapshot: one plain value per interface. It is what `show --json`
// prints, what `--baseline` reads back, and what diagnosis and rendering take.
// docs/snapshot-contract.md says what each field means.

public enum Layer: String, Sendable, CaseIterable {
    case mac, phy
}

/// The kernel's provider qualifier (enum hwtstamp_provider_qualifier).
public enum Qualifier: Sendable, Equatable, Hashable {
    case precise, approx, other(UInt32)

    public init(kernel v: UInt32) {
        switch v {
        case 0: self = .precise
        case 1: self = .approx
        default: self = .other(v)
        }
    }

    public init?(name: String) {
        switch name {
        case "precise": self = .precise
        case "approx": self = .approx
        default:
            guard name.hasPrefix("qualifier-"), let v = UInt32(name.dropFirst(10)) else { return nil }
            self = .other(v)
        }
    }

    public var name: String {
        switch self {
        case .precise: return "precise"
        case .approx: return "approx"
        case .other(let v): return "qualifier-\(v)"
        }
    }

    public var kernelValue: UInt32 {
        switch self {
        case .precise: return 0
        case .approx: return 1
        case .other(let v): return v
        }
    }
}

/// SOF_TIMESTAMPING capabilities, tx types and rx filters, by kernel name.
public struct Capabilities: Equatable, Sendable {
    public var timestamping: [String]
    public var txTypes: [TxType]
    public var rxFilters: [RxFilter]

    public init(timestamping: [String] = [], txTypes: [TxType] = [], rxFilters: [RxFilter] = []) {
        self.timestamping = timestamping
        self.txTypes = txTypes
        self.rxFilters = rxFilters
    }
}

/// How tsctl learned of a provider.
public enum ReportedBy: String, Sendable {
    /// The kernel listed it in a TSINFO dump (6.14+: one message per provider).
    case tsinfoDump = "tsinfo-dump"
    /// Older kernels list only the advertised provider; others are found in sysfs
    /// (a PHC owned by the netdev's device or its PHY), capabilities unknown.
    case sysfs
}

public struct Provider: Equatable, Sendable {
    public var layer: Layer
    public var phcIndex: Int
    public var qualifier: Qualifier
    public var phyIndex: Int?
    /// nil when the kernel could not report them (reportedBy == .sysfs).
    public var capabilities: Capabilities?
    public var reportedBy: ReportedBy
    public var advertised: Bool
    public var active: Bool

    public init(
        layer: Layer, phcIndex: Int, qualifier: Qualifier, phyIndex: Int? = nil,
        capabilities: Capabilities?, reportedBy: ReportedBy, advertised: Bool = false, active: Bool = false
    ) {
        self.layer = layer
        self.phcIndex = phcIndex
        self.qualifier = qualifier
        self.phyIndex = phyIndex
        self.capabilities = capabilities
        self.reportedBy = reportedBy
        self.advertised = advertised
        self.active = active
    }

    /// "mac", "phy:1", with "/approx" when not precise: how users name it.
    public var label: String {
        var s = layer.providerLabel(phyIndex: phyIndex)
        if qualifier != .precise { s += "/" + qualifier.name }
        return s
    }
}

/// What the kernel reports by default (TSINFO do == ETHTOOL_GET_TS_INFO).
public struct Advertised: Equatable, Sendable {
    public var phcIndex: Int?
    public var qualifier: Qualifier?
    public var layer: Layer?
    public var phyIndex: Int?
    public var capabilities: Capabilities

    public init(
        phcIndex: Int? = nil, qualifier: Qualifier? = nil, layer: Layer? = nil, phyIndex: Int? = nil,
        capabilities: Capabilities
    ) {
        self.phcIndex = phcIndex
        self.qualifier = qualifier
        self.layer = layer
        self.phyIndex = phyIndex
        self.capabilities = capabilities
    }
}

public struct Phy: Equatable, Sendable {
    public var phyIndex: Int
    public var driver: String?
    public var name: String
    public var upstream: Layer
    public var upstreamPhyIndex: Int?
    public var upstreamSFP: String?
    public var downstreamSFP: String?

    public init(
        phyIndex: Int, driver: String?, name: String, upstream: Layer, upstreamPhyIndex: Int? = nil,
        upstreamSFP: String? = nil, downstreamSFP: String? = nil
    ) {
        self.phyIndex = phyIndex
        self.driver = driver
        self.name = name
        self.upstream = upstream
        self.upstreamPhyIndex = upstreamPhyIndex
        self.upstreamSFP = upstreamSFP
        self.downstreamSFP = downstreamSFP
    }
}

/// A PTP hardware clock as /sys/class/ptp/ptpN shows it.
public struct PHC: Equatable, Sendable {
    public var index: Int
    public var clockName: String?
    /// Basename of the `device` link: the MAC's PCI/platform device or the PHY's MDIO device.
    public var owner: String?
    /// The owner's bus (pci, platform, mdio_bus, ...).
    public var ownerBus: String?
    public var maxAdjustment: Int?
    public var nPins: Int?
    public var nAlarms: Int?
    public var nExternalTimestamps: Int?
    public var nPeriodicOutputs: Int?
    public var pps: Bool?
    /// False when /sys/class/ptp/ptpN does not exist (a dangling index).
    public var present: Bool
    /// Which part of this interface owns the clock (its MAC's device or one of
    /// its PHYs); nil when neither does.
    public var layer: Layer?
    /// Read from /dev/ptpN only when asked (show --clocks, check); nil otherwise.
    public var health: ClockHealth?

    public init(
        index: Int, clockName: String? = nil, owner: String? = nil, ownerBus: String? = nil,
        maxAdjustment: Int? = nil, nPins: Int? = nil, nAlarms: Int? = nil, nExternalTimestamps: Int? = nil,
        nPeriodicOutputs: Int? = nil, pps: Bool? = nil, present: Bool, layer: Layer? = nil
    ) {
        self.index = index
        self.clockName = clockName
        self.owner = owner
        self.ownerBus = ownerBus
        self.maxAdjustment = maxAdjustment
        self.nPins = nPins
        self.nAlarms = nAlarms
        self.nExternalTimestamps = nExternalTimestamps
        self.nPeriodicOutputs = nPeriodicOutputs
        self.pps = pps
        self.present = present
        self.layer = layer
    }

    public var device: String { "/dev/ptp\(index)" }
}

/// Why the active configuration could not be read: a state, not an error.
public enum UnavailableReason: String, Sendable, CaseIterable {
    /// The driver has no read-back (no ndo_hwtstamp_get; EOPNOTSUPP).
    case driverUnsupported = "driver-unsupported"
    /// The default provider has no PHC (ENODEV).
    case noPHC = "no-phc"
    /// The kernel has neither TSCONFIG_GET nor a working SIOCGHWTSTAMP.
    case kernelTooOld = "kernel-too-old"
    /// A PHY is the active provider and the kernel (before 6.19) cannot read a PHY's config.
    case phyReadbackUnsupported = "phy-readback-unsupported"
    case permission
    /// A stacked device on a kernel where asking it can crash (CVE-2025-40255), and
    /// the device below it (or a bond's active slave) is not known.
    case stackedLowerUnknown = "stacked-lower-unknown"
    case error
}

extension UnavailableReason {
    /// What it means for a user, in one phrase (show and check say the same).
    public var explanation: String {
        switch self {
        case .driverUnsupported: return "the driver has no timestamp config read-back (ndo_hwtstamp_get)"
        case .noPHC: return "the default provider has no PTP hardware clock"
        case .kernelTooOld: return "this kernel has no timestamp config read-back (TSCONFIG_GET needs Linux 6.14)"
        case .phyReadbackUnsupported: return "the active provider is a PHY and this kernel cannot read a PHY's config (Linux 6.19 can)"
        case .permission: return "reading the config was not permitted"
        case .stackedLowerUnknown:
            return "this kernel can crash when a stacked device is asked (CVE-2025-40255), and the device below it is not known"
        case .error: return "the kernel answered with an error"
        }
    }
}

public struct ActiveConfig: Equatable, Sendable {
    public enum ReadVia: String, Sendable { case tsconfig, ioctl }

    public var readVia: ReadVia?
    /// The device whose configuration this is, when not the interface itself: a
    /// stacked device's lower device or a bond's active slave, read there because
    /// asking the stacked device can crash this kernel (StackedDeviceTrap).
    public var readFrom: String?
    public var phcIndex: Int?
    public var qualifier: Qualifier?
    public var layer: Layer?
    public var phyIndex: Int?
    public var txType: TxType?
    public var rxFilter: RxFilter?
    public var flags: [HwtstampFlag]
    public var unavailable: UnavailableReason?
    public var errno: Int?
    public var message: String?

    public init(
        readVia: ReadVia? = nil, phcIndex: Int? = nil, qualifier: Qualifier? = nil, layer: Layer? = nil,
        phyIndex: Int? = nil, txType: TxType? = nil, rxFilter: RxFilter? = nil, flags: [HwtstampFlag] = [],
        unavailable: UnavailableReason? = nil, errno: Int? = nil, message: String? = nil
    ) {
        self.readVia = readVia
        self.phcIndex = phcIndex
        self.qualifier = qualifier
        self.layer = layer
        self.phyIndex = phyIndex
        self.txType = txType
        self.rxFilter = rxFilter
        self.flags = flags
        self.unavailable = unavailable
        self.errno = errno
        self.message = message
    }

    public static func unavailable(
        _ r: UnavailableReason, errno: Int? = nil, message: String? = nil,
        via: ReadVia? = nil
    ) -> ActiveConfig {
        ActiveConfig(readVia: via, unavailable: r, errno: errno, message: message)
    }

    public var isConfigured: Bool { unavailable == nil }
}

public struct InterfaceSnapshot: Equatable, Sendable {
    public var name: String
    public var ifindex: Int
    public var driver: String?
    /// The parent device (basename of /sys/class/net/IF/device): a MAC's PCI or
    /// platform device; nil for virtual interfaces.
    public var device: String?
    /// The link kind (vlan, macvlan, bond, veth, ...); nil for plain hardware.
    public var kind: String?
    /// For stacked devices (VLAN, macvlan, ipvlan): the device below, whose
    /// timestamping is the one that counts.
    public var lower: String?
    /// The bond or bridge this interface is enslaved to.
    public var master: String?
    /// For an active-backup bond: the slave whose clock it reports.
    public var bondActiveSlave: String?
    public var advertised: Advertised?
    public var providers: [Provider]
    public var phys: [Phy]
    public var phcs: [PHC]
    public var active: ActiveConfig
    /// The driver's timestamping counters; nil when not asked (no hardware provider).
    public var tsStats: TsStats?

    public init(
        name: String, ifindex: Int, driver: String? = nil, advertised: Advertised? = nil,
        providers: [Provider] = [], phys: [Phy] = [], phcs: [PHC] = [], active: ActiveConfig
    ) {
        self.name = name
        self.ifindex = ifindex
        self.driver = driver
        self.advertised = advertised
        self.providers = providers
        self.phys = phys
        self.phcs = phcs
        self.active = active
    }

    public var hasHardwareProvider: Bool { !providers.isEmpty || advertised?.phcIndex != nil }

    public func phc(_ index: Int?) -> PHC? { index.flatMap { i in phcs.first { $0.index == i } } }
}

public struct KernelFeatures: Equatable, Sendable {
    public var tsinfo: Bool
    public var phyGet: Bool
    public var tsconfig: Bool
    /// nil when no reply with a PHC was seen, so nothing could tell.
    public var hwtstampSource: Bool?

    public init(tsinfo: Bool, phyGet: Bool, tsconfig: Bool, hwtstampSource: Bool?) {
        self.tsinfo = tsinfo
        self.phyGet = phyGet
        self.tsconfig = tsconfig
        self.hwtstampSource = hwtstampSource
    }
}

public struct KernelInfo: Equatable, Sendable {
    public var release: String
    public var ethtoolNetlink: Bool
    public var features: KernelFeatures

    public init(release: String, ethtoolNetlink: Bool, features: KernelFeatures) {
        self.release = release
        self.ethtoolNetlink = ethtoolNetlink
        self.features = features
    }
}

public struct Snapshot: Equatable, Sendable {
    public static let schemaVersion = 1
    public var kernel: KernelInfo
    public var interfaces: [InterfaceSnapshot]

    public init(kernel: KernelInfo, interfaces: [InterfaceSnapshot]) {
        self.kernel = kernel
        self.interfaces = interfaces
    }
}
