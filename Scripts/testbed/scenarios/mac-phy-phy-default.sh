# MAC and PHY both timestamp; the PHY's driver sets default_timestamp, as the PTP PHY
# drivers that predate provider selection do (dp83640, micrel, mscc, bcm-phy-ptp).
DESCRIPTION="MAC+PHY, the PHY is the default provider"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev phy_default=1 phy_refuse_rx=9
tb_up eth0
tb_inspect base eth0
# No provider named: the request goes to the default provider, the PHY.
tb_set cfg eth0 on ptpv2-event
tb_tx cfg eth0
tb_inspect cfg eth0
# The PHY refuses ptpv2-l2-event (phy_refuse_rx=9) with ERANGE; nothing changes.
tb_set refuse eth0 on ptpv2-l2-event
tb_tx refuse eth0
if tb_kernel_ge 6 14; then
	tb_set mac eth0 on all "$(tb_phc 'tsctl_testdev MAC')" precise
	tb_tx mac eth0
	tb_inspect mac eth0
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.tsctl.driver = tsctl_testdev
base eth0.advertised.layer = phy
base eth0.advertised.phc_index = 1
base eth0.ioctl.phc_index = 1
@sid @bpo-7 base eth0.advertised.phy_index = 1
@sid @bpo-7 @trixie base eth0.tsctl.advertised.phy_index = 1
@sid @bpo-7 base eth0.providers# = 2
@sid @bpo-7 base eth0.providers[0].layer = mac
@sid @bpo-7 base eth0.providers[0].phc_index = 0
@sid @bpo-7 base eth0.providers[1].layer = phy
@sid @bpo-7 base eth0.providers[1].phy_index = 1
@trixie @bookworm @bullseye base eth0.providers# = 1
base eth0.tsctl.providers# = 2
@sid @bpo-7 @trixie base eth0.phys# = 1
@sid @bpo-7 @trixie base eth0.phys[0].driver = "tsctl_testdev PHY"
@sid @bpo-7 base eth0.active.state = configured
@sid @bpo-7 base eth0.active.phc_index = 1
@sid @bpo-7 base eth0.tsctl.active.layer = phy
# 6.12: SIOCGHWTSTAMP reaches the default PHY, whose read-back is a stub before 6.19.
@trixie base eth0.active.state = unavailable
@trixie base eth0.tsctl.active.reason = phy-readback-unsupported
cfg step:set.rc = 0
# 5.10 (Debian's, built without CONFIG_NETWORK_PHY_TIMESTAMPING): the core never hands a frame to
# a PHY's txtstamp, so the PHY reports its clock but stamps nothing (tx none).
@sid @bpo-7 @trixie @bookworm cfg eth0.tx = phy
@bullseye cfg eth0.tx = none
@sid @bpo-7 cfg eth0.active.tx_type = on
@sid @bpo-7 cfg eth0.active.rx_filter = ptpv2-event
refuse step:set.rc != 0
refuse step:set.out ~ out of range|error=34
@sid @bpo-7 @trixie @bookworm refuse eth0.tx = phy
@bullseye refuse eth0.tx = none
@sid @bpo-7 mac step:set.rc = 0
@sid @bpo-7 mac eth0.advertised.layer = mac
@sid @bpo-7 mac eth0.active.phc_index = 0
@sid @bpo-7 mac eth0.active.rx_filter = all
@sid @bpo-7 mac eth0.tx = mac
EXPECT
}
