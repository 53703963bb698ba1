import Testing

@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlNetlink
@testable import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// A system whose sysfs and ioctl answers are a table; a question it has no
/// answer for is remembered (the assembly must not ask more than it needs).
final class TableSystem: SystemReader {
    var files: [String: String] = [:]
    var links: [String: String] = [:]
    var real: [String: String] = [:]
    var dirs: [String: [String]] = [:]
    var names: [UInt32: String] = [:]
    var ioctl: [String: Result<HwtstampIoctl.Config, SystemError>] = [:]
    var asked: [String] = []

    func readFile(_ path: String) -> String? { asked.append(path); return files[path] }
    func readLink(_ path: String) -> String? { asked.append(path); return links[path] }
    func realPath(_ path: String) -> String? { asked.append(path); return real[path] }
    func listDirectory(_ path: String) -> [String]? { asked.append(path); return dirs[path] }
    func exists(_ path: String) -> Bool { asked.append(path); return dirs[path] != nil || files[path] != nil }
    func kernelRelease() -> String { "6.18.0-test" }
    func interfaceName(_ index: UInt32) -> String? { names[index] }
    func hwtstampConfig(_ device: String) -> Result<HwtstampIoctl.Config, SystemError> {
        ioctl[device] ?? .failure(SystemError("ioctl(SIOCGHWTSTAMP)", EOPNOTSUPP))
    }

    /// ptpN owned by `owner` (a device path), named `clock`.
    func phc(_ n: Int, owner: String, clock: String) {
        let dir = "/sys/class/ptp/ptp\(n)"
        dirs[dir] = []
        files[dir + "/clock_name"] = clock + "\n"
        links[dir + "/device"] = "../../../" + owner.split(separator: "/").last!
        real[dir + "/device"] = owner
        dirs["/sys/class/ptp", default: []].append("ptp\(n)")
    }
}

/// SnapshotAssembly on hand-built readings: what the kernel answered, decoded,
/// and a table for sysfs (the same function replays real kernels' traces in
/// TraceReplayTests).
struct SnapshotAssemblyTests {
    static let mac = "/sys/devices/pci0000:00/0000:00:03.0"
    static let phy = "/sys/devices/pci0000:00/0000:00:03.0/mdio_bus/phy0"

    static func link(_ i: UInt32, _ name: String, parent: String? = nil, kind: String? = nil, lower: UInt32? = nil) -> LinkReply {
        LinkReply(
            index: i, name: name, kind: kind, link: lower, linkInOtherNamespace: false, master: nil, bondActiveSlave: nil,
            parentDevice: parent, parentKnown: true)
    }

    static func tsinfo(_ i: UInt32, _ name: String, phc: UInt32?, source: UInt32? = nil, phy: UInt32? = nil, q: UInt32 = 0) -> TsinfoReply {
        var r = TsinfoReply(device: DeviceRef(ifindex: i, name: name))
        r.phcIndex = phc
        r.provider = phc.map { ProviderID(phcIndex: $0, qualifier: q) }
        r.source = source
        r.phyIndex = phy
        r.txTypes = BitList(size: 4, indices: [0, 1], names: ["off", "on"])
        r.rxFilters = BitList(size: 16, indices: [0, 1], names: ["none", "all"])
        return r
    }

    static func system() -> TableSystem {
        let s = TableSystem()
        s.phc(0, owner: mac, clock: "MAC clock")
        s.phc(1, owner: phy, clock: "PHY clock")
        s.real["/sys/class/net/eth0/device"] = mac
        s.real["/sys/class/net/eth0/phydev"] = phy
        s.links["/sys/class/net/eth0/device/driver"] = "../../bus/pci/drivers/igb"
        return s
    }

