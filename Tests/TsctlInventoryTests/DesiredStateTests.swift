import Testing

@testable import TsctlCodec
@testable import TsctlModel

@Suite struct DesiredStateTests {
    @Test func aFullFileParses() throws {
        let text = """
            # board provisioning
            version = 1

            [defaults]
            tx = "on"          # every port stamps transmit

            [[interface]]
            name = "eth2"
            source = "mac"
            qualifier = "precise"
            rx = "all"
            require = true

            [[interface]]
            name = "lan*"
            driver = 'igb'
            source = "phy:1"
            rx = "ptpv2-event"
            flags = [
              "bonded-phc-index",   # trailing comma and comments inside arrays
            ]
            """
        let d = try DesiredState.parse(text, file: "f.toml")
        #expect(d.interfaces.count == 2)
        #expect(d.interfaces[0].desired == Desired(source: .mac, qualifier: .precise, txType: "on", rxFilter: "all", require: true))
        #expect(d.interfaces[1].desired.source == .phy(1))
        #expect(d.interfaces[1].desired.txType == "on", "defaults apply")
        #expect(d.interfaces[1].desired.flags == ["bonded-phc-index"])
        #expect(d.interfaces[1].isGlob && !d.interfaces[0].isGlob)
        #expect(d.interfaces[1].position == SourcePosition(line: 14, column: 1))
        #expect(d.interfaces[1].matches(Board.igb(name: "lan3")))
        #expect(!d.interfaces[1].matches(Board.macchiatobin()))
    }

    /// Each bad file: the message names the place and what to write instead.
    @Test(arguments: [
        ("[[interface]]\nname = \"eth0\"\nsorce = \"mac\"\n", "f:3:1: unknown key \"sorce\" (did you mean \"source\"?)"),
        ("[[interface]]\nname = \"eth0\"\nrx = \"alll\"\n", "f:3:6: rx \"alll\" is not one of: none, all, some"),
        ("[[interface]]\nname = \"eth0\"\nsource = \"phy:0\"\n", "f:3:10: source \"phy:0\" is not one of: mac, phy, phy:N"),
        ("[[interface]]\nname = \"eth0\"\ntx = on\n", "f:3:6: \"on\" is not a value tsctl reads: strings need quotes (\"on\")"),
        ("[[interface]]\nname = \"eth0\"\nname = \"eth1\"\n", "f:3:1: key \"name\" is defined twice"),
        ("[[interface]]\nsource = \"mac\"\n", "f:1:1: an [[interface]] needs name = \"IFACE\""),
        ("[[interface]]\nname = \"this-name-is-too-long\"\n", "f:2:8: name \"this-name-is-too-long\" is not an interface name"),
        ("[[interface]]\nname = \"eth0\"\nqualifier = \"exact\"\n", "f:3:13: qualifier \"exact\" is not one of: precise, approx"),
        ("[[interface]]\nname = \"eth0\"\nrequire = \"yes\"\n", "f:3:11: require must be true or false"),
        ("[[interface]]\nname = { x = 1 }\n", "f:2:8: inline tables are not supported here"),
        ("[[interface]]\nname = \"eth0\" extra\n", "f:2:15: unexpected text after the value"),
        ("version = 2\n[[interface]]\nname = \"eth0\"\n", "f:1:11: version must be 1"),
        ("interfaces = 1\n", "f:1:1: unknown key \"interfaces\""),
        ("# nothing\n", "f: no [[interface]] entries"),
        ("[[interface]]\nname = \"eth0\n", "f:2:13: unterminated string")
    ])
    func badFilesSayWhereAndWhat(text: String, expected: String) {
        do {
            _ = try DesiredState.parse(text, file: "f")
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func sourceSpecsResolveToExactlyOneProvider() throws {
        let itf = Board.macchiatobin()
        #expect(try SourceSpec.mac.resolve(in: itf, qualifier: nil).get().phcIndex == 2)
        #expect(try SourceSpec.phy(nil).resolve(in: itf, qualifier: nil).get().phcIndex == 0)
        #expect(try SourceSpec.phy(1).resolve(in: itf, qualifier: nil).get().phcIndex == 0)
        #expect(try SourceSpec.phc(2).resolve(in: itf, qualifier: nil).get().layer == .mac)
        if case .failure(let e) = SourceSpec.phy(2).resolve(in: itf, qualifier: nil) {
            #expect(e.description == "eth2 has no phy:2 timestamp provider; it has: mac, phy:1")
        } else {
            Issue.record("phy:2 does not exist")
        }
        if case .failure(let e) = SourceSpec.mac.resolve(in: itf, qualifier: .approx) {
            #expect(e.description.contains("no mac approx"))
        } else {
            Issue.record("no approx MAC")
        }
        var two = itf
        two.providers.append(
            Provider(layer: .phy, phcIndex: 5, qualifier: .precise, phyIndex: 2, capabilities: nil, reportedBy: .tsinfoDump))
        if case .failure(.ambiguous(let m)) = SourceSpec.phy(nil).resolve(in: two, qualifier: nil) {
            #expect(m.contains("phy:1, phy:2"))
        } else {
            Issue.record("two PHYs need an index")
        }
        #expect(SourceSpec("phc:x") == nil && SourceSpec("mac") == .mac && SourceSpec("phy:3") == .phy(3))
    }
}
