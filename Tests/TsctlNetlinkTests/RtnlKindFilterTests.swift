import Foundation
import Testing
import TsctlModel

@testable import TsctlNetlink

/// RTM_GETLINK dumps filtered by kind and requests by ifindex, against exchanges
/// captured from a real kernel (Scripts/fixtures/capture-rtnl.py).
@Suite struct RtnlKindFilterTests {
    /// A client whose filtered dumps each open the next of `fixtures` as their socket.
    final class Sockets {
        var fixtures: [Fixture]
        var opened: [ReplayTransport] = []
        init(_ fixtures: [Fixture]) { self.fixtures = fixtures }
        func open() throws(NetlinkError) -> NetlinkTransport {
            guard !fixtures.isEmpty else { throw .system(call: "replay socket", errno: EMFILE) }
            let t = ReplayTransport(fixtures.removeFirst())
            opened.append(t)
            return t
        }
    }

    @Test func aKindFilterReturnsOnlyThatKindsLinks() throws {
        let sockets = Sockets([try Fixture("rtnl-kind-macvlan")])
        let rtnl = RtnlClient(transport: ReplayTransport(Fixture.empty), filterSocket: sockets.open)
        let links = try #require(try rtnl.links(ofKind: "macvlan"))
        #expect(sockets.opened.allSatisfy { $0.mismatches.isEmpty && $0.finished })
        #expect(links.count == 1)
        #expect(links.first?.name == "mv0")
        #expect(links.first?.kind == "macvlan")
        #expect(links.first?.index == 4)
        #expect(links.first?.link == 3)  // veth0
    }

    @Test func anIgnoredFilterMeansThatKindIsNotRegisteredAndTheSocketIsGivenUp() throws {
        // The kernel has no vlan registered: it dumped every link, lo first. tsctl read
        // one datagram, saw a link that is not a vlan, and left the rest unasked.
        let sockets = Sockets([try Fixture("rtnl-kind-ignored"), try Fixture("rtnl-kind-macvlan")])
        let rtnl = RtnlClient(transport: ReplayTransport(Fixture.empty), filterSocket: sockets.open)
        #expect(try rtnl.links(ofKind: "vlan") == nil)
        #expect(sockets.opened.count == 1 && sockets.opened[0].mismatches.isEmpty && sockets.opened[0].finished)
        // The next filtered dump goes out on a new socket: the old one has a dump under way.
        #expect(try rtnl.links(ofKind: "macvlan")?.map(\.name) == ["mv0"])
        #expect(sockets.opened.count == 2 && sockets.opened[1].mismatches.isEmpty)
    }

    @Test func theIgnoredDumpsFirstDatagramHoldsOtherKinds() throws {
        // What the detection rests on: every link of the captured reply is decoded
        // and none is a vlan (lo has no kind at all).
        let msgs = try Fixture("rtnl-kind-ignored").receivedMessages.filter { $0.type == RtnlClient.RTM.NEWLINK }
        let links = try msgs.map(RtnlClient.decodeLink)
        #expect(links.first?.name == "lo" && links.first?.kind == nil)
        #expect(!links.contains { $0.kind == "vlan" })
    }

    @Test func aLinkIsAskedByItsIndex() throws {
        let t = ReplayTransport(try Fixture("rtnl-getlink-index"))
        let rtnl = RtnlClient(transport: t)
        let r = rtnl.links(indexes: [1])
        #expect(t.mismatches.isEmpty && t.finished)
        #expect(try r.first?.get().name == "lo")
        #expect(try r.first?.get().parentKnown == true)
        #expect(try r.first?.get().parentDevice == nil)
    }

    @Test func withoutAFilterSocketNoFilteredDumpIsMade() {
        let rtnl = RtnlClient(transport: ReplayTransport(Fixture.empty))
        #expect(!rtnl.filtersByKind)
        #expect(throws: NetlinkError.self) { try rtnl.links(ofKind: "vlan") }
    }
}

extension Fixture {
    /// No exchange: a socket the test must not use.
    static var empty: Fixture { Fixture(datagrams: []) }
    init(datagrams: [(Direction, [UInt8])]) { self.datagrams = datagrams }
}

/// The kinds the text listing asks for, in the order it asks: a kind that can be
/// registered only while another is comes after that one, so its dump is left out
/// once the other proved unregistered.
@Suite struct StackedKindOrderTests {
    @Test func aRequiredKindIsAskedBeforeTheKindThatNeedsIt() throws {
        #expect(!StackedKind.requires.isEmpty)
        for (kind, needed) in StackedKind.requires {
            let k = try #require(StackedKind.all.firstIndex(of: kind), "\(kind) is a stacked kind")
            let n = try #require(StackedKind.all.firstIndex(of: needed), "\(needed) is a stacked kind")
            #expect(n < k, "\(needed) before \(kind)")
        }
    }
}
