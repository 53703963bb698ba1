import Testing

@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

/// `tsctl check`'s verdict and the one document each --format writes.
@Suite struct CheckDocumentTests {
    let warning = Report(interfaces: ["eth0"], findings: [Finding(Check.advertisedNotActive, .warning, "eth0", "w")], notRun: [])
    let notRun = Report(interfaces: ["eth0"], findings: [], notRun: [NotRun(Check.useUnsupported, "eth0", "no --expect")])
    let error = Report(interfaces: ["eth0"], findings: [Finding(Check.advertisedNotActive, .error, "eth0", "e")], notRun: [])
    let scope = CheckRender.JUnitScope(baseline: false, expect: false, hardware: ["eth0"], seconds: 0)

    @Test func errorsFailAndStrictAlsoFailsWarningsAndChecksThatDidNotRun() {
        #expect(CheckOutcome(error, strict: false).status == .checkFailed)
        #expect(CheckOutcome(warning, strict: false).status == .ok)
        #expect(CheckOutcome(warning, strict: true).status == .checkFailed)
        #expect(!CheckOutcome(notRun, strict: false).failed)
        #expect(CheckOutcome(notRun, strict: true).failed)
    }

    @Test func eachFormatIsItsRenderer() throws {
        let snap = Board.snapshot(Board.igb())
        func doc(_ f: CheckFormat, _ r: Report, strict: Bool = false) -> String {
            CheckRender.document(r, format: f, strict: strict, snapshot: snap, scope: scope, toFile: true, now: 1_765_000_000)
        }
        #expect(doc(.text, warning) == CheckRender.text(warning, style: .plain))
        #expect(doc(.tap, warning, strict: true) == CheckRender.tap(warning, strict: true, scope: scope))
        #expect(doc(.junit, error) == CheckRender.junit(error, strict: false, scope: scope))
        let json = try JSON.parse(doc(.json, warning, strict: true))
        #expect(json["exit_status"] == .int(1))
        #expect(doc(.prometheus, error).contains("\ntsctl_check_exit_status 1\n"))
        #expect(doc(.prometheus, warning).contains("\ntsctl_check_timestamp_seconds 1765000000\n"))
    }

    @Test func aCheckThatCouldNotRunWritesAFileInEveryFormatButStdoutOnlyForMachines() throws {
        let f = TsctlFailure(.badInputFile, "cannot read x.toml: No such file or directory")
        for format in CheckFormat.allCases {
            #expect(CheckRender.couldNotRun(f, format: format, toFile: true, now: 0) != nil, "\(format)")
        }
        #expect(CheckRender.couldNotRun(f, format: .text, toFile: false, now: 0) == nil)
        #expect(CheckRender.couldNotRun(f, format: .json, toFile: false, now: 0) == nil)
        #expect(CheckRender.couldNotRun(f, format: .tap, toFile: false, now: 0) == CheckRender.tapError(f.message, exitStatus: 3))
        #expect(CheckRender.couldNotRun(f, format: .text, toFile: true, now: 0) == CheckRender.textError(f.message, exitStatus: 3))
        let json = try JSON.parse(try #require(CheckRender.couldNotRun(f, format: .json, toFile: true, now: 0)))
        #expect(json["command"] == .string("check") && json["exit_status"] == .int(3))
        #expect(CheckRender.couldNotRun(f, format: .prometheus, toFile: false, now: 7)?.contains("\ntsctl_check_exit_status 3\n") == true)
        #expect(CheckRender.couldNotRun(f, format: .junit, toFile: false, now: 0)?.contains("type=\"exit-3\"") == true)
    }
}
