public import TsctlModel

extension TsStats: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) {
        s.beginObject()
        s.field("state", state.rawValue)
        // Counters above Int.max cannot come from a real device; clamp rather than trap.
        s.field("tx_pkts", txPkts.map { Int(clamping: $0) })
        s.field("tx_lost", txLost.map { Int(clamping: $0) })
        s.field("tx_err", txErr.map { Int(clamping: $0) })
        s.field("tx_onestep_pkts_unconfirmed", txOnestepPktsUnconfirmed.map { Int(clamping: $0) })
        s.field("errno", errno)
        s.field("message", message)
        s.endObject()
    }

    init(json o: JSON, path: String) throws(SnapshotDecodeError) {
        func count(_ key: String) throws(SnapshotDecodeError) -> UInt64? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let i = v.intValue, i >= 0 else {
                throw SnapshotDecodeError(path: "\(path).\(key)", message: "expected a non-negative integer")
            }
            return UInt64(i)
        }
        guard let st = o["state"]?.stringValue, let state = State(rawValue: st) else {
            throw SnapshotDecodeError(path: "\(path).state", message: "expected \"read\" or \"unavailable\"")
        }
        self.init(
            state: state, txPkts: try count("tx_pkts"), txLost: try count("tx_lost"), txErr: try count("tx_err"),
            txOnestepPktsUnconfirmed: try count("tx_onestep_pkts_unconfirmed"),
            errno: o["errno"]?.intValue, message: o["message"]?.stringValue)
    }
}
