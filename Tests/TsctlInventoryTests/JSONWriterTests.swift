import Testing

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
}
