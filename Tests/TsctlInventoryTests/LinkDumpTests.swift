import Foundation
import Testing

@testable import TsctlKernel
@testable import TsctlModel
@testable import TsctlNetlink
@testable import TsctlTestSupport

/// The link dump comes first (Inventory.gather) and its messages are decoded in
/// one pass over their attribute headers. These replay the committed traces
/// (real kernels' answers, TraceReplayTests), with parts cut away: a failed link
/// dump is the error tsctl reports, and an ethtool failure after it is read is
/// that failure; every link decodes as the full attribute walk decodes it.
struct LinkDumpTests {
    static func trace(_ name: String) throws -> String {
        let dir = Bundle.module.url(forResource: "Traces", withExtension: nil)!
        return try String(contentsOf: dir.appendingPathComponent(name + ".trace"), encoding: .utf8)
    }

    /// The trace without the datagrams the kernel sent on `socket` (and their hex
    /// lines): tsctl then waits for a reply that never comes, as on a socket error.
    static func withoutReplies(_ text: String, on socket: String) -> String {
        var out: [Substring] = []
        var dropping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, "<>?=!".contains(first) {
                dropping = line.hasPrefix("< \(socket)")
            }
            if !dropping { out.append(line) }
        }
        return out.joined(separator: "\n")
    }

    /// The trace without the ethtool dumps' and requests' replies; the family
    /// lookup (opening the inventory) is kept.
    static func withoutEthtoolReplies(_ text: String) -> String {
        let lookupReply = text.range(of: "\n< genl")!
        let next = text.range(of: "\n> genl", range: lookupReply.upperBound..<text.endIndex)!
        return String(text[..<next.lowerBound]) + withoutReplies(String(text[next.lowerBound...]), on: "genl")
    }

    static func failure(_ text: String) throws -> (InventoryError?, KernelTrace.Replay) {
        let replay = try KernelTrace.Replay(text)
        do {
            _ = try replay.inventory().snapshot(names: nil)
            return (nil, replay)
        } catch let e as InventoryError {
            return (e, replay)
        }
    }

    static let routeFailed = InventoryError.netlink(.system(call: "replay route", errno: EPROTO))
    static let genlFailed = InventoryError.netlink(.system(call: "replay genl", errno: EPROTO))

    @Test(arguments: ["host-all", "bed-sid-stacked-igb-all", "bed-bpo-6.16-stacked-igb-all"])
    func aFailedLinkDumpIsTheErrorReported(name: String) throws {
        let text = try Self.trace(name)
        let (error, replay) = try Self.failure(Self.withoutReplies(text, on: "route"))
        #expect(error == Self.routeFailed)
        #expect(replay.deviations == ["route: tsctl waited for a reply the trace does not have"])
    }

    @Test func anEthtoolFailureWithTheLinksReadIsTheErrorReported() throws {
        let (error, replay) = try Self.failure(Self.withoutEthtoolReplies(try Self.trace("host-all")))
        #expect(error == Self.genlFailed)
        #expect(!replay.deviations.contains { $0.hasPrefix("route") }, "\(replay.deviations)")
    }

    /// Many snapshots in a row from one recording: the same document each time.
    @Test(arguments: ["host-all", "bed-sid-stacked-over-phy-all", "bed-bpo-6.16-stacked-igb-all"])
    func everyRunAssemblesTheSameSnapshot(name: String) throws {
        let text = try Self.trace(name)
        let first = try KernelTrace.Replay(text).inventory().snapshot(names: nil).json
        for _ in 0..<25 {
            let replay = try KernelTrace.Replay(text)
            #expect(try replay.inventory().snapshot(names: nil).json == first)
            #expect(replay.deviations.isEmpty, "\(replay.deviations)")
        }
    }
}

/// RtnlClient.decodeLink finds the six attributes tsctl reads in one pass over the
/// headers and decodes only those; the full walk is the reference. Both must give
/// the same link, or the same error, for every link message of the traces and for
/// every one-byte change and every cut of them.
struct LinkDecodingTests {
    static var linkMessages: [NetlinkMessage] {
        get throws {
            var out: [NetlinkMessage] = []
            for name in TraceReplayTests.all {
                let replay = try KernelTrace.Replay(try LinkDumpTests.trace(name))
                for d in replay.netlink["route"] ?? [] where !d.sent {
                    out += try NetlinkMessage.split(d.bytes).filter { $0.type == RtnlClient.RTM.NEWLINK }
                }
            }
            return out
        }
    }

    static func decoded(_ m: NetlinkMessage, walking: Bool) -> Result<LinkReply, NetlinkError> {
        do throws(NetlinkError) {
            return .success(walking ? try RtnlClient.walk(m) : try RtnlClient.decodeLink(m))
        } catch {
            return .failure(error)
        }
    }

    @Test func theTracesLinksTakeTheOnePassAndMatchTheWalk() throws {
        let messages = try Self.linkMessages
        #expect(messages.count >= 30)
        #expect(Set(messages.compactMap { try? RtnlClient.decodeLink($0).kind }).isSuperset(of: ["veth", "macvlan", "vlan", "bond"]))
        for m in messages {
            #expect(RtnlClient.LinkAttributes(m.payload.dropFirst(RtnlClient.ifinfomsgSize)) != nil, "the one pass gave up on a real link")
            #expect(Self.decoded(m, walking: false) == Self.decoded(m, walking: true))
        }
    }

    @Test func changedAndCutMessagesDecodeAsTheWalkDecodesThem() throws {
        for m in try Self.linkMessages {
            let bytes = Array(m.payload)
            var variants: [[UInt8]] = (0...bytes.count).map { Array(bytes.prefix($0)) }
            for i in bytes.indices {
                for v: UInt8 in [0x00, 0xff, bytes[i] ^ 0x01] where v != bytes[i] {
                    var b = bytes
                    b[i] = v
                    variants.append(b)
                }
            }
            for b in variants {
                let changed = NetlinkMessage(type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, payload: b[...])
                let fast = Self.decoded(changed, walking: false), walked = Self.decoded(changed, walking: true)
                guard fast == walked else {
                    Issue.record("\(fast) != \(walked)")
                    return
                }
            }
        }
    }
}
