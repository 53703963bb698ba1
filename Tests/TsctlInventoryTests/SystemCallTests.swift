import Foundation
import Testing
import TsctlModel

@testable import TsctlKernel
@testable import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// The libc wrappers against this machine's kernel, read-only: loopback's
/// timestamping answers, and the errors of devices and clocks that are not
/// there (nothing is changed; a request to a missing device fails before it
/// reaches a driver). What needs a PHC runs in the QEMU test bed.
struct SystemCallTests {
    @Test func loopbackAnswersTsInfoWithoutAClock() throws {
        let info = try HwtstampIoctl.tsInfo("lo")
        #expect(info.phcIndex == -1, "lo has no PHC")
    }

    @Test func loopbackHasNoHardwareConfiguration() {
        #expect(throws: SystemError.self) { try HwtstampIoctl.getConfig("lo") }
    }

    @Test(arguments: ["tsctl-nosuch0", OSString.decode([0x74, 0xff, 0xfe])])
    func aMissingDeviceIsENODEV(name: String) {
        func expectNoDevice(_ r: Result<HwtstampIoctl.Config?, SystemError>) {
            switch r {
            case .success: Issue.record("\(name) answered")
            case .failure(let e):
                #expect(e.errno == ENODEV)
                #expect(e.failure.kind == .noSuchDevice)
            }
        }
        expectNoDevice(
            Result { () throws(SystemError) in
                _ = try HwtstampIoctl.tsInfo(name); return nil
            })
        expectNoDevice(Result { () throws(SystemError) in try HwtstampIoctl.getConfig(name) })
        expectNoDevice(Result { () throws(SystemError) in try HwtstampIoctl.setConfig(name, .init(flags: 0, txType: 1, rxFilter: 1)) })
    }

