import Foundation
import Testing
import TsctlSystem

@testable import TsctlKernel
@testable import TsctlModel

/// Which processes named like PTP daemons tsctl believes: anyone can name a
/// process ptp4l and give it any argv, so only who runs it and what binary it
/// runs count, and the files its argv names are opened only when regular.
@Suite struct PTPDaemonTrustTests {
    static let rootDirs = [
        FileOwnership(path: "/", owner: 0, mode: 0o40755),
        FileOwnership(path: "/usr", owner: 0, mode: 0o40755),
        FileOwnership(path: "/usr/sbin", owner: 0, mode: 0o40755)
    ]

    func genuine(_ uids: [UInt32] = [0, 0, 0, 0]) -> ProcessInfoRecord {
        ProcessInfoRecord(
            pid: 10, comm: "ptp4l", argv: ["ptp4l", "-i", "eth0"], uids: uids, exePath: "/usr/sbin/ptp4l",
            exeOwner: 0, exeMode: 0o100755, exeDirectories: Self.rootDirs, openPHCs: [])
    }

    /// A ptp4l in another network namespace (a container's) names that
    /// namespace's interfaces: its eth0 is not this one's. Its clocks are global.
    @Test func aDaemonInAnotherNetworkNamespaceUsesOnlyItsClocksHere() {
        let here = FileID(device: 4, inode: 4_026_531_840)
        var p = genuine()
        p.argv = ["ptp4l", "-i", "eth0", "-p", "/dev/ptp1"]
        p.openPHCs = [1]
        p.netns = here
        #expect(PTPDaemons.interpret(p, configs: [:], netns: here)?.interfaces == ["eth0"])
        p.netns = FileID(device: 4, inode: 4_026_532_999)
        let other = PTPDaemons.interpret(p, configs: [:], netns: here)
        #expect(other?.interfaces == [])
        #expect(other?.namedPHCs == [1] && other?.openPHCs == [1])
        // Its namespace unreadable (not root): taken as this one, as before.
        p.netns = nil
        #expect(PTPDaemons.interpret(p, configs: [:], netns: here)?.interfaces == ["eth0"])
    }

    @Test func rootRunningTheRootOwnedBinaryIsBelieved() {
        #expect(PTPDaemons.distrust(genuine()) == nil)
        // chronyd drops to its system account (_chrony) after start.
        var chronyd = genuine([118, 118, 118, 118])
        chronyd.comm = "chronyd"
        chronyd.exePath = "/usr/sbin/chronyd"
        #expect(PTPDaemons.distrust(chronyd) == nil)
    }

    @Test func aRegularUsersProcessIsIgnoredWhateverItRuns() {
        #expect(PTPDaemons.distrust(genuine([1000, 1000, 1000, 1000]))?.contains("uid 1000, a regular user") == true)
        #expect(PTPDaemons.distrust(genuine([65534, 65534, 65534, 65534]))?.contains("uid 65534") == true)
        // Any of the uids: a set-uid-root program keeps the caller's real uid.
        #expect(PTPDaemons.distrust(genuine([1000, 0, 0, 0])) != nil)
    }

    @Test func aRenamedProgramIsIgnored() {
        var p = genuine()
        p.exePath = "/usr/bin/python3.11"
        #expect(PTPDaemons.distrust(p) == "its executable is /usr/bin/python3.11, not a ptp4l binary")
    }

    @Test func anExecutableNotOwnedOrNotOnlyWritableByRootIsIgnored() {
        var p = genuine()
        p.exeOwner = 1000
        #expect(PTPDaemons.distrust(p)?.contains("owned by uid 1000") == true)
        p = genuine()
        p.exeMode = 0o100777
        #expect(PTPDaemons.distrust(p)?.contains("writable by others than root") == true)
        p = genuine()
        p.exeOwner = nil
        #expect(PTPDaemons.distrust(p)?.contains("cannot be examined") == true)
    }

    @Test func aRootBinaryLinkedIntoAUsersOrAWorldWritableDirectoryIsIgnored() {
        var p = genuine()
        p.exePath = "/home/mallory/ptp4l"
        p.exeDirectories = [
            Self.rootDirs[0], FileOwnership(path: "/home", owner: 0, mode: 0o40755),
            FileOwnership(path: "/home/mallory", owner: 1000, mode: 0o40755)
        ]
        #expect(PTPDaemons.distrust(p)?.contains("in /home/mallory, which uid 1000 owns") == true)
        p.exePath = "/tmp/ptp4l"
        p.exeDirectories = [Self.rootDirs[0], FileOwnership(path: "/tmp", owner: 0, mode: 0o41777)]
        #expect(PTPDaemons.distrust(p)?.contains("in /tmp, which others than root can write to") == true)
        p.exeDirectories = nil
        #expect(PTPDaemons.distrust(p) != nil)
    }

