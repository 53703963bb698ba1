import Foundation
import Testing
import TsctlCodec
import TsctlModel
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// The input files users hand tsctl (apply FILE, --expect, --baseline): what
/// is refused, with which message, always exit 3.
@Suite struct InputFileTests {
    func failure(_ body: () throws -> Void) -> TsctlFailure? {
        do { try body() } catch { return error as? TsctlFailure }
        return nil
    }

    func write(_ bytes: [UInt8], _ path: String) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot create \(path)")
    }

    @Test func aRegularUTF8FileIsReadWhole() throws {
        try OutputFileTests.inTemporaryDirectory { dir in
            write(Array("[[interface]]\nname = \"eth0\"\ntx = \"on\"\n".utf8), dir + "/d.toml")
            let state = try loadDesired(dir + "/d.toml")
            #expect(state.interfaces.map(\.name) == ["eth0"])
        }
    }

    func loadDesired(_ path: String) throws(TsctlFailure) -> DesiredState {
        try DesiredState.input(InputFile.text(path, limit: InputFile.desiredStateLimit), file: path)
    }

    @Test func whatIsNotARegularUTF8FileWithinTheLimitIsRefused() throws {
        try OutputFileTests.inTemporaryDirectory { dir in
            write([0x74, 0xff, 0xfe], dir + "/bin")
            #expect(failure { _ = try InputFile.text(dir + "/bin") }?.message == "cannot read \(dir)/bin: it is not UTF-8 text")
            write(Array(repeating: 0x20, count: InputFile.desiredStateLimit + 1), dir + "/big.toml")
            let big = failure { _ = try loadDesired(dir + "/big.toml") }
            #expect(big?.message == "cannot read \(dir)/big.toml: it is larger than tsctl's limit of 1 MiB for desired-state files")
            #expect(big?.status == .badInputFile)
            let small = failure { _ = try InputFile.text(dir + "/big.toml", limit: InputFile.desiredStateLimit) }
            #expect(small?.message.hasSuffix("for desired-state files") == true)
            #expect(mkfifo(dir + "/fifo", 0o600) == 0)
            #expect(
                failure { _ = try InputFile.text(dir + "/fifo") }?.message == "cannot read \(dir)/fifo: it is a FIFO, not a regular file")
            #expect(failure { _ = try InputFile.text(dir + "/none") }?.message == "cannot read \(dir)/none: No such file or directory")
        }
    }

    @Test func theInputFileLimitIsNamedAsSuch() throws {
        try OutputFileTests.inTemporaryDirectory { dir in
            write(Array(repeating: 0x20, count: 3 << 20), dir + "/big.json")
            let e = failure { _ = try InputFile.text(dir + "/big.json", limit: 2 << 20) }
            #expect(e?.message == "cannot read \(dir)/big.json: it is larger than tsctl's limit of 2 MiB for input files")
        }
    }

    @Test func aBadDesiredStateSaysWhereInTheFile() {
        let e = failure { _ = try DesiredState.input("[[interface]]\nname = \n", file: "d.toml") }
        #expect(e?.status == .badInputFile)
        #expect(e?.message.hasPrefix("d.toml:2:") == true)
    }

    @Test func aBadBaselineSaysWhereAndWhatABaselineIs() {
        let syntax = failure { _ = try Snapshot.baseline("{\"kernel\": ", file: "b.json") }
        #expect(syntax?.status == .badInputFile)
        #expect(syntax?.message.hasPrefix("b.json:1:") == true)
        #expect(syntax?.message.hasSuffix(" (a baseline is the output of `tsctl show --json`)") == true)
        let shape = failure { _ = try Snapshot.baseline("{\"kernel\": 1}", file: "b.json") }
        #expect(shape?.message.hasPrefix("b.json: $") == true, "\(String(describing: shape))")
        #expect(shape?.message.hasSuffix(" (a baseline is the output of `tsctl show --json`)") == true)
    }
}
