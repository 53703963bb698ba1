// c3fc9976f686 ("ethtool: don't pass ERR_PTR to genlmsg_cancel on prepare
// failure", 7.1; Fixes b9e3f7dc9ed9, 6.14): the unfiltered TSINFO dump (one
// entry per provider of every device, 6.14+) could crash when a device's
// prepare failed while the dump's datagram was full, which a listing of many
// devices reaches. Filtered on one device, a dump answers that device's few
// providers and never fills a datagram. The release string decides, as for
// StackedDeviceTrap.

/// Whether listing every device with one unfiltered TSINFO dump can crash this kernel.
public enum TsinfoDumpTrap {
    /// 6.14 to 7.0 have the dump without the fix, but for the series that got
    /// the backport in June 2026: 6.18.y and 7.0.y (the point release is not
    /// recorded; their releases are taken as fixed). A release that cannot be
    /// read is taken as affected.
    public static func affected(release: String) -> Bool {
        guard let series = KernelRelease(release: release)?.series else { return true }
        guard series >= (6, 14), series < (7, 1) else { return false }
        return series != (6, 18) && series != (7, 0)
    }
}
