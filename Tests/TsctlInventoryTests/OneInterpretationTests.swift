import Testing

@testable import TsctlChange
@testable import TsctlDiagnosis
@testable import TsctlModel

/// apply, apply --dry-run, check --expect and set read a desired state one way:
/// what apply would leave alone check accepts, and what check rejects apply changes.
@Suite struct OneInterpretationTests {
    func file(_ text: String) throws -> DesiredState { try DesiredState.parse(text, file: "board.toml") }

    func check(_ state: DesiredState, _ snap: Snapshot, scope: Set<NameKey>? = nil) -> Report {
        var input = DiagnosisInput(snapshot: snap, expectations: state)
        input.scope = scope
        return Diagnosis.run(input)
    }

    @Test func aFilterTheDriverWidensIsMetByApplyAndByCheck() throws {
        // mvpp2 lists none/all and answers ptpv2-event with all.
        let state = try file("[[interface]]\nname = \"eth2\"\nsource = \"mac\"\ntx = \"on\"\nrx = \"ptpv2-event\"\n")
        let snap = Board.snapshot(Board.macchiatobin(active: .mac))
        let (plans, errors) = Planner.plan(state, snap)
        #expect(errors.isEmpty && plans.count == 1 && plans[0].isNoOp, "apply: nothing to do")
        let r = check(state, snap)
        #expect(r.findings.isEmpty, "check --expect agrees: \(r.findings.map(\.statement))")
    }

    @Test func whatCheckRejectsApplyChangesAndTheRemedySaysSo() throws {
        let state = try file("[[interface]]\nname = \"eth2\"\nrx = \"ptpv2-event\"\n")
        let snap = Board.snapshot(Board.macchiatobin(active: .mac, rx: "none"))
        let (plans, _) = Planner.plan(state, snap)
        #expect(plans.first?.isNoOp == false)
        let f = check(state, snap).findings.first { $0.id == "expectation-not-met" }
        #expect(f?.statement.contains("rx ptpv2-event, active none") == true)
        #expect(f?.remedy == "tsctl apply board.toml")
        #expect(!check(state, snap).findings.contains { $0.id == "rx-filter-unsupported" }, "all covers ptpv2-event")
    }

    @Test func whatApplyCannotDoHasNoApplyRemedy() throws {
        // The PHY lists none/some: ptpv2-event is neither listed nor covered.
        let state = try file("[[interface]]\nname = \"eth2\"\nsource = \"phy\"\nrx = \"ptpv2-event\"\n")
        let snap = Board.snapshot(Board.macchiatobin(active: .mac))
        #expect(!Planner.plan(state, snap).errors.isEmpty)
        let r = check(state, snap)
        #expect(Set(r.findings.map(\.id)) == ["expectation-not-met", "rx-filter-unsupported"])
        #expect(r.findings.allSatisfy { $0.remedy == nil })
    }

    /// `caf\xc3\xa9` and `cafe\xcc\x81` are two interfaces to the kernel and one
    /// name to Swift's String ==: a glob matching both is no conflict, and a
    /// scope naming one does not take in the other.
    @Test func namesEqualToUnicodeButNotInBytesAreTwoInterfaces() throws {
        var nfc = Board.igb(name: "caf\u{e9}", phc: 1)
        nfc.ifindex = 7
        var nfd = Board.igb(name: "cafe\u{301}", phc: 2)
        nfd.ifindex = 8
        #expect(nfc.name == nfd.name, "String calls them equal")
        let state = try file("[[interface]]\nname = \"caf*\"\ntx = \"on\"\nrx = \"all\"\n")
        let a = state.assign([nfc, nfd])
        #expect(a.conflicts.isEmpty && a.pairs.count == 2)
        let scoped = state.assign([nfc, nfd], scope: [NameKey(nfd.name)])
        #expect(scoped.pairs.map(\.1.ifindex) == [8])
        let snap = Board.snapshot(nfc, nfd)
        #expect(Planner.plan(state, snap).errors.isEmpty)
    }

    @Test func twoEntriesForOneInterfaceNameBothAndStopApply() throws {
        let state = try file("[[interface]]\nname = \"eth*\"\ntx = \"on\"\n\n[[interface]]\ndriver = \"mvpp2\"\nrx = \"all\"\n")
        let snap = Board.snapshot(Board.macchiatobin())
        let a = state.assign(snap.interfaces)
        #expect(a.conflicts.count == 1)
        #expect(a.conflicts[0].description.contains("board.toml:1 (name \"eth*\") and board.toml:5 (driver \"mvpp2\")"))
        let errors = Planner.plan(state, snap).errors
        #expect(errors.map(\.kind) == [.conflict])
    }

    @Test func anEntryThatMatchesNothingIsAnErrorUnlessOptional() throws {
        let snap = Board.snapshot(Board.igb(name: "eth0"))
        let glob = try file("[[interface]]\nname = \"lan*\"\ntx = \"on\"\n")
        #expect(Planner.plan(glob, snap).errors.map(\.kind) == [.noMatch])
        #expect(check(glob, snap).findings.map(\.id) == ["expectation-not-met"])
        let driver = try file("[[interface]]\ndriver = \"mvpp2\"\ntx = \"on\"\n")
        #expect(Planner.plan(driver, snap).errors.first?.message.contains("optional = true") == true)
        let optional = try file("[[interface]]\ndriver = \"mvpp2\"\ntx = \"on\"\noptional = true\n")
        #expect(Planner.plan(optional, snap).errors.isEmpty)
        #expect(check(optional, snap).findings.isEmpty)
        #expect(throws: DesiredStateError.self) { try file("[[interface]]\nname = \"eth0\"\noptional = 1\n") }
    }

    @Test func namedInterfacesLimitExpectationsAndTheBaseline() throws {
        let both = Board.snapshot(Board.igb(name: "eth0"), Board.igb(name: "eth1", phc: 3))
        let only = Board.snapshot(Board.igb(name: "eth0"))
        var input = DiagnosisInput(snapshot: only, baseline: both)
        input.scope = ["eth0"]
        #expect(Diagnosis.run(input).findings.isEmpty, "eth1 was not named: not 'no longer exists'")
        input.scope = nil
        #expect(Diagnosis.run(input).findings.map(\.id) == ["drift"])
        let state = try file("[[interface]]\nname = \"eth1\"\ntx = \"on\"\n")
        #expect(check(state, only, scope: ["eth0"]).findings.isEmpty)
    }
}
