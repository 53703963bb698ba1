// SPDX-License-Identifier: GPL-2.0
/*
 * tsctl_testdev: network devices with configurable hardware timestamping
 * providers, for testing tsctl against real kernels.
 *
 * Each device is a platform device bound to this driver and owns:
 *  - a netdev ("MAC") with an optional PTP hardware clock (PHC), offered with the
 *    "precise" qualifier, and optionally a second MAC PHC offered as "approx"
 *    (kernels with provider qualifiers, 6.14+);
 *  - an emulated MDIO bus (a RAM register file: link up, 1000 full) with one PHY at
 *    address 1. This module's own PHY driver binds to it and, optionally, makes it a
 *    timestamper (phydev->mii_ts) with a PHC of its own.
 *
 * Transmit timestamps are real: they come from whichever clock is enabled, and each
 * PHC runs at its own large offset from CLOCK_MONOTONIC, so the timestamp names the
 * clock that took it (seconds 1xxxxxxxxx: MAC precise, 2xxxxxxxxx: MAC approx,
 * 3xxxxxxxxx: PHY; each further device adds 10^7 s).
 *
 * Kernel differences handled here:
 *  - before 6.6 SIOCSHWTSTAMP/SIOCGHWTSTAMP reach the driver through ndo_eth_ioctl
 *    (ndo_do_ioctl before 5.15);
 *    mac_keeps_ioctl=1 makes the MAC keep them even when the PHY timestamps (the
 *    old mvpp2 behaviour: the kernel reports the PHY while the MAC is configured);
 *  - 6.6+: ndo_hwtstamp_get/set, PHY hwtstamp with kernel_hwtstamp_config;
 *  - 6.11+: phydev->default_timestamp, kernel_ethtool_ts_info;
 *  - 6.12+: the PHY joins the netdev's link topology (done by phylib);
 *  - 6.14+: provider selection and qualifiers;
 *  - 6.19+: PHY hwtstamp_set/hwtstamp_get.
 *
 * phy_on_open=1 connects the PHY in ndo_open and disconnects it in ndo_stop, as mvpp2
 * (phylink) does: the kernel then forgets a PHY provider selection at every
 * "ip link set down" (phy_detach clears dev->hwprov, 6.14+).
 */

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/mii_timestamper.h>
#include <linux/module.h>
#include <linux/net_tstamp.h>
#include <linux/netdevice.h>
#include <linux/phy.h>
#include <linux/platform_device.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/slab.h>
#include <linux/version.h>

#define DRV_NAME "tsctl_testdev"
#define KV(a, b) KERNEL_VERSION(a, b, 0)

#define HAVE_NDO_HWTSTAMP	(LINUX_VERSION_CODE >= KV(6, 6))
#define HAVE_KERNEL_TS_INFO	(LINUX_VERSION_CODE >= KV(6, 11))
#define HAVE_DEFAULT_TS		(LINUX_VERSION_CODE >= KV(6, 11))
#define HAVE_VOID_REMOVE	(LINUX_VERSION_CODE >= KV(6, 11))
#define HAVE_QUALIFIER		(LINUX_VERSION_CODE >= KV(6, 14))
#define HAVE_PHY_HWTSTAMP_GET	(LINUX_VERSION_CODE >= KV(6, 19))
#define HAVE_TS_STATS		(LINUX_VERSION_CODE >= KV(6, 10))	/* ethtool_ops.get_ts_stats */

#if HAVE_KERNEL_TS_INFO
typedef struct kernel_ethtool_ts_info tdev_ts_info;
#else
typedef struct ethtool_ts_info tdev_ts_info;
#endif

/* --- Module parameters ---------------------------------------------------------- */

static int ndevs = 1;
module_param(ndevs, int, 0444);
MODULE_PARM_DESC(ndevs, "number of network devices (1-8)");

static bool mac_phc = true;
module_param(mac_phc, bool, 0444);
MODULE_PARM_DESC(mac_phc, "the MAC timestamps with its own PHC (precise)");

static bool mac_approx;
module_param(mac_approx, bool, 0444);
MODULE_PARM_DESC(mac_approx, "the MAC offers a second PHC as the approx qualifier (6.14+)");

static bool mac_readback = true;
module_param(mac_readback, bool, 0444);
MODULE_PARM_DESC(mac_readback, "the MAC can read its timestamping config back (ndo_hwtstamp_get / SIOCGHWTSTAMP)");

static bool mac_keeps_ioctl;
module_param(mac_keeps_ioctl, bool, 0444);
MODULE_PARM_DESC(mac_keeps_ioctl, "before 6.6: the MAC handles SIOC[GS]HWTSTAMP itself even when the PHY timestamps");

