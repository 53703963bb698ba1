import Testing

@testable import TsctlChange
@testable import TsctlModel

/// A kernel that keeps MACCHIATObin-like ports in memory and does what TSCONFIG_SET
/// does to them: a provider switch first (it resets tx/rx), then the driver's
/// part, which may refuse or quietly keep another rx filter. Requests go by
/// ifindex, as the real ones do: a port renamed is still found, one gone is not.
final class FakeKernel: KernelWriter {
    var ports: [String: InterfaceSnapshot]
    /// rx filters the driver refuses, with the errno it answers.
    var refuseRx: [String: Int32] = [:]
    /// Interfaces whose driver answers success but keeps its rx filter.
    var ignoreRx: Set<String> = []
    /// Refuse every request from the nth on (1-based): a rollback that fails.
    var refuseFrom: Int?
    /// The interface goes away after the nth request.
    var vanishAfter: Int?
    private(set) var sent: [(String, ConfigChange)] = []
    /// Called with the request's number (1-based) as it is sent: a signal or a rename at that moment.
    var onSend: ((Int) -> Void)?
    /// Snapshots read (ChangeKernel), and a hook called with the number of each.
    var snapshots = 0
    var onSnapshot: ((Int) -> Void)?

    init(_ ports: InterfaceSnapshot...) {
        self.ports = Dictionary(uniqueKeysWithValues: ports.map { ($0.name, $0) })
    }

    /// The name the port with that ifindex has now.
    func name(of ref: InterfaceRef) -> String? { ports.first { $0.value.ifindex == ref.ifindex }?.key }

    /// The nth re-read (1-based) fails with this errno.
    var rereadFailsAt: (n: Int, errno: Int32)?
    private(set) var rereads = 0

    func reread(_ ref: InterfaceRef) -> Result<InterfaceSnapshot, KernelFailure> {
        rereads += 1
        if let f = rereadFailsAt, rereads == f.n {
            return .failure(KernelFailure(errno: f.errno, message: "recvmmsg(netlink): errno \(f.errno)"))
        }
        guard let p = name(of: ref).flatMap({ ports[$0] }) else {
            return .failure(KernelFailure(kind: .noSuchDevice, errno: 19, message: "no device"))
        }
        return .success(p)
    }

    func send(_ change: ConfigChange, to ref: InterfaceRef, via request: ChangeRequest) -> Result<ActiveConfig?, KernelFailure> {
        let interface = name(of: ref) ?? ref.name
        sent.append((interface, change))
        onSend?(sent.count)
        defer { if sent.count == vanishAfter { ports[interface] = nil } }
        if let n = refuseFrom, sent.count >= n { return .failure(KernelFailure(errno: 16, message: "TSCONFIG_SET \(interface): busy")) }
        guard name(of: ref) != nil, var itf = ports[interface] else {
            return .failure(KernelFailure(errno: 19, message: "TSCONFIG_SET \(interface): no device"))
        }
        if let p = change.provider {
            for i in itf.providers.indices { itf.providers[i].active = itf.providers[i].phcIndex == p.phcIndex }
            let now = itf.providers.first { $0.active }
            itf.active = ActiveConfig(
                readVia: .tsconfig, phcIndex: p.phcIndex, qualifier: p.qualifier, layer: now?.layer,
                phyIndex: now?.phyIndex, txType: "off", rxFilter: "none")
        }
        defer { ports[interface] = itf }
        if let rx = change.rxFilter, let e = refuseRx[rx.name] {
            return .failure(KernelFailure(errno: e, message: "TSCONFIG_SET \(interface): refused (errno \(e))"))
        }
        if let tx = change.txType { itf.active.txType = tx.value }
        if let rx = change.rxFilter, !ignoreRx.contains(interface) { itf.active.rxFilter = rx.value }
        if let f = change.flags { itf.active.flags = f.flags }
        return .success(nil)
    }
}

@Suite struct TransactionTests {
    let ERANGE: Int32 = 34, EPERM: Int32 = 1

    func plans(_ kernel: FakeKernel, _ d: Desired, _ names: String...) throws -> [InterfacePlan] {
        try names.map { try Planner.plan(kernel.ports[$0]!, d, features: Board.kernel().features).get() }
    }

    func port(_ name: String, active: Layer = .mac) -> InterfaceSnapshot {
        var p = Board.macchiatobin(active: active)
        p.name = name
        p.ifindex = 10 + (Int(name.dropFirst(3)) ?? 0)
        return p
    }

