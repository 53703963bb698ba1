public import TsctlModel
import TsctlNetlink
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension InventoryError {
    /// What it means to the user, as every layer above the kernel sees it.
    public var failure: KernelFailure {
        switch self {
        case .invalidInterfaceName: return KernelFailure(kind: .usage, message: description)
        case .noSuchInterface(let n):
            return KernelFailure(
                kind: .noSuchDevice, message: "no such interface: \(InterfaceName.display(n)) (`ip link` lists this namespace's interfaces)"
            )
        case .netlink(let e): return e.failure
        case .system(let e): return e.failure
        }
    }
}

/// The kernel, for the commands: reads snapshots and writes timestamping
/// configuration, TSCONFIG_SET over ethtool netlink or SIOCSHWTSTAMP.
public final class KernelSession: ChangeKernel {
    public let inventory: Inventory
    /// For a change (set, apply): the interfaces of the snapshots read, by
    /// ifindex, what a re-read starts from (a configuration change leaves
    /// providers and their layers as they are). Nil for the readers (show, check).
    private var seen: [Int: InterfaceSnapshot]?

    public init(inventory: Inventory, forChanges: Bool = false) {
        self.inventory = inventory
        if forChanges { seen = [:] }
    }

    public static func open(forChanges: Bool = false) throws(KernelFailure) -> KernelSession {
        do { return KernelSession(inventory: try Inventory.open(), forChanges: forChanges) } catch { throw error.failure }
    }

    public func snapshot(names: [String]?) throws(KernelFailure) -> Snapshot { try snapshot(names: names, detail: .complete) }

    public func snapshot(names: [String]?, detail: Inventory.Detail) throws(KernelFailure) -> Snapshot {
        do {
            let snap = try inventory.snapshot(names: names, detail: detail)
            if seen != nil { for itf in snap.interfaces { seen![itf.ifindex] = itf } }
            return snap
        } catch {
            throw error.failure
        }
    }

    /// The snapshot a chunk of interfaces at a time (`Inventory.snapshot(names:detail:chunk:each:)`).
    public func snapshot(
        names: [String]?, detail: Inventory.Detail, chunk: Int, kernelFirst: Bool = false,
        each: (inout [InterfaceSnapshot], KernelInfo) -> Void
    ) throws(KernelFailure) -> KernelInfo {
        do {
            return try inventory.snapshot(names: names, detail: detail, chunk: chunk, kernelFirst: kernelFirst) { part, kernel in
                if seen != nil { for itf in part { seen![itf.ifindex] = itf } }
                each(&part, kernel)
            }
        } catch {
            throw error.failure
        }
    }

    /// After a change: one TSINFO (the advertised provider) and one TSCONFIG_GET
    /// (the active configuration) for that ifindex, on what the last snapshot
    /// said of its providers. A device read through another (stacked), or a
    /// kernel without TSCONFIG, is read as a snapshot is.
    public func reread(_ interface: InterfaceRef) -> Result<InterfaceSnapshot, KernelFailure> {
        guard inventory.client.hasTsconfig, var now = seen?[interface.ifindex], Self.readDirectly(now) else {
            return snapshotReread(interface)
        }
        let client = inventory.client
        let dev = DeviceSelector.interface(index: UInt32(interface.ifindex), name: interface.name)
        let replies = client.batch([client.tsinfoRequest(dev), client.tsconfigRequest(dev)])
        let advertised: TsinfoReply
        switch client.decodeTsinfo(replies[0]) {
        case .success(let r): advertised = r
        case .failure(let e): return .failure(e.failure)
        }
        now.name = interface.name
        Self.advertise(&now, advertised)
        now.active = Inventory.withIoctlFallback(
            Inventory.active(client.decodeTsconfig(replies[1]), snap: now), device: interface.name, snap: now,
            system: inventory.system)
        if let k = now.providers.firstIndex(where: { $0.phcIndex == now.active.phcIndex && $0.qualifier == now.active.qualifier }) {
            now.providers[k].active = true
            now.active.layer = now.providers[k].layer
            now.active.phyIndex = now.providers[k].phyIndex
        }
        return .success(now)
    }

    /// Whether the interface answers TSCONFIG_GET itself: not a stacked device,
    /// which is read through the one below it (StackedRead).
    static func readDirectly(_ itf: InterfaceSnapshot) -> Bool {
        itf.lower == nil && itf.active.readFrom == nil && itf.active.unavailable != .stackedLowerUnknown
            && StackedKind.below(itf.kind) != .lower
    }

    /// The provider a TSINFO reply advertises, among those already known.
    static func advertise(_ itf: inout InterfaceSnapshot, _ r: TsinfoReply) {
        let phc = r.phcIndex.map(Int.init)
        let qualifier = r.provider.map { Qualifier(kernel: $0.qualifier) }
        let k = phc == nil ? nil : itf.providers.firstIndex { $0.phcIndex == phc && $0.qualifier == (qualifier ?? .precise) }
        for i in itf.providers.indices {
            itf.providers[i].advertised = i == k
            itf.providers[i].active = false
        }
        itf.advertised = Advertised(
            phcIndex: phc, qualifier: qualifier, layer: k.map { itf.providers[$0].layer },
            phyIndex: k.flatMap { itf.providers[$0].phyIndex },
            capabilities: Inventory.caps(r))
    }

