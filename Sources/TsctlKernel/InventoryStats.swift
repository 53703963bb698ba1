public import TsctlModel
import TsctlNetlink

#if canImport(Glibc)
import Glibc
#endif

extension Inventory {
    /// Reads the timestamping counters of every interface with a hardware
    /// provider, in one batch (one round trip, none when no interface has a
    /// PHC). Per device and without a provider: the only form that gives real
    /// counters on every kernel (see TsinfoStats.swift).
    func attachTsStats(_ interfaces: inout [InterfaceSnapshot]) {
        let wanted = interfaces.indices.filter { interfaces[$0].hasHardwareProvider }
        guard !wanted.isEmpty, client.hasTsinfo else { return }
        let outcomes = client.batch(wanted.map { client.tsinfoStatsRequest(.index(UInt32(interfaces[$0].ifindex))) })
        for (k, i) in wanted.enumerated() {
            interfaces[i].tsStats = Self.tsStats(
                client.decodeTsinfoStats(outcomes[k]), tsconfig: client.hasTsconfig,
                phyGet: client.hasPhyGet)
        }
    }

    static func tsStats(_ r: Result<TsStatsReply, NetlinkError>, tsconfig: Bool, phyGet: Bool) -> TsStats {
        switch r {
        case .success(let s):
            return TsStats(
                state: .read, txPkts: s.txPkts, txLost: s.txLost, txErr: s.txErr,
                txOnestepPktsUnconfirmed: s.txOnestepPktsUnconfirmed)
        case .failure(let e):
            var message: String?
            if case .kernel(let k) = e { message = k.message }
            // Before 6.10 the TSINFO header policy refuses the stats flag (EINVAL).
            if e.errno == EINVAL && !tsconfig && !phyGet {
                message = "this kernel has no timestamping statistics (Linux 6.10 added them)" + (message.map { " [\($0)]" } ?? "")
            }
            return TsStats(
                state: .unavailable, errno: e.errno.map(Int.init),
                message: message ?? e.errno.map { String(cString: strerror($0)) } ?? e.description)
        }
    }
}

extension Inventory {
    /// Reads the counters again for interfaces that had them, one batch.
    public func rereadTsStats(_ interfaces: [InterfaceSnapshot]) -> [NameKey: TsStats] {
        var copy = interfaces.filter { $0.tsStats?.state == .read }
        attachTsStats(&copy)
        var out: [NameKey: TsStats] = [:]
        for i in copy { out[i.key] = i.tsStats }
        return out
    }
}
