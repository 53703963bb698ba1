/// `[String].joined(separator:)` without the standard library's generic
/// version. That one is not specialized for tsctl's arrays: its first call
/// looks up Array's associated types and conformances at run time, and in a
/// static image the first conformance lookup scans every conformance record
/// (about a third of `tsctl show IF`'s user-space instructions). A member of
/// the concrete type wins over the protocol extension, so every
/// `[String].joined(separator:)` in tsctl's modules takes this one.
extension Array where Element == String {
    public func joined(separator: String = "") -> String {
        var out = ""
        var first = true
        for s in self {
            if !first { out += separator }
            out += s
            first = false
        }
        return out
    }
}
