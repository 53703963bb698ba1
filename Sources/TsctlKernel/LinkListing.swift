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
        guard rtnl.filtersByKind, client.hasTsconfig, !TsinfoDumpTrap.affected(release: system.kernelRelease()),
            let every = system.listDirectory("\(sysfs)/class/net"),
            let virtual = system.listDirectory("\(sysfs)/devices/virtual/net")
        else { return nil }
        var r = try ethtoolDumps(names: nil, targets: [])
        // The indexes sorted, not the links: a link is a large value to move.
        var links = r.tsinfoDump.keys.sorted().map { i in
            LinkReply(index: i, name: r.tsinfoDump[i]![0].device.name, parentKnown: true)
        }
        let listed = Set(every)
        // A /sys of another namespace (entered without mounting its own) would hide the
        // devices the dump leaves out: then every link is read.
        guard links.allSatisfy({ listed.contains($0.name) }) else { return try everyLink(r) }
        let dumped = Set(links.map(\.name))
        Self.merge(withParents(links, virtual: Set(virtual)), into: &links)
        Self.merge(try named(every.filter { !dumped.contains($0) }), into: &links)
        do {
            for kind in StackedKind.all {
                for l in try rtnl.links(ofKind: kind) { Self.merge(l, into: &links) }
            }
        } catch {
            // A kernel that refuses the filtered dump: every link, as JSON reads them.
            return try everyLink(r)
        }
        r.targets = links
        return r
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
    private func withParents(_ links: [LinkReply], virtual: Set<String>) -> [LinkReply] {
        let wanted = links.filter { !virtual.contains($0.name) }
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