    @Test func anUnreadableExecutableIsBelievedOnlyForRootsOwnProcess() {
        // Without root, another user's exe link cannot be read; a process whose
        // uids are all root's cannot have been renamed by a user.
        var p = genuine()
        p.exePath = nil
        #expect(PTPDaemons.distrust(p) == nil)
        p.uids = [118, 118, 118, 118]
        #expect(PTPDaemons.distrust(p)?.contains("run as root") == true)
    }
}

/// The same decision on /proc-like trees built in a temporary directory: what
/// the scan reads (status, exe, root, cmdline) and which config files it opens.
@Suite struct PTPDaemonScanTests {
    let dir: String
    init() throws {
        dir =
            FileManager.default.temporaryDirectory.appendingPathComponent("tsctl-proc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// A process entry: /usr/bin/true stands for a daemon binary (root-owned
    /// in root-owned directories on any Debian system).
    func process(_ pid: Int, comm: String, argv: [String], uid: UInt32 = 0, exe: String = "/usr/bin/true") throws {
        let p = "\(dir)/\(pid)"
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        try (comm + "\n").write(toFile: "\(p)/comm", atomically: false, encoding: .utf8)
        try Data(argv.map { Array($0.utf8) + [0] }.joined()).write(to: URL(fileURLWithPath: "\(p)/cmdline"))
        try "Name:\t\(comm)\nUid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)\nGid:\t0\t0\t0\t0\n".write(
            toFile: "\(p)/status", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(p)/exe", withDestinationPath: exe)
        try FileManager.default.createSymbolicLink(atPath: "\(p)/root", withDestinationPath: "/")
    }

    @Test func theScanBelievesOnlyTheGenuineProcessAndSaysWhyForTheOthers() throws {
        let conf = "\(dir)/ptp.conf"
        try "[global]\n[eth9]\n".write(toFile: conf, atomically: false, encoding: .utf8)
        try process(100, comm: "true", argv: ["true", "-i", "eth0", "-f", conf])
        try process(101, comm: "true", argv: ["true", "-i", "eth1"], uid: 1000)
        let copy = "\(dir)/true"
        try FileManager.default.copyItem(atPath: "/usr/bin/true", toPath: copy)
        try process(102, comm: "true", argv: ["true", "-i", "eth2"], exe: copy)
        try process(103, comm: "false", argv: ["false", "-i", "eth3"])
        let scan = PTPDaemons.scan(procRoot: dir, programs: ["true"])
        #expect(scan.daemons.map(\.pid) == [100])
        let ignored = Dictionary(uniqueKeysWithValues: scan.ignored.map { ($0.pid, $0.reason) })
        #expect(ignored[101]?.contains("uid 1000") == true)
        // The copy is owned by whoever runs the test and lies in a temporary directory.
        #expect(ignored[102]?.contains(copy) == true, "\(ignored)")
        #expect(ignored[103] == nil)
        if getuid() == 0 {
            #expect(scan.daemons.first?.interfaces == ["eth9"])
        } else {
            // A config file neither root's nor the daemon's user's is not opened.
            #expect(ignored[100]?.contains("config file \(conf) not read: it is owned by uid \(getuid())") == true)
        }
    }

    @Test func configFilesThatAreNotRegularAreNeverOpenedForReading() throws {
        let fifo = "\(dir)/fifo"
        #expect(mkfifo(fifo, 0o666) == 0)
        try process(200, comm: "true", argv: ["true", "-i", "eth0", "-f", fifo])
        try process(201, comm: "true", argv: ["true", "-f", dir])
        try process(202, comm: "true", argv: ["true", "-f", "/dev/zero"])
        let start = Date()
        let scan = PTPDaemons.scan(procRoot: dir, programs: ["true"])
        #expect(Date().timeIntervalSince(start) < 5, "a FIFO never blocks the scan")
        let ignored = Dictionary(uniqueKeysWithValues: scan.ignored.map { ($0.pid, $0.reason) })
        #expect(ignored[200] == "config file \(fifo) not read: it is a FIFO, not a regular file")
        #expect(ignored[201] == "config file \(dir) not read: it is a directory, not a regular file")
        #expect(ignored[202] == "config file /dev/zero not read: it is a character device, not a regular file")
        // The daemons themselves are still believed, without what the files would say.
        #expect(scan.daemons.map(\.pid) == [200, 201, 202])
    }

    @Test func aConfigFileIsReadOnlyUpToItsLimit() throws {
        let big = "\(dir)/big.conf"
        try Data(repeating: 0x20, count: PTPDaemons.configLimit + 1).write(to: URL(fileURLWithPath: big))
        #expect(Sys.readRegularFile(big, limit: PTPDaemons.configLimit) == .failure(.tooLarge(limit: PTPDaemons.configLimit)))
        let exact = "\(dir)/exact.conf"
        try Data(repeating: 0x20, count: 100).write(to: URL(fileURLWithPath: exact))
        #expect((try? Sys.readRegularFile(exact, limit: 100).get())?.count == 100)
    }
}
