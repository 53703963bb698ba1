import TsctlKernel
import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

extension CheckCommand {
    /// The counters read again `seconds` after the snapshot: what grew in between.
    static func takeSample(_ inventory: Inventory, _ interfaces: [InterfaceSnapshot], seconds: Double) -> [String: TsStatsSample] {
        guard interfaces.contains(where: { $0.tsStats?.state == .read }) else { return [:] }
        let start = monotonic()
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
        let after = inventory.rereadTsStats(interfaces)
        let elapsed = monotonic() - start
        var out: [String: TsStatsSample] = [:]
        for itf in interfaces {
            guard let b = itf.tsStats, let a = after[itf.name] else { continue }
            out[itf.name] = TsStatsSample(before: b, after: a, seconds: elapsed)
        }
        return out
    }

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
