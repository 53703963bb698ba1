public import TsctlModel

/// The `kernel` object every tsctl JSON document carries (show, check, probe,
/// set, apply): one layout, so a script reads it one way.
extension KernelInfo: JSONEmitting {
    public func emit<S: JSONSink>(into s: inout S) {
        s.beginObject()
        s.field("release", release)
        s.field("ethtool_netlink", ethtoolNetlink)
        s.key("features")
        s.beginObject()
        s.field("tsinfo", features.tsinfo)
        s.field("phy_get", features.phyGet)
        s.field("tsconfig", features.tsconfig)
        s.field("hwtstamp_source", features.hwtstampSource)
        s.endObject()
        s.endObject()
    }
}
