/// Link kinds whose timestamping is another device's: they hand TSINFO and TSCONFIG
/// requests to the device below them (generic_hwtstamp_{get,set}_lower()). The one
/// table every part of tsctl asks: the reader (which links to dump by kind, which
/// device a stacked one is read through), the assembly (which links name a lower
/// device) and the stacked-device trap (StackedDeviceTrap).
public enum StackedKind {
    /// Which device below a stacked one has the timestamping.
    public enum Below: Sendable { case lower, activeSlave }

    /// IFLA_INFO_KIND -> the device below: vlan, macvlan, macvtap, ipvlan and ipvtap
    /// take their lower device's (IFLA_LINK); a bond its active slave's.
    public static let table: [String: Below] = [
        "vlan": .lower, "macvlan": .lower, "macvtap": .lower, "ipvlan": .lower, "ipvtap": .lower, "bond": .activeSlave
    ]

    /// The kinds in a fixed order (requests go out in it): each after the kind it requires.
    public static let all: [String] = table.keys.sorted()

    /// Kinds registered only while another is: the macvtap module calls the macvlan
    /// module's macvlan_common_newlink, ipvtap the ipvlan module's ipvlan_link_new, so
    /// neither can be loaded (or built in) without the other.
    public static let requires: [String: String] = ["macvtap": "macvlan", "ipvtap": "ipvlan"]

    /// Kinds whose every link has a character device in a sysfs class named after the
    /// kind (/sys/class/macvtap/tapN, /sys/class/ipvtap/tapN; the module registers the
    /// class with the link kind, and a link whose device cannot be made is not
    /// registered), listed per network namespace: an absent or empty class means no
    /// link of that kind here, known without a dump that walks every link.
    public static let listedInSysfsClass: Set<String> = ["macvtap", "ipvtap"]

    /// How a link of this kind stacks; nil for a kind that is not stacked.
    public static func below(_ kind: String?) -> Below? { kind.flatMap { table[$0] } }

    public static func isStacked(_ kind: String?) -> Bool { below(kind) != nil }
}
