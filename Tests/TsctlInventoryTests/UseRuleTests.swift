import Testing

@testable import TsctlDiagnosis
@testable import TsctlModel
@testable import TsctlRender

/// check --for ptp / ntp and `for = [...]`: can the provider in use do what the host needs?
@Suite struct UseRuleTests {
    static let phyPTPOnly = Capabilities(
        timestamping: Board.macCaps.timestamping, txTypes: ["off", "on"],
        rxFilters: ["none", "ptpv2-l4-event", "ptpv2-l2-event", "ptpv2-event"])

    /// A MAC offering rx all with a PHY offering PTP filters only, the PHY in use
    /// (a CM4-like board: "PTP only" while the MAC offers all).
    static func board(active: Layer = .phy) -> InterfaceSnapshot {
        var itf = Board.macchiatobin(active: active)
        itf.providers[1].capabilities = phyPTPOnly
        if active == .phy { itf.advertised?.capabilities = phyPTPOnly }
        return itf
    }

    func run(_ itf: InterfaceSnapshot, _ uses: [TimestampingUse], kernel: KernelInfo = Board.kernel(), file: DesiredState? = nil) -> Report
    {
        var input = DiagnosisInput(snapshot: Board.snapshot(itf, kernel: kernel), expectations: file)
        input.uses = uses
        return Diagnosis.run(input)
    }

    func found(_ r: Report) -> [Finding] { r.findings.filter { $0.id == "use-unsupported" } }

    @Test func ntpOnAPTPOnlyPHYNamesTheMACAndTheSetLine() throws {
        let f = found(run(Self.board(), [.ntp]))
        #expect(f.map(\.severity) == [.error])
        let one = try #require(f.first)
        #expect(
            one.statement
                == "chrony's NTP hardware timestamping needs rx all (or ntp-all), which the active provider phy:1 ptp0 of eth2 cannot do "
                + "(tx off on, rx none ptpv2-l4-event ptpv2-l2-event ptpv2-event); mac ptp2 can (tx on, rx all)")
        #expect(one.remedy == "tsctl set eth2 --source mac --tx on --rx all")
        #expect(one.evidence.first?.says == "--for ntp")
    }

    @Test func ptpOnThePTPOnlyPHYPasses() {
        #expect(found(run(Self.board(), [.ptp])).isEmpty)
        // Both asked: only the one the PHY cannot do is reported.
        #expect(found(run(Self.board(), [.ptp, .ntp])).count == 1)
    }

    @Test func ptpNeedsTransmitTimestampsAndAPTPFilter() throws {
        var itf = Self.board(active: .mac)
        // A MAC that stamps every received packet but cannot stamp transmitted ones.
        itf.providers[0].capabilities = Capabilities(timestamping: Board.macCaps.timestamping, txTypes: ["off"], rxFilters: ["none", "all"])
        let one = try #require(found(run(itf, [.ptp])).first)
        #expect(one.statement.contains("ptp4l needs tx on and a PTP rx filter"))
        #expect(one.remedy == "tsctl set eth2 --source phy:1 --tx on --rx ptpv2-event")
        #expect(found(run(itf, [.ntp])).isEmpty)
    }

    @Test func noProviderCanIsSaidWithoutARemedy() throws {
        var itf = Self.board()
        itf.providers[0].capabilities = Self.phyPTPOnly
        let one = try #require(found(run(itf, [.ntp])).first)
        #expect(one.statement.hasSuffix("; no other provider of eth2 can"))
        #expect(one.remedy == nil)
    }

    @Test func withoutForNothingIsJudgedOrListed() {
        let r = run(Self.board(), [])
        #expect(found(r).isEmpty)
        let scope = CheckRender.JUnitScope(baseline: false, expect: false, hardware: ["eth2"], seconds: 0)
        #expect(!CheckRender.junit(r, strict: false, scope: scope).contains("use-unsupported"))
        var asked = scope
        asked.uses = true
        #expect(CheckRender.junit(run(Self.board(), [.ntp]), strict: false, scope: asked).contains("use-unsupported"))
    }

    @Test func aDesiredStateFileSaysWhatAnInterfaceIsFor() throws {
        let file = try DesiredState.parse("[[interface]]\nname = \"eth2\"\nfor = [\"ntp\", \"ptp\", \"ntp\"]\n", file: "board.toml")
        #expect(file.interfaces[0].desired.uses == [.ntp, .ptp])
        #expect(file.interfaces[0].desired.isEmpty, "for changes nothing apply does")
        let one = try #require(found(run(Self.board(), [], file: file)).first)
        #expect(one.evidence.first?.says == "board.toml:1: for = [\"ntp\"]")
        #expect(throws: DesiredStateError.self) { try DesiredState.parse("[[interface]]\nname = \"eth2\"\nfor = [\"gps\"]\n", file: "f") }
        #expect(throws: DesiredStateError.self) { try DesiredState.parse("[[interface]]\nname = \"eth2\"\nfor = \"ptp\"\n", file: "f") }
    }

    @Test func beforeTSCONFIGTheOtherProvidersCapabilitiesAreUnknown() throws {
        var itf = Self.board()
        for i in itf.providers.indices { itf.providers[i].capabilities = nil }
        let one = try #require(found(run(itf, [.ntp], kernel: Board.kernel("6.12.57+deb13-amd64", tsconfig: false))).first)
        #expect(
            one.statement.hasSuffix("; whether mac ptp2 can is unknown (this kernel lists the advertised provider's capabilities only)"))
    }
}
