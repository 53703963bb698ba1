import Foundation
import Testing
import TsctlModel
import TsctlTestSupport

@testable import TsctlNetlink

#if canImport(Glibc)
import Glibc
#endif

/// The libnl transport against this machine's kernel: real sockets, real
/// replies, read-only (a change is only sent to a device that is not there,
/// which the kernel refuses before any driver sees it). What changes a link
/// (loopback coming up) runs in a child process in a network namespace of
/// its own.
@Suite struct KernelSocketTests {
    @Test func theEthtoolFamilyIsResolvedAndLoopbackAnswers() throws {
        let client = try EthtoolClient.open()
        #expect(client.family.name == "ethtool" && client.family.id != 0)
        #expect(client.hasTsinfo, "every kernel tsctl supports has TSINFO_GET (5.7)")
        let lo = try client.tsinfoDump(.name("lo"))
        #expect(lo.map(\.device) == [DeviceRef(ifindex: if_nametoindex("lo"), name: "lo")])
        #expect(lo.first?.phcIndex == nil, "loopback has no PHC")
        #expect(lo.first?.timestamping?.names.contains("software-receive") == true)
        // The same by index, as every request after the first goes.
        #expect(try client.tsinfoDump(.index(if_nametoindex("lo"))).map(\.device.name) == ["lo"])
    }

    @Test func aDeviceThatIsNotThereIsNoSuchDeviceWithTheKernelsReason() throws {
        let client = try EthtoolClient.open()
        do {
            _ = try client.tsinfoDump(.name("tsctl-nosuch0"))
            Issue.record("a missing device answered")
        } catch {
            #expect(error.isNoDevice && error.errno == ENODEV)
            #expect(!error.isPermission && !error.isNotSupported)
            #expect(error.description.hasPrefix("TSINFO_GET tsctl-nosuch0: \(Errno.text(ENODEV))"))
        }
        guard client.hasTsconfig else { return }  // 6.14+
        do {
            _ = try client.setTsconfig(.name("tsctl-nosuch0"), TsconfigChange(txType: 1, rxFilter: 1))
            Issue.record("a change to a missing device was accepted")
        } catch {
            // As root the device is looked up and missing; as a user the permission check comes first.
            #expect(error.isNoDevice || (getuid() != 0 && error.isPermission), "\(error)")
            #expect(error.description.hasPrefix("TSCONFIG_SET tsctl-nosuch0: "))
        }
        switch client.decodeTsconfig(client.batch([client.tsconfigRequest(.name("lo"))])[0]) {
        case .success: Issue.record("loopback has no hardware timestamping configuration")
        case .failure(let e): #expect(e.isNotSupported, "\(e)")
        }
    }

    @Test func linkStatesOfThisNamespaceIncludeLoopbackUp() throws {
        let rtnl = try RtnlClient.open()
        let states = try rtnl.linkStates()
        #expect(states.map(\.index) == states.map(\.index).sorted())
        let lo = try #require(states.first { $0.name == "lo" })
        #expect(lo.index == if_nametoindex("lo"))
        #expect(lo.isUp && lo.summary == "up")
        #expect(try rtnl.links().map(\.name) == states.map(\.name), "the snapshot's dump lists the same links")
    }

