import Foundation
import Testing
import TsctlKernel
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// `tsctl probe` on a loopback of its own, and the live system reader against what
/// the system says directly.
@Suite struct ProbeAndLiveSystemTests {
    @Test(.enabled(if: getuid() == 0, "needs root for a network namespace and a packet socket (CI runs as root)"))
    func aProbeSaysWhyNoTimestampCameBack() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            guard privateNamespace([]) else { exit(2) }
            let lo = InterfaceSnapshot(name: "lo", ifindex: 1, active: ActiveConfig())
            // Down: the frame cannot be sent.
            let down = Prober.probe(lo)
            print("down \(down.permissionDenied) \(down.timestampNanoseconds == nil) \(down.verdict)")
            guard ip("link set lo up") == 0 else { exit(3) }
            // Up: sent, but loopback has no clock to stamp it with.
            let up = Prober.probe(lo)
            print("up \(up.permissionDenied) \(up.timestampNanoseconds == nil) \(up.clocks.isEmpty) \(up.verdict)")
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(out)")
        #expect(lines[0].hasPrefix("down false true could not send a probe frame: sendto(lo): "), "\(lines[0])")
        #expect(lines[0].hasSuffix("Network is down (errno \(ENETDOWN))"), "\(lines[0])")
        #expect(
            lines[1]
                == "up false true true no hardware transmit timestamp came back (transmit timestamping is off, or the driver does not stamp)"
        )
    }

    @Test func theLiveReaderAnswersAsTheSystemDoes() throws {
        let live = LiveSystem()
        #expect(live.interfaceName(1) == "lo")
        #expect(live.interfaceName(UInt32(Int32.max)) == nil)
        #expect(live.readInt("/sys/class/net/lo/ifindex") == 1)
        #expect(live.readAttr("/sys/class/net/lo/address") == "00:00:00:00:00:00")
        #expect(live.readFile("/nonexistent/tsctl") == nil)
        #expect(live.exists("/sys/class/net/lo") && !live.exists("/sys/class/net/tsctl-none"))
        #expect(live.listDirectory("/sys/class/net")?.contains("lo") == true)
        #expect(live.readLink("/proc/self/exe") == Sys.readLink("/proc/self/exe"))
        #expect(live.readLink("/proc/self/exe")?.hasPrefix("/") == true)
        #expect(live.realPath("/proc/self/../self/exe") == live.readLink("/proc/self/exe"))
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(live.kernelRelease() == release)
        // Loopback has no hardware timestamping configuration to report.
        switch live.hwtstampConfig("lo") {
        case .success(let c): Issue.record("SIOCGHWTSTAMP on lo answered \(c)")
        case .failure(let e): #expect(e.errno == EOPNOTSUPP && e.call.contains("SIOCGHWTSTAMP"), "\(e)")
        }
    }
}
