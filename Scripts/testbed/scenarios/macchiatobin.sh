# A MACCHIATObin-like port: an mvpp2-style MAC ("Marvell PP2.2") whose PHC is the better
# one, and a Marvell 88E1512-style PHY with a PHC of its own that is not the default.
# On 6.1 the MAC driver keeps SIOCSHWTSTAMP for itself (as mvpp2 did) while the kernel
# reports the PHY first: ptp4l is told the PHY's clock and gets the MAC's timestamps.
DESCRIPTION="MAC+PHY, the MAC is the default (MACCHIATObin names); 6.1: advertised != configured"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_driver=mvpp2 phy_id=0x01410dd1 'phy_name="Marvell 88E1510"' 'mac_clock_name="Marvell PP2.2"' \
	'phy_clock_name="Marvell 88E151x PTP"' mac_keeps_ioctl=1
tb_up eth0
tb_inspect base eth0
tb_step base check - tsctl check --json eth0
# Tab after `tsctl set eth0 --source `: the shell asks tsctl for this board's providers.
tb_step base complete-source - tsctl ---completion set -- --source 4 0 tsctl set eth0 --source ""
# What ptp4l does: SIOCSHWTSTAMP without naming a provider.
tb_step ioctl set - tstool set eth0 1 1
tb_tx ioctl eth0
tb_inspect ioctl eth0
tb_step ioctl check - tsctl check --probe --json eth0
if tb_kernel_ge 6 14; then
	tb_set phy eth0 on ptpv2-event "$(tb_phc 'Marvell 88E151x PTP')" precise
	tb_tx phy eth0
	tb_inspect phy eth0
	tb_step phy check - tsctl check --json eth0
	tb_set mac eth0 on all "$(tb_phc 'Marvell PP2.2')" precise
	tb_tx mac eth0
	tb_inspect mac eth0
	# The MAC (as mvpp2) widens any PTP filter to all. A file asking ptpv2-event is met
	# by rx all: apply, apply --dry-run and check --expect say so alike, and when it is
	# not met they agree it needs a change, and check's fix is the apply that makes it.
	printf '[[interface]]\nname = "eth0"\nsource = "mac"\ntx = "on"\nrx = "ptpv2-event"\n' >/tmp/widen.toml
	tb_step widened dry - tsctl apply --dry-run /tmp/widen.toml
	tb_step widened apply - tsctl apply /tmp/widen.toml
	tb_step widened expect - tsctl check --expect /tmp/widen.toml eth0
	tb_set off eth0 off none
	tb_step off dry - tsctl apply --dry-run /tmp/widen.toml
	tb_step off expect - tsctl check --expect /tmp/widen.toml eth0
	tb_step off apply - tsctl apply /tmp/widen.toml
	tb_inspect off eth0
	tb_step off expect-after - tsctl check --expect /tmp/widen.toml eth0
	tb_step off dry-after - tsctl apply --dry-run /tmp/widen.toml
