import Testing

@testable import TsctlModel

/// The one errno table and the typed kernel names.
@Suite struct ErrnoTableTests {
    @Test func everyPathMeansTheSameByAnErrno() {
        #expect(Errno.kind(95) == .notSupported)  // EOPNOTSUPP
        #expect(Errno.kind(34) == .notSupported, "ERANGE: the driver cannot do that filter or tx type")
        #expect(Errno.kind(19) == .noSuchDevice)
        #expect(Errno.kind(1) == .permission && Errno.kind(13) == .permission)
        #expect(Errno.kind(22) == .other && Errno.kind(4242) == .other)
        #expect(Errno.text(34) == "Numerical result out of range (ERANGE)")
        #expect(Errno.text(4242).hasSuffix("(errno 4242)"))
        #expect(KernelFailure(errno: 95, message: "x").kind == .notSupported)
    }

    @Test func everyErrnoIsInTheTableOnce() {
        let numbers = Errno.table.map(\.errno)
        #expect(Set(numbers).count == numbers.count)
    }
}

@Suite struct KernelValueTests {
    @Test func namesAndNumbersRoundTrip() {
        for (i, n) in TimestampingNames.rxFilters.enumerated() {
            #expect(RxFilter(name: n)?.index == UInt32(i))
            #expect(RxFilter(index: UInt32(i)).name == n)
        }
        #expect(TxType(name: "onestep-p2p")?.index == 3)
        #expect(HwtstampFlags(names: ["bonded-phc-index"])?.bits == 1)
        #expect(HwtstampFlags(bits: 0b101).names == ["bonded-phc-index", "bit-2"])
    }

    @Test func anUnknownNameHasNoNumberAndIsNeverZero() {
        #expect(TxType(name: "onestep-pdelay") == nil)
        #expect(RxFilter(name: "") == nil)
        #expect(HwtstampFlags(names: ["bonded-phc-index", "new-flag"]) == nil)
        #expect(TxType.problem("onestep-pdelay") == "tx type \"onestep-pdelay\" (tsctl knows off, on, onestep-sync, onestep-p2p)")
        #expect(HwtstampFlags.problem(["new-flag"])?.hasPrefix("flag \"new-flag\"") == true)
        #expect(TxType.problem("on") == nil)
        // A number beyond the table (a newer kernel) is shown, not renamed.
        #expect(TxType(index: 7).name == "value-7")
    }
}
