import TsctlModel
import TsctlNetlink

// Listing every interface for text output without a dump of every link. Only
// RTM_GETLINK reports a link's kind, and the kernel fills about 1.1 KB per link for
// it under the RTNL lock: at a thousand links more than ethtool's whole TSINFO dump.
// Text prints a link's kind, lower device and active slave only for stacked devices,
// and a parent device's driver only where there is one, so it asks for those alone.
extension Inventory {
    /// The readings of `show --all` in text: the links named by the TSINFO dump (by
    /// ifindex and name), a link request for each device it leaves out (one without a
    /// get_ts_info op, such as a bridge) and for each device that has a parent device,
    /// and one RTM_GETLINK dump filtered per stacked kind. /sys/class/net lists every
    /// device and /sys/devices/virtual/net those without a parent (sysfs is the
    /// namespace's own: `--netns` mounts it). nil where this kernel, socket or sysfs
    /// cannot do it that way: the caller reads every link.
    func printedListing() throws(InventoryError) -> InventoryReadings? {
        // Before 6.14 the TSINFO dump is not made; where it can crash the kernel it is
        // made per device, which needs the links first.
        let release = system.kernelRelease()
        guard rtnl.filtersByKind, client.hasTsconfig, !TsinfoDumpTrap.affected(release: release) else { return nil }
        let side = sideReads()
        if !client.compact {
            do { try client.useCompactBitsets() } catch {
                _ = side.join()
                throw .netlink(error)
            }
        }
        var r = readings(names: nil, targets: [], release: release)
        // This thread: the TSINFO dump (every device with a get_ts_info op), then the
        // TSCONFIG dump, unless asking a stacked device can crash the kernel (the dump
        // walks every device; the release alone decides: StackedDeviceTrap).
        let tsinfo = Result { () throws(NetlinkError) in try client.tsinfoDump(nil) }
        let tsconfig = Self.tsconfigDumped(listingAll: true, trapped: trapped(r)) ? try? client.tsconfigDump() : nil
        let s = side.join()
        let dumped: [TsinfoReply]
        do {
            dumped = try tsinfo.get()
            r.add(tsinfoDump: dumped)
            // No second socket: the PHY dump here, after the others.
            if let phys = s.phys { r.add(phys: try phys.get()) } else if client.hasPhyGet { r.add(phys: try client.phyDump(nil)) }
        } catch {
            throw .netlink(error)
        }
        r.set(tsconfigDump: tsconfig)
        guard let devices = s.devices else { return try everyLink(r) }
        // The devices in the dump's order, the kernel's ifindex order (a device's
        // entries come together); sorted where it is not. By position: a reply and
        // a link are large values to copy.
        var links: [LinkReply] = []
        links.reserveCapacity(r.tsinfoDump.count)
        for k in dumped.indices where links.last?.index != dumped[k].device.ifindex {
            links.append(LinkReply(index: dumped[k].device.ifindex, name: dumped[k].device.name, parentKnown: true))
        }
        if links.count != r.tsinfoDump.count || (1..<max(links.count, 1)).contains(where: { links[$0 - 1].index >= links[$0].index }) {
            links = r.tsinfoDump.keys.sorted().map { i in LinkReply(index: i, name: r.tsinfoDump[i]![0].device.name, parentKnown: true) }
        }
        var parented: [LinkReply] = []
        for k in links.indices {
            // A /sys of another namespace (entered without mounting its own) would hide
            // the devices the dump leaves out: then every link is read.
            guard let hasParent = devices[links[k].name] else { return try everyLink(r) }
            if hasParent { parented.append(links[k]) }
        }
        // Names are unique on both sides: more in sysfs than in the dump are devices it left out.
        var leftOut: [String] = []
        if devices.count > links.count {
            let dumped = Set(links.map(\.name))
            leftOut = devices.keys.filter { !dumped.contains($0) }
        }
        Self.merge(withParents(parented), into: &links)
        Self.merge(try named(leftOut), into: &links)
        // A kernel that refuses the filtered dump: every link, as JSON reads them.
        guard case .success(let stacked) = s.stacked else { return try everyLink(r) }
        Self.merge(stacked, into: &links)
        r.targets = links
        return r
    }

