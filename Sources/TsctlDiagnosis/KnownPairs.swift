public import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// A MAC and PHY combination whose better timestamping layer is known.
/// Data, one entry per board family, each with where the fact comes from.
public struct KnownPair: Sendable {
    /// Glob on the MAC's driver name, or on its PHC's clock_name.
    public var macDriver: String?
    public var macClockName: String?
    /// Glob on the PHY's driver name (PHY_GET DRVNAME).
    public var phyDriver: String
    public var prefer: Layer
    public var why: String
    public var source: String

    func matches(_ itf: InterfaceSnapshot) -> Bool {
        let macClock = itf.providers.first { $0.layer == .mac }.flatMap { itf.phc($0.phcIndex)?.clockName }
        let macOK =
            (macDriver.map { g in itf.driver.map { fnmatch(g, $0, 0) == 0 } ?? false } ?? false)
            || (macClockName.map { g in macClock.map { fnmatch(g, $0, 0) == 0 } ?? false } ?? false)
        let phyOK = itf.phys.contains { p in p.driver.map { fnmatch(phyDriver, $0, 0) == 0 } ?? false }
        return macOK && phyOK
    }
}

public enum KnownPairs {
    public static let table: [KnownPair] = [
        KnownPair(
            macDriver: "mvpp2", macClockName: "Marvell PP2.2", phyDriver: "Marvell 88E151*", prefer: .mac,
            why: "the mvpp2 MAC (Armada 8040, MACCHIATObin) timestamps more precisely than the Marvell 88E151x PHY: "
                + "MDIO access latency, a lower timestamp clock and one outstanding TX timestamp on the PHY",
            source: "https://bootlin.com/blog/linux-ptp-mainline-development-war-story-and-new-features/ "
                + "(and netdev thread \"Add Marvell PHY PTP support\", Apr 2025)")
    ]

    public static func match(_ itf: InterfaceSnapshot) -> KnownPair? { table.first { $0.matches(itf) } }
}
