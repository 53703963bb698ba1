public import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension Inventory {
    /// Reads the health of every present PHC the interfaces name: offset to
    /// CLOCK_REALTIME, frequency adjustment, and whether it advances between
    /// two reads at least `gapNs` apart (one wait for all clocks). A clock
    /// shared by several interfaces is read once.
    public static func attachClockHealth(_ interfaces: inout [InterfaceSnapshot], gapNs: Int64 = 5_000_000) {
        var indexes: [Int] = []
        for itf in interfaces { for c in itf.phcs where c.present && !indexes.contains(c.index) { indexes.append(c.index) } }
        guard !indexes.isEmpty else { return }
        var health: [Int: ClockHealth] = [:]
        var open: [(PHCClock, Int64, Int64)] = []  // clock, first PHC read, monotonic then
        for i in indexes {
            let clock: PHCClock
            do { clock = try PHCClock(index: i) } catch {
                let hint = error.errno == EACCES || error.errno == EPERM ? " (reading a PTP clock needs root)" : ""
                health[i] = ClockHealth(state: .unavailable, errno: Int(error.errno), message: error.description + hint)
                continue
            }
            var h = ClockHealth()
            do {
                let (o, m) = try clock.offsetToRealtime()
                h.offsetToRealtimeNs = o
                h.method = m.rawValue
            } catch {
                h.message = error.description
                h.errno = Int(error.errno)
            }
            h.frequencyPPB = (try? clock.frequencyPPB()).map { Int($0.rounded()) }
            measureReads(clock, &h)
            health[i] = h
            if let t = try? clock.now() { open.append((clock, t, monotonicNs())) }
        }
        // Every clock's two reads at least gapNs apart: wait for the one read last.
        if let last = open.last {
            let wait = gapNs - (monotonicNs() - last.2)
            if wait > 0 {
                var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                var left = timespec()
                while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
            }
        }
        for (clock, t0, m0) in open {
            guard let t1 = try? clock.now() else { continue }
            health[clock.index]?.advancedNs = t1 - t0
            health[clock.index]?.intervalNs = monotonicNs() - m0
            health[clock.index]?.advances = t1 > t0
        }
        for k in interfaces.indices {
            let mine = interfaces[k].phcs.map(\.index)
            for j in interfaces[k].phcs.indices {
                guard var h = health[interfaces[k].phcs[j].index] else { continue }
                if let me = h.offsetToRealtimeNs {
                    h.offsetsToPHCs = mine.compactMap { other in
                        guard other != interfaces[k].phcs[j].index, let o = health[other]?.offsetToRealtimeNs else { return nil }
                        return ClockHealth.PHCOffset(phcIndex: other, offsetNs: me - o)
                    }
                }
                interfaces[k].phcs[j].health = h
            }
        }
    }

    /// The read windows and resolution of one clock, about `budgetNs` of reading.
    static func measureReads(_ clock: PHCClock, _ h: inout ClockHealth, budgetNs: Int64 = 2_000_000) {
        let precise = clock.offersPrecise()
        guard let (samples, m) = try? clock.sampleReads(budgetNs: budgetNs), !samples.isEmpty else {
            if precise { h.read = ClockRead(method: "precise", windowMinNs: nil, windowMedianNs: nil, samples: 0) }
            return
        }
        let w = ClockMeasurement.windows(samples)
        h.read = ClockRead(
            method: precise ? "precise" : m.rawValue, windowMinNs: w?.min, windowMedianNs: w?.median, samples: samples.count)
        h.resolutionNs = ClockMeasurement.resolution(samples.map(\.phc))
    }

    static func monotonicNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