    /// What the second thread of `printedListing` reads.
    private struct Side {
        /// Every device sysfs lists, and whether it has a parent device (is not
        /// under /sys/devices/virtual/net); nil where sysfs cannot say.
        var devices: [String: Bool]?
        var stacked: Result<[LinkReply], NetlinkError> = .success([])
        /// The PHY_GET dump, on a second socket; nil where none was made.
        var phys: Result<[PhyReply], NetlinkError>?
    }

    /// On a second thread while this one makes the TSINFO and TSCONFIG dumps: the
    /// sysfs listings (they take no RTNL lock), the kind-filtered link dumps (a socket
    /// of their own), then the PHY_GET dump on a second generic netlink socket. Of
    /// each dump only the filling of a datagram is under the RTNL lock; copying and
    /// decoding go on beside the other thread's.
    private func sideReads() -> SideThread<Side> {
        let family = client.hasPhyGet ? client.family : nil
        return SideThread { [rtnl, system, sysfs, genlSocket] in
            var s = Side()
            if let every = system.listDirectory("\(sysfs)/class/net"),
                let virtual = system.listDirectory("\(sysfs)/devices/virtual/net")
            {
                var devices = [String: Bool](minimumCapacity: every.count)
                for name in every { devices[name] = true }
                for name in virtual where devices[name] != nil { devices[name] = false }
                s.devices = devices
            }
            s.stacked = Result { () throws(NetlinkError) -> [LinkReply] in
                var out: [LinkReply] = []
                var unregistered: Set<String> = []
                for kind in StackedKind.all {
                    if let needed = StackedKind.requires[kind], unregistered.contains(needed) { continue }
                    // A kind registered and unused is answered by one walk of every link under
                    // the RTNL lock; where sysfs says there is none, it is not asked.
                    if StackedKind.listedInSysfsClass.contains(kind), system.listDirectory("\(sysfs)/class/\(kind)")?.isEmpty ?? true {
                        continue
                    }
                    if let found = try rtnl.links(ofKind: kind) { out += found } else { unregistered.insert(kind) }
                }
                return out
            }
            guard let family, let open = genlSocket, let transport = try? open() else { return s }
            let second = EthtoolClient(transport: transport, family: family)
            s.phys = Result { () throws(NetlinkError) in try second.phyDump(nil) }
            return s
        }
    }

    /// The readings with every link as their targets (one dump of every link).
    private func everyLink(_ readings: InventoryReadings) throws(InventoryError) -> InventoryReadings {
        var r = readings
        r.targets = try targets(nil)
        return r
    }

    /// Devices sysfs lists and the TSINFO dump left out, by name (one that went away
    /// meanwhile is left out too).
    private func named(_ names: [String]) throws(InventoryError) -> [LinkReply] {
        var out: [LinkReply] = []
        for r in rtnl.links(named: names) {
            switch r {
            case .success(let l): out.append(l)
            case .failure(let e): if !e.isNoDevice { throw .netlink(e) }
            }
        }
        return out
    }

    /// The full link message of each device the TSINFO dump named that has a parent
    /// device (one not under /sys/devices/virtual/net): its parent names the driver text prints. A device
    /// whose request fails keeps an unknown parent, which sysfs then answers.
    private func withParents(_ wanted: [LinkReply]) -> [LinkReply] {
        guard !wanted.isEmpty else { return [] }
        return zip(wanted, rtnl.links(indexes: wanted.map(\.index))).map { asked, answer in
            var l = asked
            l.parentKnown = false
            return (try? answer.get()) ?? l
        }
    }

    /// Puts each link in its place by ifindex, over the one it replaces.
    static func merge(_ found: [LinkReply], into links: inout [LinkReply]) {
        for l in found { merge(l, into: &links) }
    }

    static func merge(_ l: LinkReply, into links: inout [LinkReply]) {
        var lo = 0, hi = links.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if links[mid].index < l.index { lo = mid + 1 } else { hi = mid }
        }
        if lo < links.count && links[lo].index == l.index { links[lo] = l } else { links.insert(l, at: lo) }
    }
}