static bool phy = true;
module_param(phy, bool, 0444);
MODULE_PARM_DESC(phy, "attach an emulated MDIO bus with a PHY");

static bool phy_ts = true;
module_param(phy_ts, bool, 0444);
MODULE_PARM_DESC(phy_ts, "the PHY timestamps with its own PHC (phydev->mii_ts)");

static bool phy_default;
module_param(phy_default, bool, 0444);
MODULE_PARM_DESC(phy_default, "set phydev->default_timestamp (6.11+): the PHY is the default provider");

static uint phy_id = 0x7e5c0001;
module_param(phy_id, uint, 0444);
MODULE_PARM_DESC(phy_id, "PHY identifier the emulated PHY reports (registers 2 and 3)");

static char *phy_name = "tsctl_testdev PHY";
module_param(phy_name, charp, 0444);
MODULE_PARM_DESC(phy_name, "PHY driver name");

static char *mac_driver = DRV_NAME;
module_param(mac_driver, charp, 0444);
MODULE_PARM_DESC(mac_driver, "name of the platform driver and devices (what /sys/class/net/IF/device/driver shows)");

static char *mac_clock_name = "tsctl_testdev MAC";
module_param(mac_clock_name, charp, 0444);
MODULE_PARM_DESC(mac_clock_name, "clock_name of the MAC PHC");

static char *approx_clock_name = "tsctl_testdev MAC approx";
module_param(approx_clock_name, charp, 0444);
MODULE_PARM_DESC(approx_clock_name, "clock_name of the MAC approx PHC");

static char *phy_clock_name = "tsctl_testdev PHY PTP";
module_param(phy_clock_name, charp, 0444);
MODULE_PARM_DESC(phy_clock_name, "clock_name of the PHY PHC");

static int mac_refuse_rx = -1;
module_param(mac_refuse_rx, int, 0644);
MODULE_PARM_DESC(mac_refuse_rx, "rx filter (HWTSTAMP_FILTER_*) the MAC refuses with -ERANGE, -1 for none");

static bool phy_on_open;
module_param(phy_on_open, bool, 0444);
MODULE_PARM_DESC(phy_on_open, "connect the PHY in ndo_open and disconnect it in ndo_stop (mvpp2/phylink style) instead of once at probe");

static int phy_refuse_rx = -1;
module_param(phy_refuse_rx, int, 0644);

static int lose_tx;
module_param(lose_tx, int, 0644);
MODULE_PARM_DESC(lose_tx, "lose this many of the next requested transmit timestamps (counted as tx_lost)");

static bool stop_clocks;
module_param(stop_clocks, bool, 0644);
MODULE_PARM_DESC(stop_clocks, "every clock returns the time it had when stopped; settime/adjtime/adjfine do nothing");
MODULE_PARM_DESC(phy_refuse_rx, "rx filter (HWTSTAMP_FILTER_*) the PHY refuses with -ERANGE, -1 for none");

/* --- Clocks ------------------------------------------------------------------------ */

struct tdev_clock {
	struct ptp_clock_info info;
	struct ptp_clock *ptp;
	spinlock_t lock;
	s64 offset;		/* added to CLOCK_MONOTONIC */
	u32 rx_filters;		/* supported HWTSTAMP_FILTER_* bits */
	bool widen_rx;		/* unknown PTP filters become "all" (MAC style) */
	const int *refuse_rx;	/* module parameter */
	int tx_type, rx_filter;	/* current configuration */
	bool stopped;		/* stop_clocks seen: frozen holds the time */
	u64 frozen;
	bool phy;		/* phy_clock_read_us and phy_clock_grain_ns apply */
};

