import Testing
import TsctlModel

/// The command-line rules the parser does not apply itself.
@Suite struct ArgumentRulesTests {
    @Test func anOptionOfOneValueGivenTwiceIsNamedWithBothValues() {
        #expect(
            ArgumentRules.givenTwice(["set", "eth0", "--tx", "on", "--tx=off"])
                == "--tx is given twice (on, then off); give it once (see `tsctl --help`)")
        let long = String(repeating: "a", count: 50)
        #expect(
            ArgumentRules.givenTwice(["check", "--expect=\(long)", "--expect", "b"])
                == "--expect is given twice (\(String(repeating: "a", count: 40))..., then b); give it once (see `tsctl --help`)")
        #expect(ArgumentRules.givenTwice(["check", "--format"]) == nil)
    }

    @Test func repeatableOptionsValuesAndWordsAfterDoubleDashAreLeftAlone() {
        #expect(ArgumentRules.givenTwice(["check", "--for", "ptp", "--for", "ntp"]) == nil)
        // "--tx" as the value of --rx is a value, not a second option.
        #expect(ArgumentRules.givenTwice(["set", "eth0", "--rx", "--tx", "--tx", "on"]) == nil)
        #expect(ArgumentRules.givenTwice(["set", "--tx", "on", "--", "--tx", "off"]) == nil)
    }

    @Test func aListingMessageBecomesOneLine() {
        #expect(
            ArgumentRules.oneLine("The value 'x' is invalid; use one of the following:\n  - on\n  - off\n")
                == "The value 'x' is invalid; use one of the following: on, off")
        #expect(ArgumentRules.oneLine("first\n  second") == "first second")
        #expect(ArgumentRules.oneLine("") == "")
    }

    @Test func theJSONDocumentOwedIsTheCommandsWhenJSONIsAsked() {
        #expect(ArgumentRules.jsonCommand(["show", "--json"]) == "show")
        #expect(ArgumentRules.jsonCommand(["--netns", "x", "check", "--format", "json"]) == "check")
        #expect(ArgumentRules.jsonCommand(["check", "--format=json"]) == "check")
        #expect(ArgumentRules.jsonCommand(["check", "--format", "tap"]) == nil)
        #expect(ArgumentRules.jsonCommand(["watch", "--json"]) == nil)
        #expect(ArgumentRules.jsonCommand(["--json"]) == nil)
    }
}
