import TsctlModel
import TsctlNetlink
import TsctlSystem

// Listing every interface completely (JSON, check, a baseline) with the assembly
// beside the link dump. Only RTM_GETLINK reports a link's kind, lower device and
// master, and the kernel's filling of that dump is most of the listing's time: the
// assembly of each link, its statistics and the caller's writing go on on a second
// thread while this one reads the rest of the dump. One dump at a time still: every
// request this path sends is made before the link dump starts, so another user of
// the RTNL lock waits behind one dumper, as before.
extension Inventory {
    /// Every interface, completely, handed to `each` on a second thread `chunk` at a
    /// time, with the kernel part it ends with (known before the first); `expect` is
    /// told first how many devices there are (unless some come or go). nil where
    /// this kernel or system cannot be read that way (before 6.14, where a dump can
    /// crash the kernel, a replayed trace, a sysfs that does not list this
    /// namespace's devices): nothing was handed out, and the caller reads as before.
    ///
    /// Every per-device request is sent before the link dump, so every error a
    /// reading can meet but the link dump's own is thrown before `each` is called:
    /// the devices come from the TSINFO dump, and the ones it leaves out (no
    /// get_ts_info op: a bridge, a vxlan) from /sys/class/net, listed on a second
    /// thread meanwhile, and asked by name. A link that none of those named (it
    /// appeared since) is left out, as one that appears after the link dump is.
    func completeListing(
        chunk: Int, expect: (Int) -> Void = { _ in }, each: (inout [InterfaceSnapshot], KernelInfo) -> Void
    ) throws(InventoryError) -> KernelInfo? {
        let release = system.kernelRelease()
        // genlSocket: a live kernel (a replayed trace knows the readings in the other order).
        guard genlSocket != nil, client.hasTsconfig, !TsinfoDumpTrap.affected(release: release),
            !StackedDeviceTrap.verdict(release: release, hasTsconfig: true).affected
        else { return nil }
        var r = readings(names: nil, targets: [], release: release)
        if !client.compact {
            do { try client.useCompactBitsets() } catch { throw .netlink(error) }
        }
        // The TSINFO dump read here and decoded there, beside the PHY and TSCONFIG dumps.
        let messages = HandOver<NetlinkMessage>()
        let aside = Self.tsinfoAside(messages, decoder: client.tsinfoDumpDecoder, system: system, sysfs: sysfs)
        let side = SideThread.onAThread(aside)
        var failed: NetlinkError?
        do throws(NetlinkError) {
            try client.tsinfoMessages { messages.put($0) }
            messages.finish()
            if client.hasPhyGet { r.add(phys: try client.phyDump(nil)) }
            r.set(tsconfigDump: try? client.tsconfigDump())
        } catch {
            messages.finish()
            failed = error
        }
        // No second thread (a process limit): the messages held until the end are decoded here.
        let dumped = side?.join() ?? aside()
        if let e = failed ?? dumped.failure { throw .netlink(e) }
        r.tsinfoDump = dumped.tsinfoDump
        guard let names = dumped.leftOut else { return nil }
        let leftOut = try askAside(&r, leftOut: names)
        let kernel = try Self.kernelPart(r, leftOut: leftOut)
        expect(r.tsinfoDump.count + leftOut.count)
        try assembleBeside(r, chunk: chunk, kernel: kernel, each: each)
        return kernel
    }

    /// What the second thread makes of the TSINFO dump and sysfs.
    struct TsinfoAside {
        var tsinfoDump: [UInt32: [TsinfoReply]] = [:]
        /// The devices /sys/class/net lists and the dump left out; nil where sysfs
        /// cannot say (unreadable, or another namespace's: it misses a device of the dump).
        var leftOut: [String]?
        var failure: NetlinkError?
    }

