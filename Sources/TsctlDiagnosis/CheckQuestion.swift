public import TsctlModel

/// What `tsctl check` asks beyond the evidence: its files and options.
public struct CheckQuestion: Sendable {
    /// The interfaces named (empty: every interface).
    public var interfaces: [String]
    /// The desired-state file (--expect), as read.
    public var expectations: DesiredState?
    /// The saved `show --json` (--baseline).
    public var baseline: Snapshot?
    public var prefer: Layer?
    public var uses: [TimestampingUse]

    public init(
        interfaces: [String], expectations: DesiredState? = nil, baseline: Snapshot? = nil, prefer: Layer? = nil,
        uses: [TimestampingUse] = []
    ) {
        self.interfaces = interfaces
        self.expectations = expectations
        self.baseline = baseline
        self.prefer = prefer
        self.uses = uses
    }
}

extension DiagnosisInput {
    /// The input for `question` over `evidence`: the file's altnames resolved
    /// with `primaryNames` (the kernel's answer), judged on the interfaces
    /// named. A file that gives one interface two entries means two things:
    /// apply refuses it, and so does check (exit 3), naming both.
    public init(
        _ question: CheckQuestion, evidence: Evidence, primaryNames: ([String]) -> [String?]
    ) throws(TsctlFailure) {
        let interfaces = evidence.snapshot.interfaces
        let expectations = question.expectations.map { $0.resolvingAltnames(in: interfaces, primaryNames: primaryNames) }
        let scope = question.interfaces.isEmpty ? nil : Set(question.interfaces.map { NameKey($0) })
        if let expectations, let c = expectations.assign(interfaces, scope: scope).conflicts.first {
            throw TsctlFailure(.badInputFile, c.description)
        }
        self.init(
            evidence: evidence, expectations: expectations, baseline: question.baseline, prefer: question.prefer, scope: scope,
            uses: question.uses)
    }

    /// Whether a use is asked for (check --for, or a file's `for`): the use
    /// checks are then part of what the report lists.
    public var asksUses: Bool { !uses.isEmpty || (expectations?.interfaces.contains { !$0.desired.uses.isEmpty } ?? false) }
}