    /// A snapshot of the one interface, by name; gone when the name is no longer that ifindex.
    func snapshotReread(_ interface: InterfaceRef) -> Result<InterfaceSnapshot, KernelFailure> {
        do {
            guard let itf = try inventory.snapshot(names: [interface.name]).interfaces.first, itf.ifindex == interface.ifindex else {
                return .failure(KernelFailure(kind: .noSuchDevice, errno: ENODEV, message: "\(interface): no such device"))
            }
            return .success(itf)
        } catch {
            return .failure(error.failure)
        }
    }

    public func send(_ change: ConfigChange, to interface: InterfaceRef, via request: ChangeRequest) -> Result<ActiveConfig?, KernelFailure>
    {
        let reply: ActiveConfig?
        switch request {
        case .ioctl:
            do { _ = try HwtstampIoctl.setConfig(interface.name, Self.ioctlConfig(change)) } catch { return .failure(error.failure) }
            reply = nil
        case .tsconfigSet:
            if let why = dsaConduitRefusal(interface.name) {
                return .failure(KernelFailure(kind: .notSupported, errno: EBUSY, message: why))
            }
            let dev = DeviceSelector.interface(index: UInt32(interface.ifindex), name: interface.name)
            do {
                reply = try inventory.client.setTsconfig(dev, Self.tsconfigChange(change)).map(Inventory.activeConfig)
            } catch {
                return .failure(error.failure)
            }
        }
        return .success(reply)
    }

    /// Why TSCONFIG_SET must not reach `interface` when it is a DSA conduit whose
    /// switch ports timestamp (DSAConduit); nil otherwise, and for everything
    /// that is not a conduit (sysfs has no dsa/ directory for it: one access()).
    func dsaConduitRefusal(_ interface: String) -> String? {
        let net = "/sys/class/net"
        guard Sys.exists("\(net)/\(interface)/dsa/tagging"),
            let index = Sys.readFile("\(net)/\(interface)/ifindex").flatMap({ Int($0.trimmingCharacters(in: " \n")) })
        else { return nil }
        // The switch's user ports: their iflink is the conduit, and they carry a switch id.
        let ports = (Sys.listDirectory(net) ?? []).filter { name in
            name != interface && Sys.exists("\(net)/\(name)/phys_switch_id")
                && Sys.readFile("\(net)/\(name)/iflink").flatMap({ Int($0.trimmingCharacters(in: " \n")) }) == index
        }
        guard !ports.isEmpty, let snap = try? inventory.snapshot(names: ports) else { return nil }
        let timestamping = snap.interfaces.filter(\.hasHardwareProvider).map {
            (name: $0.name, phcIndex: $0.advertised?.phcIndex ?? $0.providers.first?.phcIndex)
        }
        return DSAConduit.refusal(conduit: interface, timestampingPorts: timestamping)
    }

    /// SIOCSHWTSTAMP carries all three; the planner gives all three for it.
    static func ioctlConfig(_ c: ConfigChange) -> HwtstampIoctl.Config {
        HwtstampIoctl.Config(
            flags: Int32(bitPattern: c.flags?.bits ?? 0), txType: Int32(c.txType?.index ?? 0),
            rxFilter: Int32(c.rxFilter?.index ?? 0))
    }

    static func tsconfigChange(_ c: ConfigChange) -> TsconfigChange {
        TsconfigChange(
            provider: c.provider.map { ProviderID(phcIndex: UInt32($0.phcIndex), qualifier: $0.qualifier.kernelValue) },
            txType: c.txType, rxFilter: c.rxFilter, flags: c.flags)
    }
}

extension KernelSession {
    /// ETHTOOL_GET_TS_INFO through the ioctl, as ptp4l reads it: the PHC index
    /// it reports (nil for none).
    public static func ioctlPHC(_ interface: String) -> Result<Int?, KernelFailure> {
        do {
            let info = try HwtstampIoctl.tsInfo(interface)
            return .success(info.phcIndex < 0 ? nil : Int(info.phcIndex))
        } catch {
            return .failure(error.failure)
        }
    }
}

/// Links coming up, from rtnetlink's link multicast group (`apply --keep`).
public final class LinkEvents {
    private let monitor: RtnlClient.LinkMonitor

    public init() throws(KernelFailure) {
        do { monitor = try RtnlClient.LinkMonitor { Signals.pending != 0 } } catch { throw error.failure }
    }

    /// The names of links that came up, or nil after the timeout.
    public func next(timeoutMilliseconds: Int32) throws(KernelFailure) -> [String]? {
        do { return try monitor.next(timeoutMilliseconds: timeoutMilliseconds) } catch { throw error.failure }
    }
}

extension KernelSession {
    /// Each link's state in one line ("up, carrier", ...), by name (`watch`).
    /// The name of the interface each of `names` (a name or an altname) is,
    /// nil where none is: one batch of RTM_GETLINK requests.
    public func primaryNames(_ names: [String]) -> [String?] {
        inventory.rtnl.links(named: names).map { try? $0.get().name }
    }

    public func linkStates() throws(KernelFailure) -> [String: String] {
        do {
            let states = try inventory.rtnl.linkStates()
            return Dictionary(states.map { ($0.name, $0.summary) }, uniquingKeysWith: { a, _ in a })
        } catch {
            throw error.failure
        }
    }
}