    @Test func aPHCThatIsNotThereCannotBeOpened() {
        do {
            _ = try PHCClock(index: 65_000)
            Issue.record("ptp65000 opened")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description.hasPrefix("open(/dev/ptp65000): "))
        }
        #expect(TxProbe.phcTime(65_000) == nil)
    }

    @Test func aProbeToAMissingDeviceFailsAtSend() {
        do {
            _ = try TxProbe.send(ifname: "tsctl-nosuch0", ifindex: Int32.max, timeoutMs: 10)
            Issue.record("a frame was sent")
        } catch {
            // A packet socket needs CAP_NET_RAW; as root the send finds no device.
            #expect(error.call.hasPrefix("sendto(") || error.errno == EPERM)
        }
    }

    @Test func theProbeFrameIsAPTPv2SyncFromTheMACsEUI64() {
        let mac: [UInt8] = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55]
        let m = TxProbe.ptpSync(sourcePort: mac)
        #expect(m.count == 44)
        #expect(m[0] & 0x0f == 0, "messageType Sync")
        #expect(m[1] == 2, "PTPv2")
        #expect(Array(m[20..<28]) == [0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55])
        #expect(TxProbe.macAddress("lo") == [0, 0, 0, 0, 0, 0])
        #expect(TxProbe.macAddress("tsctl-nosuch0") == [0x02, 0, 0, 0, 0, 1], "a locally administered stand-in")
        #expect(TxProbe.Stamp(seconds: 1, nanoseconds: 500_000_000).asDouble == 1.5)
    }

    @Test func interfacesAndNamesComeFromTheKernel() throws {
        let all = try Sys.interfaces()
        #expect(all.contains { $0.name == "lo" })
        #expect(all.map(\.index) == all.map(\.index).sorted())
        let lo = all.first { $0.name == "lo" }!
        #expect(Sys.interfaceName(lo.index) == "lo")
        #expect(Sys.interfaceName(UInt32(Int32.max)) == nil)
    }

    @Test func filesLinksAndDirectories() {
        #expect(Sys.readAttr("/proc/sys/kernel/ostype") == "Linux")
        #expect(Sys.readInt("/proc/sys/kernel/ostype") == nil)
        #expect(Sys.readFile("/nonexistent/file") == nil)
        #expect(Sys.readLink("/proc/self/exe") != nil)
        #expect(Sys.readLink("/nonexistent") == nil)
        #expect(Sys.realPath("/proc/../proc") == "/proc")
        #expect(Sys.realPath("/nonexistent") == nil)
        #expect(Sys.listDirectory("/sys/class/net")?.contains("lo") == true)
        #expect(Sys.listDirectory("/nonexistent") == nil)
        #expect(Sys.exists("/proc/self") && !Sys.exists("/nonexistent"))
        #expect(Sys.baseName("/a/b/c") == "c")
        #expect(!Sys.kernelRelease().isEmpty)
    }

    @Test func aNamespaceThatIsNotThereOrNotANamespaceIsRefused() throws {
        do {
            try Sys.enterNetworkNamespace("tsctl-no-such-namespace")
            Issue.record("entered")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.call == "open(/run/netns/tsctl-no-such-namespace)")
        }
        do {
            try Sys.enterNetworkNamespace("/proc/self/status")  // a file, not a namespace
            Issue.record("entered")
        } catch {
            #expect(error.errno == EINVAL)
            #expect(error.call.hasPrefix("setns(/proc/self/status"))
        }
    }

    @Test func signalNames() {
        #expect(Signals.name(SIGINT) == "SIGINT")
        #expect(Signals.name(SIGTERM) == "SIGTERM")
        #expect(Signals.name(SIGHUP) == "SIGHUP")
        #expect(Signals.name(SIGUSR1) == "signal \(SIGUSR1)")
    }

    @Test func aFileOnlyItsOwnerCanReadIsRefusedForAnotherUser() throws {
        let path = NSTemporaryDirectory() + "tsctl-private-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        chmod(path, 0o600)
        #expect(Sys.readRegularFile(path, limit: 10, readableBy: getuid() &+ 1) == .failure(.notReadableBy(uid: getuid() &+ 1)))
        #expect(FileReadError.notReadableBy(uid: 7).description == "the daemon's user (uid 7) could not read it itself")
        chmod(path, 0o604)
        #expect((try? Sys.readRegularFile(path, limit: 10, readableBy: getuid() &+ 1).get()) == [0x78])
        #expect(FileReadError.tooLarge(limit: 16 << 20).description == "it is larger than the limit of 16 MiB")
        #expect(FileReadError.tooLarge(limit: 4096).description == "it is larger than the limit of 4 KiB")
        #expect(FileReadError.tooLarge(limit: 100).description == "it is larger than the limit of 100 bytes")
    }

    @Test func theRunningTestHasTheCapabilityItRunsWith() {
        // CapEff bit 12 of this very process: root in CI, not as a user.
        #expect(Sys.hasNetAdmin() == (getuid() == 0))
    }
}

/// The PHC wrapper and the probe's error-queue reader against devices that are
/// not what they expect: a character device that is not a PTP clock, and a
/// socket whose transmit timestamps are software ones.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root to make /dev/ptpN (CI runs as root)"))
struct NotAClockTests {
    /// /dev/ptpN as a link to /dev/null for the test's duration.
    static func withFakeDevice(_ body: (Int) throws -> Void) throws {
        let index = 65_000 + Int(getpid() % 500)
        let path = "/dev/ptp\(index)"
        guard symlink("/dev/null", path) == 0 else {
            Issue.record("cannot make \(path): \(String(cString: strerror(errno)))")
            return
        }
        defer { unlink(path) }
        try body(index)
    }

