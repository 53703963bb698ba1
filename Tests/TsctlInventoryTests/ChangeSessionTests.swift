import Testing
import TsctlChange
import TsctlModel

/// The change session (set and apply) against a fake kernel, fake locks,
/// daemons, stop requests and output: every branch a user can meet.
@Suite struct ChangeSessionTests {
    func port(_ name: String, ifindex: Int, active: Layer = .mac) -> InterfaceSnapshot {
        var p = Board.macchiatobin(active: active)
        p.name = name
        p.ifindex = ifindex
        return p
    }

    func desired(_ toml: String) throws -> Desired {
        try DesiredState.parse("[[interface]]\nname = \"eth0\"\n" + toml, file: "d.toml").interfaces[0].desired
    }

    func request(_ toml: String, wait: Double = 0, keep: Bool = false) throws -> ApplyRequest {
        ApplyRequest(state: try DesiredState.parse(toml, file: "d.toml"), file: "d.toml", wait: wait, keep: keep, interval: 30)
    }

    static let txOff = "[[interface]]\nname = \"eth0\"\ntx = \"off\"\n"
    static let bothTxOff = txOff + "[[interface]]\nname = \"eth1\"\ntx = \"off\"\n"

    // MARK: set

    @Test func setLocksRereadsSendsAndReports() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        try w.session().set("eth0", try desired("tx = \"off\""))
        #expect(w.stops.deferred, "a signal waits until the change is reported")
        #expect(w.locks.acquired.map(\.ifindex) == [5] && w.locks.acquired[0].purpose == "set eth0" && !w.locks.acquired[0].keep)
        #expect(w.kernel.snapshots == 2, "read again once locked")
        #expect(w.kernel.sent.map(\.0) == ["eth0"])
        #expect(w.kernel.ports["eth0"]?.active.txType == "off")
        #expect(w.output.stdout.hasPrefix("eth0: applied, verified by read back; now "))
        #expect(w.daemons.scans == 1)
    }

    @Test func setDryRunTouchesNothingAndSaysWhatItWouldDo() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.privileged = false
        try w.session(dryRun: true).set("eth0", try desired("tx = \"off\""))
        #expect(w.kernel.sent.isEmpty && w.locks.acquired.isEmpty && !w.stops.deferred)
        #expect(w.output.stdout.hasPrefix("eth0: would change ") && w.output.stdout.contains("tx off"))
    }

    @Test func setAlreadyAsAskedSendsNothingAndExits10() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let f = w.failure { try w.session(json: true).set("eth0", try desired("tx = \"on\"")) }
        #expect(f?.0 == .nothingToDo)
        #expect(w.kernel.sent.isEmpty)
        #expect(w.output.out.isEmpty, "--json prints the document only")
        let doc = try #require(w.output.documents.first).serialized()
        #expect(doc.contains("\"outcome\": \"unchanged\"") && doc.contains("\"exit_status\": 10"), "\(doc)")
    }

    @Test func setWithoutCapNetAdminIsRefusedBeforeTheKernelIsOpened() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.privileged = false
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
        #expect(f?.0 == .permissionDenied && f?.1?.hasSuffix("nothing was changed") == true)
        #expect(w.opened == 0)
    }

    @Test func setOnAMissingInterfaceSaysSo() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let f = w.failure { try w.session().set("eth7", try desired("tx = \"off\"")) }
        #expect(f?.0 == .noSuchDevice && f?.1?.hasPrefix("no such interface: eth7") == true)
    }

    @Test func setOnAnInterfaceRenamedWhileWaitingForItsLockSaysItIsGone() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.locks.onAcquire = {
            w.kernel.ports["lan0"] = w.kernel.ports.removeValue(forKey: "eth0").map {
                var p = $0; p.name = "lan0"; return p
            }
        }
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
        #expect(f?.0 == .noSuchDevice)
        #expect(w.kernel.sent.isEmpty)
    }

    @Test func aPlanTheInterfaceCannotTakeIsRefusedWithItsStatus() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"onestep-sync\"")) }
        #expect(f?.0 == .notSupported)
        #expect(w.kernel.sent.isEmpty)
    }

    @Test func aRefusedRequestIsReportedInTextAndJSON() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.kernel.refuseRx = ["none": 34]
        let f = w.failure { try w.session(json: true).set("eth0", try desired("rx = \"none\"")) }
        #expect(f?.0 == .notSupported)
        let doc = try #require(w.output.documents.first).serialized()
        #expect(doc.contains("\"outcome\": \"failed\"") && doc.contains("\"exit_status\": 5"))
    }

    // MARK: locks

    @Test(arguments: [
        (
            LockFailure.busy(holder: "pid 9: tsctl apply --keep k.toml", keeps: true), TsctlModel.ExitStatus.busy,
            "eth0 is locked: pid 9: tsctl apply --keep k.toml keeps it applied; nothing was changed"
        ),
        (
            .busy(holder: "pid 9: tsctl set eth0", keeps: false), .busy,
            "eth0 is locked: pid 9: tsctl set eth0 is still changing it after 10 s; nothing was changed"
        ),
        (
            .interrupted(StopRequest(signal: 2, name: "SIGINT")), .interrupted,
            "stopped by SIGINT while waiting for the lock of eth0; nothing was changed"
        ),
        (
            .system("open(/run/tsctl/lock/1-5): Permission denied", permission: true), .permissionDenied,
            "cannot take the lock of eth0: open(/run/tsctl/lock/1-5): Permission denied; nothing was changed"
        ),
        (.system("flock: EIO", permission: false), .kernelError, "cannot take the lock of eth0: flock: EIO; nothing was changed"),
        (
            .unsafeDirectory("/run/tsctl/lock must be a directory of uid 0 with mode 0700"), .kernelError,
            "cannot take the lock of eth0: /run/tsctl/lock must be a directory of uid 0 with mode 0700; nothing was changed"
        )
    ])
    func aLockNotHadChangesNothing(_ failure: LockFailure, _ status: TsctlModel.ExitStatus, _ message: String) throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.locks.refuse[5] = failure
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
        #expect(f?.0 == status && f?.1 == message)
        #expect(w.kernel.sent.isEmpty)
    }

    @Test func aKeepInstanceIsRefusedALockAnotherOneOffWriterHolds() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.locks.refuse[5] = .busy(holder: "pid 9: tsctl set eth0", keeps: false)
        let f = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(f?.1 == "eth0 is locked: pid 9: tsctl set eth0 is changing it; nothing was changed")
    }

    @Test func aWriterWaitingForTheLockSaysWhoHoldsIt() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.locks.heldBriefly = [5]
        try w.session().set("eth0", try desired("tx = \"off\""))
        #expect(w.output.errors == ["tsctl: waiting up to 10 s for pid 7: tsctl set eth0, which is changing eth0"])
        #expect(w.kernel.sent.count == 1)
    }

    // MARK: the daemon guard

    @Test func aDaemonOnTheInterfaceOrItsClocksRefusesTheChange() throws {
        for daemon in [FakeDaemons.ptp4l(["eth0"]), FakeDaemons.ptp4l(["*"]), FakeDaemons.ptp4l(phcs: [0])] {
            let w = ChangeWorld(port("eth0", ifindex: 5))
            w.daemons.daemons = [daemon]
            let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
            #expect(f?.0 == .refused)
            #expect(f?.1 == "ptp4l[42] uses eth0 or its clocks (\(daemon.commandLine)); stop it first or use --force")
            #expect(w.kernel.sent.isEmpty)
        }
    }

    @Test func aDaemonElsewhereOrForceLetsTheChangeThrough() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.daemons.daemons = [FakeDaemons.ptp4l(["eth1"], phcs: [7])]
        try w.session().set("eth0", try desired("tx = \"off\""))
        let v = ChangeWorld(port("eth0", ifindex: 5))
        v.daemons.daemons = [FakeDaemons.ptp4l(["eth0"])]
        try v.session(force: true).set("eth0", try desired("tx = \"off\""))
        #expect(w.kernel.sent.count == 1 && v.kernel.sent.count == 1)
        #expect(v.daemons.scans == 0, "--force does not look")
    }

    @Test func checkAndTheGuardAgreeOnWhoUsesAnInterface() {
        let itf = port("eth0", ifindex: 5)
        #expect(FakeDaemons.ptp4l(["eth0"]).names(itf) && FakeDaemons.ptp4l(["eth0"]).uses(itf))
        #expect(!FakeDaemons.ptp4l(phcs: [2]).names(itf) && FakeDaemons.ptp4l(phcs: [2]).uses(itf), "a clock is use, not naming")
        #expect(!FakeDaemons.ptp4l(["eth00"]).uses(itf))
    }

    // MARK: apply

    @Test func applyChangesEveryInterfaceAndReportsEachPlan() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5), port("eth1", ifindex: 6))
        try w.session().apply(try request(Self.bothTxOff))
        #expect(w.kernel.sent.map(\.0) == ["eth0", "eth1"])
        #expect(w.locks.acquired.map(\.purpose) == ["apply d.toml", "apply d.toml"])
        let lines = w.output.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("eth0: mac ptp2") && lines[2].hasPrefix("eth0: applied"))
    }

    @Test func applyDryRunExitsAsTheRealRunWould() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        try w.session(dryRun: true, json: true).apply(try request(Self.txOff))
        let doc = try #require(w.output.documents.first).serialized()
        #expect(doc.contains("\"outcome\": \"would-change\"") && doc.contains("\"dry_run\": true") && doc.contains("\"exit_status\": 0"))
        let v = ChangeWorld(port("eth0", ifindex: 5))
        let f = v.failure { try v.session(dryRun: true).apply(try request("[[interface]]\nname = \"eth0\"\ntx = \"on\"\n")) }
        #expect(f?.0 == .nothingToDo)
        #expect(v.output.out.last == "nothing to do: every interface is already as d.toml says\n")
        #expect(w.kernel.sent.isEmpty && v.kernel.sent.isEmpty && w.locks.acquired.isEmpty)
    }

    @Test func applyWithNothingToDoSendsNothingAndExits10() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let f = w.failure { try w.session().apply(try request("[[interface]]\nname = \"eth0\"\ntx = \"on\"\n")) }
        #expect(f?.0 == .nothingToDo && w.kernel.sent.isEmpty && w.daemons.scans == 0)
    }

    @Test func aFailureRollsBackWhatWasChangedAndTheDocumentSaysSo() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5), port("eth1", ifindex: 6))
        w.kernel.ignoreRx = ["eth1"]
        let f = w.failure {
            try w.session(json: true).apply(
                try request("[[interface]]\nname = \"eth0\"\nrx = \"none\"\n[[interface]]\nname = \"eth1\"\nrx = \"none\"\n"))
        }
        #expect(f?.0 == .rolledBack)
        #expect(w.kernel.ports["eth0"]?.active.rxFilter == "all", "eth0 is back as it was")
        let doc = try #require(w.output.documents.first).serialized()
        #expect(doc.contains("\"outcome\": \"rolled-back\"") && doc.contains("\"exit_status\": 7"))
    }

    @Test func everyProblemOfAFileIsSaidAndTheLastDecides() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        var toml = ""
        for i in 1...23 { toml += "[[interface]]\nname = \"gone\(i)\"\n" }
        let f = w.failure { try w.session().apply(try request(toml)) }
        #expect(f?.0 == .noSuchDevice && f?.1?.hasSuffix("; nothing was changed") == true)
        #expect(w.output.errors.count == 21 && w.output.errors.last == "tsctl: ... and 2 more problems like these")
    }

    @Test func waitingForAnInterfaceThatAppears() throws {
        let w = ChangeWorld()
        w.clock.onSleep = { now in if now > 100.5 { w.kernel.ports["eth0"] = self.port("eth0", ifindex: 5) } }
        try w.session().apply(try request(Self.txOff, wait: 5))
        #expect(w.clock.slept == [0.2, 0.2, 0.2] && w.kernel.sent.count == 1 && w.stops.deferred)
    }

    @Test func waitingRunsOutOrIsStopped() throws {
        let w = ChangeWorld()
        let f = w.failure { try w.session(dryRun: true).apply(try request(Self.txOff, wait: 1)) }
        #expect(f?.0 == .timedOut && f?.1?.hasSuffix("(still missing after --wait 1.0); nothing was changed") == true)
        let v = ChangeWorld()
        v.stops.stopAt = 2
        let g = v.failure { try v.session().apply(try request(Self.txOff, wait: 5)) }
        #expect(g?.0 == .terminated && g?.1?.hasPrefix("stopped by SIGTERM while waiting for: ") == true)
    }

    // MARK: stop requests around a send

    @Test func aStopBeforeTheFirstSendChangesNothing() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.locks.onAcquire = { w.stops.stop() }
        let f = w.failure { try w.session().apply(try request(Self.txOff)) }
        #expect(f?.0 == .interrupted && f?.1 == "stopped by SIGINT before eth0 was changed; nothing was changed")
        #expect(w.kernel.sent.isEmpty)
    }

    @Test func aStopDuringASendFinishesItThenUndoesIt() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5), port("eth1", ifindex: 6))
        w.kernel.onSend = { n in if n == 1 { w.stops.stop() } }
        let f = w.failure { try w.session().apply(try request(Self.bothTxOff)) }
        #expect(f?.0 == .interrupted)
        #expect(f?.1 == "stopped by SIGINT before eth1 was changed; 1 interface(s) rolled back and verified")
        #expect(w.kernel.sent.map(\.0) == ["eth0", "eth0"] && w.kernel.ports["eth0"]?.active.txType == "on")
    }

    @Test func aStopDuringTheLastSendKeepsTheVerifiedChange() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.kernel.onSend = { _ in w.stops.stop() }
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
        #expect(f?.0 == .interrupted && f?.1 == "stopped by SIGINT after the change above was made and verified")
        #expect(w.kernel.ports["eth0"]?.active.txType == "off")
    }

    // MARK: the interface between plan and send

    @Test func anInterfaceRenamedBetweenPlanAndSendIsStillTheOneChanged() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.daemons.onScan = {
            w.kernel.ports["lan0"] = w.kernel.ports.removeValue(forKey: "eth0").map {
                var p = $0; p.name = "lan0"; return p
            }
        }
        try w.session().set("eth0", try desired("tx = \"off\""))
        #expect(w.kernel.ports["lan0"]?.active.txType == "off", "the request went by ifindex")
    }

    @Test func anInterfaceGoneBetweenPlanAndSendChangesNothing() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.daemons.onScan = { w.kernel.ports["eth0"] = nil }
        let f = w.failure { try w.session().set("eth0", try desired("tx = \"off\"")) }
        #expect(f?.0 == .rolledBack && f?.1?.hasSuffix("nothing was changed") == true, "\(String(describing: f)) \(w.output.out)")
    }

    // MARK: --keep

    @Test func keepReappliesAcrossAVanishedAndReturnedInterface() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let back = port("eth0", ifindex: 9)
        var held = (false, false)
        w.events = FakeEvents(
            [
                (.up(["eth1"]), {}),
                (.timeout, { w.kernel.ports["eth0"] = nil }),
                (.up(["eth0"]), { w.kernel.ports["eth0"] = back }),
                (.lost, { held = (w.locks.holds(5), w.locks.holds(9)) })
            ], stops: w.stops)
        let f = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(f?.0 == .interrupted && f?.1 == "stopped by SIGINT; no change was under way")
        #expect(w.output.readiness == ["READY=1\nSTATUS=keeping d.toml applied"])
        #expect(w.locks.acquired.map(\.ifindex) == [5, 9] && w.locks.acquired.allSatisfy { $0.keep })
        #expect(held == (false, true), "the lock of the vanished interface was let go; the returned one's is held")
        #expect(w.kernel.ports["eth0"]?.active.txType == "off")
        let log = w.output.logged
        #expect(log.first == "keeping d.toml applied (link events, and a re-check every 30.0 s)")
        #expect(log.contains("link up: eth1") && log.contains("link up: eth0"))
        #expect(log.contains { $0.hasPrefix("not yet: ") })
        #expect(log.contains { $0.hasPrefix("re-applied: eth0: applied") })
        #expect(log.contains { $0.hasPrefix("link events: ") && $0.hasSuffix("; re-checking") })
        #expect(w.clock.slept == [0.3, 0.3], "a moment for a PHY after each link-up")
        #expect(w.events?.timeouts.allSatisfy { $0 == 30000 } == true)
    }

    @Test func keepBesideADaemonKeepsTheProviderOnly() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.daemons.daemons = [FakeDaemons.ptp4l(["eth0"])]
        w.events = FakeEvents([(.timeout, {}), (.up(["eth0"]), {})], stops: w.stops)
        let f = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(f?.0 == .interrupted)
        #expect(w.kernel.sent.isEmpty, "tx/rx are the daemon's")
        #expect(w.output.out.first?.hasPrefix("eth0: tx/rx left to ptp4l[42], which uses it (d.toml says tx off") == true)
        #expect(!w.output.logged.contains { $0.contains("tx/rx left") }, "said once, not again while it holds")
    }

    @Test func keepSelectsTheProviderAgainWithTheDaemonsTxRx() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.daemons.daemons = [FakeDaemons.ptp4l(["eth0"])]
        // The PHY took over (as after a re-attach), with tx/rx reset.
        let phy = port("eth0", ifindex: 5, active: .phy)
        w.events = FakeEvents(
            [
                (
                    .up(["eth0"]),
                    {
                        w.kernel.ports["eth0"] = phy; w.kernel.ports["eth0"]?.active.txType = "off"
                    }
                )
            ], stops: w.stops)
        _ = w.failure { try w.session().apply(try request("[[interface]]\nname = \"eth0\"\nsource = \"mac\"\ntx = \"off\"\n", keep: true)) }
        let now = try #require(w.kernel.ports["eth0"]?.active)
        #expect(now.phcIndex == 2 && now.txType == "on" && now.rxFilter == "all", "the MAC again, with the tx/rx ptp4l had there")
        #expect(w.output.logged.contains { $0.hasPrefix("re-applied: eth0: applied") })
    }

    @Test func keepDoesNotReapplyAnInterfaceAnotherTsctlHolds() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let back = port("eth0", ifindex: 9)
        w.events = FakeEvents(
            [
                (
                    .up(["eth0"]),
                    {
                        w.kernel.ports["eth0"] = back; w.locks.refuse[9] = .busy(holder: "pid 3: tsctl set eth0", keeps: false)
                    }
                )
            ], stops: w.stops)
        _ = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(w.output.logged.contains("not re-applying: eth0 is locked: pid 3: tsctl set eth0 is changing it; nothing was changed"))
        #expect(w.kernel.ports["eth0"]?.active.txType == "on")
    }

    @Test func keepLogsAFailedReapplyAndGoesOn() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        w.events = FakeEvents(
            [
                (
                    .timeout,
                    {
                        w.kernel.ports["eth0"]?.active.txType = "on"; w.kernel.refuseFrom = 2
                    }
                )
            ], stops: w.stops)
        let f = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(f?.0 == .interrupted)
        #expect(w.output.logged.contains { $0.hasPrefix("re-applying failed: eth0: failed: ") })
    }

    @Test func keepWithoutLinkEventsFails() throws {
        let w = ChangeWorld(port("eth0", ifindex: 5))
        let f = w.failure { try w.session().apply(try request(Self.txOff, keep: true)) }
        #expect(f?.0 == .permissionDenied && f?.1 == "bind(rtnetlink): EPERM; run as root or with CAP_NET_ADMIN")
    }
}
