# Two ports, each a MAC with its own clock (the test module's) and a Microchip LAN8841
# PHY under Debian's own micrel driver, bound to the test module's emulated registers
# (phy_model=lan8841): the driver registers the PHY's clock ("lan8841 ptp", 6.3+) and
# sets default_timestamp, so the PHY is the default provider. The driver reads transmit
# timestamps in its PHY interrupt handler: eth0's PHY has no interrupt line, so every
# transmit timestamp it is asked for times out, as on a board whose PHY interrupt is not
# wired; eth1's has one (phy_irq=2), and its timestamps come. Read-back of the PHY's
# configuration from 7.0 on. Debian's 6.1 and 5.10 micrel have no LAN8841 PTP.
DESCRIPTION="MAC clock + Microchip LAN8841 PHY clock (real micrel), the PHY the default; no transmit timestamp without the PHY interrupt, timestamps with it"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
NEEDS_MODULES="micrel/lan8841-ptp"
QEMU_ARGS=""
BOOT_TIMEOUT=180

guest_script() {
	cat <<'GUEST'
mkdir -p /var/run
tb_modprobe micrel
# eth0's PHY is polled (no interrupt line), eth1's has its interrupt wired (phy_irq).
# One load: micrel does not unregister the LAN8841's PHC when the PHY goes away, so a
# reload would leave a clock behind whose driver memory is freed.
tb_load_testdev phy_model=lan8841 ndevs=2 phy_irq=2
tb_up eth0
tb_up eth1
tb_inspect base eth0
tb_step base check - tsctl check --json eth0
tb_set cfg eth0 on ptpv2-l2-event
tb_tx cfg eth0
tb_inspect cfg eth0
tb_step cfg check - tsctl check eth0
# The MAC's counters (get_ts_stats) say nothing about the PHY's timestamps; only a
# frame sent shows that none comes back.
tb_step cfg probe-check - tsctl check --probe eth0
# ptp4l as a lone master on the PHY's clock: its first Sync's transmit timestamp times
# out and the port goes FAULTY.
ptp4l -i eth0 -2 -m --tx_timestamp_timeout=100 --logAnnounceInterval=-3 --announceReceiptTimeout=2 \
	--logSyncInterval=-3 >/tmp/ptp4l.log 2>&1 &
PTP4L=$!
sleep 3
kill "$PTP4L" 2>/dev/null
wait "$PTP4L" 2>/dev/null
tb_step ptp4l log - cat /tmp/ptp4l.log
if tb_kernel_ge 6 14; then
	tb_step to-mac set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx to-mac eth0
	tb_inspect to-mac eth0
	tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-l2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
	tb_step to-phy check - tsctl check eth0
else
	tb_step to-phy set - tsctl set eth0 --tx on --rx ptpv2-l2-event
	tb_inspect to-phy eth0
fi
# eth1: the driver's interrupt handler reads the egress capture and delivers the
# transmit timestamp; ptp4l runs as master without a timeout.
tb_set irq eth1 on ptpv2-l2-event
tb_tx irq eth1
tb_inspect irq eth1
tb_step irq probe-check - tsctl check --probe eth1
ptp4l -i eth1 -2 -m --tx_timestamp_timeout=100 --logAnnounceInterval=-3 --announceReceiptTimeout=2 \
	--logSyncInterval=-3 >/tmp/ptp4l.log 2>&1 &
PTP4L=$!
sleep 3
kill "$PTP4L" 2>/dev/null
wait "$PTP4L" 2>/dev/null
tb_step irq ptp4l - cat /tmp/ptp4l.log
tb_down eth0
tb_down eth1
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
# The real driver bound: micrel's name for the PHY, its PHC owned by the MDIO device.
base ptp[clock_name=tsctl_testdev MAC].index = 0
base ptp[clock_name=lan8841 ptp].index = 1
base eth0.tsctl.phcs[clock_name=lan8841 ptp].owner_bus = mdio_bus
base eth0.phys[0].driver = "Microchip LAN8841 Gigabit PHY"
base eth0.tsctl.phys[0].driver = "Microchip LAN8841 Gigabit PHY"
# default_timestamp: the PHY is the default provider; what micrel's ts_info says.
base eth0.advertised.layer = phy
base eth0.advertised.phc_index = 1
base eth0.ioctl.phc_index = 1
base eth0.tsctl.advertised.phy_index = 1
base eth0.advertised.tx_types = ["off", "on", "onestep-sync"]
base eth0.advertised.rx_filters = ["none", "ptpv2-l4-event", "ptpv2-l2-event", "ptpv2-event"]
base eth0.tsctl.advertised.tx_types = ["off", "on", "onestep-sync"]
base eth0.tsctl.advertised.rx_filters = ["none", "ptpv2-l4-event", "ptpv2-l2-event", "ptpv2-event"]
@sid @bpo-7 base eth0.providers# = 2
@sid @bpo-7 base eth0.providers[1].layer = phy
@trixie base eth0.providers# = 1
base eth0.tsctl.providers# = 2
# Read-back: micrel's hwtstamp_get from 7.0 on; phy-readback-unsupported on 6.12.
@sid @bpo-7 base eth0.active.state = configured
@sid @bpo-7 base eth0.tsctl.active.layer = phy
@trixie base eth0.tsctl.active.state = unavailable
@trixie base eth0.tsctl.active.reason = phy-readback-unsupported
base step:check.rc = 0
@trixie base step:check.out ~ "id": "readback-unavailable"
# No provider named: the PHY takes ptpv2-l2-event as asked (micrel does not widen).
cfg step:set.rc = 0
@trixie cfg step:set.out ~ tx=1 rx=9
@sid @bpo-7 cfg eth0.active.tx_type = on
@sid @bpo-7 cfg eth0.active.rx_filter = ptpv2-l2-event
@sid @bpo-7 cfg eth0.tsctl.active.rx_filter = ptpv2-l2-event
# No transmit timestamp: the driver waits for a PHY interrupt that never comes.
cfg eth0.tx = none
cfg eth0.probe.verdict ~ no hardware transmit timestamp came back
cfg step:probe-check.out ~ probe: no hardware transmit timestamp came back
ptp4l step:log.out ~ selected /dev/ptp1 as PTP clock
ptp4l step:log.out ~ timed out while polling for tx timestamp
ptp4l step:log.out ~ MASTER to FAULTY
# 7.x: to the MAC (its clock stamps) and back to the PHY, verified by read-back.
@sid @bpo-7 to-mac step:set.rc = 0
@sid @bpo-7 to-mac step:set.out ~ verified by read back; now mac ptp0, tx on, rx all
@sid @bpo-7 to-mac eth0.tx = mac
@sid @bpo-7 to-mac eth0.active.phc_index = 0
@sid @bpo-7 to-phy step:set.rc = 0
@sid @bpo-7 to-phy step:set.out ~ verified by read back; now phy:1 ptp1, tx on, rx ptpv2-l2-event
@sid @bpo-7 to-phy eth0.active.phc_index = 1
@sid @bpo-7 to-phy eth0.tx = none
@trixie to-phy step:set.rc = 0
@trixie to-phy step:set.out ~ applied, unverified: the configuration cannot be read back \(phy-readback-unsupported\)
# eth1, its PHY interrupt wired: the driver's handler delivers the timestamp, ptp4l
# runs as master without a timeout.
irq step:set.rc = 0
irq eth1.advertised.phc_index = 3
irq eth1.tx = phy
irq eth1.tx_phc = 3
irq eth1.probe.layer = phy
irq eth1.probe.phc_index = 3
@sid @bpo-7 irq eth1.active.phc_index = 3
@sid @bpo-7 irq eth1.active.rx_filter = ptpv2-l2-event
irq step:probe-check.rc = 0
irq step:probe-check.out ~ ^(?![\s\S]*no hardware transmit timestamp)
irq step:ptp4l.out ~ selected /dev/ptp3 as PTP clock
irq step:ptp4l.out ~ assuming the grand master role
irq step:ptp4l.out ~ ^(?![\s\S]*(timed out|FAULTY))
EXPECT
}
