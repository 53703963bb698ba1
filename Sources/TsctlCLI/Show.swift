import ArgumentParser
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlRender

#if canImport(Glibc)
import Glibc
import TsctlSystem
#endif

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each interface's timestamp providers by layer, the advertised one and the active one.",
        discussion: """
            Without names, shows every interface that has a hardware timestamp provider; \
            --all shows every interface. Reading needs no privilege.
            """
    )

    @Argument(help: "Interfaces to show.", completion: Completion.interfaces)
    var interfaces: [String] = []

    @Flag(help: "Show every interface, including those with software timestamping only.")
    var all = false

    @Flag(help: "Print one JSON document (schema_version 1; Schemas/show.schema.json).")
    var json = false

    @Flag(
        help:
            "Also read each PTP clock (/dev/ptpN, usually root only): offset to CLOCK_REALTIME and to the interface's other clocks, frequency adjustment, whether it advances."
    )
    var clocks = false

    func validate() throws {
        if let problem = FastPath.Show.problem(interfaces: interfaces, all: all) { throw ValidationError(problem) }
    }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        try Self.show(interfaces: interfaces, all: all, json: json, clocks: clocks)
    }

    static func show(interfaces: [String], all: Bool, json: Bool, clocks: Bool = false) throws {
        if interfaces.isEmpty && !json && !clocks { return try showText(all: all) }
        if interfaces.isEmpty && json && !clocks { return try showJSON(all: all) }
        var snap: Snapshot
        do {
            // Text asks the kernel only for what it prints; JSON holds every field.
            snap = try KernelSession.open().snapshot(names: interfaces.isEmpty ? nil : interfaces, detail: json ? .complete : .printed)
        } catch {
            throw TsctlFailure(error)
        }
        if interfaces.isEmpty && !all {
            snap.interfaces = snap.interfaces.filter(\.hasHardwareProvider)
        }
        if clocks { Inventory.attachClockHealth(&snap.interfaces) }
        if json {
            try Sys.writeStandardOutput(snap.writeJSON)
        } else if snap.interfaces.isEmpty {
            print("No interface has a hardware timestamp provider; `tsctl show --all` lists every interface.")
        } else {
            // A few interfaces at a time: the whole text of ten thousand interfaces
            // held as one string was 3 MB more at its peak.
            ShowText.write(snap.interfaces, kernel: snap.kernel, style: TextStyle.forStdout(), to: Sys.printBytes)
        }
    }

    /// Interfaces assembled and written at a time by `showText` and `showJSON`.
    static let chunk = 256

    /// Text of every interface (or of those with a hardware provider), written a
    /// chunk of interfaces at a time as they are assembled: at ten thousand
    /// interfaces the whole snapshot held at once took a third of the memory.
    static func showText(all: Bool) throws {
        var w = ShowText.Writer(style: TextStyle.forStdout(), to: Sys.printBytes)
        do {
            _ = try KernelSession.open().snapshot(names: nil, detail: .printed, chunk: chunk) { part, kernel in
                // By position: each interface copied out of the part cost as much as its assembly's copy.
                for i in part.indices where all || part[i].hasHardwareProvider { w.add(part[i], kernel: kernel) }
            }
        } catch {
            throw TsctlFailure(error)
        }
        w.finish()
        if w.count == 0 {
            print("No interface has a hardware timestamp provider; `tsctl show --all` lists every interface.")
        }
    }

    /// The JSON document of every interface (or of those with a hardware provider),
    /// written a chunk of interfaces at a time as they are assembled, as text is:
    /// the same bytes as the whole snapshot's, without holding it. The kernel part
    /// heads the document, so the assembly finds it first (and any error: nothing
    /// is written then).
    static func showJSON(all: Bool) throws {
        var failure: KernelFailure?
        try Sys.writeStandardOutput { out in
            withoutActuallyEscaping(out) { out in
                var stream = SnapshotJSONStream(output: out)
                do throws(KernelFailure) {
                    let kernel = try KernelSession.open().snapshot(names: nil, detail: .complete, chunk: chunk, kernelFirst: true) {
                        part, kernel in stream.add(all ? part : part.filter(\.hasHardwareProvider), kernel: kernel)
                    }
                    stream.finish(kernel: kernel)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw TsctlFailure(failure) }
    }

    /// `show [--all] [--json] [--clocks] [IF...]` without ArgumentParser (FastPath.show).
    static func fastPath(_ args: ArraySlice<String>) -> (() throws -> Void)? {
        guard let s = FastPath.show(args) else { return nil }
        return { try show(interfaces: s.interfaces, all: s.all, json: s.json, clocks: s.clocks) }
    }
}
