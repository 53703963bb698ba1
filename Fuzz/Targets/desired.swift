import TsctlChange
// libFuzzer target: the desired-state parser (Scripts/fuzz desired), as
// `apply FILE` and `check --expect FILE` use it.
// Input: the file's bytes; optionally a NUL and a `tsctl show --json` document,
// against which a parsed file is then planned and checked.
import TsctlCodec
import TsctlDiagnosis
import TsctlModel

/// One input; also replayed by the unit tests (Fuzz/crashes/desired).
public func fuzzDesired(_ bytes: [UInt8]) {
    let cut = bytes.firstIndex(of: 0)
    let text = String(decoding: bytes[..<(cut ?? bytes.count)], as: UTF8.self)
    let state: DesiredState
    do { state = try DesiredState.parse(text, file: "fuzz.toml") } catch {
        _ = error.description
        return
    }
    guard let cut, let json = try? JSON.parse(String(decoding: bytes[(cut + 1)...], as: UTF8.self)),
        let snap = try? Snapshot(json: json)
    else { return }
    _ = Planner.plan(state, snap)
    _ = Diagnosis.run(DiagnosisInput(snapshot: snap, expectations: state))
}

#if TSCTL_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    fuzzDesired(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
