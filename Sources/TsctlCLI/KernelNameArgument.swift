public import ArgumentParser
public import TsctlModel

/// A tx type, rx filter or flag from argv: a name the model's one table knows
/// (anything else is refused before a command runs), and the list --help and
/// completion show.
extension KernelValue: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { Table.names }
}
