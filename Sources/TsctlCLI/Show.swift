import ArgumentParser
import TsctlInventory
import TsctlRender
#if canImport(Glibc)
import Glibc
#endif

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each interface's timestamp providers by layer, the advertised one and the active one.",
        discussion: """
            Without names, shows every interface that has a hardware timestamp provider; \
            --all shows every interface. Reading needs no privilege.
            """
    )

    @Argument(help: "Interfaces to show.")
    var interfaces: [String] = []

    @Flag(help: "Show every interface, including those with software timestamping only.")
    var all = false

    @Flag(help: "Print one JSON document (schema_version 1; Schemas/show.schema.json).")
    var json = false

    func validate() throws {
        for n in interfaces {
            if let why = InterfaceName.problem(n) {
                throw ValidationError("invalid interface name \"\(n)\": \(why)")
            }
        }
        if all && !interfaces.isEmpty {
            throw ValidationError("--all shows every interface; give interface names or --all, not both")
        }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        var snap: Snapshot
        do {
            snap = try Inventory.open().snapshot(names: interfaces.isEmpty ? nil : interfaces)
        } catch {
            throw TsctlFailure(error)
        }
        if interfaces.isEmpty && !all {
            snap.interfaces = snap.interfaces.filter(\.hasHardwareProvider)
        }
        if json {
            fflush(nil)
            snap.writeJSON(toFileDescriptor: STDOUT_FILENO)
        } else if snap.interfaces.isEmpty {
            print("No interface has a hardware timestamp provider; `tsctl show --all` lists every interface.")
        } else {
            print(ShowText.render(snap, style: .forStdout()), terminator: "")
        }
    }
}