static u64 tclk_now(struct tdev_clock *c)
{
	unsigned long flags;
	u64 ns;

	spin_lock_irqsave(&c->lock, flags);
	ns = ktime_get_ns() + c->offset;
	if (READ_ONCE(stop_clocks)) {
		if (!c->stopped)
			c->frozen = ns;
		c->stopped = true;
		ns = c->frozen;
	} else if (c->stopped) {
		c->stopped = false;
		c->offset = c->frozen - ktime_get_ns();	/* resumes where it stopped */
		ns = c->frozen;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return ns;
}

/*
 * A slow, coarse PHY clock (clocks scenario): reading the PHY PHC busy-waits
 * phy_clock_read_us inside the read, as an MDIO transfer does, and its readings
 * fall on a phy_clock_grain_ns grid, as a coarse counter's do. 0 and 1: as fast
 * and as fine as the MAC clock.
 */
static uint phy_clock_read_us;
module_param(phy_clock_read_us, uint, 0644);
MODULE_PARM_DESC(phy_clock_read_us, "microseconds each read of the PHY PHC takes (MDIO-like), 0 for none");

static uint phy_clock_grain_ns = 1;
module_param(phy_clock_grain_ns, uint, 0644);
MODULE_PARM_DESC(phy_clock_grain_ns, "the PHY PHC's readings are multiples of this many nanoseconds");

static int tclk_gettimex64(struct ptp_clock_info *info, struct timespec64 *ts,
			   struct ptp_system_timestamp *sts)
{
	struct tdev_clock *c = container_of(info, struct tdev_clock, info);
	u64 ns;

	ptp_read_system_prets(sts);
	if (c->phy && READ_ONCE(phy_clock_read_us))
		udelay(min(READ_ONCE(phy_clock_read_us), 10000U));
	ns = tclk_now(c);
	ptp_read_system_postts(sts);
	if (c->phy && READ_ONCE(phy_clock_grain_ns) > 1) {
		u64 q = ns;

		ns -= do_div(q, READ_ONCE(phy_clock_grain_ns));
	}
	*ts = ns_to_timespec64(ns);
	return 0;
}

static int tclk_settime64(struct ptp_clock_info *info, const struct timespec64 *ts)
{
	struct tdev_clock *c = container_of(info, struct tdev_clock, info);
	unsigned long flags;

	if (READ_ONCE(stop_clocks))
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	c->offset = timespec64_to_ns(ts) - ktime_get_ns();
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}

static int tclk_adjtime(struct ptp_clock_info *info, s64 delta)
{
	struct tdev_clock *c = container_of(info, struct tdev_clock, info);
	unsigned long flags;

	if (READ_ONCE(stop_clocks))
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	c->offset += delta;
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}

static int tclk_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	return 0;
}

static int tclk_register(struct tdev_clock *c, const char *name, s64 base_sec,
			 u32 rx_filters, bool widen_rx, const int *refuse_rx,
			 struct device *parent)
{
	spin_lock_init(&c->lock);
	c->offset = base_sec * NSEC_PER_SEC;
	c->rx_filters = rx_filters;
	c->widen_rx = widen_rx;
	c->refuse_rx = refuse_rx;
	c->tx_type = HWTSTAMP_TX_OFF;
	c->rx_filter = HWTSTAMP_FILTER_NONE;
	c->info.owner = THIS_MODULE;
	strscpy(c->info.name, name, sizeof(c->info.name));
	c->info.max_adj = 100000000;
	c->info.gettimex64 = tclk_gettimex64;
	c->info.settime64 = tclk_settime64;
	c->info.adjtime = tclk_adjtime;
	c->info.adjfine = tclk_adjfine;
	c->ptp = ptp_clock_register(&c->info, parent);
	if (IS_ERR(c->ptp)) {
		int err = PTR_ERR(c->ptp);

		c->ptp = NULL;
		return err;
	}
	return c->ptp ? 0 : -EOPNOTSUPP;
}

static void tclk_unregister(struct tdev_clock *c)
{
	if (c->ptp)
		ptp_clock_unregister(c->ptp);
	c->ptp = NULL;
}

/* Validates and applies a tx type / rx filter pair; may widen the rx filter. */
static int tclk_configure(struct tdev_clock *c, int tx_type, int *rx_filter,
			  struct netlink_ext_ack *extack)
{
	int rx = *rx_filter;

	if (tx_type != HWTSTAMP_TX_OFF && tx_type != HWTSTAMP_TX_ON) {
		NL_SET_ERR_MSG_MOD(extack, "unsupported tx type");
		return -ERANGE;
	}
	if (rx < 0 || rx >= 32)
		return -ERANGE;
	if (*c->refuse_rx >= 0 && rx == *c->refuse_rx) {
		NL_SET_ERR_MSG_MOD(extack, "rx filter refused (refuse_rx parameter)");
		return -ERANGE;
	}
	if (!(c->rx_filters & BIT(rx))) {
		if (c->widen_rx && rx != HWTSTAMP_FILTER_NONE &&
		    (c->rx_filters & BIT(HWTSTAMP_FILTER_ALL))) {
			rx = HWTSTAMP_FILTER_ALL;
		} else {
			NL_SET_ERR_MSG_MOD(extack, "unsupported rx filter");
			return -ERANGE;
		}
	}
	c->tx_type = tx_type;
	c->rx_filter = rx;
	*rx_filter = rx;
	return 0;
}