    /// Lists /sys/class/net (kernfs takes no RTNL lock), then decodes the TSINFO
    /// dump's messages as they are handed over, and finds the devices the dump left out.
    private static func tsinfoAside(
        _ messages: HandOver<NetlinkMessage>, decoder: EthtoolClient.TsinfoDumpDecoder, system: any SystemReader, sysfs: String
    ) -> () -> TsinfoAside {
        {
            var out = TsinfoAside()
            let listed = system.listDirectory("\(sysfs)/class/net")
            var decoder = decoder
            var done = false
            while !done {
                let arrived = messages.take()
                done = arrived.done
                guard out.failure == nil else { continue }  // read on to the end of the dump
                for m in arrived.values {
                    do throws(NetlinkError) {
                        let d = try decoder.decode(m)
                        out.tsinfoDump[d.device.ifindex, default: []].append(d)
                    } catch {
                        out.failure = error
                        break
                    }
                }
            }
            guard let listed else { return out }
            // A sysfs of another namespace (entered without mounting its own) would hide
            // the devices the dump leaves out. Names are unique on both sides.
            let inSysfs = Set(listed)
            var dumped = Set<String>(minimumCapacity: out.tsinfoDump.count)
            for entries in out.tsinfoDump.values {
                guard inSysfs.contains(entries[0].device.name) else { return out }
                dumped.insert(entries[0].device.name)
            }
            out.leftOut = listed.count > dumped.count ? listed.filter { !dumped.contains($0) }.sorted() : []
            return out
        }
    }

    /// The per-device requests the dumps do not stand in for: the devices the TSINFO
    /// dump named with more than one entry, a PHC or a PHY (by index), and `leftOut`,
    /// those it left out (by name). Returns those that answered, by ifindex.
    private func askAside(_ r: inout InventoryReadings, leftOut: [String]) throws(InventoryError) -> [UInt32: String] {
        var specs: [RequestSpec] = []
        var asked: [UInt32] = []
        for (i, entries) in r.tsinfoDump where !r.dumpsStandIn(for: i) {
            asked.append(i)
            specs += [client.tsinfoRequest(.index(i)), client.tsconfigRequest(.name(entries[0].device.name))]
        }
        for n in leftOut { specs += [client.tsinfoRequest(.name(n)), client.tsconfigRequest(.name(n))] }
        let outcomes = specs.isEmpty ? [] : client.batch(specs)
        for (k, i) in asked.enumerated() {
            r.tsinfo[i] = client.decodeTsinfo(outcomes[2 * k])
            r.tsconfig[i] = client.decodeTsconfig(outcomes[2 * k + 1])
        }
        var known: [UInt32: String] = [:]
        for (k, n) in leftOut.enumerated() {
            let at = 2 * (asked.count + k)
            switch client.decodeTsinfo(outcomes[at]) {
            case .success(let info):
                let i = info.device.ifindex
                r.tsinfo[i] = .success(info)
                r.tsconfig[i] = client.decodeTsconfig(outcomes[at + 1])
                known[i] = n
            case .failure(let e):
                // Gone meanwhile: as a device the link dump no longer names.
                if !e.isNoDevice { throw .netlink(e) }
            }
        }
        return known
    }

    /// The kernel part of the snapshot of the devices the readings name, and any error
    /// its assembly would throw (SnapshotAssembly.finalKernel), the first device's
    /// by ifindex. `leftOut`: the devices the TSINFO dump left out, by ifindex.
    private static func kernelPart(_ r: InventoryReadings, leftOut: [UInt32: String]) throws(InventoryError) -> KernelInfo {
        var seen = SnapshotAssembly.SourceSeen()
        for (i, entries) in r.tsinfoDump where r.tsinfo[i] == nil { seen.saw(entries, entries[0]) }
        var failing: LinkReply?
        for (i, answer) in r.tsinfo {
            let t = LinkReply(index: i, name: leftOut[i] ?? r.tsinfoDump[i]?[0].device.name ?? "")
            if case .failure(let e) = answer, !e.isNoDevice {
                if failing.map({ i < $0.index }) ?? true { failing = t }
                continue
            }
            guard let (entries, advReply) = try SnapshotAssembly.advertised(t, r) else { continue }
            seen.saw(entries, advReply)
        }
        if let failing { _ = try SnapshotAssembly.advertised(failing, r) }
        return seen.kernel(r)
    }

