// CVE-2025-40255: on some kernels a TSCONFIG request to a stacked device (vlan,
// macvlan, bond) whose lower device's driver still configures timestamping only
// through ndo_eth_ioctl dereferences NULL in generic_hwtstamp_ioctl_lower() and
// oopses with the RTNL lock held: the caller dies and the host's networking stays
// stuck until reboot. A TSCONFIG_GET dump walks every device, so it reaches them too.
// No ethtool op or attribute says whether a kernel carries the fix, so the release
// string decides, here and nowhere else.

/// Whether this kernel can oops on a TSCONFIG request to a stacked device.
public enum StackedDeviceTrap {
    /// Per series with TSCONFIG (6.14 added it), the first release that has
    /// "net: core: prevent NULL deref in generic_hwtstamp_ioctl_lower()"; nil when the
    /// series ended without it. Sources: the CVE record (affected from 6.14, fixed in
    /// 6.17.10 and 6.18), mainline f796a8dec9be (6.18-rc6), its 6.17.y backport
    /// 8817f816ae41 (in the 6.17.10 stable review, 27 Nov 2025).
    public static let fixedIn: [(series: Version, fixed: Version?)] = [
        (Version(6, 14), nil),  // end of life before the fix
        (Version(6, 15), nil),  // end of life before the fix
        (Version(6, 16), nil),  // end of life (6.16.12) before the fix
        (Version(6, 17), Version(6, 17, 10)),
        (Version(6, 18), Version(6, 18, 0, rc: 6))
    ]

    /// The release parser every kernel-version rule shares.
    public typealias Version = KernelRelease

    /// The verdict and why, for a kernel that has TSCONFIG (without it there is
    /// nothing to avoid).
    public struct Verdict: Equatable, Sendable {
        public var affected: Bool
        public var reason: String
    }

    public static func verdict(release: String, hasTsconfig: Bool) -> Verdict {
        guard hasTsconfig else { return Verdict(affected: false, reason: "no TSCONFIG ops") }
        guard let v = Version(release: release) else {
            return Verdict(affected: true, reason: "kernel release \"\(release)\" cannot be read, so the fix cannot be assumed")
        }
        if v < Version(6, 14, 0, rc: 1) {
            // TSCONFIG on an older base: a vendor backport whose fix status is unknown.
            return Verdict(affected: true, reason: "TSCONFIG backported to \(v), fix status unknown")
        }
        let series = Version(v.major, v.minor)
        guard let entry = fixedIn.first(where: { $0.series == series }) else {
            // Series after the table (6.19 and later) were released with the fix.
            return Verdict(affected: false, reason: "\(v) has the fix (6.18-rc6 and later)")
        }
        guard let fixed = entry.fixed else {
            return Verdict(affected: true, reason: "\(v.major).\(v.minor) never got the fix (CVE-2025-40255)")
        }
        if v >= fixed { return Verdict(affected: false, reason: "\(v) has the fix (since \(fixed))") }
        return Verdict(
            affected: true,
            reason: "\(v) is before \(fixed), the first \(v.major).\(v.minor) release with the fix (CVE-2025-40255)")
    }
}