static void tclk_fill_ts_info(struct tdev_clock *c, tdev_ts_info *info)
{
	info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
				SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_TX_HARDWARE |
				SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
	info->phc_index = ptp_clock_index(c->ptp);
	info->tx_types = BIT(HWTSTAMP_TX_OFF) | BIT(HWTSTAMP_TX_ON);
	info->rx_filters = c->rx_filters;
}

/* --- Device state ------------------------------------------------------------------ */

#define TDEV_MAX 8
#define Q_PRECISE 0
#define Q_APPROX 1

struct tdev_phy {
	struct mii_timestamper mii_ts;
	struct phy_device *phydev;
	struct tdev_clock clk;
};

struct tdev {
	struct platform_device *pdev;
	struct net_device *ndev;
	struct net_device_ops ndo;
	struct ethtool_ops eto;
	struct tdev_clock mac[2];	/* [Q_PRECISE], [Q_APPROX] */
	struct mii_bus *bus;
	struct phy_device *phydev;
	u16 regs[32];
	atomic64_t tx_pkts, tx_lost;	/* get_ts_stats: stamps delivered, stamps lost */
};

/* A transmit timestamp is due: false when lose_tx says to lose it (counted). */
static bool tdev_stamp_due(struct net_device *ndev)
{
	struct tdev *td = ndev ? netdev_priv(ndev) : NULL;
	int left = READ_ONCE(lose_tx);

	if (left > 0 && cmpxchg(&lose_tx, left, left - 1) == left) {
		if (td)
			atomic64_inc(&td->tx_lost);
		return false;
	}
	if (td)
		atomic64_inc(&td->tx_pkts);
	return true;
}

static struct platform_device *tdev_pdevs[TDEV_MAX];

static s64 tdev_base_sec(int layer_digit, int id)
{
	return layer_digit * 1000000000LL + id * 10000000LL;
}

/* --- PHY: driver, timestamper ----------------------------------------------------- */

static struct tdev_phy *to_tphy(struct mii_timestamper *mii_ts)
{
	return container_of(mii_ts, struct tdev_phy, mii_ts);
}

static bool tphy_rxtstamp(struct mii_timestamper *mii_ts, struct sk_buff *skb, int type)
{
	struct tdev_phy *tp = to_tphy(mii_ts);

	if (tp->clk.rx_filter != HWTSTAMP_FILTER_NONE)
		skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(tclk_now(&tp->clk));
	return false;	/* delivered at once, not deferred */
}

static void tphy_txtstamp(struct mii_timestamper *mii_ts, struct sk_buff *skb, int type)
{
	struct tdev_phy *tp = to_tphy(mii_ts);
	struct skb_shared_hwtstamps hwts = {};

	if (tp->clk.tx_type != HWTSTAMP_TX_ON ||
	    !(skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) ||
	    !tdev_stamp_due(tp->phydev->attached_dev)) {
		kfree_skb(skb);
		return;
	}
	hwts.hwtstamp = ns_to_ktime(tclk_now(&tp->clk));
	skb_complete_tx_timestamp(skb, &hwts);
}

static int tphy_ts_info(struct mii_timestamper *mii_ts, tdev_ts_info *info)
{
	tclk_fill_ts_info(&to_tphy(mii_ts)->clk, info);
	return 0;
}

#if HAVE_NDO_HWTSTAMP
static int tphy_hwtstamp_set(struct mii_timestamper *mii_ts,
			     struct kernel_hwtstamp_config *cfg,
			     struct netlink_ext_ack *extack)
{
	return tclk_configure(&to_tphy(mii_ts)->clk, cfg->tx_type, &cfg->rx_filter, extack);
}
#else
static int tphy_hwtstamp_ioctl(struct mii_timestamper *mii_ts, struct ifreq *ifr)
{
	struct hwtstamp_config cfg;
	int err;

	if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
		return -EFAULT;
	err = tclk_configure(&to_tphy(mii_ts)->clk, cfg.tx_type, &cfg.rx_filter, NULL);
	if (err)
		return err;
	return copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)) ? -EFAULT : 0;
}
#endif

#if HAVE_PHY_HWTSTAMP_GET
static int tphy_hwtstamp_get(struct mii_timestamper *mii_ts,
			     struct kernel_hwtstamp_config *cfg)
{
	struct tdev_phy *tp = to_tphy(mii_ts);

	cfg->tx_type = tp->clk.tx_type;
	cfg->rx_filter = tp->clk.rx_filter;
	cfg->flags = 0;
	return 0;
}
#endif

