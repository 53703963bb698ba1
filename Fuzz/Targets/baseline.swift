// libFuzzer target: the baseline reader (Scripts/fuzz baseline), the
// `tsctl show --json` reader behind `check --baseline FILE`.
// Input: the baseline's bytes; optionally a NUL and a second document taken as
// the current state (else the baseline is compared with itself).
import TsctlCodec
import TsctlDiagnosis
import TsctlModel
import TsctlRender

/// One input; also replayed by the unit tests (Fuzz/crashes/baseline).
public func fuzzBaseline(_ bytes: [UInt8]) {
    let cut = bytes.firstIndex(of: 0)
    func snapshot(_ part: ArraySlice<UInt8>) -> Snapshot? {
        do { return try Snapshot(json: try JSON.parse(String(decoding: part, as: UTF8.self))) } catch {
            _ = "\(error)"
            return nil
        }
    }
    guard let base = snapshot(bytes[..<(cut ?? bytes.count)]) else { return }
    let current = cut.flatMap { snapshot(bytes[($0 + 1)...]) } ?? base
    let report = Diagnosis.run(DiagnosisInput(snapshot: current, baseline: base))
    _ = CheckRender.text(report, style: TextStyle(color: true))
    _ = CheckRender.json(report, kernel: current.kernel, status: 1).serialized()
    let scope = CheckRender.JUnitScope(baseline: true, expect: false, hardware: Set(current.interfaces.map(\.name)), seconds: 0)
    _ = CheckRender.junit(report, strict: true, scope: scope)
    _ = CheckRender.tap(report, strict: true)
    _ = CheckRender.prometheus(report, snapshot: current, scope: scope, status: 1, now: 0)
    _ = ShowText.render(base, style: TextStyle(color: false))
}

#if TSCTL_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzBaseline(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
