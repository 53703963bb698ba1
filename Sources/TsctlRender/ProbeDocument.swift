public import TsctlCodec
public import TsctlModel

/// The `probe --json` document (Schemas/probe.schema.json).
public enum ProbeDocument {
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
