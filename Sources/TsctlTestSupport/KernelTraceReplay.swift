public import TsctlKernel
import TsctlModel
public import TsctlNetlink
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

extension KernelTrace {
    /// A trace read back: the kernel's answers to tsctl's questions, for an
    /// Inventory that runs on them instead of a kernel (`inventory()`).
    public final class Replay {
        struct Datagram {
            var sent: Bool
            var bytes: [UInt8]
        }
        var netlink: [String: [Datagram]] = [:]
        var answers: [String: String?] = [:]
        var errnos: [String: Int32] = [:]
        /// What went differently from the recording: a request tsctl did not
        /// send then, or a question the trace has no answer for.
        public private(set) var deviations: [String] = []

        public enum ParseError: Error, Equatable { case line(Int, String) }

        public init(_ text: String) throws(ParseError) {
            var current: (label: String, sent: Bool)?
            var pending: String?
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let words = line.split(separator: " ")
                guard let first = words.first else { continue }
                switch first {
                case ">", "<":
                    guard words.count >= 2 else { throw .line(n + 1, "a datagram needs its socket (genl, route)") }
                    let label = String(words[1])
                    current = (label, first == ">")
                    netlink[label, default: []].append(Datagram(sent: first == ">", bytes: []))
                    for w in words.dropFirst(2) { try append(w, to: label, line: n + 1) }
                case "?":
                    current = nil
                    pending = String(raw.dropFirst(2))
                case "=", "!":
                    guard let q = pending else { throw .line(n + 1, "an answer without a question") }
                    if first == "=" {
                        answers[q] = String(raw.count > 2 ? raw.dropFirst(2) : "")
                    } else if words.count > 1, let e = Int32(words[1]) {
                        errnos[q] = e
                    } else {
                        answers[q] = .some(nil)
                    }
                    pending = nil
                default:
                    guard let c = current else { throw .line(n + 1, "hex outside a datagram") }
                    for w in words { try append(w, to: c.label, line: n + 1) }
                }
            }
        }

        private func append(_ word: Substring, to label: String, line: Int) throws(ParseError) {
            guard word.count % 2 == 0 else { throw .line(line, "odd hex word \(word)") }
            var i = word.startIndex
            while i < word.endIndex {
                let j = word.index(i, offsetBy: 2)
                guard let b = UInt8(word[i..<j], radix: 16) else { throw .line(line, "not hex: \(word)") }
                netlink[label]![netlink[label]!.count - 1].bytes.append(b)
                i = j
            }
        }

        /// An Inventory that asks this trace instead of the kernel.
        public func inventory(sysfsRoot: String = "/sys") throws(NetlinkError) -> Inventory {
            let genl = Transport(self, "genl"), route = Transport(self, "route")
            return Inventory(
                client: try EthtoolClient(transport: genl), rtnl: RtnlClient(transport: route), system: System(self), sysfsRoot: sysfsRoot)
        }

        /// The kernel release the trace was recorded on.
        public var release: String? { answers["uname "]?.map { KernelTrace.unescape($0[...]) } }

        func note(_ deviation: String) { deviations.append(deviation) }

        func answer(_ question: String) -> String? {
            guard let a = answers[question] else {
                note("no answer recorded for \"\(question)\"")
                return nil
            }
            return a.map { KernelTrace.unescape($0[...]) }
        }

        /// The recorded datagrams of one socket, in order.
        final class Transport: NetlinkTransport {
            let replay: Replay
            let label: String
            var next = 0

            init(_ replay: Replay, _ label: String) {
                self.replay = replay
                self.label = label
            }

            private var datagrams: [Datagram] { replay.netlink[label] ?? [] }

            func send(_ bytes: [UInt8]) throws(NetlinkError) {
                guard next < datagrams.count, datagrams[next].sent else {
                    replay.note("\(label): tsctl sent a request the trace does not have")
                    throw .system(call: "replay \(label)", errno: EPROTO)
                }
                if datagrams[next].bytes != bytes {
                    replay.note("\(label): request \(next) differs from the recording")
                    throw .system(call: "replay \(label)", errno: EPROTO)
                }
                next += 1
            }

            func receive() throws(NetlinkError) -> [UInt8] {
                guard next < datagrams.count, !datagrams[next].sent else {
                    replay.note("\(label): tsctl waited for a reply the trace does not have")
                    throw .system(call: "replay \(label)", errno: EPROTO)
                }
                next += 1
                return datagrams[next - 1].bytes
            }
        }

        /// The recorded answers of system reads.
        final class System: SystemReader {
            let replay: Replay
            init(_ replay: Replay) { self.replay = replay }

            private func ask(_ op: String, _ arg: String) -> String? { replay.answer("\(op) \(KernelTrace.escape(arg))") }

            func readFile(_ path: String) -> String? { ask("readfile", path) }
            func readLink(_ path: String) -> String? { ask("readlink", path) }
            func realPath(_ path: String) -> String? { ask("realpath", path) }
            func exists(_ path: String) -> Bool { ask("exists", path) != nil }
            func listDirectory(_ path: String) -> [String]? {
                guard let a = replay.answers["listdir \(KernelTrace.escape(path))"] else {
                    replay.note("no answer recorded for \"listdir \(path)\"")
                    return nil
                }
                return a.map { $0.isEmpty ? [] : $0.split(separator: "/").map(KernelTrace.unescape) }
            }
            func kernelRelease() -> String { ask("uname", "") ?? "unknown" }
            func interfaceName(_ index: UInt32) -> String? { ask("ifname", String(index)) }
            func hwtstampConfig(_ device: String) -> Result<HwtstampIoctl.Config, SystemError> {
                let q = "SIOCGHWTSTAMP \(KernelTrace.escape(device))"
                if let e = replay.errnos[q] { return .failure(SystemError("ioctl(SIOCGHWTSTAMP)", e)) }
                guard let a = replay.answer(q) else { return .failure(SystemError("ioctl(SIOCGHWTSTAMP)", ENODEV)) }
                var v: [String: Int32] = [:]
                for kv in a.split(separator: " ") {
                    let p = kv.split(separator: "=")
                    if p.count == 2 { v[String(p[0])] = Int32(p[1]) }
                }
                return .success(HwtstampIoctl.Config(flags: v["flags"] ?? 0, txType: v["tx"] ?? 0, rxFilter: v["rx"] ?? 0))
            }
        }
    }
}
