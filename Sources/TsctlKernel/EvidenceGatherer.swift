public import TsctlModel

/// What the user asked `check` to look at.
public struct EvidenceRequest: Sendable {
    /// The interfaces named (nil: every interface).
    public var names: [String]?
    /// Read the counters twice, this many seconds apart (check --sample).
    public var sampleSeconds: Double?

    public init(names: [String]? = nil, sampleSeconds: Double? = nil) {
        self.names = names
        self.sampleSeconds = sampleSeconds
    }
}

/// Gathers check's evidence: /proc is walked on a thread of its own while the
/// kernel is read; errors keep their errno for the findings to render.
public struct EvidenceGatherer {
    /// The /proc walk for PTP daemons (PTPDaemons.scan in the binary).
    public var scanDaemons: @Sendable () -> PTPDaemons.Scan
    public var clock: any EvidenceClock
    /// Told what the user should know that is no finding (e.g. nothing to sample).
    public var note: (String) -> Void

    public init(
        scanDaemons: @escaping @Sendable () -> PTPDaemons.Scan = { PTPDaemons.scan() }, clock: any EvidenceClock = SystemClock(),
        note: @escaping (String) -> Void = { _ in }
    ) {
        self.scanDaemons = scanDaemons
        self.clock = clock
        self.note = note
    }

    /// Opens the kernel (`open`) and reads everything check judges. A kernel that
    /// cannot be opened or read throws, after the /proc walk has ended.
    public func gather<K: EvidenceKernel>(
        _ request: EvidenceRequest, open: () throws(KernelFailure) -> K
    ) throws(KernelFailure) -> (evidence: Evidence, kernel: K) {
        // The walk yields to the threads of the kernel reads (listing every interface, two
        // more): with few interfaces it had held up the one main waited for, and check
        // took 1.16x show's time at 201 interfaces instead of 1.10x. Where no thread
        // can be started, it is made at the end.
        let walk = scanDaemons
        let daemons = SideThread.yielding(walk)
        let kernel: K
        var snap: Snapshot
        do {
            kernel = try open()
            snap = try snapshotWithLowerDevices(kernel, names: request.names)
        } catch {
            _ = daemons?.join()
            throw error
        }
        kernel.attachClockHealth(&snap.interfaces)
        var evidence = Evidence(snapshot: snap)
        if let seconds = request.sampleSeconds { evidence.statsSamples = sample(kernel, snap.interfaces, seconds: seconds) }
        for itf in snap.interfaces where itf.hasHardwareProvider {
            evidence.ioctl[itf.key] = kernel.ioctlPHC(itf).map(IoctlView.init(phcIndex:))
        }
        let scan = daemons?.join() ?? walk()
        evidence.daemons = scan.daemons
        evidence.ignoredDaemons = scan.ignored
        return (evidence, kernel)
    }

    /// Sends one PTP frame per interface with a provider and records which clock
    /// stamped it (check --probe): a step of its own, taken only once the user's
    /// input has been found sound, since it puts frames on the wire.
    public func probe(_ evidence: inout Evidence, with kernel: some EvidenceKernel) {
        for itf in evidence.snapshot.interfaces where !itf.providers.isEmpty {
            evidence.observations[itf.key] = kernel.probe(itf)
        }
    }

    /// The interfaces asked for, then the devices below stacked ones among them
    /// (a stacked device is judged by the device below), in a second read.
    /// By bytes: a lower device named like one listed only to Unicode is another device.
    func snapshotWithLowerDevices(_ kernel: some EvidenceKernel, names: [String]?) throws(KernelFailure) -> Snapshot {
        var snap = try kernel.snapshot(names: names)
        let listed = Set(snap.interfaces.map(\.key))
        var missing: [String] = []
        for lower in snap.interfaces.compactMap(\.lower) where !listed.contains(NameKey(lower)) {
            if !missing.contains(where: { NameKey($0) == NameKey(lower) }) { missing.append(lower) }
        }
        if !missing.isEmpty { snap.interfaces += try kernel.snapshot(names: missing).interfaces }
        return snap
    }

    /// The counters read again `seconds` after the snapshot: what grew in between.
    /// With no counters to read, there is nothing to wait for: it says so at once.
    func sample(_ kernel: some EvidenceKernel, _ interfaces: [InterfaceSnapshot], seconds: Double) -> [NameKey: TsStatsSample] {
        guard interfaces.contains(where: { $0.tsStats?.state == .read }) else {
            note("--sample: no interface checked has timestamping counters that can be read (see the report); nothing was sampled")
            return [:]
        }
        let start = clock.monotonicSeconds()
        clock.sleep(seconds: seconds)
        let after = kernel.rereadTsStats(interfaces)
        let elapsed = clock.monotonicSeconds() - start
        var out: [NameKey: TsStatsSample] = [:]
        for itf in interfaces {
            guard let b = itf.tsStats, let a = after[itf.key] else { continue }
            out[itf.key] = TsStatsSample(before: b, after: a, seconds: elapsed)
        }
        return out
    }
}
