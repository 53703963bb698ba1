import TsctlChange
import TsctlCodec
import TsctlKernel
import TsctlModel
import TsctlRender
import TsctlSystem

#if canImport(Glibc)
import Glibc
#endif

/// A change session on this system, reporting on standard output.
extension ChangeEnvironment {
    static var live: ChangeEnvironment { .system(output: StandardChangeOutput()) }
}

final class StandardChangeOutput: ChangeOutput {
    func text(_ line: String, terminator: String) { print(line, terminator: terminator) }
    func log(_ line: String) {
        print(line)
        fflush(nil)
    }
    func warn(_ line: String) { Sys.printError(line) }
    func document(_ document: ChangeDocument) {
        print(document.json.serialized())
        JSONMode.printed = true
    }
    func ready(_ state: String) { SystemdNotify.send(state) }
}
