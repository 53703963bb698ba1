import Testing

@testable import TsctlModel

/// The command lines read without the argument parser, and those left to it.
@Suite struct FastPathTests {
    @Test func showReadsItsFlagsAndNamesInAnyOrder() {
        #expect(FastPath.show(["show"]) == FastPath.Show())
        #expect(
            FastPath.show(["show", "eth0", "--json", "--clocks", "eth1"])
                == FastPath.Show(interfaces: ["eth0", "eth1"], json: true, clocks: true))
        #expect(FastPath.show(["show", "--all"]) == FastPath.Show(all: true))
    }

    @Test func showLeavesTheRestToTheParser() {
        #expect(FastPath.show(["check"]) == nil)
        #expect(FastPath.show(["show", "--help"]) == nil)
        #expect(FastPath.show(["show", "--all", "eth0"]) == nil, "the parser says why")
        #expect(FastPath.show(["show", "a/b"]) == nil)
        #expect(FastPath.show(["--netns", "x", "show"]) == nil)
    }

    @Test func showsProblemIsTheParsersMessage() {
        #expect(
            FastPath.Show.problem(interfaces: ["eth0"], all: true)
                == "--all shows every interface; give interface names or --all, not both")
        #expect(FastPath.Show.problem(interfaces: ["eth0"], all: false) == nil)
        #expect(FastPath.Show.problem(interfaces: ["a/b"], all: false) != nil)
    }

    @Test func checkReadsStrictJSONAndNames() {
        #expect(FastPath.check(["check"]) == FastPath.Check())
        #expect(
            FastPath.check(["check", "--strict", "eth0", "--json"]) == FastPath.Check(interfaces: ["eth0"], strict: true, json: true))
        #expect(FastPath.check(["check", "--format", "tap"]) == nil)
        #expect(FastPath.check(["check", "a/b"]) == nil)
        #expect(FastPath.check(["show"]) == nil)
    }
}
