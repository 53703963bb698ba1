import ArgumentParser
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlRender

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Prove which clock stamps packets: send one PTP frame and match its hardware timestamp to a provider's PHC.",
        discussion: """
            Sends a PTPv2 Sync frame (ethertype 0x88F7) with hardware transmit \
            timestamping and compares the timestamp with every provider's clock. It \
            changes no configuration: transmit timestamping must already be on (tsctl set \
            ... --tx on). Needs root (a packet socket, /dev/ptpN).
            """
    )

    @Argument(help: "Interfaces to probe.", completion: Completion.interfaces)
    var interfaces: [String]

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws { try validateInterfaceNames(interfaces) }

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        try namespace.enter()
        if json { JSONMode.command = "probe" }
        let snap: Snapshot
        do { snap = try KernelSession.open().snapshot(names: interfaces) } catch { throw TsctlFailure(error) }
        let obs = snap.interfaces.map(Prober.probe)
        let status = ProbeDocument.status(obs)
        if json {
            print(ProbeDocument.json(kernel: snap.kernel, exitStatus: status.rawValue, observations: obs).serialized())
            JSONMode.printed = true
        } else {
            print(ProbeDocument.text(obs), terminator: "")
        }
        if let refusal = ProbeDocument.refusal(obs) { throw refusal }
        if status != .ok { throw TsctlExit(status) }
    }
}