    @Test func aDeviceThatIsNotAPTPClockAnswersWithErrorsNotNumbers() throws {
        try Self.withFakeDevice { index in
            let clock = try PHCClock(index: index)
            #expect(clock.index == index)
            #expect(throws: SystemError.self) { try clock.now() }
            #expect(throws: SystemError.self) { try clock.frequencyPPB() }
            do throws(SystemError) {
                _ = try clock.offsetToRealtime()
                Issue.record("an offset from /dev/null")
            } catch {
                // PRECISE and EXTENDED are not there (ENOTTY): the basic ioctl is tried last.
                #expect(error.errno == ENOTTY)
                #expect(error.call.contains("PTP_SYS_OFFSET)"))
            }
            #expect(TxProbe.phcTime(index) == nil)
        }
    }

    @Test func theClockHealthOfSuchADeviceSaysWhyNot() throws {
        try Self.withFakeDevice { index in
            var itfs = [InterfaceSnapshot(name: "eth0", ifindex: 2, active: .unavailable(.error))]
            itfs[0].phcs = [PHC(index: index, present: true)]
            Inventory.attachClockHealth(&itfs, gapNs: 1_000_000)
            let h = try #require(itfs[0].phcs[0].health)
            #expect(h.offsetToRealtimeNs == nil && h.errno == Int(ENOTTY))
            #expect(h.frequencyPPB == nil && h.advances == nil)
        }
    }

    @Test func aSoftwareTransmitTimestampIsNotTakenForAHardwareOne() throws {
        let rx = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0), tx = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer {
            close(rx)
            close(tx)
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                _ = bind(rx, p, len)
                _ = getsockname(rx, p, &len)
            }
        }
        var flags: UInt32 = 0x2 | 0x10  // SOF_TIMESTAMPING_TX_SOFTWARE | SOFTWARE
        #expect(setsockopt(tx, SOL_SOCKET, TxProbe.SO_TIMESTAMPING, &flags, socklen_t(MemoryLayout<UInt32>.size)) == 0)
        let sent = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(tx, "x", 1, 0, $0, len) }
        }
        #expect(sent == 1)
        var p = pollfd(fd: tx, events: Int16(POLLERR), revents: 0)
        #expect(poll(&p, 1, 1000) == 1, "the software transmit timestamp is on the error queue")
        #expect(TxProbe.readErrorQueue(tx) == nil, "its raw hardware stamp is zero")
        #expect(TxProbe.readErrorQueue(tx) == nil, "and the queue is empty after it")
    }
}

/// The second thread of `show --all` (text) and of `check` starts on another CPU
/// than its creator's: started beside it, it would take turns with it there.
@Suite struct SideThreadPlacementTests {
    /// What the started thread saw: its allowed CPUs as a bit mask (first 64).
    nonisolated(unsafe) static var seen: UInt64 = 0

    @Test(.enabled(if: sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2, "needs two CPUs to have another one to start on"))
    func theThreadMayNotRunOnItsCreatorsCPU() throws {
        let creator = SideThreadStart.currentCPU()
        try #require(creator >= 0 && creator < 64)
        let others = try #require(SideThreadStart.otherCPUs(), "this thread may run on more than one CPU")
        let started = SideThreadStart.start(
            { _ in
                SideThreadPlacementTests.seen = SideThreadStart.allowedCPUs().map(SideThreadStart.mask) ?? 0
                return nil
            }, UnsafeMutableRawPointer(bitPattern: 1)!)
        let t = try #require(started)
        pthread_join(pthread_t(t), nil)
        #expect(Self.seen & (1 << UInt64(creator)) == 0, "CPU \(creator) is the creator's")
        #expect(Self.seen == SideThreadStart.mask(others))
        #expect(Self.seen != 0)
    }

    /// `check`'s /proc walk yields to the threads of the kernel reads: its own thread
    /// runs at nice 19, and the thread that started it keeps its priority.
    @Test func theWalkYieldsOnItsOwnThreadOnly() throws {
        let before = SideThreadStart.niceness()
        let walk = try #require(SideThread.yielding(SideThreadStart.niceness), "a thread can be started here")
        #expect(walk.join() == 19)
        #expect(SideThreadStart.niceness() == before)
    }
}