    @Test func successAppliesAndVerifiesEach() throws {
        let k = FakeKernel(port("eth0"), port("eth1"))
        let t = Transaction.run(try plans(k, Desired(txType: "off"), "eth0", "eth1"), kernel: k)
        #expect(t.result == .applied && t.summary == nil)
        #expect(
            t.report == [
                "eth0: applied, verified by read back; now mac ptp2, tx off, rx all",
                "eth1: applied, verified by read back; now mac ptp2, tx off, rx all"
            ])
        // One record per plan, for set/apply --json: sent, verified, the state after.
        #expect(t.records.map(\.outcome) == [.applied, .applied])
        #expect(t.records.allSatisfy { $0.sent && $0.verified && !$0.rolledBack && $0.after?.txType == "off" })
    }

    @Test func aRefusalThatChangedNothingIsNotSupportedAndNothingIsRolledBack() throws {
        let k = FakeKernel(port("eth0"))
        k.refuseRx["none"] = ERANGE
        let t = Transaction.run(try plans(k, Desired(rxFilter: "none"), "eth0"), kernel: k)
        #expect(t.result == .failedUnchanged(.notSupported))
        #expect(t.summary == "TSCONFIG_SET eth0: refused (errno 34); nothing was changed")
        #expect(k.sent.count == 1, "nothing to roll back")
    }

    @Test func aPermissionRefusalSaysSo() throws {
        let k = FakeKernel(port("eth0"))
        k.refuseRx["none"] = EPERM
        let t = Transaction.run(try plans(k, Desired(rxFilter: "none"), "eth0"), kernel: k)
        #expect(t.result == .failedUnchanged(.permission))
        #expect(t.summary?.hasPrefix("permission denied") == true)
    }

    @Test func aRefusalAfterTheKernelSwitchedProviderIsRolledBack() throws {
        // 7.x: the provider is switched before the driver refuses the filter.
        let k = FakeKernel(port("eth0", active: .phy))
        k.refuseRx["all"] = ERANGE
        let t = Transaction.run(try plans(k, Desired(source: .mac, txType: "on", rxFilter: "all"), "eth0"), kernel: k)
        #expect(t.result == .rolledBack(interfaces: 1))
        #expect(t.report.contains("eth0: the kernel changed it before refusing"))
        #expect(t.report.last == "eth0: rolled back, verified by read back; now phy:1 ptp0, tx on, rx some")
        #expect(t.records[0].outcome == .rolledBack && t.records[0].rolledBack && t.records[0].after?.rxFilter == "some")
        #expect(t.records[0].message?.contains("the kernel changed it before refusing; rolled back") == true)
        #expect(k.ports["eth0"]?.active.phcIndex == 0 && k.ports["eth0"]?.active.rxFilter == "some")
    }

    @Test func aReadBackMismatchRollsBackEverythingChangedNewestFirst() throws {
        let k = FakeKernel(port("eth0"), port("eth1"))
        let ps = try plans(k, Desired(txType: "off", rxFilter: "none"), "eth0", "eth1")
        // eth0 applies; then eth1's driver keeps its filter.
        k.ignoreRx = ["eth1"]
        let t = Transaction.run(ps, kernel: k)
        #expect(t.result == .rolledBack(interfaces: 2))
        #expect(t.report.contains("eth1: failed: eth1: after the change (read back) rx is all, not none"))
        let rollbacks = t.report.filter { $0.contains("rolled back") }
        #expect(rollbacks.map { String($0.prefix(4)) } == ["eth1", "eth0"])
    }

    @Test func aFailedRollbackIsIncomplete() throws {
        let k = FakeKernel(port("eth0"), port("eth1"))
        k.refuseFrom = 2
        let t = Transaction.run(try plans(k, Desired(txType: "off"), "eth0", "eth1"), kernel: k)
        #expect(t.result == .rollbackIncomplete)
        #expect(t.report.contains("eth0: ROLLBACK FAILED: TSCONFIG_SET eth0: busy"))
        #expect(
            t.summary?.hasPrefix("the change failed (") == true
                && t.summary?.hasSuffix(") and the rollback is incomplete; see above") == true)
    }

    @Test func anInterfaceThatVanishesCannotBeVerifiedNorRestored() throws {
        let k = FakeKernel(port("eth0"))
        k.vanishAfter = 1
        let t = Transaction.run(try plans(k, Desired(txType: "off"), "eth0"), kernel: k)
        #expect(t.report.first == "eth0: failed: eth0 disappeared while it was being configured")
        #expect(t.result == .rollbackIncomplete, "the rollback has no interface to send to")
    }

    /// The read that verifies a change fails (ENOBUFS): never "verified", never
    /// "disappeared"; the change is rolled back and the rollback verified.
    @Test func aFailedVerifyingReadIsSaidAndRolledBack() throws {
        let k = FakeKernel(port("eth0"))
        k.rereadFailsAt = (1, 105)
        let t = Transaction.run(try plans(k, Desired(txType: "off"), "eth0"), kernel: k)
        #expect(t.result == .rolledBack(interfaces: 1))
        #expect(t.summary?.contains("the read that verifies the change failed: recvmmsg(netlink): errno 105") == true)
        #expect(!(t.summary ?? "").contains("disappeared"))
        #expect(t.records.first?.verified == false && t.records.first?.rolledBack == true)
        #expect(k.ports["eth0"]?.active.txType == "on", "rolled back to what it was")
    }

    @Test func nothingToDoSendsNothing() throws {
        let k = FakeKernel(port("eth0"))
        let t = Transaction.run(try plans(k, Desired(txType: "on"), "eth0"), kernel: k)
        #expect(t.result == .applied && k.sent.isEmpty)
    }
}
