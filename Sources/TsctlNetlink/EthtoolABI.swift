// The ethtool generic-netlink ABI as tsctl uses it, from the kernel's
// Documentation/netlink/specs/ethtool.yaml (7.2). The build host's UAPI headers
// are 6.1 and lack most of these, so they are defined here, once, each with the
// first mainline release that has it. Values are only ever appended upstream.

/// Netlink and generic-netlink plumbing.
public enum NL {
    public static let NLMSG_ERROR: UInt16 = 2
    public static let NLMSG_DONE: UInt16 = 3
    public static let NLMSG_OVERRUN: UInt16 = 4

    public static let F_REQUEST: UInt16 = 0x1
    public static let F_MULTI: UInt16 = 0x2
    public static let F_ACK: UInt16 = 0x4
    public static let F_DUMP: UInt16 = 0x300  // ROOT | MATCH
    public static let F_CAPPED: UInt16 = 0x100  // on NLMSG_ERROR: echoed request cut to its header
    public static let F_ACK_TLVS: UInt16 = 0x200  // on NLMSG_ERROR: extack TLVs follow

    public static let A_F_NESTED: UInt16 = 0x8000
    public static let A_F_NET_BYTEORDER: UInt16 = 0x4000
    public static let A_TYPE_MASK: UInt16 = 0x3fff

    public static let SOL_NETLINK: Int32 = 270
    public static let NETLINK_CAP_ACK: Int32 = 10
    public static let NETLINK_EXT_ACK: Int32 = 11
    public static let NETLINK_GET_STRICT_CHK: Int32 = 12

    /// Extended-ACK TLVs after an NLMSG_ERROR / NLMSG_DONE (4.12+).
    public enum ExtAck {
        public static let MSG: UInt16 = 1
        public static let OFFS: UInt16 = 2
        public static let COOKIE: UInt16 = 3
        public static let POLICY: UInt16 = 4
        public static let MISS_TYPE: UInt16 = 5
        public static let MISS_NEST: UInt16 = 6
    }
}

/// The generic-netlink controller (family "nlctrl", id 0x10).
public enum GenlCtrl {
    public static let familyID: UInt16 = 0x10
    public static let CMD_GETFAMILY: UInt8 = 3
    public static let A_FAMILY_ID: UInt16 = 1
    public static let A_FAMILY_NAME: UInt16 = 2
    public static let A_VERSION: UInt16 = 3
    public static let A_HDRSIZE: UInt16 = 4
    public static let A_MAXATTR: UInt16 = 5
    public static let A_OPS: UInt16 = 6
    public static let A_MCAST_GROUPS: UInt16 = 7
    public static let A_OP_ID: UInt16 = 1
    public static let A_OP_FLAGS: UInt16 = 2
    public static let A_MCAST_GRP_NAME: UInt16 = 1
    public static let A_MCAST_GRP_ID: UInt16 = 2
    /// Op flags reported in CTRL_ATTR_OP_FLAGS.
    public static let GENL_ADMIN_PERM: UInt32 = 0x1
    public static let GENL_CMD_CAP_DO: UInt32 = 0x2
    public static let GENL_CMD_CAP_DUMP: UInt32 = 0x4
    public static let GENL_UNS_ADMIN_PERM: UInt32 = 0x10
}

/// ethtool generic-netlink family (5.6).
public enum Ethtool {
    public static let familyName = "ethtool"
    public static let familyVersion: UInt8 = 1
    public static let monitorGroup = "monitor"

    /// Requests, user to kernel (`genlmsghdr.cmd`).
    public enum Cmd {
        public static let STRSET_GET: UInt8 = 1  // 5.6
        public static let LINKINFO_GET: UInt8 = 2  // 5.6
        public static let TSINFO_GET: UInt8 = 25  // 5.7
        public static let PHC_VCLOCKS_GET: UInt8 = 33  // ~5.14
        public static let PHY_GET: UInt8 = 45  // 6.12
        public static let TSCONFIG_GET: UInt8 = 46  // 6.14
        public static let TSCONFIG_SET: UInt8 = 47  // 6.14
    }

    /// Replies, kernel to user: a different numbering from requests.
    public enum Reply {
        public static let STRSET_GET_REPLY: UInt8 = 1
        public static let TSINFO_GET_REPLY: UInt8 = 26
        public static let PHY_GET_REPLY: UInt8 = 45
        public static let TSCONFIG_GET_REPLY: UInt8 = 47
        public static let TSCONFIG_SET_REPLY: UInt8 = 48
    }

