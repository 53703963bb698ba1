import TsctlModel
public import TsctlNetlink
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// A record of what tsctl read from the kernel, one line each: every netlink
/// datagram sent and received (per socket: genl, route) and every system read
/// (sysfs, uname, if_indextoname, SIOCGHWTSTAMP) with its answer. TSCTL_TRACE=FILE
/// writes one; Scripts/fixtures/annotate-trace annotates it into a fixture;
/// `KernelTrace.Replay` (TsctlTestSupport, linked by the tests only) answers the
/// same questions from it, so a snapshot can be assembled again from a real
/// kernel's answers without that kernel.
///
///     > genl 2000000010000100…        a datagram tsctl sent on its genl socket
///     < route 3c0400001000…           one the kernel sent on the route socket
///     ? readlink /sys/class/net/eth0/device
///     = ../../../0000:00:03.0         the answer ("!" alone: none; "! 95": errno)
///
/// Annotated fixtures put the hex on the following lines, in words with `#`
/// comments; both forms are read back. Text is escaped: `\\` and `\xNN` for any
/// byte outside printable ASCII.
public final class KernelTrace {
    private let file: UnsafeMutablePointer<FILE>

    init(file: UnsafeMutablePointer<FILE>) { self.file = file }
    deinit { fclose(file) }

    /// The trace TSCTL_TRACE names, appended to; nil when it is not set or cannot be opened (TraceFile says why).
    public static func fromEnvironment() -> KernelTrace? {
        guard let f = TraceFile.open(variable: "TSCTL_TRACE") else { return nil }
        let t = KernelTrace(file: f)
        t.line("# tsctl trace (TSCTL_TRACE) on Linux \(Sys.kernelRelease())")
        return t
    }

    func line(_ s: String) {
        fputs(s + "\n", file)
        fflush(file)
    }

    public func recording(_ transport: NetlinkTransport, _ label: String) -> NetlinkTransport {
        RecordingTransport(inner: transport, label: label, trace: self)
    }

    public func recording(_ system: any SystemReader) -> any SystemReader { RecordingSystem(inner: system, trace: self) }

    static func hex(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count * 2)
        for x in b {
            out.append(digits[Int(x >> 4)])
            out.append(digits[Int(x & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Printable ASCII as it is, `\\` for a backslash, `\xNN` for every other byte.
    public static func escape(_ s: String) -> String {
        var out = ""
        for b in OSString.bytes(s) {
            if b == 0x5c {
                out += "\\\\"
            } else if b >= 0x20 && b < 0x7f {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += OSString.byteEscape(b)
            }
        }
        return out
    }

    public static func unescape(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.first {
            it = it.dropFirst()
            guard b == 0x5c, let next = it.first else {
                bytes.append(b)
                continue
            }
            if next == 0x78, it.count >= 3, let v = UInt8(String(decoding: it.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(3)
            } else {
                bytes.append(next)
                it = it.dropFirst()
            }
        }
        return OSString.decode(bytes)
    }
}

final class RecordingTransport: NetlinkTransport {
    let inner: NetlinkTransport
    let label: String
    let trace: KernelTrace

    init(inner: NetlinkTransport, label: String, trace: KernelTrace) {
        self.inner = inner
        self.label = label
        self.trace = trace
    }

    func send(_ bytes: [UInt8]) throws(NetlinkError) {
        trace.line("> \(label) \(KernelTrace.hex(bytes))")
        try inner.send(bytes)
    }

    func receive() throws(NetlinkError) -> [UInt8] {
        let d = try inner.receive()
        trace.line("< \(label) \(KernelTrace.hex(d))")
        return d
    }
}

final class RecordingSystem: SystemReader {
    let inner: any SystemReader
    let trace: KernelTrace

    init(inner: any SystemReader, trace: KernelTrace) {
        self.inner = inner
        self.trace = trace
    }

    /// `answer` already escaped.
    private func note(_ question: String, _ answer: String?) {
        trace.line("? " + question)
        trace.line(answer.map { "= " + $0 } ?? "!")
    }

    private func ask(_ op: String, _ path: String, _ answer: String?) -> String? {
        note("\(op) \(KernelTrace.escape(path))", answer.map(KernelTrace.escape))
        return answer
    }

    func readFile(_ path: String) -> String? { ask("readfile", path, inner.readFile(path)) }
    func readLink(_ path: String) -> String? { ask("readlink", path, inner.readLink(path)) }
    func realPath(_ path: String) -> String? { ask("realpath", path, inner.realPath(path)) }
    func exists(_ path: String) -> Bool { ask("exists", path, inner.exists(path) ? "yes" : nil) != nil }
    func listDirectory(_ path: String) -> [String]? {
        let names = inner.listDirectory(path)
        note("listdir \(KernelTrace.escape(path))", names.map { $0.sorted().map(KernelTrace.escape).joined(separator: "/") })
        return names
    }
    func kernelRelease() -> String { ask("uname", "", inner.kernelRelease()) ?? "" }
    func interfaceName(_ index: UInt32) -> String? { ask("ifname", String(index), inner.interfaceName(index)) }
    func hwtstampConfig(_ device: String) -> Result<HwtstampIoctl.Config, SystemError> {
        let r = inner.hwtstampConfig(device)
        trace.line("? SIOCGHWTSTAMP \(KernelTrace.escape(device))")
        switch r {
        case .success(let c): trace.line("= flags=\(c.flags) tx=\(c.txType) rx=\(c.rxFilter)")
        case .failure(let e): trace.line("! \(e.errno)")
        }
        return r
    }
}