    @Test(.enabled(if: getuid() == 0, "needs root for a network namespace (CI runs as root)"))
    func aLinkComingUpIsSeenByTheMonitorAndItsState() async {
        await #expect(processExitsWith: .exitCode(0)) {
            if unshare(0x4000_0000) != 0 { exit(2) }  // CLONE_NEWNET: loopback down, nothing else
            guard let rtnl = try? RtnlClient.open(), let before = try? rtnl.linkStates() else { exit(3) }
            if before.map(\.name) != ["lo"] || before[0].isUp || before[0].summary != "down" { exit(4) }
            guard let monitor = try? RtnlClient.LinkMonitor() else { exit(5) }
            if (try? monitor.next(timeoutMilliseconds: 50)) != .some(nil) { exit(6) }  // nothing happened yet
            if !loopbackUp() { exit(7) }
            guard let up = try? monitor.next(timeoutMilliseconds: 2000) else { exit(8) }
            if up != ["lo"] { exit(9) }
            guard let after = try? rtnl.linkStates(), after.count == 1, after[0].isUp else { exit(10) }
            // Loopback has a carrier as soon as it is up; its operstate is UNKNOWN (0).
            exit(after[0].summary == "up" && after[0].operstate == 0 ? 0 : 11)
        }
    }

    @Test func aTraceFileGetsEveryDatagramAsHex() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardErrorContent]) {
            let path = "/tmp/tsctl-netlink-trace-\(getpid())"
            unlink(path)
            setenv("TSCTL_NETLINK_TRACE", path, 1)
            func traceOneDump() -> Int32 {
                do {
                    let client = try EthtoolClient.open()
                    _ = try client.tsinfoDump(.name("lo"))
                } catch { return 2 }
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 3 }
                let lines = text.split(separator: "\n")
                // GETFAMILY out, its reply in, the dump out, its replies in.
                guard lines.count >= 4, lines[0].hasPrefix("> "), lines[1].hasPrefix("< ") else { return 4 }
                let hex = lines[0].dropFirst(2)
                guard hex.count % 2 == 0, let first = UInt8(hex.prefix(2), radix: 16) else { return 5 }
                // The first request's nlmsg_len (little endian) is its length in bytes.
                return Int(first) == hex.count / 2 ? 0 : 6
            }
            let code = traceOneDump()
            unlink(path)  // exit() runs no defer
            exit(code)
        }
        let stderr = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(!stderr.contains("tsctl:"), "a regular file is traced to without a word: \(stderr)")
    }

    @Test func aTraceVariableNamingALinkAFIFOOrADeviceTurnsTracingOffWithOneLine() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardErrorContent]) {
            let dir = "/tmp/tsctl-trace-refused-\(getpid())"
            mkdir(dir, 0o700)
            symlink("/dev/null", dir + "/link")
            mkfifo(dir + "/fifo", 0o600)
            setenv("TSCTL_TRACE_AT_LINK", dir + "/link", 1)
            setenv("TSCTL_TRACE_AT_FIFO", dir + "/fifo", 1)
            setenv("TSCTL_TRACE_AT_DEVICE", "/dev/null", 1)
            setenv("TSCTL_TRACE_EMPTY", "", 1)
            setenv("TSCTL_TRACE_IN_MISSING_DIR", dir + "/none/trace", 1)
            unsetenv("TSCTL_TRACE_UNSET")
            let opened = ["LINK", "FIFO", "DEVICE"].map { TraceFile.open(variable: "TSCTL_TRACE_AT_\($0)") }
            let quiet = ["TSCTL_TRACE_EMPTY", "TSCTL_TRACE_UNSET"].map { TraceFile.open(variable: $0) }
            let missing = TraceFile.open(variable: "TSCTL_TRACE_IN_MISSING_DIR")
            // exit() runs no defer: the files are removed first.
            unlink(dir + "/link")
            unlink(dir + "/fifo")
            rmdir(dir)
            exit(opened.allSatisfy { $0 == nil } && quiet.allSatisfy { $0 == nil } && missing == nil ? 0 : 2)
        }
        let lines = String(decoding: try #require(result).standardErrorContent, as: UTF8.self).split(separator: "\n")
            .map(String.init).filter { $0.hasPrefix("tsctl: ") }
        #expect(lines.count == 4, "\(lines)")
        guard lines.count == 4 else { return }
        #expect(lines[0].hasPrefix("tsctl: TSCTL_TRACE_AT_LINK=/tmp/tsctl-trace-refused-"))
        #expect(lines[0].hasSuffix("/link: it is a symbolic link; name a regular file. Tracing is off."))
        // A FIFO nobody reads is refused at open (ENXIO) instead of hanging every command.
        #expect(lines[1].hasSuffix("/fifo: \(Errno.text(ENXIO)); name a regular file. Tracing is off."))
        #expect(lines[2] == "tsctl: TSCTL_TRACE_AT_DEVICE=/dev/null: it is not a regular file; name a regular file. Tracing is off.")
        #expect(lines[3].hasSuffix("/none/trace: \(Errno.text(ENOENT)); name a regular file. Tracing is off."))
    }
}
