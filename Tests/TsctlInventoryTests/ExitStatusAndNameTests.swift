import Testing
import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// The exit codes scripts rely on and the byte-exact name handling every output uses.
@Suite struct ExitStatusAndNameTests {
    @Test func everyFailureKindEndsWithItsDocumentedCode() {
        let cases: [(FailureKind, TsctlModel.ExitStatus, Int32)] = [
            (.notSupported, .notSupported, 5), (.noSuchDevice, .noSuchDevice, 4), (.permission, .permissionDenied, 6),
            (.usage, .usage, 2), (.other, .kernelError, 11)
        ]
        for (kind, status, code) in cases {
            #expect(TsctlModel.ExitStatus(kind) == status)
            #expect(status.rawValue == code)
            #expect(TsctlFailure(KernelFailure(kind: kind, message: "m")).status == status)
        }
        // Permission adds the remedy; the others say the kernel's message as it is.
        #expect(
            TsctlFailure(KernelFailure(kind: .permission, message: "TSCONFIG_SET eth0: denied")).message
                == "TSCONFIG_SET eth0: denied; run as root or with CAP_NET_ADMIN")
        #expect(TsctlFailure(KernelFailure(kind: .notSupported, message: "x")).message == "x")
        #expect(TsctlExit(.nothingToDo).status.rawValue == 10)
    }

    @Test func aSignalEndsWith128PlusItsNumber() {
        #expect(TsctlModel.ExitStatus.stopped(by: SIGHUP) == .hangup && TsctlModel.ExitStatus.hangup.rawValue == 129)
        #expect(TsctlModel.ExitStatus.stopped(by: SIGINT) == .interrupted && TsctlModel.ExitStatus.interrupted.rawValue == 130)
        #expect(TsctlModel.ExitStatus.stopped(by: SIGTERM) == .terminated && TsctlModel.ExitStatus.terminated.rawValue == 143)
        #expect(TsctlModel.ExitStatus.stopped(by: SIGUSR1) == .terminated)
    }

    @Test func theTableListsEveryCodeOnceWithItsMeaning() {
        let rows = TsctlModel.ExitStatus.table.split(separator: "\n")
        #expect(rows.count == TsctlModel.ExitStatus.allCases.count)
        for (row, status) in zip(rows, TsctlModel.ExitStatus.allCases) {
            let code = String(status.rawValue)
            #expect(row == "  " + String(repeating: " ", count: 3 - code.count) + code + "  " + status.meaning)
            #expect(!status.meaning.isEmpty)
        }
        #expect(Set(TsctlModel.ExitStatus.allCases.map(\.meaning)).count == TsctlModel.ExitStatus.allCases.count)
        #expect(rows[0] == "    0  success (show printed; set/apply changed what was asked)")
    }

    @Test func bytesThatAreNotUTF8SurviveEveryRoundTrip() {
        let raw: [UInt8] = [0x65, 0xff, 0xfe, 0x30]
        let name = OSString.decode(raw)
        #expect(OSString.bytes(name) == raw)
        #expect(!OSString.isUTF8(name))
        #expect(OSString.decode(ArraySlice(raw)) == name)
        #expect(OSString.escaped(name) == "e\\xff\\xfe0")
        #expect(OSString.text(name) == "e\\xff\\xfe0")
        #expect(OSString.text("eth0") == "eth0")
        #expect(OSString.hex(name) == "65fffe30")
        #expect(OSString.fromHex("65fffe30") == name)
        #expect(OSString.fromHex("6") == nil && OSString.fromHex("zz") == nil)
        // \xff\xfe and \xfe\xff stay two names (String alone would make both U+FFFD U+FFFD).
        #expect(OSString.decode([0xfe, 0xff]) != OSString.decode([0xff, 0xfe]))
        // A real U+10FF80 in the input is held byte by byte, so it cannot pose as an escaped byte.
        let reserved: [UInt8] = [0xf4, 0x8f, 0xbe, 0x80]
        #expect(OSString.bytes(OSString.decode(reserved)) == reserved)
        #expect(OSString.decode(reserved) != OSString.decode([0x80]))
        // libc gets the bytes themselves.
        #expect(OSString.withCString(name) { strlen($0) } == 4)
        #expect(OSString.withCString(name) { p in (0..<4).map { UInt8(bitPattern: p[$0]) } } == raw)
        #expect(OSString.withCString("eth0") { String(cString: $0) } == "eth0")
        // Looks-alike and controls are escaped, a backslash doubled, ordinary text kept.
        #expect(OSString.escaped("a\\b") == "a\\\\b")
        #expect(OSString.escaped("a\u{200b}b\t") == "a\\xe2\\x80\\x8bb\\x09")
        #expect(OSString.escaped("café") == "café")
        // Printable ASCII is taken as it is; its edges are not.
        #expect(OSString.escaped("eth0.100-x_y") == "eth0.100-x_y")
        #expect(OSString.escaped("a b~") == "a b~")
        #expect(OSString.escaped("a\u{7f}\u{1f}") == "a\\x7f\\x1f")
        #expect(OSString.escaped("\\") == "\\\\")
    }

    @Test func namesAreCheckedAsTheKernelChecksThem() {
        #expect(InterfaceName.problem("eth0") == nil)
        #expect(InterfaceName.problem(OSString.decode([0xff, 0x01])) == nil)
        #expect(InterfaceName.problem("") == "it is empty")
        #expect(InterfaceName.problem("abcdefghijklmnop") == "it is 16 bytes; the kernel's limit is 15 (IFNAMSIZ)")
        #expect(InterfaceName.problem(".") == "\".\" and \"..\" are not interface names")
        #expect(InterfaceName.problem("..") == "\".\" and \"..\" are not interface names")
        #expect(InterfaceName.problem("a\u{0}b") == "it contains a NUL byte")
        #expect(InterfaceName.problem("a/b") == "it contains \"/\", which the kernel refuses in interface names")
        #expect(InterfaceName.problem("a:b") == "it contains \":\", which the kernel refuses in interface names")
        #expect(InterfaceName.problem("a b") == "it contains the space byte \\x20, which the kernel refuses in interface names")
        #expect(
            InterfaceName.problem(OSString.decode([0x61, 0xa0]))
                == "it contains the space byte \\xa0, which the kernel refuses in interface names")
        #expect(
            InterfaceName.refusal(["eth0", "a/b", ""])
                == "invalid interface name \"a/b\": it contains \"/\", which the kernel refuses in interface names")
        #expect(InterfaceName.refusal(["eth0", "lo"]) == nil)
    }

    @Test func namesAreShownAndQuotedSoTheBytesComeBack() {
        #expect(InterfaceName.shellWord("eth0.100") == "eth0.100")
        #expect(InterfaceName.shellWord("a b") == "$'a b'")
        #expect(InterfaceName.shellWord("it's") == "$'it\\x27s'")
        #expect(InterfaceName.shellWord(OSString.decode([0x65, 0xff])) == "$'e\\xff'")
        #expect(InterfaceName.shellWord("") == "$''")
        #expect(InterfaceName.display(OSString.decode([0x65, 0xff])) == "e\\xff")
        // Two names the kernel tells apart are two keys, though String calls them equal.
        #expect("caf\u{e9}" == "cafe\u{301}")
        #expect(NameKey("caf\u{e9}") != NameKey("cafe\u{301}"))
        #expect(!sameName("caf\u{e9}", "cafe\u{301}") && sameName("eth0", "eth0") && sameName(nil, nil) && !sameName("a", nil))
        #expect(NameKey("a") < NameKey("b") && NameKey("b").description == "b")
        var itf = InterfaceSnapshot(name: "mv0", ifindex: 3, active: ActiveConfig())
        #expect(itf.stacking == nil && itf.timestampingFrom == nil && itf.key == "mv0" && itf.displayName == "mv0")
        itf.kind = "macvlan"
        itf.lower = "eth0"
        #expect(itf.stacking == "macvlan on eth0" && itf.timestampingFrom == "eth0")
        itf.lower = nil
        itf.kind = "bond"
        #expect(itf.stacking == "bond" && itf.timestampingFrom == nil)
        itf.bondActiveSlave = "eth1"
        #expect(itf.stacking == "bond, active slave eth1" && itf.timestampingFrom == "eth1")
    }
}
