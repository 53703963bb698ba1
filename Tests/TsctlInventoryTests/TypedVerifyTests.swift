import Testing

@testable import TsctlChange
@testable import TsctlModel

/// Verify, rollback and the change document compare and write tx/rx/flags as
/// kernel values: a name the kernel sent is kept as sent, and only a value with
/// a number is ever put back into a request.
@Suite struct TypedVerifyTests {
    func port(_ name: String = "eth0") -> InterfaceSnapshot {
        var p = Board.macchiatobin()
        p.name = name
        return p
    }

    func plan(_ itf: InterfaceSnapshot, _ d: Desired) throws -> InterfacePlan {
        try Planner.plan(itf, d, features: Board.kernel().features).get()
    }

    @Test func aSetReplyProvesAChangeThatCannotBeReadBack() throws {
        let k = FakeKernel(port())
        let p = try plan(k.ports["eth0"]!, Desired(txType: "off", rxFilter: "none"))
        // A PHY provider before 6.19: TSCONFIG_GET cannot read it, the SET reply says what was set.
        k.ports["eth0"]!.active = .unavailable(.phyReadbackUnsupported, errno: 95)
        let reply = ActiveConfig(readVia: .tsconfig, phcIndex: 2, qualifier: .precise, txType: "off", rxFilter: "none")
        let o = try Applier(kernel: k).verify(p, reply: reply).get()
        #expect(o.state == .applied && o.message == "verified by TSCONFIG_SET reply")
        #expect(o.after?.txType == TxType(name: "off") && o.after?.rxFilter == RxFilter(index: 0))
        // The reply says another tx: the change is not taken as made.
        let wrong = ActiveConfig(readVia: .tsconfig, phcIndex: 2, qualifier: .precise, txType: "on", rxFilter: "none")
        guard case .failure(let f) = Applier(kernel: k).verify(p, reply: wrong) else {
            Issue.record("tx on is not tx off"); return
        }
        #expect(f.text == "eth0: after the change (TSCONFIG_SET reply) tx is on, not off")
    }

    @Test func withoutAReplyOnlyTheAdvertisedProviderIsChecked() throws {
        let k = FakeKernel(port())
        let p = try plan(k.ports["eth0"]!, Desired(txType: "off"))
        k.ports["eth0"]!.active = .unavailable(.driverUnsupported, errno: 95)
        let o = try Applier(kernel: k).verify(p, reply: nil).get()
        #expect(o.state == .unverified)
        #expect(o.message == "unverified: the configuration cannot be read back (driver-unsupported); the advertised provider matches")
    }

    @Test func flagsAreComparedAsASetOfKernelValues() throws {
        let k = FakeKernel(port())
        let p = try plan(k.ports["eth0"]!, Desired(flags: [HwtstampFlag(name: "bonded-phc-index")!]))
        #expect(p.change == ConfigChange(flags: 1))
        // The driver keeps no flag.
        guard case .failure(let f) = Applier(kernel: k).verify(p, reply: nil) else {
            Issue.record("a flag that did not stick is a failed change"); return
        }
        #expect(f.text == "eth0: after the change (read back) flags are [], not [bonded-phc-index]")
        k.ports["eth0"]!.active.flags = ["bonded-phc-index"]
        #expect((try? Applier(kernel: k).verify(p, reply: nil).get())?.state == .applied)
    }

    @Test func aPreviousValueWithoutANumberIsNeverSentBack() throws {
        let k = FakeKernel(port())
        var p = try plan(k.ports["eth0"]!, Desired(txType: "off"))
        // As if a newer kernel had reported it (the planner refuses such a change).
        p.current.rxFilter = "ptpv3-future"
        guard case .failure(let f) = Applier(kernel: k).rollback(p) else {
            Issue.record("rx none must not stand in for an unknown filter"); return
        }
        #expect(f.text.hasPrefix("eth0: its previous rx filter \"ptpv3-future\" (tsctl knows none, all, "))
        #expect(f.text.hasSuffix("cannot be sent back: tsctl does not know its number"))
        #expect(k.sent.isEmpty)
    }

    @Test func theChangeDocumentWritesTheKernelsNames() throws {
        let p = try plan(Board.macchiatobin(active: .phy), Desired(source: .mac, txType: "on", rxFilter: "all", flags: []))
        let json = ChangeRecord(plan: p, outcome: .wouldChange).json
        #expect(json["request"]?["tx_type"]?.stringValue == "on")
        #expect(json["request"]?["rx_filter"]?.stringValue == "all")
        #expect(json["request"]?["flags"]?.arrayValue == [])
        #expect(json["before"]?["rx_filter"]?.stringValue == "some")
        #expect(json["target"]?["tx_type"]?.stringValue == "on")
        let kept = Config(provider: nil, txType: "value-9", rxFilter: nil, flags: [HwtstampFlag(kernelName: "bit-5")]).json
        #expect(kept["tx_type"]?.stringValue == "value-9" && kept["rx_filter"]?.isNull == true)
        #expect(kept["flags"]?.arrayValue?.compactMap(\.stringValue) == ["bit-5"])
        #expect(kept["provider"]?.isNull == true)
    }
}
