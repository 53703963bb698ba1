import Testing
import TsctlModel

@testable import TsctlKernel

/// What Tab completes: the words it reads and the values it offers for an
/// interface's snapshot.
@Suite struct CompletionQueriesTests {
    @Test func theNamespaceIsTheLastNonEmptyValueOfNetns() {
        #expect(CompletionQueries.netns(["tsctl", "--netns", "a", "show", "--netns", "b"]) == "b")
        #expect(CompletionQueries.netns(["tsctl", "show", "--netns"]) == nil)
        #expect(CompletionQueries.netns(["tsctl", "show", "--netns", ""]) == nil)
        #expect(CompletionQueries.netns(["tsctl", "show"]) == nil)
    }

    @Test func theInterfaceIsTheFirstWordAfterTheCommandThatIsNoOptionOrValue() {
        #expect(CompletionQueries.interface(["tsctl", "set", "--netns", "blue", "--force", "eth2", "--tx"], subcommand: "set") == "eth2")
        #expect(CompletionQueries.interface(["tsctl", "set", "--source", "mac", ""], subcommand: "set") == nil)
        #expect(CompletionQueries.interface(["tsctl", "set", "a/b", "eth0"], subcommand: "set") == "eth0")
        #expect(CompletionQueries.interface(["tsctl", "show", "eth0"], subcommand: "set") == nil)
    }

    @Test func sourcesAreEachProvidersLabelAndClock() {
        #expect(CompletionQueries.sources(of: Board.macchiatobin()) == ["mac", "phc:2", "phy:1", "phc:0"])
        #expect(CompletionQueries.sources(of: Board.virtio()) == ["mac", "phy"])
        #expect(CompletionQueries.sources(of: nil) == ["mac", "phy"])
    }

    @Test func kernelNamesAreThoseTheProvidersSupportElseAll() {
        let rx = CompletionQueries.names(of: Board.macchiatobin()) { $0.rxFilters }
        #expect(rx == TimestampingNames.rxFilters.filter { ["none", "all", "some"].contains($0) })
        #expect(CompletionQueries.names(of: Board.igb()) { $0.txTypes } == ["off", "on"])
        #expect(CompletionQueries.names(of: nil) { $0.txTypes } == TimestampingNames.txTypes)
        #expect(CompletionQueries.names(of: Board.virtio()) { $0.rxFilters } == TimestampingNames.rxFilters)
    }

    @Test func withoutAnInterfaceTypedNothingIsAskedOfTheKernel() {
        #expect(CompletionQueries.sources(["tsctl", "set"]) == ["mac", "phy"])
        #expect(CompletionQueries.names(["tsctl", "set", "--tx"]) { $0.txTypes } == TimestampingNames.txTypes)
        #expect(CompletionQueries.interfaces(["tsctl", "show", "--netns", "tsctl-no-such-namespace"]).isEmpty)
        #expect(CompletionQueries.interfaces(["tsctl", "show"]).contains("lo"))
    }
}
