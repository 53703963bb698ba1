public import TsctlCodec
public import TsctlModel

/// One line of `tsctl watch` output as text, or as one JSON object.
extension WatchEvent {
    public func text(time: String) -> String {
        switch self {
        case .state(let i, let s): return "\(time) \(InterfaceName.display(i)) \(s.line)"
        case .added(let i, let s): return "\(time) \(InterfaceName.display(i)) added: \(s.line)"
        case .removed(let i): return "\(time) \(InterfaceName.display(i)) removed"
        case .changed(let i, let f, let b, let a): return "\(time) \(InterfaceName.display(i)) \(f): \(b) -> \(a)"
        }
    }

    public func json(time: String) -> JSON {
        func state(_ s: WatchState) -> JSON { .object(WatchState.fields.map { ($0, .string(s.values[$0] ?? "")) }) }
        switch self {
        case .state(let i, let s):
            return .object([("time", .string(time)), ("interface", .string(i)), ("event", .string("state")), ("state", state(s))])
        case .added(let i, let s):
            return .object([("time", .string(time)), ("interface", .string(i)), ("event", .string("added")), ("state", state(s))])
        case .removed(let i):
            return .object([("time", .string(time)), ("interface", .string(i)), ("event", .string("removed"))])
        case .changed(let i, let f, let b, let a):
            return .object([
                ("time", .string(time)), ("interface", .string(i)), ("event", .string("changed")),
                ("what", .string(f)), ("before", .string(b)), ("after", .string(a))
            ])
        }
    }
}
