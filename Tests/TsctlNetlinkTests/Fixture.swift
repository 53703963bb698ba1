import Foundation

@testable import TsctlNetlink

/// A captured exchange: datagrams in the order they crossed the socket.
struct Fixture {
    enum Direction { case sent, received }
    var datagrams: [(Direction, [UInt8])] = []

    init(_ name: String) throws {
        let url = Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Fixtures")!
        let text = try String(contentsOf: url, encoding: .utf8)
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == ">" { datagrams.append((.sent, [])); continue }
            if t == "<" { datagrams.append((.received, [])); continue }
            for word in t.split(separator: " ") {
                var bytes: [UInt8] = []
                var i = word.startIndex
                while i < word.endIndex {
                    let j = word.index(i, offsetBy: 2)
                    bytes.append(UInt8(word[i..<j], radix: 16)!)
                    i = j
                }
                datagrams[datagrams.count - 1].1 += bytes
            }
        }
    }

    var sent: [[UInt8]] { datagrams.filter { $0.0 == .sent }.map(\.1) }
    var received: [[UInt8]] { datagrams.filter { $0.0 == .received }.map(\.1) }
    var receivedMessages: [NetlinkMessage] { received.flatMap { try! NetlinkMessage.split($0) } }
}

/// Plays a fixture back: every datagram tsctl sends must equal the captured
/// one byte for byte; receive() returns what the kernel sent next.
final class ReplayTransport: NetlinkTransport {
    private var script: [(Fixture.Direction, [UInt8])]
    private(set) var mismatches: [String] = []

    init(_ f: Fixture) { script = f.datagrams }

    var finished: Bool { script.isEmpty }

    func send(_ bytes: [UInt8]) throws(NetlinkError) {
        guard let (dir, expected) = script.first, dir == .sent else {
            mismatches.append("sent a datagram the fixture does not have")
            throw .system(call: "replay send", errno: EPROTO)
        }
        script.removeFirst()
        if bytes != expected {
            mismatches.append("request differs:\n  sent     \(hex(bytes))\n  captured \(hex(expected))")
        }
    }

    func receive() throws(NetlinkError) -> [UInt8] {
        guard let (dir, bytes) = script.first, dir == .received else {
            mismatches.append("tried to receive where the fixture has none")
            throw .system(call: "replay receive", errno: EPROTO)
        }
        script.removeFirst()
        return bytes
    }
}

func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