static int tphy_probe(struct phy_device *phydev)
{
	struct tdev *td = phydev->mdio.bus->priv;
	struct tdev_phy *tp;
	int err;

	tp = devm_kzalloc(&phydev->mdio.dev, sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return -ENOMEM;
	tp->phydev = phydev;
	phydev->priv = tp;
	if (!phy_ts)
		return 0;

	tp->clk.phy = true;
	err = tclk_register(&tp->clk, phy_clock_name, tdev_base_sec(3, td->pdev->id),
			    BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_PTP_V2_L4_EVENT) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_L2_EVENT) | BIT(HWTSTAMP_FILTER_PTP_V2_EVENT),
			    false, &phy_refuse_rx, &phydev->mdio.dev);
	if (err)
		return err;
	tp->mii_ts.rxtstamp = tphy_rxtstamp;
	tp->mii_ts.txtstamp = tphy_txtstamp;
	tp->mii_ts.ts_info = tphy_ts_info;
#if HAVE_PHY_HWTSTAMP_GET
	tp->mii_ts.hwtstamp_set = tphy_hwtstamp_set;
	tp->mii_ts.hwtstamp_get = tphy_hwtstamp_get;
#elif HAVE_NDO_HWTSTAMP
	tp->mii_ts.hwtstamp = tphy_hwtstamp_set;
#else
	tp->mii_ts.hwtstamp = tphy_hwtstamp_ioctl;
#endif
	tp->mii_ts.device = &phydev->mdio.dev;
	phydev->mii_ts = &tp->mii_ts;
#if HAVE_DEFAULT_TS
	phydev->default_timestamp = phy_default;
#endif
	return 0;
}

/* phy_init_hw() runs this at every attach: like a real PHY after its reset, the
 * timestamping unit starts off. (Without phy_on_open the PHY attaches once, at probe,
 * when it is off anyway.) */
static int tphy_config_init(struct phy_device *phydev)
{
	struct tdev_phy *tp = phydev->priv;

	if (tp) {
		tp->clk.tx_type = HWTSTAMP_TX_OFF;
		tp->clk.rx_filter = HWTSTAMP_FILTER_NONE;
	}
	return 0;
}

static void tphy_remove(struct phy_device *phydev)
{
	struct tdev_phy *tp = phydev->priv;

	if (tp && phydev->mii_ts == &tp->mii_ts)
		phydev->mii_ts = NULL;
	if (tp)
		tclk_unregister(&tp->clk);
}

/* owner stays NULL at registration: phylib takes a reference on the PHY driver's
 * module when a netdev attaches, which would make this module impossible to unload. */
static struct phy_driver tphy_driver = {
	.phy_id_mask = 0xffffffff,
	.probe = tphy_probe,
	.config_init = tphy_config_init,
	.remove = tphy_remove,
};

/* --- MDIO bus: a RAM register file ------------------------------------------------ */

static int tmdio_read(struct mii_bus *bus, int addr, int regnum)
{
	struct tdev *td = bus->priv;

	if (addr != 1 || regnum < 0 || regnum >= 32)
		return 0xffff;
	return td->regs[regnum];
}

static int tmdio_write(struct mii_bus *bus, int addr, int regnum, u16 val)
{
	struct tdev *td = bus->priv;

	if (addr != 1 || regnum < 0 || regnum >= 32)
		return 0;
	if (regnum == MII_BMCR)
		val &= ~(BMCR_RESET | BMCR_ANRESTART);
	td->regs[regnum] = val;
	return 0;
}

static void tmdio_init_regs(struct tdev *td)
{
	td->regs[MII_BMCR] = BMCR_ANENABLE | BMCR_SPEED1000 | BMCR_FULLDPLX;
	td->regs[MII_BMSR] = BMSR_100FULL | BMSR_100HALF | BMSR_10FULL | BMSR_10HALF |
			     BMSR_ESTATEN | BMSR_ANEGCAPABLE | BMSR_ANEGCOMPLETE | BMSR_LSTATUS;
	td->regs[MII_PHYSID1] = phy_id >> 16;
	td->regs[MII_PHYSID2] = phy_id & 0xffff;
	td->regs[MII_ADVERTISE] = ADVERTISE_CSMA | ADVERTISE_ALL;
	td->regs[MII_LPA] = LPA_LPACK | LPA_100FULL | LPA_100HALF | LPA_10FULL | LPA_10HALF | 1;
	td->regs[MII_CTRL1000] = ADVERTISE_1000FULL;
	td->regs[MII_STAT1000] = LPA_1000FULL;
	td->regs[MII_ESTATUS] = ESTATUS_1000_TFULL;
}

/* --- MAC --------------------------------------------------------------------------- */

static void tdev_adjust_link(struct net_device *ndev)
{
}

