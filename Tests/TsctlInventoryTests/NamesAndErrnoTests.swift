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
            #expect(RxFilter(name: n)?.numbered?.value == RxFilter(index: UInt32(i)))
        }
        #expect(TxType(name: "onestep-p2p")?.index == 3)
        #expect(HwtstampFlags([HwtstampFlag(name: "bonded-phc-index")!])?.bits == 1)
        #expect(HwtstampFlags(bits: 0b101).names == ["bonded-phc-index", "bit-2"])
        #expect(TxType.all.map(\.name) == TimestampingNames.txTypes)
        #expect(RxFilter.Numbered.bitCount == 16 && TxType.Numbered.bitCount == 4 && HwtstampFlags.bitCount == 1)
    }

    @Test func anUnknownNameHasNoNumberAndIsNeverZero() {
        #expect(TxType(name: "onestep-pdelay") == nil)
        #expect(RxFilter(name: "") == nil)
        let newer = TxType(kernelName: "onestep-pdelay")
        #expect(newer.index == nil && newer.numbered == nil)
        #expect(HwtstampFlags([HwtstampFlag(name: "bonded-phc-index")!, HwtstampFlag(kernelName: "new-flag")]) == nil)
        #expect(newer.problem == "tx type \"onestep-pdelay\" (tsctl knows off, on, onestep-sync, onestep-p2p)")
        #expect(HwtstampFlag(kernelName: "new-flag").problem?.hasPrefix("flag \"new-flag\"") == true)
        #expect(TxType(name: "on")?.problem == nil)
        // A number beyond the table (a newer kernel) is shown, not renamed, and never sent.
        #expect(TxType(index: 7).name == "value-7")
        #expect(TxType(index: 7).numbered == nil)
        #expect(HwtstampFlags(bits: 0b100).flags.first?.numbered == nil)
    }

    @Test func aBitTheKernelNamedIsNumberedOnlyWhenTheTableAgrees() {
        // A verbose bitset carries the kernel's number and name.
        #expect(TxType(index: 1, kernelName: "on").numbered?.index == 1)
        #expect(TxType(index: 4, kernelName: "onestep-pdelay").numbered == nil)
        #expect(TxType(index: 4, kernelName: "onestep-pdelay").name == "onestep-pdelay")
        #expect(TxType(index: 2, kernelName: "on").numbered == nil)
        // What a model type holds compares by value, not by the way it was spelled.
        #expect(TxType(name: "on") == TxType(kernelName: "on") && TxType(name: "on") == TxType(index: 1))
        #expect([TxType(index: 0), TxType(index: 1)].joined(separator: ", ") == "off, on")
    }
}
