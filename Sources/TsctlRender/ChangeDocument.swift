public import TsctlChange
public import TsctlCodec
import TsctlModel

// The `set`/`apply` document (Schemas/change.schema.json): one record per
// interface, written from the same ChangeRecord the text report is.

extension Config {
    public var json: JSON {
        .object([
            (
                "provider",
                provider.map { p in
                    .object([
                        ("layer", .string(p.layer.rawValue)), ("phc_index", .int(p.phcIndex)),
                        ("qualifier", .string(p.qualifier.name)), ("phy_index", p.phyIndex.map { .int($0) } ?? .null)
                    ])
                } ?? .null
            ),
            ("tx_type", txType.map { .string($0.name) } ?? .null),
            ("rx_filter", rxFilter.map { .string($0.name) } ?? .null),
            ("flags", flags.map { .array($0.map { .string($0.name) }) } ?? .null)
        ])
    }
}

extension InterfacePlan {
    /// The one request, in the kernel's names; null when nothing is to be sent.
    public var requestJSON: JSON {
        guard let c = change else { return .null }
        return .object([
            ("via", .string(request.rawValue)),
            (
                "provider",
                c.provider.map { p in
                    .object([("phc_index", .int(p.phcIndex)), ("qualifier", .string(p.qualifier.name))])
                } ?? .null
            ),
            ("tx_type", c.txType.map { .string($0.name) } ?? .null),
            ("rx_filter", c.rxFilter.map { .string($0.name) } ?? .null),
            ("flags", c.flags.map { .array($0.names.map { .string($0) }) } ?? .null)
        ])
    }
}

extension ChangeRecord {
    public var json: JSON {
        .object([
            ("interface", .string(plan.interface)),
            ("outcome", .string(outcome.rawValue)),
            ("before", plan.currentKnown ? plan.current.json : .null),
            ("target", plan.target.json),
            ("request", plan.requestJSON),
            ("notes", .array(plan.notes.map { .string($0) })),
            ("sent", .bool(sent)),
            ("verified", .bool(verified)),
            ("rolled_back", .bool(rolledBack)),
            ("after", after?.json ?? .null),
            ("message", message.map { .string($0) } ?? .null)
        ])
    }
}

extension ChangeDocument {
    /// The `set`/`apply` document (Schemas/change.schema.json).
    public var json: JSON {
        .object([
            ("schema_version", .int(1)),
            ("command", .string(command)),
            ("kernel", kernel.json),
            ("file", file.map { .string($0) } ?? .null),
            ("dry_run", .bool(dryRun)),
            ("exit_status", .int(Int(exitStatus))),
            ("error", error.map { .object([("message", .string($0)), ("exit_status", .int(Int(exitStatus)))]) } ?? .null),
            ("interfaces", .array(records.map(\.json)))
        ])
    }
}