/* Attaches the PHY at address 1 of the device's own MDIO bus. */
static int tdev_connect_phy(struct tdev *td)
{
	struct phy_device *phydev = mdiobus_get_phy(td->bus, 1);
	int err;

	if (!phydev || !phydev->drv) {
		netdev_err(td->ndev, "no PHY bound at address 1\n");
		return -ENODEV;
	}
	err = phy_connect_direct(td->ndev, phydev, tdev_adjust_link, PHY_INTERFACE_MODE_GMII);
	if (err)
		return err;
	td->phydev = phydev;
	return 0;
}

static int tdev_open(struct net_device *ndev)
{
	struct tdev *td = netdev_priv(ndev);

	if (phy_on_open && td->bus && !td->phydev) {
		int err = tdev_connect_phy(td);

		if (err)
			return err;
	}
	if (td->phydev)
		phy_start(td->phydev);
	else
		netif_carrier_on(ndev);
	netif_start_queue(ndev);
	return 0;
}

static int tdev_stop(struct net_device *ndev)
{
	struct tdev *td = netdev_priv(ndev);

	netif_stop_queue(ndev);
	if (td->phydev)
		phy_stop(td->phydev);
	if (phy_on_open && td->phydev) {
		/* The kernel drops a PHY provider selection here (phy_detach). */
		phy_disconnect(td->phydev);
		td->phydev = NULL;
	}
	netif_carrier_off(ndev);
	return 0;
}

static netdev_tx_t tdev_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct tdev *td = netdev_priv(ndev);
	struct tdev_clock *c = NULL;

	if (td->mac[Q_PRECISE].ptp && td->mac[Q_PRECISE].tx_type == HWTSTAMP_TX_ON)
		c = &td->mac[Q_PRECISE];
	else if (td->mac[Q_APPROX].ptp && td->mac[Q_APPROX].tx_type == HWTSTAMP_TX_ON)
		c = &td->mac[Q_APPROX];

	if (c && (skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) && tdev_stamp_due(ndev)) {
		struct skb_shared_hwtstamps hwts = {};

		skb_shinfo(skb)->tx_flags |= SKBTX_IN_PROGRESS;
		hwts.hwtstamp = ns_to_ktime(tclk_now(c));
		skb_tstamp_tx(skb, &hwts);
	}
	/* Software timestamp, and the PHY's chance to stamp (mii_ts->txtstamp). */
	skb_tx_timestamp(skb);

	ndev->stats.tx_packets++;
	ndev->stats.tx_bytes += skb->len;
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

static int tdev_get_ts_info(struct net_device *ndev, tdev_ts_info *info)
{
	struct tdev *td = netdev_priv(ndev);
	struct tdev_clock *c = &td->mac[Q_PRECISE];

#if HAVE_QUALIFIER
	if (info->phc_qualifier == HWTSTAMP_PROVIDER_QUALIFIER_APPROX)
		c = &td->mac[Q_APPROX];
#endif
	if (!c->ptp) {
		info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE |
					SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
		info->phc_index = -1;
		return 0;
	}
	tclk_fill_ts_info(c, info);
	return 0;
}

#if HAVE_NDO_HWTSTAMP
static struct tdev_clock *tdev_mac_clock(struct tdev *td, struct kernel_hwtstamp_config *cfg)
{
#if HAVE_QUALIFIER
	if (cfg->qualifier == HWTSTAMP_PROVIDER_QUALIFIER_APPROX)
		return td->mac[Q_APPROX].ptp ? &td->mac[Q_APPROX] : NULL;
#endif
	return td->mac[Q_PRECISE].ptp ? &td->mac[Q_PRECISE] : NULL;
}

static int tdev_hwtstamp_set(struct net_device *ndev, struct kernel_hwtstamp_config *cfg,
			     struct netlink_ext_ack *extack)
{
	struct tdev_clock *c = tdev_mac_clock(netdev_priv(ndev), cfg);

	if (!c)
		return -EOPNOTSUPP;
	return tclk_configure(c, cfg->tx_type, &cfg->rx_filter, extack);
}

static int tdev_hwtstamp_get(struct net_device *ndev, struct kernel_hwtstamp_config *cfg)
{
	struct tdev_clock *c = tdev_mac_clock(netdev_priv(ndev), cfg);

	if (!c)
		return -EOPNOTSUPP;
	cfg->tx_type = c->tx_type;
	cfg->rx_filter = c->rx_filter;
	cfg->flags = 0;
	return 0;
}
#else
/* The MAC's own handling of SIOC[GS]HWTSTAMP. */
static int tdev_mac_hwtstamp_ioctl(struct tdev *td, struct ifreq *ifr, int cmd)
{
	struct tdev_clock *c = &td->mac[Q_PRECISE];
	struct hwtstamp_config cfg;
	int err;

	if (cmd == SIOCGHWTSTAMP) {
		if (!mac_readback)
			return -EOPNOTSUPP;
		cfg.flags = 0;
		cfg.tx_type = c->tx_type;
		cfg.rx_filter = c->rx_filter;
	} else {
		if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
			return -EFAULT;
		err = tclk_configure(c, cfg.tx_type, &cfg.rx_filter, NULL);
		if (err)
			return err;
	}
	return copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)) ? -EFAULT : 0;
}
#endif

