import Foundation
import Testing
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// `--output PATH` as users point it: a new or existing report file, a
/// directory, devices, FIFOs and links, and the failures a real file system
/// gives (a missing directory, a full device, a reader that is not there).
@Suite struct OutputFileTests {
    /// A fresh private directory, removed with everything in it afterwards.
    static func inTemporaryDirectory(_ body: (String) throws -> Void) throws {
        var template = Array((NSTemporaryDirectory() + "tsctl-output-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let dir = String(cString: try #require(made))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func contents(_ path: String) -> String? {
        (try? Sys.readRegularFile(path, limit: 1 << 20).get()).map { String(decoding: $0, as: UTF8.self) }
    }

    static func fileID(_ path: String) -> (dev: UInt64, ino: UInt64)? {
        var st = stat()
        return lstat(path, &st) == 0 ? (UInt64(st.st_dev), UInt64(st.st_ino)) : nil
    }

    static func problem(_ body: () throws(Sys.OutputError) -> Void) -> Sys.OutputError? {
        do throws(Sys.OutputError) {
            try body()
            return nil
        } catch { return error }
    }

    /// The umask of this process, as the kernel reports it (reading it with
    /// umask(2) would change it for every other test running meanwhile).
    static func umaskOfThisProcess() -> UInt32? {
        let status = Sys.readFile("/proc/self/status") ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("Umask:") {
            return UInt32(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        return nil
    }

    @Test func aNewReportFileIsCreatedWithThePlainCreateMode() throws {
        try Self.inTemporaryDirectory { dir throws in
            let path = dir + "/report.json"
            #expect(try Sys.writeOutput("{\"a\": 1}\n", to: path) == .replaced)
            #expect(Self.contents(path) == "{\"a\": 1}\n")
            var st = stat()
            #expect(stat(path, &st) == 0)
            if let mask = Self.umaskOfThisProcess() {
                #expect(st.st_mode & 0o777 == 0o666 & ~mask, "readable by a collector of another user, as a shell's > makes it")
            }
            #expect(Sys.listDirectory(dir) == ["report.json"], "no temporary file is left behind")
        }
    }

    @Test func anExistingReportIsReplacedAsAWholeByRename() throws {
        try Self.inTemporaryDirectory { dir throws in
            let path = dir + "/metrics.prom"
            try String(repeating: "old line\n", count: 1000).write(toFile: path, atomically: false, encoding: .utf8)
            let before = try #require(Self.fileID(path))
            #expect(try Sys.writeOutput("new\n", to: path) == .replaced)
            #expect(Self.contents(path) == "new\n")
            let after = try #require(Self.fileID(path))
            #expect(after.ino != before.ino, "a reader holding the old file keeps the old report whole")
            #expect(Sys.listDirectory(dir) == ["metrics.prom"])
        }
    }

    @Test func aDirectoryIsRefusedAndLeftAlone() throws {
        try Self.inTemporaryDirectory { dir throws in
            let e = try #require(Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("x", to: dir) })
            #expect(e.description == "it is a directory; name a file in it")
            #expect(e.unchanged)
            #expect(Sys.listDirectory(dir) == [])
        }
    }

    @Test func aReportThatCannotBeWrittenSaysWhyAndWhatIsLeft() throws {
        try Self.inTemporaryDirectory { dir throws in
            do {
                try Sys.writeReport("x", to: dir)
                Issue.record("a directory was written to")
            } catch let error as TsctlFailure {
                #expect(error.status == .kernelError)
                #expect(
                    error.message == "cannot write the report to \(dir): it is a directory; name a file in it; the file was not changed")
            }
            try Sys.writeReport("report\n", to: dir + "/r.txt")
            #expect(Self.contents(dir + "/r.txt") == "report\n")
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to make a block device node (CI runs as root)"))
    func aBlockDeviceIsRefused() throws {
        try Self.inTemporaryDirectory { dir throws in
            let path = dir + "/disk"
            // A node for loop device 7:250: only its kind is looked at, nothing is opened.
            try #require(mknod(path, S_IFBLK | 0o600, (7 << 8) | 250) == 0)
            let e = try #require(Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("x", to: path) })
            #expect(e.description == "it is a block device; name a regular file")
            #expect(e.unchanged)
        }
    }

    @Test func devNullIsWrittenInPlaceAndDevFullFailsWithENOSPC() {
        #expect((try? Sys.writeOutput("discarded\n", to: "/dev/null")) == .inPlace)
        #expect(Sys.exists("/dev/null"), "a device is never renamed over")
        let e = Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("lost\n", to: "/dev/full") }
        #expect(e?.description == "write: \(Errno.text(ENOSPC))")
        #expect(e?.unchanged == true, "nothing reached it")
    }

    @Test func aFIFONobodyReadsIsRefusedNotWaitedOn() throws {
        try Self.inTemporaryDirectory { dir throws in
            let path = dir + "/fifo"
            try #require(mkfifo(path, 0o600) == 0)
            let e = try #require(Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("x", to: path) })
            #expect(e.description == "open: it is a FIFO no process reads (ENXIO)")
            #expect(e.unchanged)
        }
    }

    @Test func aFIFOWithAReaderGetsTheWholeReport() throws {
        try Self.inTemporaryDirectory { dir throws in
            let path = dir + "/fifo"
            try #require(mkfifo(path, 0o600) == 0)
            let reader = open(path, O_RDONLY | O_NONBLOCK)
            try #require(reader >= 0)
            defer { close(reader) }
            let report = "tsctl_up 1\n"
            #expect(try Sys.writeOutput(report, to: path) == .inPlace)
            var buf = [UInt8](repeating: 0, count: 64)
            let n = read(reader, &buf, buf.count)
            #expect(n == report.utf8.count)
            #expect(String(decoding: buf.prefix(max(n, 0)), as: UTF8.self) == report)
        }
    }

    @Test func aLinkToARegularFileIsFollowedAndTheFileTruncated() throws {
        try Self.inTemporaryDirectory { dir throws in
            let target = dir + "/real.txt", link = dir + "/link.txt"
            try String(repeating: "much longer old content\n", count: 50).write(toFile: target, atomically: false, encoding: .utf8)
            try #require(symlink(target, link) == 0)
            #expect(try Sys.writeOutput("short\n", to: link) == .inPlace)
            #expect(Sys.readLink(link) == target, "the link is not replaced")
            #expect(Self.contents(target) == "short\n", "truncated first, as a shell's > does")
        }
    }

    @Test func aPathThroughAFileOrAMissingDirectoryNamesItsCall() throws {
        let through = Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("x", to: "/dev/null/report") }
        #expect(through?.description == "lstat: \(Errno.text(ENOTDIR))")
        #expect(through?.unchanged == true)
        try Self.inTemporaryDirectory { dir throws in
            let missing = Self.problem { () throws(Sys.OutputError) in try Sys.writeOutput("x", to: dir + "/no/report") }
            #expect(missing?.description == "mkstemp(\(dir)/no/.report.tmp.XXXXXX): \(Errno.text(ENOENT))")
            #expect(missing?.unchanged == true)
        }
    }

    @Test func anAtomicWriteNeedsAFileNameAndCannotReplaceADirectory() throws {
        for path in ["/tmp/", "/tmp/.", "/tmp/..", ""] {
            #expect(throws: SystemError("open(\(path))", EISDIR)) { try Sys.writeAtomically("x", to: path) }
        }
        try Self.inTemporaryDirectory { dir throws in
            let sub = dir + "/sub"
            try #require(mkdir(sub, 0o700) == 0)
            try "keep".write(toFile: sub + "/inside", atomically: false, encoding: .utf8)
            do throws(SystemError) {
                try Sys.writeAtomically("x", to: sub)
                Issue.record("a directory was replaced")
            } catch {
                #expect(error.errno == EISDIR)
                #expect(error.call.hasPrefix("rename(\(dir)/.sub.tmp."))
            }
            #expect(Sys.listDirectory(dir) == ["sub"], "the temporary file is removed")
            #expect(Self.contents(sub + "/inside") == "keep")
        }
    }
}