    /// ETHTOOL_A_HEADER_* (5.6; PHY_INDEX 6.12).
    public enum Header {
        public static let DEV_INDEX: UInt16 = 1
        public static let DEV_NAME: UInt16 = 2
        public static let FLAGS: UInt16 = 3
        public static let PHY_INDEX: UInt16 = 4  // 6.12; rejected by TSINFO/TSCONFIG/PHY_GET
        public static let FLAG_COMPACT_BITSETS: UInt32 = 0x1
        public static let FLAG_OMIT_REPLY: UInt32 = 0x2
        public static let FLAG_STATS: UInt32 = 0x4  // 5.10
    }

    /// ETHTOOL_A_BITSET_* (5.6).
    public enum Bitset {
        public static let NOMASK: UInt16 = 1
        public static let SIZE: UInt16 = 2
        public static let BITS: UInt16 = 3
        public static let VALUE: UInt16 = 4
        public static let MASK: UInt16 = 5
        public static let BITS_BIT: UInt16 = 1
        public static let BIT_INDEX: UInt16 = 1
        public static let BIT_NAME: UInt16 = 2
        public static let BIT_VALUE: UInt16 = 3
    }

    /// ETHTOOL_A_STRSET_* (5.6).
    public enum Strset {
        public static let HEADER: UInt16 = 1
        public static let STRINGSETS: UInt16 = 2
        public static let COUNTS_ONLY: UInt16 = 3
        public static let STRINGSETS_STRINGSET: UInt16 = 1
        public static let STRINGSET_ID: UInt16 = 1
        public static let STRINGSET_COUNT: UInt16 = 2
        public static let STRINGSET_STRINGS: UInt16 = 3
        public static let STRINGS_STRING: UInt16 = 1
        public static let STRING_INDEX: UInt16 = 1
        public static let STRING_VALUE: UInt16 = 2
    }

    /// String-set ids for timestamping.
    public enum StringSet {
        public static let SOF_TIMESTAMPING: UInt32 = 12  // 5.7
        public static let TS_TX_TYPES: UInt32 = 13  // 5.7
        public static let TS_RX_FILTERS: UInt32 = 14  // 5.7
        public static let TS_FLAGS: UInt32 = 22  // 6.14
    }

    /// ETHTOOL_A_TSINFO_* (5.7 unless noted).
    public enum Tsinfo {
        public static let HEADER: UInt16 = 1
        public static let TIMESTAMPING: UInt16 = 2
        public static let TX_TYPES: UInt16 = 3
        public static let RX_FILTERS: UInt16 = 4
        public static let PHC_INDEX: UInt16 = 5
        public static let STATS: UInt16 = 6  // 6.10
        public static let HWTSTAMP_PROVIDER: UInt16 = 7  // 6.14
        public static let HWTSTAMP_SOURCE: UInt16 = 8  // 6.16
        public static let HWTSTAMP_PHYINDEX: UInt16 = 9  // 6.16
    }

    /// ETHTOOL_A_TS_HWTSTAMP_PROVIDER_* (6.14).
    public enum Provider {
        public static let INDEX: UInt16 = 1
        public static let QUALIFIER: UInt16 = 2
    }

    /// ETHTOOL_A_TSCONFIG_* (6.14).
    public enum Tsconfig {
        public static let HEADER: UInt16 = 1
        public static let HWTSTAMP_PROVIDER: UInt16 = 2
        public static let TX_TYPES: UInt16 = 3
        public static let RX_FILTERS: UInt16 = 4
        public static let HWTSTAMP_FLAGS: UInt16 = 5  // a bitset since 6.14 final
    }

    /// ETHTOOL_A_PHY_* (6.12).
    public enum Phy {
        public static let HEADER: UInt16 = 1
        public static let INDEX: UInt16 = 2
        public static let DRVNAME: UInt16 = 3
        public static let NAME: UInt16 = 4
        public static let UPSTREAM_TYPE: UInt16 = 5
        public static let UPSTREAM_INDEX: UInt16 = 6
        public static let UPSTREAM_SFP_NAME: UInt16 = 7
        public static let DOWNSTREAM_SFP_NAME: UInt16 = 8
    }

    /// enum hwtstamp_source (values in UAPI since 6.16).
    public static let SOURCE_NETDEV: UInt32 = 1
    public static let SOURCE_PHYLIB: UInt32 = 2
    /// enum hwtstamp_provider_qualifier (6.14).
    public static let QUALIFIER_PRECISE: UInt32 = 0
    public static let QUALIFIER_APPROX: UInt32 = 1
    /// enum phy_upstream (6.12).
    public static let UPSTREAM_MAC: UInt32 = 0
    public static let UPSTREAM_PHY: UInt32 = 1
}
