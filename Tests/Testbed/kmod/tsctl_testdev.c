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
 *    timestamper (phydev->mii_ts) with a PHC of its own. With phy_model=bcm54210e the
 *    register file instead emulates the registers Broadcom's BCM54210E PHY offers its
 *    kernel drivers (broadcom, bcm-phy-lib, bcm-phy-ptp), and with phy_model=lan8841
 *    those of Microchip's LAN8841 (micrel): the real drivers bind (see "Emulated PHY
 *    models" below for what is and is not emulated).
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
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/mii_timestamper.h>
#include <linux/module.h>
#include <linux/net_tstamp.h>
#include <linux/netdevice.h>
#include <linux/phy.h>
#include <linux/platform_device.h>
#include <linux/ptp_classify.h>
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
/* The PHY drivers emulated here: bcm-phy-ptp is in Debian's kernels from 6.1 on. */
#define HAVE_PHY_MODELS		(LINUX_VERSION_CODE >= KV(6, 1))

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

#define TDEV_PHY_ID 0x7e5c0001
static uint phy_id = TDEV_PHY_ID;
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

static char *phy_model = "";
module_param(phy_model, charp, 0444);
MODULE_PARM_DESC(phy_model, "emulate a real PHY's registers so that its own kernel driver binds instead of this module's: bcm54210e or lan8841 (6.1+)");

static uint phy_irq;
module_param(phy_irq, uint, 0444);
MODULE_PARM_DESC(phy_irq, "phy_model=lan8841: the devices (bit N: ethN) whose PHY has an interrupt line (its driver reads transmit timestamps in its interrupt handler)");

static bool mac_onestep;
module_param(mac_onestep, bool, 0444);
MODULE_PARM_DESC(mac_onestep, "the MAC also offers (and accepts) tx onestep-sync, as macb does");

static bool mac_ts_stats = true;
module_param(mac_ts_stats, bool, 0444);
MODULE_PARM_DESC(mac_ts_stats, "the MAC reports timestamping counters (get_ts_stats, 6.10+); macb, for one, does not");

/* --- Clocks ------------------------------------------------------------------------ */

struct tdev_clock {
	struct ptp_clock_info info;
	struct ptp_clock *ptp;
	spinlock_t lock;
	s64 offset;		/* added to CLOCK_MONOTONIC */
	u32 rx_filters;		/* supported HWTSTAMP_FILTER_* bits */
	bool widen_rx;		/* unknown PTP filters become "all" (MAC style) */
	const int *refuse_rx;	/* module parameter */
	bool onestep;		/* also offers (and accepts) tx onestep-sync */
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

