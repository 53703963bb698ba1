import Testing

@testable import TsctlCodec
@testable import TsctlDiagnosis
@testable import TsctlModel

/// `tsctl check`'s files and options turned into what diagnosis runs on.
@Suite struct CheckQuestionTests {
    func file(_ text: String) throws -> DesiredState { try DesiredState.parse(text, file: "board.toml") }
    let evidence = Evidence(snapshot: Board.snapshot(Board.macchiatobin(), Board.igb()))

    @Test func theNamedInterfacesAreTheScopeAndTheOptionsCarryOver() throws {
        let base = Board.snapshot(Board.igb())
        let q = CheckQuestion(interfaces: ["eth0"], baseline: base, prefer: .phy, uses: [.ptp, .ptp])
        let input = try DiagnosisInput(q, evidence: evidence, primaryNames: { $0.map { _ in nil } })
        #expect(input.scope == [NameKey("eth0")])
        #expect(input.baseline == base && input.prefer == .phy && input.uses == [.ptp])
        #expect(input.asksUses && input.expectations == nil)
        let all = try DiagnosisInput(CheckQuestion(interfaces: []), evidence: evidence, primaryNames: { _ in [] })
        #expect(all.scope == nil && !all.asksUses)
    }

    @Test func anAltnameInTheFileIsTheInterfaceTheKernelNames() throws {
        let q = CheckQuestion(interfaces: [], expectations: try file("[[interface]]\nname = \"lan0\"\ntx = \"on\"\n"))
        let input = try DiagnosisInput(q, evidence: evidence, primaryNames: { $0.map { $0 == "lan0" ? "eth0" : nil } })
        #expect(input.expectations?.interfaces.first?.name == "eth0")
        #expect(!input.asksUses)
        let uses = CheckQuestion(interfaces: [], expectations: try file("[[interface]]\nname = \"eth0\"\nfor = [\"ntp\"]\n"))
        #expect(try DiagnosisInput(uses, evidence: evidence, primaryNames: { _ in [] }).asksUses)
    }

    @Test func twoEntriesForOneCheckedInterfaceAreABadFile() throws {
        let q = CheckQuestion(
            interfaces: [],
            expectations: try file("[[interface]]\nname = \"eth*\"\ntx = \"on\"\n\n[[interface]]\ndriver = \"mvpp2\"\nrx = \"all\"\n"))
        #expect(throws: TsctlFailure.self) { try DiagnosisInput(q, evidence: evidence, primaryNames: { _ in [] }) }
        do { _ = try DiagnosisInput(q, evidence: evidence, primaryNames: { _ in [] }) } catch {
            #expect(error.status == .badInputFile)
            #expect(error.message.contains("board.toml:1 (name \"eth*\") and board.toml:5 (driver \"mvpp2\")"))
        }
        // Outside the interfaces named, the conflict is not check's to judge.
        var scoped = q
        scoped.interfaces = ["eth0"]
        #expect(try DiagnosisInput(scoped, evidence: evidence, primaryNames: { _ in [] }).scope == [NameKey("eth0")])
    }
}
