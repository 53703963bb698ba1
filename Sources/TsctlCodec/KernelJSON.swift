public import TsctlModel

/// The `kernel` object every tsctl JSON document carries (show, check, probe,
/// set, apply): the same keys everywhere, so a script reads it one way.
extension KernelInfo {
    public var json: JSON {
        .object([
            ("release", .string(release)),
            ("ethtool_netlink", .bool(ethtoolNetlink)),
            (
                "features",
                .object([
                    ("tsinfo", .bool(features.tsinfo)),
                    ("phy_get", .bool(features.phyGet)),
                    ("tsconfig", .bool(features.tsconfig)),
                    ("hwtstamp_source", features.hwtstampSource.json)
                ])
            )
        ])
    }
}
