public import TsctlModel

extension ExitStatus {
    /// How a `set` or `apply` transaction ended (Sources/TsctlChange/Transaction.swift).
    public init(_ result: TransactionResult) {
        switch result {
        case .applied: self = .ok
        case .failedUnchanged(let kind) where kind == .permission || kind == .notSupported: self.init(kind)
        case .failedUnchanged, .rolledBack: self = .rolledBack
        case .rollbackIncomplete: self = .rollbackIncomplete
        case .stopped(let signal): self = .stopped(by: signal)
        }
    }
}

extension TsctlFailure {
    /// A plan that cannot be made: its exit status from what is wrong.
    public init(_ e: PlanError) {
        switch e.kind {
        case .noSuchInterface, .noSuchProvider: self.init(.noSuchDevice, e.message)
        case .notSupported: self.init(.notSupported, e.message)
        case .needsConfig: self.init(.usage, e.message)
        case .conflict, .noMatch: self.init(.badInputFile, e.message)
        }
    }
}
