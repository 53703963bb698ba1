# Only the PHY timestamps: the MAC has no PHC (a MAC without PTP behind a PTP PHY).
DESCRIPTION="PHY only: the MAC has no PHC"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_phc=0 phy_default=1
tb_up eth0
tb_inspect base eth0
tb_set cfg eth0 on ptpv2-l2-event
tb_tx cfg eth0
tb_inspect cfg eth0
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base ptp# = 1
base eth0.advertised.layer = phy
base eth0.advertised.phc_index = 0
base eth0.providers# = 1
base eth0.tsctl.providers# = 1
base eth0.tsctl.providers[0].layer = phy
@sid @bpo-7 base eth0.providers[0].layer = phy
@sid @bpo-7 base eth0.providers[0].phy_index = 1
cfg step:set.rc = 0
# 5.10 (Debian's, built without CONFIG_NETWORK_PHY_TIMESTAMPING): the core never hands a frame to
# a PHY's txtstamp, so the PHY reports its clock but stamps nothing (tx none).
@sid @bpo-7 @trixie @bookworm cfg eth0.tx = phy
@bullseye cfg eth0.tx = none
@sid @bpo-7 cfg eth0.active.phc_index = 0
@sid @bpo-7 cfg eth0.active.tx_type = on
@sid @bpo-7 cfg eth0.active.rx_filter = ptpv2-l2-event
EXPECT
}