static int tdev_eth_ioctl(struct net_device *ndev, struct ifreq *ifr, int cmd)
{
	struct tdev *td = netdev_priv(ndev);

#if !HAVE_NDO_HWTSTAMP
	if ((cmd == SIOCSHWTSTAMP || cmd == SIOCGHWTSTAMP) && td->mac[Q_PRECISE].ptp &&
	    (mac_keeps_ioctl || !phy_has_hwtstamp(td->phydev)))
		return tdev_mac_hwtstamp_ioctl(td, ifr, cmd);
#endif
	if (td->phydev)
		return phy_mii_ioctl(td->phydev, ifr, cmd);
	return -EOPNOTSUPP;
}

static const struct net_device_ops tdev_netdev_ops = {
	.ndo_open = tdev_open,
	.ndo_stop = tdev_stop,
	.ndo_start_xmit = tdev_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
#if LINUX_VERSION_CODE >= KV(5, 15)
	.ndo_eth_ioctl = tdev_eth_ioctl,
#else
	.ndo_do_ioctl = tdev_eth_ioctl,
#endif
};

#if HAVE_TS_STATS
/* What this device stamped and lost, whichever of its clocks stamped; no
 * one-step support, so that counter stays unreported. */
static void tdev_get_ts_stats(struct net_device *ndev, struct ethtool_ts_stats *ts)
{
	struct tdev *td = netdev_priv(ndev);

	ts->pkts = atomic64_read(&td->tx_pkts);
	ts->lost = atomic64_read(&td->tx_lost);
	ts->err = 0;
}
#endif

static const struct ethtool_ops tdev_ethtool_ops = {
	.get_link = ethtool_op_get_link,
	.get_ts_info = tdev_get_ts_info,
#if HAVE_TS_STATS
	.get_ts_stats = tdev_get_ts_stats,
#endif
	.get_link_ksettings = phy_ethtool_get_link_ksettings,
};

/* --- Platform driver --------------------------------------------------------------- */

static void tdev_teardown(struct tdev *td, bool registered)
{
	if (td->phydev) {
		/* Before unregister_netdev: the PHY holds sysfs links into the netdev. */
		phy_disconnect(td->phydev);
		td->phydev = NULL;
	}
	if (registered)
		unregister_netdev(td->ndev);
	if (td->bus) {
		mdiobus_unregister(td->bus);
		mdiobus_free(td->bus);
		td->bus = NULL;
	}
	tclk_unregister(&td->mac[Q_APPROX]);
	tclk_unregister(&td->mac[Q_PRECISE]);
}

static int tdev_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct tdev *td;
	int id = pdev->id, err;

	ndev = alloc_etherdev(sizeof(*td));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, &pdev->dev);
	td = netdev_priv(ndev);
	td->pdev = pdev;
	td->ndev = ndev;
	platform_set_drvdata(pdev, td);
	eth_hw_addr_random(ndev);

	td->ndo = tdev_netdev_ops;
	td->eto = tdev_ethtool_ops;
#if HAVE_NDO_HWTSTAMP
	/* Present even without a MAC PHC (they answer -EOPNOTSUPP for the MAC), as in
	 * MAC drivers that leave timestamping to the PHY. */
	td->ndo.ndo_hwtstamp_set = tdev_hwtstamp_set;
	if (mac_readback)
		td->ndo.ndo_hwtstamp_get = tdev_hwtstamp_get;
#endif
	ndev->netdev_ops = &td->ndo;
	ndev->ethtool_ops = &td->eto;

	if (mac_phc) {
		err = tclk_register(&td->mac[Q_PRECISE], mac_clock_name, tdev_base_sec(1, id),
				    BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_ALL), true,
				    &mac_refuse_rx, &pdev->dev);
		if (err)
			goto err_free;
	}
	if (mac_phc && mac_approx) {
#if HAVE_QUALIFIER
		err = tclk_register(&td->mac[Q_APPROX], approx_clock_name, tdev_base_sec(2, id),
				    BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_ALL) |
				    BIT(HWTSTAMP_FILTER_NTP_ALL), true, &mac_refuse_rx, &pdev->dev);
		if (err)
			goto err_clocks;
		td->eto.supported_hwtstamp_qualifiers = BIT(HWTSTAMP_PROVIDER_QUALIFIER_PRECISE) |
							BIT(HWTSTAMP_PROVIDER_QUALIFIER_APPROX);
