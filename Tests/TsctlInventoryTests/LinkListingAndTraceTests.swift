import Foundation
import Testing
import TsctlKernel
import TsctlModel
import TsctlNetlink
import TsctlSystem
import TsctlTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The links text `show` lists (a TSINFO dump, sysfs and RTM_GETLINK dumps filtered
/// by stacked kind) and the TSCTL_TRACE recorder, against the running kernel in a
/// network namespace of the test's own with veth, macvlan and bridge devices.
@Suite struct LinkListingAndTraceTests {
    static let devices = [
        "link add tv0 type veth peer name tv1", "link add link tv0 name tm0 type macvlan", "link add tb0 type bridge",
        "link set tv1 master tb0"
    ]

    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func textListsEveryLinkWithKindLowerAndMasterOfStackedOnes() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace(Self.devices), let inventory = try? Inventory.open() else { exit(2) }
            exit(Self.printBothReadings(inventory) ? 0 : 3)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let (printed, complete) = Self.readings(out)
        // Every link `ip link` would list, in ifindex order, each once.
        #expect(printed.map { $0.split(separator: " ")[1] } == ["lo", "tv1", "tv0", "tm0", "tb0"], "\(out)")
        #expect(complete.map { $0.split(separator: " ")[1] } == ["lo", "tv1", "tv0", "tm0", "tb0"], "\(out)")
        // The stacked ones as the full dump describes them: kind and lower device.
        let stacked = { (ls: [Substring]) in ls.filter { $0.contains("kind=macvlan") || $0.contains("kind=bridge") } }
        #expect(stacked(printed) == stacked(complete))
        #expect(
            stacked(printed).map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == [
                "tm0 kind=macvlan link=tv0 master=-", "tb0 kind=bridge link=- master=-"
            ])
        // The same ifindex for each name in both readings.
        #expect(printed.map { $0.split(separator: " ").prefix(2) } == complete.map { $0.split(separator: " ").prefix(2) })
    }

    /// A macvtap is found through its class in sysfs (every macvtap link has a tap
    /// device in /sys/class/macvtap of its namespace), and with none there its dump
    /// is not made; either way text lists what a complete reading lists.
    @Test(
        .enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"),
        .enabled(if: access("/sys/class/macvtap", F_OK) == 0, "needs the kernel's macvtap link kind (/sys/class/macvtap)"))
    func aMacvtapIsListedFromItsSysfsClass() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace(["link add tv0 type veth peer name tv1", "link add link tv0 name tt0 type macvtap"]),
                let inventory = try? Inventory.open()
            else { exit(2) }
            print("taps \((Sys.listDirectory("/sys/class/macvtap") ?? []).count)")
            exit(Self.printBothReadings(inventory) { $0.kind == "macvtap" } ? 0 : 3)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        #expect(out.split(separator: "\n").first == "taps 1", "the namespace's own sysfs lists its one tap device: \(out)")
        let (printed, complete) = Self.readings(out)
        let withoutIndex = { (ls: [Substring]) in ls.map { $0.split(separator: " ").dropFirst().joined(separator: " ") } }
        #expect(withoutIndex(printed) == ["tt0 kind=macvtap link=tv0 master=-"], "\(out)")
        #expect(withoutIndex(complete) == ["tt0 kind=macvtap link=tv0 master=-"], "\(out)")
    }

    /// Prints the links of text's reading and of the complete one that `keep` lets
    /// through, one a line ("printed|complete INDEX NAME kind=… link=… master=…", the
    /// other links named as that reading names them); false where a reading failed.
    static func printBothReadings(_ inventory: Inventory, keep: (LinkReply) -> Bool = { _ in true }) -> Bool {
        func line(_ l: LinkReply, _ all: [LinkReply]) -> String {
            let name = { (i: UInt32?) in i.flatMap { i in all.first { $0.index == i }?.name } ?? "-" }
            return "\(l.index) \(l.name) kind=\(l.kind ?? "-") link=\(name(l.link)) master=\(name(l.master))"
        }
        guard let printed = try? inventory.gather(names: nil, detail: .printed).targets,
            let complete = try? inventory.gather(names: nil, detail: .complete).targets
        else { return false }
        for l in printed where keep(l) { print("printed \(line(l, printed))") }
        for l in complete where keep(l) { print("complete \(line(l, complete))") }
        return true
    }

    /// The two readings `printBothReadings` printed, each link's line without its prefix.
    static func readings(_ out: String) -> (printed: [Substring], complete: [Substring]) {
        let lines = out.split(separator: "\n")
        return (
            lines.filter { $0.hasPrefix("printed ") }.map { $0.dropFirst(8) },
            lines.filter { $0.hasPrefix("complete ") }.map { $0.dropFirst(9) }
        )
    }

    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func aTraceReplaysToTheSnapshotTheKernelGave() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace(Self.devices) else { exit(2) }
            let path = "/tmp/tsctl-trace-\(getpid()).txt"
            defer { unlink(path) }
            setenv("TSCTL_TRACE", path, 1)
            guard let live = try? Inventory.open().snapshot(names: nil) else { exit(3) }
            unsetenv("TSCTL_TRACE")
            guard let text = Sys.readFile(path), let replay = try? KernelTrace.Replay(text),
                let again = try? replay.inventory().snapshot(names: nil)
            else { exit(4) }
            let lines = text.split(separator: "\n")
            print("sent \(lines.filter { $0.hasPrefix("> genl ") }.count) \(lines.filter { $0.hasPrefix("> route ") }.count)")
            print("received \(lines.filter { $0.hasPrefix("< genl ") }.count) \(lines.filter { $0.hasPrefix("< route ") }.count)")
            print("release \(lines.first == "# tsctl trace (TSCTL_TRACE) on Linux \(Sys.kernelRelease())")")
            print("same \(again.interfaces == live.interfaces) \(replay.deviations)")
            print("names \(again.interfaces.map(\.name).joined(separator: " "))")
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        try #require(lines.count == 5, "\(out)")
        // Datagrams both ways on both sockets, each reply read back by the replay.
        #expect(lines[0][0] == "sent" && Int(lines[0][1])! > 0 && Int(lines[0][2])! > 0, "\(out)")
        #expect(lines[1][0] == "received" && Int(lines[1][1])! >= Int(lines[0][1])! && Int(lines[1][2])! >= Int(lines[0][2])!, "\(out)")
        #expect(lines[2] == ["release", "true"], "the header names the kernel: \(out)")
        // The replay asked nothing the kernel was not asked, and assembled the same snapshot.
        #expect(lines[3] == ["same", "true", "[]"], "\(out)")
        #expect(lines[4] == ["names", "lo", "tv1", "tv0", "tm0", "tb0"])
    }

    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func everySystemReadIsRecordedAndReadBackAsAnswered() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace(["link add tv0 type veth peer name tv1"]) else { exit(2) }
            let path = "/tmp/tsctl-trace-\(getpid()).txt"
            defer { unlink(path) }
            setenv("TSCTL_TRACE", path, 1)
            guard let trace = KernelTrace.fromEnvironment() else { exit(3) }
            unsetenv("TSCTL_TRACE")
            let live = trace.recording(LiveSystem())
            // The family resolution an Inventory starts with, for the replay to start the same way.
            guard let genl = try? LibnlSocket(), (try? EthtoolClient(transport: trace.recording(genl, "genl"))) != nil else { exit(5) }
            func ask(_ s: any SystemReader) -> [String] {
                let hw: String
                switch s.hwtstampConfig("tv0") {
                case .success(let c): hw = "tx=\(c.txType)"
                case .failure(let e): hw = "errno=\(e.errno)"
                }
                return [
                    s.readLink("/sys/class/net/tv0/subsystem") ?? "-", s.realPath("/sys/class/net/tv0") ?? "-",
                    s.exists("/sys/class/net/tv1") ? "yes" : "no", s.exists("/sys/class/net/tv2") ? "yes" : "no",
                    s.listDirectory("/sys/class/net")?.sorted().joined(separator: ",") ?? "-",
                    s.listDirectory("/sys/class/net/none") == nil ? "none" : "some", s.interfaceName(1) ?? "-",
                    s.interfaceName(999) ?? "-", s.kernelRelease(), s.readFile("/sys/class/net/tv0/mtu") ?? "-", hw
                ]
            }
            let asked = ask(live)
            guard let text = Sys.readFile(path), let replay = try? KernelTrace.Replay(text), let again = try? replay.inventory() else {
                exit(4)
            }
            let answered = ask(again.system)
            for (a, b) in zip(asked, answered) { print("\(a == b) \(KernelTrace.escape(a))") }
            print("deviations \(replay.deviations.count)")
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map(String.init)
        try #require(lines.count == 12, "\(out)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("true ") }, "each answer read back as recorded: \(out)")
        #expect(lines[0] == "true ../../../../class/net", "\(out)")
        #expect(lines[1] == "true /sys/devices/virtual/net/tv0" && lines[2] == "true yes" && lines[3] == "true no", "\(out)")
        #expect(lines[4] == "true lo,tv0,tv1" && lines[5] == "true none" && lines[6] == "true lo" && lines[7] == "true -", "\(out)")
        #expect(lines[9] == "true 1500\\x0a" && lines[10] == "true errno=\(EOPNOTSUPP)", "\(out)")
        #expect(lines[11] == "deviations 0")
    }
}
