// libFuzzer target: the command line (Scripts/fuzz argv), both the fast path
// for plain show/check and ArgumentParser's parsing with every command's
// validate(), and the messages and exit codes for what they refuse. Nothing
// is run: no command here touches the system.
// Input: the arguments after `tsctl`, separated by NUL bytes.
import ArgumentParser
import TsctlModel
@testable import TsctlCLI

public func fuzzArgv(_ bytes: [UInt8]) {
    let args = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    // What runMain does, short of running the command.
    _ = ArgumentRules.givenTwice(args[...])
    _ = Show.fastPath(args[...])
    _ = CheckCommand.fastPath(args[...])
    do {
        _ = try Tsctl.parseAsRoot(args)
    } catch {
        _ = Tsctl.exitCode(for: error)
        _ = ArgumentRules.oneLine(Tsctl.message(for: error))
        _ = Tsctl.fullMessage(for: error)
    }
}

#if TSCTL_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzArgv(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