#else
		dev_info(&pdev->dev, "mac_approx ignored: this kernel has no provider qualifiers\n");
#endif
	}

	if (phy) {
		tmdio_init_regs(td);
		td->bus = mdiobus_alloc();
		if (!td->bus) {
			err = -ENOMEM;
			goto err_clocks;
		}
		td->bus->name = DRV_NAME " MDIO";
		snprintf(td->bus->id, MII_BUS_ID_SIZE, "tsctl-mdio-%d", id);
		td->bus->read = tmdio_read;
		td->bus->write = tmdio_write;
		td->bus->priv = td;
		td->bus->parent = &pdev->dev;
		td->bus->phy_mask = ~(u32)BIT(1);
		err = mdiobus_register(td->bus);
		if (err) {
			mdiobus_free(td->bus);
			td->bus = NULL;
			goto err_clocks;
		}
	}

	err = register_netdev(ndev);
	if (err)
		goto err_clocks;

	if (td->bus && !phy_on_open) {
		err = tdev_connect_phy(td);
		if (err)
			goto err_unregister;
	}

	netdev_info(ndev, DRV_NAME ": mac_phc=%d approx_phc=%d phy_phc=%d phy=%s\n",
		    td->mac[Q_PRECISE].ptp ? ptp_clock_index(td->mac[Q_PRECISE].ptp) : -1,
		    td->mac[Q_APPROX].ptp ? ptp_clock_index(td->mac[Q_APPROX].ptp) : -1,
		    td->phydev && td->phydev->priv && ((struct tdev_phy *)td->phydev->priv)->clk.ptp ?
			ptp_clock_index(((struct tdev_phy *)td->phydev->priv)->clk.ptp) : -1,
		    td->phydev ? phydev_name(td->phydev) : "none");
	return 0;

err_unregister:
	tdev_teardown(td, true);
	goto err_free;
err_clocks:
	tdev_teardown(td, false);
err_free:
	platform_set_drvdata(pdev, NULL);
	free_netdev(ndev);
	return err;
}

#if HAVE_VOID_REMOVE
static void tdev_remove(struct platform_device *pdev)
#else
static int tdev_remove(struct platform_device *pdev)
#endif
{
	struct tdev *td = platform_get_drvdata(pdev);

	tdev_teardown(td, true);
	free_netdev(td->ndev);
#if !HAVE_VOID_REMOVE
	return 0;
#endif
}

static struct platform_driver tdev_driver = {
	.probe = tdev_probe,
	.remove = tdev_remove,
	.driver = { .name = DRV_NAME },
};

static void tdev_destroy_devices(void)
{
	int i;

	for (i = TDEV_MAX - 1; i >= 0; i--) {
		if (tdev_pdevs[i])
			platform_device_unregister(tdev_pdevs[i]);
		tdev_pdevs[i] = NULL;
	}
}

static int __init tdev_init(void)
{
	int i, err;

	if (ndevs < 1 || ndevs > TDEV_MAX)
		return -EINVAL;
	tdev_driver.driver.name = mac_driver;
	tphy_driver.phy_id = phy_id;
	tphy_driver.name = phy_name;
	err = phy_drivers_register(&tphy_driver, 1, NULL);
	if (err)
		return err;
	err = platform_driver_register(&tdev_driver);
	if (err)
		goto err_phy;
	for (i = 0; i < ndevs; i++) {
		struct platform_device *pdev;

		pdev = platform_device_register_simple(mac_driver, i, NULL, 0);
		if (IS_ERR(pdev)) {
			err = PTR_ERR(pdev);
			goto err_devs;
		}
		tdev_pdevs[i] = pdev;
		if (!pdev->dev.driver) {
			err = -ENODEV;	/* probe failed; its reason is in the log */
			goto err_devs;
		}
	}
	return 0;

err_devs:
	tdev_destroy_devices();
	platform_driver_unregister(&tdev_driver);
err_phy:
	phy_drivers_unregister(&tphy_driver, 1);
	return err;
}

static void __exit tdev_exit(void)
{
	tdev_destroy_devices();
	platform_driver_unregister(&tdev_driver);
	phy_drivers_unregister(&tphy_driver, 1);
}

module_init(tdev_init);
module_exit(tdev_exit);
MODULE_DESCRIPTION("tsctl test devices: MAC and PHY hardware timestamping providers");
MODULE_LICENSE("GPL");