else
	# The split: the MAC driver keeps SIOC[GS]HWTSTAMP, which the probe above proved.
	# set, apply and check --expect judge the MAC as the layer configured: naming the
	# PHY (or its clock) is refused, never "nothing to change"; the MAC is already on.
	printf '[[interface]]\nname = "eth0"\nsource = "phy"\ntx = "on"\nrx = "ptpv2-event"\n' >/tmp/phy.toml
	printf '[[interface]]\nname = "eth0"\nsource = "mac"\ntx = "on"\nrx = "ptpv2-event"\n' >/tmp/mac.toml
	tb_step split set-phy - tsctl set eth0 --source phy --tx on --rx ptpv2-event
	# 5.10 keeps 15 bytes of a PHC's name.
	phyphc=$(tb_phc 'Marvell 88E151x PTP')
	case $phyphc in no-phc*) phyphc=$(tb_phc 'Marvell 88E151x') ;; esac
	tb_step split set-phc - tsctl set eth0 --source "phc:$phyphc" --tx on --rx ptpv2-event
	tb_step split apply-phy - tsctl apply /tmp/phy.toml
	tb_step split expect-phy - tsctl check --expect /tmp/phy.toml eth0
	tb_step split set-mac - tsctl set eth0 --source mac --tx on --rx ptpv2-event
	tb_step split expect-mac - tsctl check --expect /tmp/mac.toml eth0
	tb_step split mac-off - tsctl set eth0 --source mac --tx off --rx none
	tb_inspect split eth0
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base ptp[clock_name=Marvell PP2.2].index = 0
@sid @bpo-7 @trixie @bookworm base ptp[clock_name=Marvell 88E151x PTP].index = 1
# 5.10 keeps 15 bytes of a clock name.
@bullseye base ptp[clock_name=Marvell 88E151x].index = 1
base eth0.tsctl.phcs[clock_name=Marvell PP2.2].owner_bus = platform
@sid @bpo-7 @trixie @bookworm base eth0.tsctl.phcs[clock_name=Marvell 88E151x PTP].owner_bus = mdio_bus
@bullseye base eth0.tsctl.phcs[clock_name=Marvell 88E151x].owner_bus = mdio_bus
base eth0.tsctl.providers# = 2
base eth0.tsctl.driver = mvpp2
@sid @bpo-7 @trixie base eth0.phys[0].driver = "Marvell 88E1510"
@sid @bpo-7 @trixie base eth0.tsctl.phys[0].driver = "Marvell 88E1510"
@sid @bpo-7 @trixie base eth0.advertised.layer = mac
@sid @bpo-7 @trixie base eth0.advertised.phc_index = 0
@sid @bpo-7 @trixie base eth0.ioctl.phc_index = 0
@sid @bpo-7 base eth0.providers# = 2
@sid @bpo-7 base eth0.providers[0].layer = mac
@sid @bpo-7 base eth0.providers[1].layer = phy
@sid @bpo-7 base eth0.providers[1].phc_index = 1
@sid @bpo-7 base eth0.providers[1].phy_index = 1
@trixie base eth0.providers# = 1
@trixie base eth0.tsctl.providers[layer=phy].reported_by = sysfs
@sid @bpo-7 base eth0.active.phc_index = 0
@sid @bpo-7 @trixie base step:check.rc = 0
@sid @bpo-7 base step:complete-source.rc = 0
@sid @bpo-7 base step:complete-source.out ~ ^mac\nphc:0\nphy:1\nphc:1\n?$
@bookworm @bullseye base step:complete-source.out ~ ^phy\nphc:1\nmac\nphc:0\n?$
@sid @bpo-7 @trixie base step:check.out ~ "errors": 0,\s+"warnings": 0
@sid @bpo-7 @trixie ioctl step:check.rc = 0
@sid @bpo-7 @trixie ioctl step:check.out ~ "errors": 0,
@sid @bpo-7 @trixie ioctl eth0.probe.layer = mac
ioctl step:set.rc = 0
@sid @bpo-7 @trixie ioctl eth0.tx = mac
@sid @bpo-7 @trixie ioctl eth0.active.tx_type = on
@sid @bpo-7 @trixie ioctl eth0.active.rx_filter = all
@sid @bpo-7 phy step:set.rc = 0
@sid @bpo-7 phy eth0.advertised.layer = phy
@sid @bpo-7 phy eth0.advertised.phc_index = 1
@sid @bpo-7 phy eth0.active.phc_index = 1
@sid @bpo-7 phy eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 phy eth0.tx = phy
@sid @bpo-7 phy eth0.tsctl.active.layer = phy
# The known pair: mvpp2's clock is the better one.
@sid @bpo-7 phy step:check.out ~ precision-downgrade
@sid @bpo-7 mac step:set.rc = 0
@sid @bpo-7 mac eth0.active.phc_index = 0
@sid @bpo-7 mac eth0.tx = mac
# The widened filter: one verdict from apply, apply --dry-run and check --expect.
@sid @bpo-7 widened step:dry.rc = 10
@sid @bpo-7 widened step:dry.out ~ nothing to do
@sid @bpo-7 widened step:apply.rc = 10
@sid @bpo-7 widened step:apply.out ~ nothing to do
@sid @bpo-7 widened step:expect.rc = 0
@sid @bpo-7 widened step:expect.out ~ ^(?![\s\S]*expectation-not-met)
@sid @bpo-7 widened step:expect.out ~ ^(?![\s\S]*rx-filter-unsupported)
@sid @bpo-7 off step:set.rc = 0
@sid @bpo-7 off step:dry.rc = 0
@sid @bpo-7 off step:dry.out ~ eth0: would change
@sid @bpo-7 off step:expect.rc = 1
@sid @bpo-7 off step:expect.out ~ \[expectation-not-met\]
@sid @bpo-7 off step:expect.out ~ fix: tsctl apply /tmp/widen.toml
@sid @bpo-7 off step:apply.rc = 0
@sid @bpo-7 off step:apply.out ~ eth0: applied, verified by .*the driver chose rx all for ptpv2-event
@sid @bpo-7 off eth0.active.tx_type = on
@sid @bpo-7 off eth0.active.rx_filter = all
@sid @bpo-7 off eth0.active.phc_index = 0
@sid @bpo-7 off step:expect-after.rc = 0
@sid @bpo-7 off step:dry-after.rc = 10
# 6.1: reporting goes PHY first, configuration stays with the MAC driver.
@bookworm @bullseye base eth0.advertised.phc_index = 1
@bookworm @bullseye base eth0.advertised.layer = phy
@bookworm @bullseye base eth0.ioctl.phc_index = 1
@bookworm @bullseye ioctl eth0.ioctl.tx_type = on
@bookworm @bullseye ioctl eth0.ioctl.rx_filter = all
@bookworm @bullseye ioctl eth0.tx = mac
@bookworm @bullseye ioctl eth0.tsctl.advertised.phc_index = 1
@bookworm @bullseye ioctl eth0.probe.phc_index = 0
@bookworm @bullseye base step:check.out ~ reporting-configuration-split
# With the frame as evidence the split is an error: ptp4l would steer the wrong clock.
@bookworm @bullseye ioctl step:check.rc = 1
@bookworm @bullseye ioctl step:check.out ~ advertised-not-active
@bookworm @bullseye split step:set-phy.rc = 5
@bookworm @bullseye split step:set-phy.out ~ SIOCSHWTSTAMP configures the MAC
@bookworm @bullseye split step:set-phc.rc = 5
@bookworm @bullseye split step:apply-phy.rc = 5
@bookworm @bullseye split step:expect-phy.rc = 1
@bookworm @bullseye split step:set-mac.rc = 10
@bookworm @bullseye split step:set-mac.out ~ nothing to change \(mac ptp0, tx on, rx all\)
@bookworm @bullseye split step:expect-mac.rc = 0
@bookworm @bullseye split step:expect-mac.out ~ 0 errors, 1 warning, \d+ info on 1 interface; 1 checks? could not run
@bookworm @bullseye split step:mac-off.rc = 0
@bookworm @bullseye split eth0.ioctl.tx_type = off
@bookworm @bullseye split eth0.ioctl.rx_filter = none
EXPECT
}
