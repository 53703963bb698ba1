# A Raspberry Pi CM5-like port: a MAC with its own clock (macb's names: driver "macb",
# PHC "gem-ptp-timer", tx off/on/onestep-sync, rx none/all, no timestamping counters)
# and a Broadcom BCM54210E PHY (the CM4/CM5 carry its BCM54210PE variant) under
# Debian's own broadcom and bcm-phy-ptp drivers, bound to the test module's emulated
# registers (phy_model=bcm54210e). bcm-phy-ptp sets default_timestamp: the PHY's clock
# is the default provider. Its rx filters are none and ptpv2-event only (any PTPv2
# filter becomes ptpv2-event), it offers onestep-sync and onestep-p2p, and it can read
# its configuration back from 6.19 on. A missed capture leaves the frame in the
# driver's queue: no timestamp, no error, no counter. Debian's 5.10 has no bcm-phy-ptp.
DESCRIPTION="CM5-like: MAC clock + Broadcom BCM54210E PHY clock (real broadcom/bcm-phy-ptp), the PHY the default"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
NEEDS_MODULES="broadcom bcm-phy-ptp"
QEMU_ARGS=""
BOOT_TIMEOUT=180

guest_script() {
	cat <<'GUEST'
mkdir -p /var/run
tb_modprobe broadcom
# Before its conversion to ndo_hwtstamp_get/set, macb passes SIOC[GS]HWTSTAMP on to the
# PHY when the PHY timestamps (phy_has_hwtstamp), as this module's MAC does before 6.6.
tb_load_testdev phy_model=bcm54210e mac_driver=macb 'mac_clock_name="gem-ptp-timer"' mac_onestep=1 mac_ts_stats=0
tb_up eth0
tb_inspect base eth0
tb_step base check - tsctl check --json eth0
# The precision question: which clock is the better one is the user's call here (tsctl
# has no table entry for this pair); with --prefer mac the PHY default is a warning.
tb_step base prefer - tsctl check --prefer mac eth0
# What ptp4l does first: SIOCSHWTSTAMP (6.14+: TSCONFIG_SET) without naming a provider,
# asking for the L2 event filter; the PHY driver widens it to ptpv2-event.
tb_set cfg eth0 on ptpv2-l2-event
tb_tx cfg eth0
tb_inspect cfg eth0
tb_step cfg check - tsctl check eth0
# A capture the PHY misses: bcm-phy-ptp keeps the frame queued and delivers nothing,
# and nobody counts it (no counters in the driver, none in this MAC).
echo 1 >/sys/module/tsctl_testdev/parameters/lose_tx
tb_tx lost eth0
tb_step lost show - tsctl show --json eth0
tb_step lost check - tsctl check eth0
# The driver matches captures by sequence id and message type: the next Sync with the
# same sequence id gets its capture matched to the stale frame and times out too
# (until a reconfiguration empties the driver's queue).
tb_tx next eth0
# ptp4l as a lone master on the PHY's clock (L2, hardware timestamps; its start
# reconfigures the PHY, which drops the stale frame): its Syncs' transmit timestamps
# come back through bcm-phy-ptp's worker.
ptp4l -i eth0 -2 -m --tx_timestamp_timeout=500 --logAnnounceInterval=-3 --announceReceiptTimeout=2 \
	--logSyncInterval=-3 >/tmp/ptp4l.log 2>&1 &
PTP4L=$!
sleep 3
tb_step ptp4l check - tsctl check eth0
kill "$PTP4L" 2>/dev/null
wait "$PTP4L" 2>/dev/null
tb_step ptp4l log - cat /tmp/ptp4l.log
tb_tx ptp4l eth0
tb_inspect ptp4l eth0
if tb_kernel_ge 6 14; then
	tb_step to-mac set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx to-mac eth0
	tb_inspect to-mac eth0
	tb_step to-mac check - tsctl check eth0
	tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-l2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
	# The PHY offers one-step sync: set, read back where the kernel can; a Sync then
	# gets no transmit timestamp (the driver drops the capture of a one-step Sync).
	tb_step onestep set - tsctl set eth0 --source phy --tx onestep-sync --rx ptpv2-event
	tb_tx onestep eth0
	tb_inspect onestep eth0
else
	# No provider choice: tx/rx only, to the default provider (the PHY).
	tb_step to-phy set - tsctl set eth0 --tx on --rx ptpv2-l2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
# The real drivers bound: broadcom's name for the PHY, bcm-phy-ptp's PHC (its module
# name as clock_name) owned by the MDIO device, the MAC's macb-like names.
base ptp[clock_name=gem-ptp-timer].index = 0
base ptp[clock_name=bcm_phy_ptp].index = 1
base eth0.tsctl.phcs[clock_name=bcm_phy_ptp].owner_bus = mdio_bus
base eth0.tsctl.phcs[clock_name=gem-ptp-timer].owner_bus = platform
base eth0.tsctl.driver = macb
@sid @bpo-7 @trixie base eth0.phys[0].driver = "Broadcom BCM54210E"
@sid @bpo-7 @trixie base eth0.tsctl.phys[0].driver = "Broadcom BCM54210E"
# bcm-phy-ptp sets default_timestamp (6.11+; before, the PHY is reported first anyway).
base eth0.advertised.layer = phy
base eth0.advertised.phc_index = 1
base eth0.ioctl.phc_index = 1
@sid @bpo-7 @trixie base eth0.tsctl.advertised.phy_index = 1
# What bcm-phy-ptp's ts_info says: one-step sync and p2p, rx none and ptpv2-event only.
base eth0.advertised.tx_types = ["off", "on", "onestep-sync", "onestep-p2p"]
base eth0.advertised.rx_filters = ["none", "ptpv2-event"]
base eth0.tsctl.advertised.tx_types = ["off", "on", "onestep-sync", "onestep-p2p"]
base eth0.tsctl.advertised.rx_filters = ["none", "ptpv2-event"]
@sid @bpo-7 base eth0.providers# = 2
@sid @bpo-7 base eth0.providers[0].layer = mac
@sid @bpo-7 base eth0.providers[0].tx_types = ["off", "on", "onestep-sync"]
@sid @bpo-7 base eth0.providers[0].rx_filters = ["none", "all"]
@sid @bpo-7 base eth0.providers[1].layer = phy
@sid @bpo-7 base eth0.providers[1].phy_index = 1
@sid @bpo-7 base eth0.tsctl.providers[layer=mac].tx_types = ["off", "on", "onestep-sync"]
@trixie @bookworm base eth0.providers# = 1
base eth0.tsctl.providers# = 2
# Read-back: the PHY's configuration from 6.19 on, phy-readback-unsupported before.
@sid @bpo-7 base eth0.active.state = configured
@sid @bpo-7 base eth0.active.phc_index = 1
@sid @bpo-7 base eth0.tsctl.active.layer = phy
@sid @bpo-7 base eth0.tsctl.active.state = configured
@trixie @bookworm base eth0.tsctl.active.state = unavailable
@trixie @bookworm base eth0.tsctl.active.reason = phy-readback-unsupported
# check: the PHY default is no problem by itself; which clock is the better one is the
# user's call (--prefer mac: precision-downgrade). No counters: the lost-timestamp check
# cannot run (macb has no get_ts_stats, bcm-phy-ptp counts nothing).
@sid @bpo-7 @trixie base step:check.rc = 0
@sid @bpo-7 @trixie base step:check.out ~ "errors": 0,\s+"warnings": 0
base step:check.out ~ ^(?![\s\S]*precision-downgrade)
@sid @bpo-7 @trixie base step:check.out ~ "check": "tx-timestamps-lost",\s+"interface": "eth0",\s+"reason": "the driver reports no lost or failed transmit timestamp counters
@trixie @bookworm base step:check.out ~ "id": "readback-unavailable"[\s\S]*"says": "phy-readback-unsupported, errno 95"
base step:prefer.out ~ phy clock ptp1 is in use but your policy \(--prefer mac\) prefers the mac clock ptp0 \[precision-downgrade\]
# (6.14+ only: before, the kernel cannot select a provider, so tsctl offers no fix.)
@sid @bpo-7 base step:prefer.out ~ fix: tsctl set eth0 --source mac --tx on --rx all
# 6.1: PHY-first reporting while SIOCSHWTSTAMP reaches macb first (which passes it on).
@bookworm base step:check.out ~ reporting-configuration-split
# ptp4l's request (no provider named) reaches the PHY; ptpv2-l2-event becomes ptpv2-event.
cfg step:set.rc = 0
@trixie @bookworm cfg step:set.out ~ tx=1 rx=12
cfg eth0.tx = phy
cfg eth0.probe.layer = phy
cfg eth0.probe.phc_index = 1
@sid @bpo-7 cfg eth0.active.tx_type = on
@sid @bpo-7 cfg eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 cfg eth0.tsctl.active.rx_filter = ptpv2-event
@trixie @bookworm cfg eth0.tsctl.active.reason = phy-readback-unsupported
@sid @bpo-7 @trixie cfg step:check.rc = 0
@trixie @bookworm cfg step:check.out ~ \[readback-unavailable\]
# A missed capture: no timestamp, no error, no counter; the next Sync (same sequence
# id) loses its timestamp to the stale frame.
lost eth0.tx = none
lost eth0.probe.verdict ~ no hardware transmit timestamp came back
lost step:show.rc = 0
@sid @bpo-7 @trixie lost step:show.out ~ "tx_lost": null
@sid @bpo-7 @trixie lost step:check.out ~ tx-timestamps-lost: the driver reports no lost or failed transmit timestamp counters
next eth0.tx = none
# ptp4l on the PHY's clock as master: no transmit timestamp timed out; after it, frames
# are stamped again.
ptp4l step:log.out ~ selected /dev/ptp1 as PTP clock
ptp4l step:log.out ~ assuming the grand master role
ptp4l step:log.out ~ ^(?![\s\S]*(timed out|FAULTY))
ptp4l eth0.tx = phy
@trixie ptp4l step:check.out ~ timestamping-off-in-use: ptp4l\[\d+\] uses eth0 but its configuration cannot be read
# 7.x: to the MAC and back to the PHY, each verified by reading the configuration back.
@sid @bpo-7 to-mac step:set.rc = 0
@sid @bpo-7 to-mac step:set.out ~ verified by read back; now mac ptp0, tx on, rx all
@sid @bpo-7 to-mac eth0.tx = mac
@sid @bpo-7 to-mac eth0.advertised.layer = mac
@sid @bpo-7 to-mac eth0.active.phc_index = 0
@sid @bpo-7 to-mac eth0.active.rx_filter = all
@sid @bpo-7 to-mac step:check.rc = 0
to-phy step:set.rc = 0
@sid @bpo-7 to-phy step:set.out ~ verified by read back; the driver chose rx ptpv2-event for ptpv2-l2-event; now phy:1 ptp1, tx on, rx ptpv2-event
@trixie @bookworm to-phy step:set.out ~ applied, unverified: the configuration cannot be read back \(phy-readback-unsupported\)
to-phy eth0.tx = phy
@sid @bpo-7 to-phy eth0.advertised.layer = phy
@sid @bpo-7 to-phy eth0.active.phc_index = 1
@sid @bpo-7 to-phy eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 to-phy eth0.tsctl.active.rx_filter = ptpv2-event
@trixie @bookworm to-phy eth0.tsctl.active.reason = phy-readback-unsupported
# One-step sync on the PHY: read back as such; a Sync gets no transmit timestamp.
@sid @bpo-7 onestep step:set.rc = 0
@sid @bpo-7 onestep step:set.out ~ verified by read back; now phy:1 ptp1, tx onestep-sync, rx ptpv2-event
@sid @bpo-7 onestep eth0.active.tx_type = onestep-sync
@sid @bpo-7 onestep eth0.tsctl.active.tx_type = onestep-sync
@sid @bpo-7 onestep eth0.tx = none
EXPECT
}
