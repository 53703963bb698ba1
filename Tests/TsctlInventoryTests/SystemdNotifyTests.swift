import Foundation
import Testing
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify without libsystemd: one datagram to the socket NOTIFY_SOCKET names.
@Suite struct SystemdNotifyTests {
    /// A datagram socket bound to `address` (its first byte 0: abstract).
    func listen(_ address: [UInt8]) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in address.enumerated() { raw[i] = b } }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(bound == 0)
        return fd
    }

    func receive(_ fd: Int32) -> String? {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
        return n < 0 ? nil : String(decoding: buf.prefix(n), as: UTF8.self)
    }

    @Test func readinessReachesAPathSocket() throws {
        let path = NSTemporaryDirectory() + "tsctl-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try listen(Array(path.utf8) + [0])
        defer {
            close(fd)
            unlink(path)
        }
        #expect(SystemdNotify.send("READY=1\nSTATUS=applied", to: path))
        #expect(receive(fd) == "READY=1\nSTATUS=applied")
    }

    @Test func readinessReachesAnAbstractSocket() throws {
        let name = "tsctl-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try listen([0] + Array(name.utf8))
        defer { close(fd) }
        #expect(SystemdNotify.send("READY=1", to: "@" + name))
        #expect(receive(fd) == "READY=1")
    }

    @Test func whatNamesNoSocketIsNotSentTo() {
        #expect(!SystemdNotify.send("READY=1", to: ""))
        #expect(!SystemdNotify.send("READY=1", to: "relative/path"))
        #expect(!SystemdNotify.send("READY=1", to: "/" + String(repeating: "x", count: 200)))
        #expect(!SystemdNotify.send("READY=1", to: "/nonexistent-dir-\(getpid())/notify"))
    }
}
