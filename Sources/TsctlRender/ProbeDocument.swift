public import TsctlCodec
public import TsctlModel

/// What `tsctl probe` prints: the `probe --json` document
/// (Schemas/probe.schema.json) or a line per interface, and its verdict.
public enum ProbeDocument {
    /// Exit 6 when a probe was refused for want of privilege, 1 when a
    /// timestamp could not be matched to one clock, else 0.
    public static func status(_ observations: [Observation]) -> ExitStatus {
        if observations.contains(where: \.permissionDenied) { return .permissionDenied }
        return observations.contains { !$0.conclusive } ? .checkFailed : .ok
    }

    /// Why probing needed more privilege, naming the first refusal; nil when none was refused.
    public static func refusal(_ observations: [Observation]) -> TsctlFailure? {
        guard let denied = observations.first(where: \.permissionDenied) else { return nil }
        return TsctlFailure(
            .permissionDenied, "probe needs root (CAP_NET_RAW for a packet socket, and /dev/ptpN); nothing was sent: \(denied.verdict)")
    }

    /// "eth0: stamped by mac ptp1", one line per interface.
    public static func text(_ observations: [Observation]) -> String {
        observations.map { "\(InterfaceName.display($0.interface)): \($0.verdict)\n" }.joined()
    }

    public static func json(kernel: KernelInfo, exitStatus: Int32, observations: [Observation]) -> JSON {
        .object([
            ("schema_version", .int(1)), ("kernel", kernel.json), ("exit_status", .int(Int(exitStatus))),
            ("interfaces", .array(observations.map(\.json)))
        ])
    }
}

extension Observation {
    public var json: JSON {
        .object([
            ("interface", .string(interface)),
            // Nanoseconds since 1970 exceed 2^53: a string keeps them exact in jq and JavaScript.
            ("timestamp_ns", timestampNanoseconds.map { .string(String($0)) } ?? .null),
            ("phc_index", phcIndex.json),
            ("layer", (layer?.rawValue).json),
            ("phy_index", phyIndex.json),
            (
                "clocks",
                .array(clocks.map { .object([("phc_index", .int($0.phcIndex)), ("offset_ns", .string(String($0.offsetNanoseconds)))]) })
            ),
            ("verdict", .string(verdict))
        ])
    }
}
