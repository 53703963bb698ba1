import TsctlModel

#if canImport(Glibc)
import Glibc
#endif

/// The legacy ioctls: ETHTOOL_GET_TS_INFO (what ptp4l reads) and
/// SIOCGHWTSTAMP/SIOCSHWTSTAMP (what ptp4l configures through). They follow the
/// kernel's own path, independent of ethtool netlink.
public enum HwtstampIoctl {
    static let SIOCETHTOOL: UInt = 0x8946
    static let ETHTOOL_GET_TS_INFO: UInt32 = 0x41
    static let SIOCSHWTSTAMP: UInt = 0x89b0
    static let SIOCGHWTSTAMP: UInt = 0x89b1

    /// struct ethtool_ts_info (44 bytes).
    public struct TsInfo: Equatable, Sendable {
        public var soTimestamping: UInt32
        public var phcIndex: Int32  // -1: none
        public var txTypes: UInt32  // bit per HWTSTAMP_TX_*
        public var rxFilters: UInt32  // bit per HWTSTAMP_FILTER_*
    }

    /// struct hwtstamp_config (12 bytes).
    public struct Config: Equatable, Sendable {
        public var flags: Int32
        public var txType: Int32
        public var rxFilter: Int32
        public init(flags: Int32, txType: Int32, rxFilter: Int32) {
            self.flags = flags
            self.txType = txType
            self.rxFilter = rxFilter
        }
    }

    public static func tsInfo(_ ifname: String) throws(SystemError) -> TsInfo {
        var words = [UInt32](repeating: 0, count: 11)
        words[0] = ETHTOOL_GET_TS_INFO
        let err = words.withUnsafeMutableBytes { p in
            ifreqCall(ifname, SIOCETHTOOL, "ioctl(SIOCETHTOOL, ETHTOOL_GET_TS_INFO)", p.baseAddress!)
        }
        if let err { throw err }
        return TsInfo(
            soTimestamping: words[1], phcIndex: Int32(bitPattern: words[2]), txTypes: words[3],
            rxFilters: words[7])
    }

    public static func getConfig(_ ifname: String) throws(SystemError) -> Config {
        var c = [Int32](repeating: 0, count: 3)
        let err = c.withUnsafeMutableBytes { p in ifreqCall(ifname, SIOCGHWTSTAMP, "ioctl(SIOCGHWTSTAMP)", p.baseAddress!) }
        if let err { throw err }
        return Config(flags: c[0], txType: c[1], rxFilter: c[2])
    }

    /// Sets the config; the driver may widen the filter and writes back what it chose.
    public static func setConfig(_ ifname: String, _ config: Config) throws(SystemError) -> Config {
        var c: [Int32] = [config.flags, config.txType, config.rxFilter]
        let err = c.withUnsafeMutableBytes { p in ifreqCall(ifname, SIOCSHWTSTAMP, "ioctl(SIOCSHWTSTAMP)", p.baseAddress!) }
        if let err { throw err }
        return Config(flags: c[0], txType: c[1], rxFilter: c[2])
    }

    private static func ifreqCall(
        _ ifname: String, _ request: UInt, _ what: String,
        _ data: UnsafeMutableRawPointer
    ) -> SystemError? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return SystemError("socket(AF_INET)", errno) }
        defer { close(fd) }
        var ifr = ifreq()
        withUnsafeMutableBytes(of: &ifr.ifr_ifrn.ifrn_name) { name in
            for (i, b) in OSString.bytes(ifname).prefix(name.count - 1).enumerated() { name[i] = b }
        }
        ifr.ifr_ifru.ifru_data = data.assumingMemoryBound(to: CChar.self)
        let r = Sys.retrying { ioctl(fd, request, &ifr) }
        return r < 0 ? SystemError(what, errno) : nil
    }
}