	if (tx_type != HWTSTAMP_TX_OFF && tx_type != HWTSTAMP_TX_ON &&
	    !(c->onestep && tx_type == HWTSTAMP_TX_ONESTEP_SYNC)) {
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
	info->tx_types = BIT(HWTSTAMP_TX_OFF) | BIT(HWTSTAMP_TX_ON) |
			 (c->onestep ? BIT(HWTSTAMP_TX_ONESTEP_SYNC) : 0);
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
	struct tbcm *bcm;		/* phy_model=bcm54210e: the emulated register set */
	struct tlan *lan;		/* phy_model=lan8841 */
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
static bool tphy_registered;	/* this module's own PHY driver (not with phy_model) */

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

/* --- Emulated PHY models ----------------------------------------------------------
 *
 * phy_model=bcm54210e: the register file answers as Broadcom's BCM54210E (the PHY of the
 * Raspberry Pi CM4 and CM5 is its BCM54210PE variant), so that the kernel's own drivers
 * bind to it: broadcom (PHY ID 0x600d84a0), bcm-phy-lib, and bcm-phy-ptp, which registers
 * the PHY's PHC and is the PHY's mii_timestamper. Only what those drivers touch is
 * emulated; registers the drivers only write (mode bits, LED and clock setup) keep the
 * value written and have no effect.
 *
 * Emulated: the indirect register spaces (expansion registers through 0x17/0x15, the
 * 0x1c shadow registers, the 0x18 auxiliary control shadows); a free-running 64-bit
 * time counter (CLOCK_MONOTONIC plus an offset) behind the PHC: a framesync latches it
 * into the heartbeat registers (gettime), a framesync with NSE_INIT loads the time code
 * (settime, adjtime); transmit captures: a PTP event frame the MAC sends while the
 * 1588 slice's TX side is enabled is time-stamped into a small capture FIFO, read
 * through TS_READ_CTRL and matched by the driver to the frame it queued, which
 * delivers the transmit timestamp from its PTP worker.
 *
 * Not emulated: frequency adjustment (adjfine's NCO_FREQ load is accepted, the counter
 * keeps its nominal rate); receive timestamps (the PHY inserts them into received
 * frames, and these devices receive nothing); one-step sync (the driver accepts it;
 * the frame is not rewritten); the SYNC_OUT/SYNC_IN pin (perout, extts); interrupts
 * (the driver polls). lose_tx=N makes the PHY miss the next N captures: the driver
 * keeps the frame queued, delivers nothing, and counts nothing.
 *
 * The clock starts at 5e8 s (plus 1e7 s per further device), not at 3e9 s as this
 * module's own PHY clock does: bcm-phy-ptp assembles the seconds it reads into an int,
 * so a time past 2^31 s would read back negative.
 */
#if HAVE_PHY_MODELS

#define BCM54210E_PHY_ID	0x600d84a0

/* MDIO registers of the Broadcom PHY (the kernel's brcmphy.h numbers). */
#define BCM_EXP_DATA		0x15	/* bcm_phy_{read,write}_exp: data of the selected expansion register */
#define BCM_EXP_SEL		0x17	/* bcm_phy_{read,write}_exp: expansion register selector */
#define BCM_AUX_CTL		0x18	/* bcm54xx_auxctl_{read,write}: auxiliary control shadows */
#define  BCM_AUXCTL_SEL		0x0007
#define  BCM_AUXCTL_MISC	0x0007
#define  BCM_AUXCTL_WREN	0x8000	/* a write to the MISC shadow; without it, bits 14:12 select what reads return */
#define BCM_SHD			0x1c	/* bcm_phy_{read,write}_shadow: shadow registers */
#define  BCM_SHD_WRITE		0x8000

/* IEEE 1588 expansion registers bcm-phy-ptp uses (its names), and what each does here. */
#define SLICE_CTRL		0x0810	/* hwtstamp set: SLICE_TX_EN enables transmit captures */
#define  SLICE_TX_EN		BIT(0)
#define TX_EVENT_MODE		0x0811	/* hwtstamp set: replace timestamps (kept, no effect) */
#define RX_EVENT_MODE		0x0819	/* hwtstamp set: insert timestamps into rx frames (kept, no effect) */
#define TX_TS_CAPTURE		0x0821	/* hwtstamp set: TX_TS_CAP_EN enables transmit captures */
#define  TX_TS_CAP_EN		BIT(0)
#define RX_TS_CAPTURE		0x0822	/* (kept) */
#define TIME_CODE_0		0x0854	/* settime: nanoseconds 15:0, 31:16, seconds 15:0, 31:16, 47:32 */
#define TIME_CODE_4		0x0858
#define DPLL_SELECT		0x085b	/* config_init: heartbeat mode (kept) */
#define SHADOW_CTRL		0x085c	/* config_init (kept) */
#define SHADOW_LOAD		0x085d	/* settime, adjfine: what the next framesync loads */
#define  TIME_CODE_LOAD		BIT(10)
#define  NCO_TIME_LOAD		BIT(7)
#define INTR_MASK		0x085e	/* (kept) */
#define INTR_STATUS		0x085f	/* gettime polls FSYNC (cleared when read); the PTP worker polls SOP */
#define  INTC_FSYNC		BIT(0)
#define  INTC_SOP		BIT(1)
#define NSE_CTRL		0x087f	/* a 0->1 CPU_FRAMESYNC is a framesync: CAPTURE_EN latches, INIT loads */
#define  NSE_CAPTURE_EN		BIT(13)
#define  NSE_INIT		BIT(12)
#define  NSE_CPU_FRAMESYNC	BIT(5)
#define TS_READ_CTRL		0x0885	/* PTP worker: START shows the oldest capture, END drops it */
#define  TS_READ_START		BIT(0)
#define  TS_READ_END		BIT(1)
#define HB_REG_0		0x0886	/* gettime: the framesync time, nanoseconds 15:0 */
#define HB_REG_1		0x0887	/* nanoseconds 31:16 */
#define HB_REG_2		0x0888	/* seconds 15:0 */
#define HB_REG_3		0x08ec	/* seconds 31:16 */
#define HB_REG_4		0x08ed	/* seconds 47:32 */
#define TS_REG_0		0x0889	/* PTP worker: capture time, nanoseconds 15:0 */
#define TS_REG_1		0x088a	/* nanoseconds 31:16 */
#define TS_REG_2		0x088b	/* seconds 15:0 */
#define TS_REG_3		0x08c4	/* seconds 31:16 */
#define TS_INFO_0		0x088c	/* PTP worker: the captured frame's sequence id */
#define TS_INFO_1		0x088d	/* message type in 15:12, BIT(11) transmit */
#define TIME_SYNC		0x0ff5	/* config_init: TIME_SYNC_EN enables captures at all */
#define  TIME_SYNC_EN		BIT(0)
/* Every other expansion register (config_init's TIMECODE_CTRL, SYNC_IN_DIVIDER, the
 * NCO_* and SYNC_OUT_* of adjfine and perout, broadcom's LED and MII-lite setup) keeps
 * the value written. So do the plain MII registers broadcom uses beyond the standard
 * ones: 0x10 (ECR: config_init masks interrupts), 0x1a (ISR: read to acknowledge) and
 * 0x1b (IMR: config_init's interrupt mask); the PHY has no interrupt line anyway. */

#define TBCM_FIFO 8

struct tbcm_capture {
	u64 ns;
	u16 seq_id;
	u8 msgtype;
};

struct tbcm {
	spinlock_t lock;	/* MDIO accesses (process context) vs captures (transmit) */
	u16 exp[0x1000];
	u16 exp_sel, shd[32], shd_sel, aux[8], aux_rdsel;
	s64 offset;		/* the time counter: CLOCK_MONOTONIC + offset */
	bool fsync;		/* INTR_STATUS.FSYNC */
	struct tbcm_capture fifo[TBCM_FIFO];
	int fifo_n;
};

static u64 tbcm_now(struct tbcm *b)
{
	return ktime_get_ns() + b->offset;
}

static void tbcm_put_ns(struct tbcm *b, u16 reg_ns_lo, u16 reg_ns_hi, u16 reg_s_lo,
			u16 reg_s_hi, u64 ns)
{
	u64 sec = div_u64(ns, NSEC_PER_SEC);
	u32 nsec = ns - sec * NSEC_PER_SEC;

	b->exp[reg_ns_lo] = nsec & 0xffff;
	b->exp[reg_ns_hi] = nsec >> 16;
	b->exp[reg_s_lo] = sec & 0xffff;
	b->exp[reg_s_hi] = (sec >> 16) & 0xffff;
}

/* Called with b->lock held. */
static void tbcm_exp_write(struct tbcm *b, u16 reg, u16 val)
{
	u16 old = b->exp[reg];

	b->exp[reg] = val;
	switch (reg) {
	case NSE_CTRL:
		if (!(val & NSE_CPU_FRAMESYNC) || (old & NSE_CPU_FRAMESYNC))
			break;
		if ((val & NSE_INIT) && (b->exp[SHADOW_LOAD] & TIME_CODE_LOAD)) {
			u64 sec = b->exp[TIME_CODE_0 + 2] | (u64)b->exp[TIME_CODE_0 + 3] << 16 |
				  (u64)b->exp[TIME_CODE_4] << 32;
			u32 nsec = b->exp[TIME_CODE_0] | (u32)b->exp[TIME_CODE_0 + 1] << 16;

			b->offset = sec * NSEC_PER_SEC + nsec - ktime_get_ns();
			/* The load clears itself (NSE_INIT). */
			b->exp[SHADOW_LOAD] &= ~(TIME_CODE_LOAD | NCO_TIME_LOAD);
		}
		if (val & NSE_CAPTURE_EN) {
			u64 ns = tbcm_now(b);

			tbcm_put_ns(b, HB_REG_0, HB_REG_1, HB_REG_2, HB_REG_3, ns);
			b->exp[HB_REG_4] = div_u64(ns, NSEC_PER_SEC) >> 32;
			b->fsync = true;
		}
		break;
	case TS_READ_CTRL:
		if ((val & TS_READ_START) && !(old & TS_READ_START) && b->fifo_n) {
			struct tbcm_capture *c = &b->fifo[0];

			tbcm_put_ns(b, TS_REG_0, TS_REG_1, TS_REG_2, TS_REG_3, c->ns);
			b->exp[TS_INFO_0] = c->seq_id;
			b->exp[TS_INFO_1] = (c->msgtype << 12) | BIT(11);
		}
		if ((val & TS_READ_END) && !(old & TS_READ_END) && b->fifo_n) {
			b->fifo_n--;
			memmove(&b->fifo[0], &b->fifo[1], b->fifo_n * sizeof(b->fifo[0]));
		}
		break;
	}
}

static u16 tbcm_exp_read(struct tbcm *b, u16 reg)
{
	u16 val = b->exp[reg];

	if (reg == INTR_STATUS) {
		val = (b->fsync ? INTC_FSYNC : 0) | (b->fifo_n ? INTC_SOP : 0);
		b->fsync = false;
	}
	return val;
}

/* The indirect registers; false for the plain MII registers (the caller's RAM). */
static bool tbcm_read(struct tbcm *b, int regnum, u16 *val)
{
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	switch (regnum) {
	case BCM_EXP_DATA:
		*val = tbcm_exp_read(b, b->exp_sel & 0xfff);
		break;
	case BCM_EXP_SEL:
		*val = b->exp_sel;
		break;
	case BCM_AUX_CTL:
		*val = b->aux[b->aux_rdsel] | b->aux_rdsel;
		break;
	case BCM_SHD:
		*val = b->shd_sel << 10 | b->shd[b->shd_sel];
		break;
	default:
		spin_unlock_irqrestore(&b->lock, flags);
		return false;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return true;
}

static bool tbcm_write(struct tbcm *b, int regnum, u16 val)
{
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	switch (regnum) {
	case BCM_EXP_DATA:
		tbcm_exp_write(b, b->exp_sel & 0xfff, val);
		break;
	case BCM_EXP_SEL:
		b->exp_sel = val;
		break;
	case BCM_AUX_CTL:
		if ((val & BCM_AUXCTL_SEL) == BCM_AUXCTL_MISC && !(val & BCM_AUXCTL_WREN))
			b->aux_rdsel = (val >> 12) & 7;
		else
			b->aux[val & BCM_AUXCTL_SEL] = val & ~(BCM_AUXCTL_SEL | BCM_AUXCTL_WREN);
		break;
	case BCM_SHD:
		if (val & BCM_SHD_WRITE)
			b->shd[(val >> 10) & 0x1f] = val & 0x3ff;
		else
			b->shd_sel = (val >> 10) & 0x1f;
		break;
	default:
		spin_unlock_irqrestore(&b->lock, flags);
		return false;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return true;
}

/* Lose the next requested transmit capture (lose_tx): nobody counts it. */
static bool tdev_lose_one(void)
{
	int left = READ_ONCE(lose_tx);

	return left > 0 && cmpxchg(&lose_tx, left, left - 1) == left;
}

/* The MAC hands a frame to the PHY: a PTP event message is captured when the 1588
 * slice's TX side is on. */
static void tbcm_tx(struct tbcm *b, struct sk_buff *skb)
{
	unsigned int type = ptp_classify_raw(skb);
	struct ptp_header *hdr;
	unsigned long flags;
	u8 msgtype;

	if (type == PTP_CLASS_NONE)
		return;
	hdr = ptp_parse_header(skb, type);
	if (!hdr)
		return;
	msgtype = ptp_get_msgtype(hdr, type);
	if (msgtype > PTP_MSGTYPE_PDELAY_RESP)
		return;	/* not an event message */
	spin_lock_irqsave(&b->lock, flags);
	if ((b->exp[TIME_SYNC] & TIME_SYNC_EN) && (b->exp[SLICE_CTRL] & SLICE_TX_EN) &&
	    (b->exp[TX_TS_CAPTURE] & TX_TS_CAP_EN) &&
	    !((skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) && tdev_lose_one())) {
		if (b->fifo_n == TBCM_FIFO) {	/* full: the oldest capture is overwritten */
			b->fifo_n--;
			memmove(&b->fifo[0], &b->fifo[1], b->fifo_n * sizeof(b->fifo[0]));
		}
		b->fifo[b->fifo_n].ns = tbcm_now(b);
		b->fifo[b->fifo_n].seq_id = be16_to_cpu(hdr->sequence_id);
		b->fifo[b->fifo_n].msgtype = msgtype;
		b->fifo_n++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
}

static struct tbcm *tbcm_create(int id)
{
	struct tbcm *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	spin_lock_init(&b->lock);
	b->offset = (500000000LL + tdev_base_sec(0, id)) * NSEC_PER_SEC;
	return b;
}

/* phy_model=lan8841: the register file answers as Microchip's LAN8841 (PHY ID
 * 0x00221650), so that the kernel's micrel driver binds, registers the PHY's PHC
 * ("lan8841 ptp", 6.3+) and is its mii_timestamper. The driver reaches the 1588 unit
 * through MMD 2, which a clause-22 PHY offers through the MMD access registers 0x0d and
 * 0x0e: those are emulated for every MMD, each register keeping the value written,
 * and in MMD 2 the local time counter (LTC) behind the PHC is a free-running counter
 * (CLOCK_MONOTONIC plus an offset) that the driver's commands read, load and step.
 *
 * Transmit timestamps: the driver reads them in its PHY interrupt handler. Without
 * its bit in phy_irq the PHY has no interrupt line (it is polled, as when a board does
 * not wire it), so a frame the driver queues for a transmit timestamp never gets one:
 * the application's wait times out. With it, the PHY gets an interrupt line of this
 * module's own (an irq domain whose chip does nothing): a PTP event frame the MAC sends
 * while the driver has transmit timestamping on (TX parse and TX timestamp enables) is
 * captured into the egress FIFO, and the PTP interrupt is raised when the driver has
 * enabled it; the driver's handler reads the FIFO and matches the capture to the frame
 * it queued by sequence id. Not emulated: receive timestamps (these devices receive
 * nothing), rate adjustment (LTC_RATE_ADJ kept, no effect), the GPIO events (perout,
 * extts), and the link interrupt (the link never changes).
 */
#define LAN8841_PHY_ID		0x00221650

#define TLAN_MMD_REGS		1024	/* per MMD; the driver's highest is 506 */

/* LAN8841 MMD 2 registers (the driver's names) that do something here. */
#define LAN_PTP_CMD_CTL		256	/* commands: LTC_READ latches, LTC_LOAD sets, STEP_* step */
#define  LAN_CMD_LTC_READ	BIT(3)
#define  LAN_CMD_LTC_LOAD	BIT(4)
#define  LAN_CMD_STEP_SECONDS	BIT(5)
#define  LAN_CMD_STEP_NANOSECONDS BIT(6)
#define LAN_PTP_LTC_SET_SEC_HI	262	/* settime: seconds 47:32, 31:16, 15:0, ns 29:16, 15:0 (262-266) */
#define LAN_PTP_LTC_SET_SEC_MID	263
#define LAN_PTP_LTC_SET_SEC_LO	264
#define LAN_PTP_LTC_SET_NS_HI	265
#define LAN_PTP_LTC_SET_NS_LO	266
#define LAN_PTP_LTC_STEP_ADJ_HI	275	/* adjtime: BIT(15) adds (seconds step), else ns 29:16 */
#define LAN_PTP_LTC_STEP_ADJ_LO	276	/* adjtime: seconds, or ns 15:0 */
#define  LAN_STEP_ADJ_DIR	BIT(15)
#define LAN_PTP_LTC_RD_SEC_HI	358	/* gettime: the latched time, as the SET registers (358-362) */
#define LAN_PTP_LTC_RD_SEC_MID	359
#define LAN_PTP_LTC_RD_SEC_LO	360
#define LAN_PTP_LTC_RD_NS_HI	361
#define LAN_PTP_LTC_RD_NS_LO	362
#define LAN_PTP_INT_STS		259	/* interrupt handler: TX_TS_INT while the egress FIFO has a capture */
#define  LAN_INT_TX_TS		BIT(12)
#define LAN_PTP_INT_EN		260	/* hwtstamp set: TX_TS_EN lets a capture raise the interrupt */
#define LAN_PTP_TX_PARSE_CONFIG	432	/* hwtstamp set: which frames (L2, IPv4/6) are parsed for capture */
#define LAN_PTP_TX_TIMESTAMP_EN	443	/* hwtstamp set: BIT(message type) of the event messages captured */
#define LAN_PTP_TX_EGRESS_NS_HI	450	/* interrupt handler: the oldest capture, BIT(15) valid, ns 29:16 */
#define  LAN_EGRESS_VALID	BIT(15)
#define LAN_PTP_TX_EGRESS_NS_LO	451	/* ns 15:0 */
#define LAN_PTP_TX_EGRESS_SEC_HI 452	/* seconds 31:16 */
#define LAN_PTP_TX_EGRESS_SEC_LO 453	/* seconds 15:0 */
#define LAN_PTP_TX_MSG_HEADER2	455	/* interrupt handler, FIFO flush: its sequence id; reading drops it */
/* Clause-22 registers of the PHY's interrupt (micrel's LAN8814_* names). */
#define LAN_INTC		0x18	/* config_intr: BIT(9) enables the PTP interrupt */
#define LAN_INTS		0x1b	/* interrupt handler: BIT(9) PTP; cleared when read */
#define  LAN_INT_PTP		BIT(9)
#define TLAN_FIFO		8
/* Every other register the driver touches (config_init's PTP reset, parser and
 * version setup, the analog errata in MMD 28, hwtstamp set's RX/TX parse, timestamp
 * enable and interrupt enable registers, the GPIO and target registers) keeps the
 * value written; the interrupt status (259) reads 0: nothing was stamped. The plain
 * MII registers micrel uses beyond the standard ones (its interrupt status and
 * control) are RAM too: the PHY has no interrupt line, so nothing reads them for a
 * timestamp. */

struct tlan {
	spinlock_t lock;
	u16 mmd_ctrl, mmd_addr;	/* MII_MMD_CTRL (devad, function), the address set */
	u16 *mmd;		/* [32][TLAN_MMD_REGS] */
	s64 offset;		/* the LTC: CLOCK_MONOTONIC + offset */
	u16 intc, ints;		/* LAN_INTC, LAN_INTS */
	struct { u64 ns; u16 seq_id; } fifo[TLAN_FIFO];	/* egress captures */
	int fifo_n;
	unsigned int virq;	/* the PHY's interrupt (phy_irq), 0 without */
};

static u16 *tlan_reg(struct tlan *l, int devad, int reg)
{
	return &l->mmd[devad * TLAN_MMD_REGS + reg % TLAN_MMD_REGS];
}

/* A write to an MMD 2 register; l->lock held. */
static void tlan_mmd2_write(struct tlan *l, int reg, u16 val)
{
	u16 *r = tlan_reg(l, 2, 0);
	u64 ns, sec;
	u32 nsec;

	if (reg != LAN_PTP_CMD_CTL) {
		r[reg] = val;
		return;
	}
	r[reg] = val & ~(LAN_CMD_LTC_READ | LAN_CMD_LTC_LOAD | LAN_CMD_STEP_SECONDS |
			 LAN_CMD_STEP_NANOSECONDS);	/* commands clear themselves */
	if (val & LAN_CMD_LTC_READ) {
		ns = ktime_get_ns() + l->offset;
		sec = div_u64_rem(ns, NSEC_PER_SEC, &nsec);
		r[LAN_PTP_LTC_RD_SEC_HI] = (sec >> 32) & 0xffff;
		r[LAN_PTP_LTC_RD_SEC_MID] = (sec >> 16) & 0xffff;
		r[LAN_PTP_LTC_RD_SEC_LO] = sec & 0xffff;
		r[LAN_PTP_LTC_RD_NS_HI] = (nsec >> 16) & 0x3fff;
		r[LAN_PTP_LTC_RD_NS_LO] = nsec & 0xffff;
	}
	if (val & LAN_CMD_LTC_LOAD) {
		sec = (u64)r[LAN_PTP_LTC_SET_SEC_HI] << 32 | (u64)r[LAN_PTP_LTC_SET_SEC_MID] << 16 |
		      r[LAN_PTP_LTC_SET_SEC_LO];
		nsec = (u32)(r[LAN_PTP_LTC_SET_NS_HI] & 0x3fff) << 16 | r[LAN_PTP_LTC_SET_NS_LO];
		l->offset = sec * NSEC_PER_SEC + nsec - ktime_get_ns();
	}
	if (val & LAN_CMD_STEP_SECONDS) {
		s64 step = (s64)r[LAN_PTP_LTC_STEP_ADJ_LO] * NSEC_PER_SEC;

		l->offset += (r[LAN_PTP_LTC_STEP_ADJ_HI] & LAN_STEP_ADJ_DIR) ? step : -step;
	}
	if (val & LAN_CMD_STEP_NANOSECONDS)
		l->offset += (u32)(r[LAN_PTP_LTC_STEP_ADJ_HI] & 0x3fff) << 16 |
			     r[LAN_PTP_LTC_STEP_ADJ_LO];
}

/* A read of an MMD 2 register; l->lock held. */
static u16 tlan_mmd2_read(struct tlan *l, int reg)
{
	u16 *r = tlan_reg(l, 2, 0);
	u64 sec;
	u32 nsec;

	if (reg >= TLAN_MMD_REGS)
		return 0;
	switch (reg) {
	case LAN_PTP_INT_STS:
		return l->fifo_n ? LAN_INT_TX_TS : 0;
	case LAN_PTP_TX_EGRESS_NS_HI:
	case LAN_PTP_TX_EGRESS_NS_LO:
	case LAN_PTP_TX_EGRESS_SEC_HI:
	case LAN_PTP_TX_EGRESS_SEC_LO:
		if (!l->fifo_n)
			return 0;
		sec = div_u64_rem(l->fifo[0].ns, NSEC_PER_SEC, &nsec);
		if (reg == LAN_PTP_TX_EGRESS_NS_HI)
			return LAN_EGRESS_VALID | ((nsec >> 16) & 0x3fff);
		if (reg == LAN_PTP_TX_EGRESS_NS_LO)
			return nsec & 0xffff;
		if (reg == LAN_PTP_TX_EGRESS_SEC_HI)
			return (sec >> 16) & 0xffff;
		return sec & 0xffff;
	case LAN_PTP_TX_MSG_HEADER2: {
		u16 seq_id;

		if (!l->fifo_n)
			return 0;
		seq_id = l->fifo[0].seq_id;
		l->fifo_n--;
		memmove(&l->fifo[0], &l->fifo[1], l->fifo_n * sizeof(l->fifo[0]));
		return seq_id;
	}
	}
	return r[reg];
}

/* The clause-22 MMD access registers and the interrupt registers; false for every
 * other register. */
static bool tlan_access(struct tlan *l, int regnum, u16 *val, bool write)
{
	unsigned long flags;
	int devad;

	if (regnum != MII_MMD_CTRL && regnum != MII_MMD_DATA && regnum != LAN_INTC &&
	    regnum != LAN_INTS)
		return false;
	spin_lock_irqsave(&l->lock, flags);
	devad = l->mmd_ctrl & MII_MMD_CTRL_DEVAD_MASK;
	if (regnum == LAN_INTC) {
		if (write)
			l->intc = *val;
		else
			*val = l->intc;
	} else if (regnum == LAN_INTS) {
		if (!write) {
			*val = l->ints;
			l->ints = 0;
		}
	} else if (regnum == MII_MMD_CTRL) {
		if (write)
			l->mmd_ctrl = *val;
		else
			*val = l->mmd_ctrl;
	} else if (!(l->mmd_ctrl & ~MII_MMD_CTRL_DEVAD_MASK)) {	/* address function */
		if (write)
			l->mmd_addr = *val;
		else
			*val = l->mmd_addr;
	} else if (write) {
		if (devad == 2 && l->mmd_addr < TLAN_MMD_REGS)
			tlan_mmd2_write(l, l->mmd_addr, *val);
		else
			*tlan_reg(l, devad, l->mmd_addr) = *val;
	} else if (devad == 2) {
		*val = tlan_mmd2_read(l, l->mmd_addr);
	} else {
		*val = *tlan_reg(l, devad, l->mmd_addr);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return true;
}

/* The MAC hands a frame to the PHY (after the driver's txtstamp queued it): a PTP event
 * message is captured when the driver has TX parsing and its message type enabled,
 * and the PTP interrupt is raised when the driver has it enabled. */
static void tlan_tx(struct tlan *l, struct sk_buff *skb)
{
	unsigned int type = ptp_classify_raw(skb);
	struct ptp_header *hdr;
	unsigned long flags;
	bool fire = false;
	u16 *r;
	u8 msgtype;

	if (type == PTP_CLASS_NONE)
		return;
	hdr = ptp_parse_header(skb, type);
	if (!hdr)
		return;
	msgtype = ptp_get_msgtype(hdr, type);
	if (msgtype > PTP_MSGTYPE_PDELAY_RESP)
		return;
	spin_lock_irqsave(&l->lock, flags);
	r = tlan_reg(l, 2, 0);
	if (r[LAN_PTP_TX_PARSE_CONFIG] && (r[LAN_PTP_TX_TIMESTAMP_EN] & BIT(msgtype)) &&
	    !((skb_shinfo(skb)->tx_flags & SKBTX_HW_TSTAMP) && tdev_lose_one())) {
		if (l->fifo_n == TLAN_FIFO) {
			l->fifo_n--;
			memmove(&l->fifo[0], &l->fifo[1], l->fifo_n * sizeof(l->fifo[0]));
		}
		l->fifo[l->fifo_n].ns = ktime_get_ns() + l->offset;
		l->fifo[l->fifo_n].seq_id = be16_to_cpu(hdr->sequence_id);
		l->fifo_n++;
		if ((r[LAN_PTP_INT_EN] & LAN_INT_TX_TS) && (l->intc & LAN_INT_PTP)) {
			l->ints |= LAN_INT_PTP;
			fire = l->virq;
		}
	}
	spin_unlock_irqrestore(&l->lock, flags);
	if (fire)
		generic_handle_irq_safe(l->virq);
}

/* phy_irq: one interrupt line per device, from an irq domain of this module's whose
 * chip does nothing; a capture raises it with generic_handle_irq_safe(). */
static struct irq_domain *tirq_domain;
static struct fwnode_handle *tirq_fwnode;

static void tirq_noop(struct irq_data *d)
{
}

static struct irq_chip tirq_chip = {
	.name = DRV_NAME,
	.irq_mask = tirq_noop,
	.irq_unmask = tirq_noop,
};

static int tirq_map(struct irq_domain *d, unsigned int virq, irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &tirq_chip, handle_simple_irq);
	irq_set_noprobe(virq);
	return 0;
}

static const struct irq_domain_ops tirq_ops = {
	.map = tirq_map,
	.xlate = irq_domain_xlate_onecell,
};

static int tirq_init(void)
{
	tirq_fwnode = irq_domain_alloc_named_fwnode(DRV_NAME);
	if (!tirq_fwnode)
		return -ENOMEM;
	tirq_domain = irq_domain_create_linear(tirq_fwnode, TDEV_MAX, &tirq_ops, NULL);
	if (!tirq_domain) {
		irq_domain_free_fwnode(tirq_fwnode);
		tirq_fwnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void tirq_exit(void)
{
	if (tirq_domain)
		irq_domain_remove(tirq_domain);
	if (tirq_fwnode)
		irq_domain_free_fwnode(tirq_fwnode);
	tirq_domain = NULL;
	tirq_fwnode = NULL;
}

static struct tlan *tlan_create(int id)
{
	struct tlan *l = kzalloc(sizeof(*l), GFP_KERNEL);

	if (!l)
		return NULL;
	l->mmd = kvcalloc(32 * TLAN_MMD_REGS, sizeof(u16), GFP_KERNEL);
	if (!l->mmd) {
		kfree(l);
		return NULL;
	}
	spin_lock_init(&l->lock);
	l->offset = tdev_base_sec(3, id) * NSEC_PER_SEC;
	if (tirq_domain && (phy_irq & BIT(id))) {
		l->virq = irq_create_mapping(tirq_domain, id);
		if (!l->virq) {
			kvfree(l->mmd);
			kfree(l);
			return NULL;
		}
	}
	return l;
}

/* After the MDIO bus is gone (the PHY freed its interrupt when it detached). */
static void tlan_destroy(struct tlan *l)
{
	if (!l)
		return;
	if (l->virq)
		irq_dispose_mapping(l->virq);
	kvfree(l->mmd);
	kfree(l);
}
#endif /* HAVE_PHY_MODELS */

/* --- MDIO bus: a RAM register file ------------------------------------------------ */

static int tmdio_read(struct mii_bus *bus, int addr, int regnum)
{
	struct tdev *td = bus->priv;

	if (addr != 1 || regnum < 0 || regnum >= 32)
		return 0xffff;
#if HAVE_PHY_MODELS
	{
		u16 val;

		if (td->bcm && tbcm_read(td->bcm, regnum, &val))
			return val;
		if (td->lan && tlan_access(td->lan, regnum, &val, false))
			return val;
	}
#endif
	return td->regs[regnum];
}

static int tmdio_write(struct mii_bus *bus, int addr, int regnum, u16 val)
{
	struct tdev *td = bus->priv;

	if (addr != 1 || regnum < 0 || regnum >= 32)
		return 0;
#if HAVE_PHY_MODELS
	if (td->bcm && tbcm_write(td->bcm, regnum, val))
		return 0;
	if (td->lan && tlan_access(td->lan, regnum, &val, true))
		return 0;
#endif
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
#if HAVE_PHY_MODELS
	/* An emulated PHY sees the frame on its way out (before the driver's txtstamp
	 * queues it; its PTP worker then finds the capture at once). */
	if (td->bcm && td->phydev)
		tbcm_tx(td->bcm, skb);
#endif
	/* Software timestamp, and the PHY's chance to stamp (mii_ts->txtstamp). */
	skb_tx_timestamp(skb);
#if HAVE_PHY_MODELS
	/* The LAN8841's capture raises its interrupt at once: its driver must have queued
	 * the frame already. */
	if (td->lan && td->phydev)
		tlan_tx(td->lan, skb);
#endif

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
#if HAVE_PHY_MODELS
	kfree(td->bcm);
	td->bcm = NULL;
	tlan_destroy(td->lan);
	td->lan = NULL;
#endif
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
#if HAVE_TS_STATS
	if (!mac_ts_stats)
		td->eto.get_ts_stats = NULL;
#endif
	ndev->netdev_ops = &td->ndo;
	ndev->ethtool_ops = &td->eto;

	if (mac_phc) {
		err = tclk_register(&td->mac[Q_PRECISE], mac_clock_name, tdev_base_sec(1, id),
				    BIT(HWTSTAMP_FILTER_NONE) | BIT(HWTSTAMP_FILTER_ALL), true,
				    &mac_refuse_rx, &pdev->dev);
		if (err)
			goto err_free;
		td->mac[Q_PRECISE].onestep = mac_onestep;
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
#if HAVE_PHY_MODELS
		if (!strcmp(phy_model, "bcm54210e"))
			td->bcm = tbcm_create(id);
		else if (!strcmp(phy_model, "lan8841"))
			td->lan = tlan_create(id);
		if (*phy_model && !td->bcm && !td->lan) {
			err = -ENOMEM;
			goto err_clocks;
		}
#endif
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
#if HAVE_PHY_MODELS
		if (td->lan && td->lan->virq)
			td->bus->irq[1] = td->lan->virq;
#endif
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
		    tphy_registered && td->phydev && td->phydev->priv &&
		    ((struct tdev_phy *)td->phydev->priv)->clk.ptp ?
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
	if (*phy_model) {
#if HAVE_PHY_MODELS
		/* The real driver binds; load it first (modprobe broadcom). */
		uint model_id;

		if (!strcmp(phy_model, "bcm54210e")) {
			model_id = BCM54210E_PHY_ID;
		} else if (!strcmp(phy_model, "lan8841")) {
			model_id = LAN8841_PHY_ID;
		} else {
			pr_err(DRV_NAME ": unknown phy_model %s\n", phy_model);
			return -EINVAL;
		}
		if (phy_id == TDEV_PHY_ID)
			phy_id = model_id;
		if (phy_irq && model_id == LAN8841_PHY_ID) {
			err = tirq_init();
			if (err)
				return err;
		}
#else
		pr_err(DRV_NAME ": phy_model needs 6.1 or later\n");
		return -EINVAL;
#endif
	} else {
		tphy_driver.phy_id = phy_id;
		tphy_driver.name = phy_name;
		err = phy_drivers_register(&tphy_driver, 1, NULL);
		if (err)
			return err;
		tphy_registered = true;
	}
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
	if (tphy_registered)
		phy_drivers_unregister(&tphy_driver, 1);
#if HAVE_PHY_MODELS
	tirq_exit();
#endif
	return err;
}

static void __exit tdev_exit(void)
{
	tdev_destroy_devices();
	platform_driver_unregister(&tdev_driver);
	if (tphy_registered)
		phy_drivers_unregister(&tphy_driver, 1);
#if HAVE_PHY_MODELS
	tirq_exit();
#endif
}

module_init(tdev_init);
module_exit(tdev_exit);
MODULE_DESCRIPTION("tsctl test devices: MAC and PHY hardware timestamping providers");
MODULE_LICENSE("GPL");
