// libFuzzer target: every decoder of kernel replies (Scripts/fuzz netlink).
// Input: one mode byte, then one datagram as the kernel would send it.
//   mode % 3 == 0: split it and run every decoder on every message;
//   mode % 3 == 1: the answer to a batch of three *do* requests (seq 1...3);
//   mode % 3 == 2: the answer to a dump (seq 1).
// Any trap (overflow, bad index, force unwrap) is a crash; thrown errors are fine.
@testable import TsctlNetlink

private final class FuzzTransport: NetlinkTransport {
    var datagrams: [[UInt8]]
    init(_ d: [UInt8]) { datagrams = [d] }
    func send(_ bytes: [UInt8]) throws(NetlinkError) {}
    func receive() throws(NetlinkError) -> [UInt8] {
        // Running dry is how a fuzzed exchange ends (the kernel would block).
        guard !datagrams.isEmpty else { throw .system(call: "fuzz receive", errno: 71) }
        return datagrams.removeFirst()
    }
}

/// Names as a kernel with short or empty string sets would give them.
private let shortNames = BitNames(timestamping: [], txTypes: ["off"], rxFilters: [], flags: [])

private func decodeAll(_ m: NetlinkMessage) {
    for names in [BitNames.builtin, shortNames] {
        _ = try? Decode.tsinfo(m, names: names)
        _ = try? Decode.tsconfig(m, names: names)
    }
    _ = try? Decode.phy(m)
    _ = try? Decode.strsets(m)
    _ = try? RtnlClient.decodeLink(m)
    _ = try? GenlClient.decodeFamily(m, name: "ethtool")
    if let e = try? NetlinkChannel.decodeError(m, request: "fuzz") { _ = e.description }
}

/// One input; also replayed by the unit tests (Fuzz/crashes/netlink).
public func fuzzNetlink(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let datagram = Array(bytes.dropFirst())
    switch mode % 3 {
    case 0:
        guard let msgs = try? NetlinkMessage.split(datagram) else { return }
        for m in msgs { decodeAll(m) }
    case 1:
        let channel = NetlinkChannel(transport: FuzzTransport(datagram))
        let requests = (0..<3).map { i in NetlinkRequest(label: "fuzz \(i)", ack: i == 2) { _, _ in [] } }
        for case .success(let msgs) in channel.batch(requests) { msgs.forEach(decodeAll) }
    default:
        let channel = NetlinkChannel(transport: FuzzTransport(datagram))
        if let msgs = try? channel.dump(NetlinkRequest(label: "fuzz dump") { _, _ in [] }) { msgs.forEach(decodeAll) }
    }
}

#if TSCTL_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzNetlink(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
