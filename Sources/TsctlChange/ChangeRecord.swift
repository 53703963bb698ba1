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

/// What `set` and `apply` report under --json, as values: TsctlRender writes
/// the document (Schemas/change.schema.json) from it.
public struct ChangeDocument: Sendable {
    public var command: String
    public var kernel: KernelInfo
    /// The desired-state file (apply); nil for set.
    public var file: String?
    public var dryRun: Bool
    public var records: [ChangeRecord]
    public var exitStatus: Int32
    /// Why the command failed, when it did.
    public var error: String?

    public init(
        command: String, kernel: KernelInfo, file: String?, dryRun: Bool, records: [ChangeRecord], exitStatus: Int32,
        error: String?
    ) {
        self.command = command
        self.kernel = kernel
        self.file = file
        self.dryRun = dryRun
        self.records = records
        self.exitStatus = exitStatus
        self.error = error
    }
}
