import Testing

@testable import TsctlCodec
@testable import TsctlModel

/// The parsers against their formats' rules, in the cases toml-test and
/// JSONTestSuite check (written here as small inputs, one per rule). The TOML
/// subset tsctl reads: comments, [tables], [[arrays of tables]], bare and
/// quoted keys, basic strings (every TOML 1.0 escape) and literal strings on
/// one line, decimal integers, booleans, arrays; anything outside it is
/// refused by name. The JSON subset: RFC 8259 with integers only (a baseline
/// is a `show --json`, which has no fractions).
@Suite struct FormatConformanceTests {
    static let invalidTOML: [(String, String)] = [
        ("a = \"x\u{0}y\"\n", "a NUL byte is not allowed in a string"),
        ("a = \"x\u{1f}y\"\n", "U+001F is not allowed in a string"),
        ("a = 'x\u{7f}y'\n", "DEL (U+007F) is not allowed in a string"),
        ("a = \"x\u{8}y\"\n", "U+0008 is not allowed in a string"),
        ("# comment \u{0} here\na = 1\n", "a NUL byte is not allowed in a comment"),
        ("# comment \u{7f}\na = 1\n", "DEL (U+007F) is not allowed in a comment"),
        ("a = 1\rb = 2\n", "carriage return without a line feed"),
        ("# x\r y\na = 1\n", "carriage return without a line feed"),
        ("a = 01\n", "leading zeros are not allowed"),
        ("a = -01\n", "leading zeros are not allowed"),
        ("a = +0_1\n", "leading zeros are not allowed"),
        ("a = 1__2\n", "'_' must stand between two digits"),
        ("a = _12\n", "not a value tsctl reads"),
        ("a = 12_\n", "'_' must stand between two digits"),
        ("a = '''x'''\n", "multi-line strings (''') are not supported"),
        ("a = \"\"\"x\"\"\"\n", "multi-line strings (\"\"\") are not supported"),
        ("a = \"\\x41\"\n", "unsupported escape \\x"),
        ("a = \"\\u00G1\"\n", "\\u needs 4 hex digits"),
        ("a = \"\\uD800\"\n", "\\u needs 4 hex digits of a Unicode scalar value"),
        ("[a]\n[a]\n", "table [a] is defined twice"),
        ("[a.b]\n[a]\n[a]\n", "table [a] is defined twice"),
        ("[[a]]\n[a]\n", "\"a\" is already an array of tables"),
        ("[a]\nb = 1\n[a.b]\n", "\"b\" is already an integer"),
        ("\u{feff}\u{feff}a = 1\n", "expected a key")
    ]

    @Test func everyInvalidTOMLIsRefusedByName() {
        for (text, says) in Self.invalidTOML {
            do {
                _ = try TOML.parse(text)
                Issue.record("accepted: \(text.debugDescription)")
            } catch {
                #expect(error.message.contains(says), "\(text.debugDescription): \(error.message)")
            }
        }
    }

    @Test func validTOMLInTheSubsetIsReadExactly() throws {
        // A super-table defined after its sub-table; every escape; a leading BOM; CRLF.
        let t = try TOML.parse(
            "\u{feff}[x.y]\r\nz = 1_000\r\n[x]\r\nw = \"\\b\\t\\n\\f\\r\\\"\\\\\\u00e9\\U0001F600\"\r\nv = -0\nu = +17\ns = 'lit\\eral'\n")
        guard case .table(let x) = t["x"]?.value else {
            Issue.record("no table x")
            return
        }
        #expect(x["w"]?.value == .string("\u{8}\t\n\u{c}\r\"\\\u{e9}\u{1F600}"))
        #expect(x["v"]?.value == .integer(0) && x["u"]?.value == .integer(17))
        #expect(x["s"]?.value == .string("lit\\eral"))
        guard case .table(let y) = x["y"]?.value else {
            Issue.record("no table x.y")
            return
        }
        #expect(y["z"]?.value == .integer(1000))
    }

    static let invalidJSON: [(String, String)] = [
        ("[01]", "leading zero"),
        ("[-01]", "leading zero"),
        ("[\"\\x41\"]", "invalid escape \\x"),
        ("[\"\\a\"]", "invalid escape \\a"),
        ("[\"\\u00G1\"]", "four hex digits"),
        ("[\"\\U0041\"]", "invalid escape \\U"),
        ("[\"a\u{9}b\"]", "control character in string"),
        ("[1.5]", "only integers are expected here"),
        ("[-]", "unexpected character")
    ]

    @Test func everyInvalidJSONIsRefused() {
        for (text, says) in Self.invalidJSON {
            do {
                _ = try JSON.parse(text)
                Issue.record("accepted: \(text.debugDescription)")
            } catch {
                #expect(error.message.contains(says), "\(text.debugDescription): \(error.message)")
            }
        }
    }

    @Test func validJSONIsReadAsJqReadsIt() throws {
        // A surrogate pair is one scalar; a lone one is U+FFFD; \/ is '/'.
        #expect(
            try JSON.parse("[\"\\ud834\\udd1e\", \"\\ud800x\", \"a\\/b\"]")
                == .array([.string("\u{1D11E}"), .string("\u{FFFD}x"), .string("a/b")]))
        // A key given twice: the last value counts (jq, Python), in the first one's place.
        #expect(try JSON.parse("{\"a\": 1, \"b\": 2, \"a\": 3}") == .object([("a", .int(3)), ("b", .int(2))]))
        #expect(try JSON.parse("[0, -0, 10]") == .array([.int(0), .int(0), .int(10)]))
    }
}
