public import TsctlModel

extension ClockHealth: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) {
        s.beginObject()
        s.field("state", state.rawValue)
        s.field("offset_to_realtime_ns", offsetToRealtimeNs.map { Int($0) })
        s.field("offset_method", method)
        s.field("frequency_ppb", frequencyPPB)
        s.field("advances", advances)
        s.field("advanced_ns", advancedNs.map { Int($0) })
        s.field("interval_ns", intervalNs.map { Int($0) })
        s.key("offsets_to_phcs")
        s.beginArray()
        for o in offsetsToPHCs {
            s.beginObject()
            s.field("phc_index", o.phcIndex)
            s.field("offset_ns", Int(o.offsetNs))
            s.endObject()
        }
        s.endArray()
        s.key("read")
        if let read {
            s.beginObject()
            s.field("method", read.method)
            s.field("window_min_ns", read.windowMinNs.map { Int($0) })
            s.field("window_median_ns", read.windowMedianNs.map { Int($0) })
            s.field("samples", read.samples)
            s.endObject()
        } else {
            s.null()
        }
        s.field("resolution_ns", resolutionNs.map { Int($0) })
        s.field("errno", errno)
        s.field("message", message)
        s.endObject()
    }

    init(json o: JSON, path: String) throws(SnapshotDecodeError) {
        guard let st = o["state"]?.stringValue, let state = State(rawValue: st) else {
            throw SnapshotDecodeError(path: "\(path).state", message: "expected \"read\" or \"unavailable\"")
        }
        var offsets: [PHCOffset] = []
        for item in o["offsets_to_phcs"]?.arrayValue ?? [] {
            guard let i = item["phc_index"]?.intValue, let n = item["offset_ns"]?.intValue else {
                throw SnapshotDecodeError(path: "\(path).offsets_to_phcs", message: "each entry needs phc_index and offset_ns")
            }
            offsets.append(PHCOffset(phcIndex: i, offsetNs: Int64(n)))
        }
        var read: ClockRead?
        if let r = o["read"], r != .null {
            guard let m = r["method"]?.stringValue, let n = r["samples"]?.intValue else {
                throw SnapshotDecodeError(path: "\(path).read", message: "needs method and samples")
            }
            read = ClockRead(
                method: m, windowMinNs: r["window_min_ns"]?.intValue.map(Int64.init),
                windowMedianNs: r["window_median_ns"]?.intValue.map(Int64.init), samples: n)
        }
        self.init(
            state: state, offsetToRealtimeNs: o["offset_to_realtime_ns"]?.intValue.map(Int64.init),
            method: o["offset_method"]?.stringValue, frequencyPPB: o["frequency_ppb"]?.intValue,
            advances: o["advances"]?.boolValue, advancedNs: o["advanced_ns"]?.intValue.map(Int64.init),
            intervalNs: o["interval_ns"]?.intValue.map(Int64.init), offsetsToPHCs: offsets,
            read: read, resolutionNs: o["resolution_ns"]?.intValue.map(Int64.init), errno: o["errno"]?.intValue,
            message: o["message"]?.stringValue)
    }
}
