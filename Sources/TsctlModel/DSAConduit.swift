// A DSA switch's conduit (the host-side MAC its CPU port is wired to) must not
// timestamp while the switch's own ports do: the switch's tagging and timestamping
// would see frames the conduit already stamped. The kernel vetoes SIOCSHWTSTAMP on
// such a conduit (dsa_conduit_hwtstamp_validate, EBUSY), but its netlink path
// (TSCONFIG_SET) has no such check (up to 7.3 at least): tsctl refuses it itself.

/// Whether configuring timestamping on a DSA conduit must be refused.
public enum DSAConduit {
    /// The refusal, or nil. `conduit`: the interface (known to be a conduit);
    /// `timestampingPorts`: its switch's user ports that have a hardware clock,
    /// with that clock's index.
    public static func refusal(conduit: String, timestampingPorts: [(name: String, phcIndex: Int?)]) -> String? {
        guard !timestampingPorts.isEmpty else { return nil }
        let ports = timestampingPorts.map { p in
            InterfaceName.display(p.name) + (p.phcIndex.map { " ptp\($0)" } ?? "")
        }.joined(separator: ", ")
        return "\(InterfaceName.display(conduit)) is the conduit of a DSA switch whose ports timestamp (\(ports)); "
            + "the kernel refuses timestamping on such a conduit through SIOCSHWTSTAMP (EBUSY) but not through "
            + "TSCONFIG_SET, so tsctl refuses it: configure the switch ports instead; nothing was changed"
    }
}
