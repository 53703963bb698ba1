public import TsctlModel

/// What happened to one interface in a `set` or `apply`: the plan, whether its
/// request was sent, verified, rolled back, and the configuration after. Text
/// and JSON are both written from this, so they cannot disagree.
public struct ChangeRecord: Sendable {
    public enum Outcome: String, Sendable {
        /// Already as asked: nothing sent.
        case unchanged
        /// --dry-run: this would be sent.
        case wouldChange = "would-change"
        /// Another interface failed first: this one was never sent.
        case notSent = "not-sent"
        case applied
        /// Sent, but the configuration cannot be read back to prove it.
        case unverified
        /// The request failed or its result was wrong, and nothing needed undoing.
        case failed
        case rolledBack = "rolled-back"
        case rollbackFailed = "rollback-failed"
    }

    public var plan: InterfacePlan
    public var outcome: Outcome
    public var sent = false
    public var verified = false
    public var rolledBack = false
    /// Read back at the end, when it could be.
    public var after: Config?
    /// Why, in words: the failure, the rollback, what the driver chose.
    public var message: String?

    public init(plan: InterfacePlan, outcome: Outcome) {
        self.plan = plan
        self.outcome = outcome
    }
}

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

    /// The `set`/`apply` document (Schemas/change.schema.json).
    public static func document(
        command: String, kernel: KernelInfo, file: String?, dryRun: Bool, records: [ChangeRecord],
        exitStatus: Int32, error: String?
    ) -> JSON {
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
