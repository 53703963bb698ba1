import TsctlModel

extension Rules {
    /// Clocks further apart than this are worth knowing about before switching
    /// providers: ptp4l's servo would see the difference as one step.
    static let farApartNs: Int64 = 1_000_000_000

    // clock-stopped, clocks-far-apart: a PHC that does not advance, and the PHCs of one interface far apart.
    mutating func clockHealth(_ itf: InterfaceSnapshot) {
        var unread: [String] = []
        for c in itf.phcs {
            guard let h = c.health else { continue }
            guard h.state == .read else { unread.append("ptp\(c.index): \(h.message ?? "error")"); continue }
            if h.advances == false {
                let ms = h.intervalNs.map { " \(Self.milliseconds($0)) apart" } ?? ""
                add(
                    .clockStopped, .error, itf.name,
                    "ptp\(c.index) \(clockName(c.index, itf)) does not advance: two reads\(ms) gave the same time; "
                        + "timestamps from it are worthless and ptp4l/phc2sys cannot steer it",
                    [
                        EvidenceItem(
                            .observed,
                            "clock_gettime(/dev/ptp\(c.index)) moved \(h.advancedNs ?? 0) ns"
                                + (h.intervalNs.map { " while CLOCK_MONOTONIC moved \($0) ns" } ?? ""))
                    ])
            }
        }
        if !unread.isEmpty {
            notRun.append(NotRun(.clockStopped, itf.name, unread.joined(separator: "; ")))
        }
        let read = itf.phcs.filter { $0.health?.offsetToRealtimeNs != nil }
        for (i, a) in read.enumerated() {
            for b in read.dropFirst(i + 1) {
                let d = a.health!.offsetToRealtimeNs! - b.health!.offsetToRealtimeNs!
                guard d.magnitude > Self.farApartNs.magnitude else { continue }
                add(
                    .clocksFarApart, .info, itf.name,
                    "ptp\(a.index) and ptp\(b.index) of \(itf.displayName) are \(Self.seconds(Double(d.magnitude) / 1e9)) apart: "
                        + "switching the provider under a running ptp4l makes it see a time step of that size",
                    [
                        EvidenceItem(.observed, "ptp\(a.index) - CLOCK_REALTIME = \(a.health!.offsetToRealtimeNs!) ns"),
                        EvidenceItem(.observed, "ptp\(b.index) - CLOCK_REALTIME = \(b.health!.offsetToRealtimeNs!) ns")
                    ])
            }
        }
    }

    static func milliseconds(_ ns: Int64) -> String {
        ns >= 10_000_000 ? "\(ns / 1_000_000) ms" : "\(Double(ns / 10_000) / 100) ms"
    }
}