    /// 6.14+: the dump lists both providers; the PHY is advertised and active.
    @Test func bothLayersFromTheDumpAndTheActiveOneFromTsconfig() throws {
        var r = InventoryReadings(
            names: ["eth0"], targets: [Self.link(2, "eth0", parent: "0000:00:03.0")], release: "6.18.0",
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil))
        r.tsinfoDump[2] = [
            Self.tsinfo(2, "eth0", phc: 0, source: Ethtool.SOURCE_NETDEV),
            Self.tsinfo(2, "eth0", phc: 1, source: Ethtool.SOURCE_PHYLIB, phy: 1)
        ]
        r.phys[2] = [PhyReply(device: DeviceRef(ifindex: 2, name: "eth0"), index: 1, driver: "test PHY", name: "phy0", upstreamType: 0)]
        r.tsinfo[2] = .success(Self.tsinfo(2, "eth0", phc: 1, source: Ethtool.SOURCE_PHYLIB, phy: 1))
        var cfg = TsconfigReply(device: DeviceRef(ifindex: 2, name: "eth0"))
        cfg.provider = ProviderID(phcIndex: 1, qualifier: 0)
        cfg.txType = BitList(size: 4, indices: [1], names: ["on"])
        cfg.rxFilter = BitList(size: 16, indices: [1], names: ["all"])
        r.tsconfig[2] = .success(cfg)
        r.tsconfigReads = Inventory.TsconfigReads(dump: false, redirected: [2: .success("eth0")])
        let sys = Self.system()
        let snap = try SnapshotAssembly.assemble(r, system: sys)
        let eth0 = try #require(snap.interfaces.first)
        #expect(eth0.device == "0000:00:03.0")
        #expect(eth0.driver == "igb")
        #expect(eth0.providers.map(\.layer) == [.mac, .phy])
        #expect(eth0.providers.map(\.phcIndex) == [0, 1])
        #expect(eth0.providers[1].phyIndex == 1)
        #expect(eth0.advertised?.layer == .phy)
        #expect(eth0.active.layer == .phy && eth0.active.txType == "on" && eth0.active.rxFilter == "all")
        #expect(eth0.providers.filter(\.active).map(\.phcIndex) == [1])
        #expect(eth0.phcs.map(\.clockName) == ["MAC clock", "PHY clock"])
        #expect(eth0.phcs.map(\.layer) == [.mac, .phy])
        #expect(snap.kernel.features.hwtstampSource == true)
        #expect(snap.kernel.release == "6.18.0")
    }

    /// Before 6.14: one advertised provider; the other clock is known from sysfs
    /// only, and the active config is SIOCGHWTSTAMP's.
    @Test func anOldKernelFindsTheSecondClockInSysfsAndReadsTheIoctl() throws {
        var r = InventoryReadings(
            names: nil, targets: [Self.link(2, "eth0", parent: "0000:00:03.0")], release: "6.1.0",
            features: KernelFeatures(tsinfo: true, phyGet: false, tsconfig: false, hwtstampSource: nil))
        r.tsinfo[2] = .success(Self.tsinfo(2, "eth0", phc: 1))
        let sys = Self.system()
        sys.ioctl["eth0"] = .success(HwtstampIoctl.Config(flags: 0, txType: 1, rxFilter: 12))
        let eth0 = try #require(try SnapshotAssembly.assemble(r, system: sys).interfaces.first)
        #expect(eth0.providers.map(\.phcIndex) == [1, 0])
        #expect(eth0.providers.map(\.reportedBy) == [.tsinfoDump, .sysfs])
        #expect(eth0.providers.map(\.layer) == [.phy, .mac], "ptp1 belongs to the PHY device, ptp0 to the MAC")
        #expect(eth0.active.readVia == .ioctl)
        #expect(eth0.active.txType == "on" && eth0.active.rxFilter == "ptpv2-event")
    }

    @Test func aDriverWithoutTheIoctlIsUnsupportedNotAnError() throws {
        var r = InventoryReadings(
            names: nil, targets: [Self.link(3, "veth0")], release: "6.1.0",
            features: KernelFeatures(tsinfo: true, phyGet: false, tsconfig: false, hwtstampSource: nil))
        r.tsinfo[3] = .success(Self.tsinfo(3, "veth0", phc: nil))
        let sys = TableSystem()
        sys.ioctl["veth0"] = .failure(SystemError("ioctl(SIOCGHWTSTAMP)", EINVAL))
        let v = try #require(try SnapshotAssembly.assemble(r, system: sys).interfaces.first)
        #expect(v.active.unavailable == .driverUnsupported)
        #expect(v.providers.isEmpty && v.phcs.isEmpty)
        #expect(sys.asked == ["/sys/class/ptp"], "only the PTP directory is listed: no device, no clock")
    }

    @Test func aDeviceThatVanishedBetweenTheReadsIsNamedOrSkipped() throws {
        let gone = NetlinkError.kernel(KernelError(errno: ENODEV, request: "TSINFO_GET"))
        var r = InventoryReadings(
            names: ["eth9"], targets: [Self.link(9, "eth9")], release: "6.18.0",
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil))
        r.tsinfo[9] = .failure(gone)
        #expect(throws: InventoryError.noSuchInterface("eth9")) { try SnapshotAssembly.assemble(r, system: TableSystem()) }
        r.names = nil
        #expect(try SnapshotAssembly.assemble(r, system: TableSystem()).interfaces.isEmpty)
        r.tsinfo[9] = .failure(.kernel(KernelError(errno: EIO, request: "TSINFO_GET")))
        #expect(throws: InventoryError.self) { try SnapshotAssembly.assemble(r, system: TableSystem()) }
    }

    /// `show --all --json` writes the kernel part before the interfaces: found first,
    /// it is the one the whole assembly ends with, and the errors come before any
    /// interface is handed out (no half document is written).
    @Test func theKernelFoundFirstIsTheOneTheAssemblyEndsWith() throws {
        var r = InventoryReadings(
            names: nil, targets: [Self.link(2, "eth0", parent: "0000:00:03.0"), Self.link(3, "veth0")], release: "6.18.0",
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil))
        r.tsinfo[3] = .success(Self.tsinfo(3, "veth0", phc: nil))
        r.tsinfo[2] = .success(Self.tsinfo(2, "eth0", phc: nil))
        // No PHC at all: the kernel cannot be said to report a source.
        #expect(try SnapshotAssembly.finalKernel(r) == SnapshotAssembly.assemble(r, system: Self.system()).kernel)
        #expect(try SnapshotAssembly.finalKernel(r).features.hwtstampSource == nil)
        // A PHC without a source (6.14, 6.15), then with one (6.16+).
        r.tsinfo[2] = .success(Self.tsinfo(2, "eth0", phc: 0))
        #expect(try SnapshotAssembly.finalKernel(r) == SnapshotAssembly.assemble(r, system: Self.system()).kernel)
        #expect(try SnapshotAssembly.finalKernel(r).features.hwtstampSource == false)
        r.tsinfoDump[2] = [Self.tsinfo(2, "eth0", phc: 1, source: Ethtool.SOURCE_PHYLIB, phy: 1)]
        #expect(try SnapshotAssembly.finalKernel(r) == SnapshotAssembly.assemble(r, system: Self.system()).kernel)
        #expect(try SnapshotAssembly.finalKernel(r).features.hwtstampSource == true)
        var handedOut = 0
        let chunked = try SnapshotAssembly.assemble(r, system: Self.system(), sysfsRoot: "/sys", chunk: 1, kernelFirst: true) {
            _, kernel in
            handedOut += 1
            #expect(kernel.features.hwtstampSource == true)
        }
        #expect(handedOut == 2 && chunked.kernel.features.hwtstampSource == true)
        // A device that failed otherwise than by going away: thrown before the first chunk.
        r.tsinfo[3] = .failure(.kernel(KernelError(errno: EIO, request: "TSINFO_GET")))
        handedOut = 0
        #expect(throws: InventoryError.self) {
            try SnapshotAssembly.assemble(r, system: Self.system(), sysfsRoot: "/sys", chunk: 1, kernelFirst: true) { _, _ in handedOut += 1
            }
        }
        #expect(handedOut == 0)
    }

    @Test func stackedDevicesNameTheirLowerAndUnknownIndexesAreAskedOnce() throws {
        var r = InventoryReadings(
            names: nil, targets: [Self.link(4, "mv0", kind: "macvlan", lower: 7)], release: "6.18.0",
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil))
        r.tsinfo[4] = .success(Self.tsinfo(4, "mv0", phc: nil))
        r.tsconfigReads = Inventory.TsconfigReads(
            dump: false, redirected: [4: .failure(NoDeviceBelow(why: "mv0's lower device cannot be found"))])
        let sys = TableSystem()
        sys.names[7] = "eth7"
        let mv0 = try #require(try SnapshotAssembly.assemble(r, system: sys).interfaces.first)
        #expect(mv0.lower == "eth7")
        #expect(mv0.active.unavailable == .stackedLowerUnknown)
        #expect(mv0.active.message == "mv0's lower device cannot be found")
    }
}
