public import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// What `check` reads from the kernel, one call per kind of read: the live
/// kernel (KernelSession) in the binary, a fake in tests (no root needed).
public protocol EvidenceKernel {
    func snapshot(names: [String]?) throws(KernelFailure) -> Snapshot
    /// The name of the interface each of `names` (a name or an altname) is, nil where none is.
    func primaryNames(_ names: [String]) -> [String?]
    /// Reads the health of every present PHC the interfaces name.
    func attachClockHealth(_ interfaces: inout [InterfaceSnapshot])
    /// The timestamping counters read again, for interfaces that had them.
    func rereadTsStats(_ interfaces: [InterfaceSnapshot]) -> [NameKey: TsStats]
    /// ETHTOOL_GET_TS_INFO through the ioctl: the PHC index it reports (nil for none).
    func ioctlPHC(_ interface: InterfaceSnapshot) -> Result<Int?, KernelFailure>
    /// One PTP frame sent and matched to a provider's clock (check --probe).
    func probe(_ interface: InterfaceSnapshot) -> Observation
}

/// Time as the counters' sample sees it: a monotonic clock and a wait.
public protocol EvidenceClock {
    func monotonicSeconds() -> Double
    func sleep(seconds: Double)
}

/// The host's CLOCK_MONOTONIC and nanosleep (restarted after a signal).
public struct SystemClock: EvidenceClock {
    public init() {}

    public func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public func sleep(seconds: Double) {
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
    }
}

extension KernelSession: EvidenceKernel {
    public func attachClockHealth(_ interfaces: inout [InterfaceSnapshot]) { Inventory.attachClockHealth(&interfaces) }

    public func rereadTsStats(_ interfaces: [InterfaceSnapshot]) -> [NameKey: TsStats] { inventory.rereadTsStats(interfaces) }

    public func ioctlPHC(_ interface: InterfaceSnapshot) -> Result<Int?, KernelFailure> { Self.ioctlPHC(interface.name) }

    public func probe(_ interface: InterfaceSnapshot) -> Observation { Prober.probe(interface) }
}
