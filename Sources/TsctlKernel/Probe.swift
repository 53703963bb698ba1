public import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension Prober {
    /// Sends one PTP frame on `itf` and matches its hardware timestamp against
    /// every provider's clock. Needs CAP_NET_RAW and transmit timestamping on.
    public static func probe(_ itf: InterfaceSnapshot) -> Observation {
        var o = Observation(interface: itf.name, clocks: [], verdict: "")
        let stamp: TxProbe.Stamp?
        do { stamp = try TxProbe.send(ifname: itf.name, ifindex: Int32(itf.ifindex)) } catch {
            o.verdict = "could not send a probe frame: \(error.description)"
            o.permissionDenied = error.errno == EPERM || error.errno == EACCES
            return o
        }
        guard let stamp else {
            o.verdict = "no hardware transmit timestamp came back (transmit timestamping is off, or the driver does not stamp)"
            return o
        }
        o.timestampNanoseconds = stamp.seconds * 1_000_000_000 + stamp.nanoseconds
        var seen = Set<Int>()
        for p in itf.providers where seen.insert(p.phcIndex).inserted {
            guard let now = TxProbe.phcTime(p.phcIndex) else { continue }
            o.clocks.append(.init(phcIndex: p.phcIndex, offsetNanoseconds: Int64((stamp.asDouble - now) * 1e9)))
        }
        return match(o, itf)
    }
}
