import Foundation
import Testing
import TsctlSystem

@testable import TsctlCodec
@testable import TsctlModel

/// `JSON.serialized()` goes through the same byte writer as `show --json`.
@Suite struct JSONWriterTests {
    let v: JSON = .object([
        ("a", .array([.int(1), .int(-2), .string("x\"y\n")])), ("b", .array([])), ("c", .object([])),
        ("d", .array([.object([("k", .null), ("é", .bool(true))]), .array([.int(3)])])), ("e", .array([.array([])]))
    ])

    @Test func prettyKeepsScalarArraysOnOneLine() {
        #expect(
            v.serialized() == """
                {
                  "a": [1, -2, "x\\"y\\n"],
                  "b": [],
                  "c": {},
                  "d": [
                    {
                      "k": null,
                      "é": true
                    },
                    [3]
                  ],
                  "e": [
                    []
                  ]
                }
                """)
    }

    @Test func compactHasNoSpaces() throws {
        let text = v.serialized(pretty: false)
        #expect(text == #"{"a":[1,-2,"x\"y\n"],"b":[],"c":{},"d":[{"k":null,"é":true},[3]],"e":[[]]}"#)
        #expect(try JSON.parse(text) == v)
    }

    /// The writer stores most pieces straight into its 64 KiB buffer after one check of
    /// the room left: pieces that straddle or exceed the buffer, deep indents, the
    /// extreme integers and escapes must come out as the tree says.
    @Test func piecesLargerThanTheBufferAndAtItsEdges() throws {
        var deep: JSON = .array([.int(Int.min), .int(Int.max), .int(0), .int(-7)])
        for _ in 0..<40 { deep = .object([("k", deep)]) }
        let long = String(repeating: "x", count: 70_000)
        var items: [JSON] = []
        for i in 0..<3000 {
            items.append(.object([("name", .string("veth\(i)")), ("q", .string("a\"b\\c\u{1}")), ("n", .int(-i))]))
        }
        let v: JSON = .object([("deep", deep), ("long", .string(long)), ("items", .array(items)), ("after", .string(long + "\n"))])
        let text = v.serialized()
        #expect(text.utf8.count > 3 * 65536)
        #expect(try JSON.parse(text) == v)
        #expect(text.contains("\"k\": [-9223372036854775808, 9223372036854775807, 0, -7]"))
        #expect(text.contains("\"q\": \"a\\\"b\\\\c\\u0001\""))
        #expect(try JSON.parse(v.serialized(pretty: false)) == v)
    }

    /// `show --json` streams through a descriptor in buffer-sized pieces: the same bytes
    /// as the in-memory document, for a snapshot several buffers long.
    @Test func streamedSnapshotEqualsTheTree() throws {
        var ifs: [InterfaceSnapshot] = []
        for i in 0..<400 {
            var itf = InterfaceSnapshot(
                name: "veth\(i)", ifindex: i + 1, active: .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported"))
            itf.kind = "veth"
            itf.advertised = Advertised(
                capabilities: Capabilities(timestamping: ["software-transmit", "software-receive", "software-system-clock"]))
            ifs.append(itf)
        }
        let snap = Snapshot(
            kernel: KernelInfo(
                release: "6.18.0", ethtoolNetlink: true,
                features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil)),
            interfaces: ifs)
        let path = "/tmp/tsctl-json-writer-\(getpid()).json"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        var out = DescriptorWriter(fd: fd)
        snap.writeJSON { out.write($0) }
        #expect(out.failure == nil)
        close(fd)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.utf8.count > 2 * 65536)
        #expect(written == snap.json.serialized() + "\n")
    }

    /// `show --all --json` writes its document a chunk of interfaces at a time as they
    /// are assembled: the same bytes as the whole snapshot's, whatever the chunk size
    /// (runs of equal fields are compared across the chunks' edges too).
    @Test(arguments: [1, 7, 256, 1000])
    func aDocumentWrittenInChunksIsTheWholeSnapshots(chunk: Int) throws {
        var ifs: [InterfaceSnapshot] = []
        for i in 0..<300 {
            var itf = InterfaceSnapshot(
                name: "veth\(i)", ifindex: i + 1, active: .unavailable(.driverUnsupported, errno: 95, message: "Operation not supported"))
            // Runs of equal and different neighbours: every third has a kind, every fifth a driver.
            if i % 3 == 0 { itf.kind = "veth" }
            if i % 5 == 0 { itf.driver = "virtio_net" }
            itf.advertised = Advertised(
                capabilities: Capabilities(timestamping: ["software-transmit", "software-receive", "software-system-clock"]))
            ifs.append(itf)
        }
        let kernel = KernelInfo(
            release: "6.18.0", ethtoolNetlink: true,
            features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: false))
        let whole = Snapshot(kernel: kernel, interfaces: ifs)
        var expected: [UInt8] = []
        whole.writeJSON { expected.append(contentsOf: $0) }
        var streamed: [UInt8] = []
        var stream = SnapshotJSONStream { streamed.append(contentsOf: $0) }
        var start = 0
        while start < ifs.count {
            stream.add(Array(ifs[start..<min(start + chunk, ifs.count)]), kernel: kernel)
            start += chunk
        }
        stream.finish(kernel: kernel)
        #expect(streamed == expected)
        #expect(streamed.count > 2 * 65536)
    }

    @Test func aDocumentWithNoInterfaceIsTheEmptySnapshots() {
        let kernel = KernelInfo(
            release: "6.1.0", ethtoolNetlink: true,
            features: KernelFeatures(tsinfo: true, phyGet: false, tsconfig: false, hwtstampSource: nil))
        var expected: [UInt8] = []
        Snapshot(kernel: kernel, interfaces: []).writeJSON { expected.append(contentsOf: $0) }
        var streamed: [UInt8] = []
        var stream = SnapshotJSONStream { streamed.append(contentsOf: $0) }
        stream.add([], kernel: kernel)
        stream.finish(kernel: kernel)
        #expect(streamed == expected)
    }

    /// A full disk loses the document: the writer says so (and with which
    /// errno) as a value the caller turns into exit status 11.
    @Test func aWriteThatFailsIsReportedWithItsErrno() throws {
        let snap = Snapshot(
            kernel: KernelInfo(
                release: "6.18.0", ethtoolNetlink: true,
                features: KernelFeatures(tsinfo: true, phyGet: true, tsconfig: true, hwtstampSource: nil)),
            interfaces: [])
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var out = DescriptorWriter(fd: fd)
        snap.writeJSON { out.write($0) }
        #expect(out.failure == ENOSPC)

        var closed = DescriptorWriter(fd: -1)
        "x".utf8CString.withUnsafeBytes { closed.write($0) }
        "y".utf8CString.withUnsafeBytes { closed.write($0) }
        #expect(closed.failure == EBADF, "the first error is kept")
    }
}
