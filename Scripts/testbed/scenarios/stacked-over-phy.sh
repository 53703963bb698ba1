# A VLAN and a macvlan over a device whose PHY timestamps. Their frames are stamped by
# the PHY's clock, so tsctl must name layer phy, the PHY's index and the PHY's clock for
# them in show, show --json, check and probe. From 6.16 the kernel answers TSINFO on such
# a stacked device with source "netdev" and the PHY's index together (the stacked
# device's own get_ts_info overwrites the source the device below reported; the PHY
# index and the PHC's owner in sysfs are right): tsctl must not take the source alone.
# 7.x: the PHY provider is selected on the device below, then the MAC again (the
# stacked devices follow, layer mac). Before 6.14 (no provider selection) the PHY is the
# default (phy_default=1 from 6.11; before that, the kernel reports a timestamping PHY
# first), and the stacked devices report the PHY's clock without a source. Debian's 5.10
# is built without CONFIG_NETWORK_PHY_TIMESTAMPING: the PHY is reported but never stamps a
# frame, and tsctl probe says that no timestamp came back.
# Not on bpo-6.16: the mirror keeps no headers for that series, so the test module
# cannot be built for it (its igb scenarios run there instead).
DESCRIPTION="VLAN + macvlan over a device whose PHY timestamps: layer phy, PHY index and clock in show/check/probe"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""
BOOT_TIMEOUT=200

guest_script() {
	cat <<'GUEST'
if tb_kernel_ge 6 14; then tb_load_testdev; else tb_load_testdev phy_default=1; fi
tb_modprobe 8021q
tb_modprobe macvlan
tb_up eth0
tb_section setup vlan - ip link add link eth0 name vl7 type vlan id 7
tb_section setup macvlan - ip link add link eth0 name mv0 type macvlan mode bridge
tb_section setup vlan-up - ip link set vl7 up
tb_section setup macvlan-up - ip link set mv0 up
if tb_kernel_ge 6 14; then
	# The control: the MAC is the default, the stacked devices show it.
	tb_inspect mac eth0 vl7 mv0
	tb_step phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-event
else
	tb_set phy eth0 on ptpv2-event
fi
tb_tx phy vl7
tb_tx phy mv0
tb_inspect phy eth0 vl7 mv0
tb_step phy show-vlan - tsctl show vl7
tb_step phy show-macvlan - tsctl show mv0
tb_step phy check - tsctl check vl7 mv0
tb_step phy check-json - tsctl check --json vl7 mv0
tb_step phy check-probe - tsctl check --probe vl7 mv0
tb_step phy probe-text - tsctl probe vl7
if tb_kernel_ge 6 14; then
	tb_step back set - tsctl set eth0 --source mac --tx on --rx ptpv2-event
	tb_tx back vl7
	tb_tx back mv0
	tb_inspect back eth0 vl7 mv0
fi
ip link del mv0
ip link del vl7
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
@sid @bpo-7 mac vl7.tsctl.advertised.layer = mac
@sid @bpo-7 mac mv0.tsctl.advertised.layer = mac
@sid @bpo-7 mac vl7.tsctl.advertised.phc_index = 0
phy step:set.rc = 0
# The frames sent on the stacked devices carry the PHY's timestamps.
# 5.10 (Debian's, built without CONFIG_NETWORK_PHY_TIMESTAMPING): the core never hands a frame to
# a PHY's txtstamp, so the PHY reports its clock but stamps nothing (tx none).
@sid @bpo-7 @trixie @bookworm phy vl7.tx = phy
@bullseye phy vl7.tx = none
@sid @bpo-7 @trixie @bookworm phy mv0.tx = phy
@bullseye phy mv0.tx = none
@sid @bpo-7 @trixie @bookworm phy vl7.probe.layer = phy
@bullseye phy vl7.probe.layer = null
@sid @bpo-7 @trixie @bookworm phy mv0.probe.layer = phy
@bullseye phy mv0.probe.layer = null
@sid @bpo-7 @trixie @bookworm phy vl7.probe.phc_index = 1
@bullseye phy vl7.probe.phc_index = null
phy vl7.tsctl.advertised.layer = phy
phy mv0.tsctl.advertised.layer = phy
phy vl7.tsctl.advertised.phc_index = 1
phy mv0.tsctl.advertised.phc_index = 1
phy vl7.tsctl.lower = eth0
@sid @bpo-7 @trixie phy vl7.tsctl.advertised.phy_index = 1
@sid @bpo-7 @trixie phy mv0.tsctl.advertised.phy_index = 1
@sid @bpo-7 @trixie phy vl7.probe.phy_index = 1
phy vl7.ioctl.phc_index = 1
# 7.x lists the active provider for a stacked device, and reads its config from it.
@sid @bpo-7 phy vl7.tsctl.providers[0].layer = phy
@sid @bpo-7 phy vl7.tsctl.active.layer = phy
phy step:show-vlan.rc = 0
# 5.10 keeps 15 bytes of a clock name ("tsctl_testdev P").
phy step:show-vlan.out ~ advertised phy\S* ptp1 "tsctl_testdev P
@sid @bpo-7 @trixie phy step:show-vlan.out ~ advertised phy:1 ptp1
@sid @bpo-7 @trixie phy step:check.out ~ \(phy:1 ptp1\)
phy step:show-macvlan.out ~ advertised phy\S* ptp1 "tsctl_testdev P
phy step:check.rc = 0
phy step:check.out ~ vl7 is a vlan on eth0: its hardware timestamps come from eth0 \(phy\S* ptp1\)
phy step:check.out ~ mv0 is a macvlan on eth0: its hardware timestamps come from eth0 \(phy\S* ptp1\)
phy step:check-probe.rc = 0
phy step:check-json.out ~ its hardware timestamps come from eth0 \(phy\S* ptp1\)
phy step:check-probe.out ~ ^(?![\s\S]*\[advertised-not-active\])
@bullseye phy step:check-probe.out ~ vl7: advertised-not-active: probe: no hardware transmit timestamp came back
@sid @bpo-7 @trixie @bookworm phy step:probe-text.out ~ stamped by phy\S* ptp1
@bullseye phy step:probe-text.rc = 1
@bullseye phy step:probe-text.out ~ vl7: no hardware transmit timestamp came back
@sid @bpo-7 @trixie phy step:probe-text.out ~ stamped by phy:1 ptp1
@sid @bpo-7 back step:set.rc = 0
@sid @bpo-7 back vl7.tx = mac
@sid @bpo-7 back mv0.tx = mac
@sid @bpo-7 back vl7.probe.layer = mac
@sid @bpo-7 back vl7.tsctl.advertised.layer = mac
@sid @bpo-7 back mv0.tsctl.advertised.layer = mac
@sid @bpo-7 back vl7.tsctl.advertised.phy_index = null
EXPECT
}
