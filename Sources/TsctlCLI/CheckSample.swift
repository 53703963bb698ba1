import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension CheckCommand {
    /// The counters read again `seconds` after the snapshot: what grew in between.
    /// With no counters to read, there is nothing to wait for: it says so at once.
    static func takeSample(_ inventory: Inventory, _ interfaces: [InterfaceSnapshot], seconds: Double) -> [NameKey: TsStatsSample] {
        guard interfaces.contains(where: { $0.tsStats?.state == .read }) else {
            Sys.printError(
                "tsctl: note: --sample: no interface checked has timestamping counters that can be read (see the report); nothing was sampled"
            )
            return [:]
        }
        let start = monotonic()
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
        let after = inventory.rereadTsStats(interfaces)
        let elapsed = monotonic() - start
        var out: [NameKey: TsStatsSample] = [:]
        for itf in interfaces {
            guard let b = itf.tsStats, let a = after[itf.key] else { continue }
            out[itf.key] = TsStatsSample(before: b, after: a, seconds: elapsed)
        }
        return out
    }

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