    /// The link dump read here, each link assembled on a second thread as soon as the
    /// links it names (its lower device, master, active slave, and the devices below
    /// a stacked one) have arrived, or the dump has ended; `each` called there.
    private func assembleBeside(
        _ r: InventoryReadings, chunk: Int, kernel: KernelInfo, each: (inout [InterfaceSnapshot], KernelInfo) -> Void
    ) throws(InventoryError) {
        let messages = HandOver<NetlinkMessage>()
        let failed: NetlinkError? = withoutActuallyEscaping(each) { each in
            let assemble = { [self, system, sysfs] () -> NetlinkError? in
                var a = SnapshotAssembly.Assembler(r, system: system, sysfsRoot: sysfs, names: [:])
                // Of the links read so far the assembly knows the names; the stacked
                // ones are kept whole, to follow down to the device below them.
                var stacked: [UInt32: LinkReply] = [:]
                // The PHY dump was made of every device: nothing more is asked for one below a stacked device.
                var phys = r.phys
                let link = { (i: UInt32) -> LinkReply? in stacked[i] ?? a.known(i).map { LinkReply(index: i, name: $0) } }
                var waiting: [LinkReply] = []
                var part: [InterfaceSnapshot] = []
                // Small parts: what is left to assemble and write once the dump ends is one part.
                let chunk = min(chunk, 64)
                part.reserveCapacity(chunk)
                var done = false
                while !done {
                    let arrived = messages.take()
                    done = arrived.done
                    for m in arrived.values {
                        let decoded: LinkReply?
                        do throws(NetlinkError) { decoded = try RtnlClient.decodeLinkMessage(m) } catch {
                            // Read on to the end of the dump, and say why it stopped.
                            while !messages.take().done {}
                            return error
                        }
                        guard let l = decoded else { continue }
                        if StackedKind.below(l.kind) != nil { stacked[l.index] = l }
                        a.know(l)
                        waiting.append(l)
                    }
                    var next = 0
                    while next < waiting.count, done || Self.namesArrived(waiting[next], link: link) {
                        let t = waiting[next]
                        next += 1
                        // A device none of the readings named appeared since: left out.
                        guard r.tsinfoDump[t.index] != nil || r.tsinfo[t.index] != nil else { continue }
                        let below = stackedPhys(t, phys: &phys, dumpedAll: true, link: link)
                        // The readings were checked for every error `add` can throw (kernelPart).
                        try? a.add(t, r, below: below, to: &part)
                        if part.count == chunk {
                            attachTsStats(&part)
                            each(&part, kernel)
                            part.removeAll(keepingCapacity: true)
                        }
                    }
                    waiting.removeFirst(next)
                }
                if !part.isEmpty {
                    attachTsStats(&part)
                    each(&part, kernel)
                }
                return nil
            }
            // No second thread (a process limit): the whole dump read first, then assembled here.
            let assembly = SideThread.onAThread(assemble)
            var failed: NetlinkError?
            do throws(NetlinkError) { try rtnl.linkMessages { messages.put($0) } } catch { failed = error }
            messages.finish()
            return (assembly?.join() ?? assemble()) ?? failed
        }
        if let failed { throw .netlink(failed) }
    }

    /// Whether every link `t` names has arrived: its master, its active slave, and
    /// for a stacked device each device below it (Inventory.deviceBelow).
    static func namesArrived(_ t: LinkReply, link: (UInt32) -> LinkReply?) -> Bool {
        if let m = t.master, link(m) == nil { return false }
        if let s = t.bondActiveSlave, link(s) == nil { return false }
        var cur = t
        for _ in 0..<8 {
            guard let how = StackedKind.below(cur.kind) else { return true }
            let next = how == .activeSlave ? cur.bondActiveSlave : cur.linkInOtherNamespace ? nil : cur.link
            guard let n = next, n != cur.index else { return true }
            guard let below = link(n) else { return false }
            cur = below
        }
        return true
    }
}
