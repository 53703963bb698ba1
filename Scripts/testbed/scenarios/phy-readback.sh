# A PHY whose driver can read its timestamping configuration back (mii_timestamper
# hwtstamp_get, 6.19+): with the PHY provider selected, tsctl reads the PHY's config
# back and verifies a change by it, instead of reporting phy-readback-unsupported; a
# refused switch away from the PHY is rolled back completely (exit 7, never 8).
# Not before 6.19: no kernel there can read a PHY's configuration back (the test module
# has no hwtstamp_get to offer), so bpo-6.16, trixie, bookworm and bullseye are left out.
DESCRIPTION="PHY configuration read back: set, verify, complete rollback through the PHY"
KERNELS="sid bpo-7 sid-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev
tb_up eth0
tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-event
tb_tx to-phy eth0
tb_inspect to-phy eth0
tb_step check check - tsctl check eth0
# The MAC refuses "all": the kernel switches the provider before the driver says no,
# so tsctl restores the PHY and its config, and can prove it by reading the PHY back.
echo 1 >/sys/module/tsctl_testdev/parameters/mac_refuse_rx
tb_step refused set - tsctl set eth0 --source mac --tx on --rx all
echo -1 >/sys/module/tsctl_testdev/parameters/mac_refuse_rx
tb_tx refused eth0
tb_inspect refused eth0
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
to-phy step:set.rc = 0
to-phy step:set.out ~ verified by read back
to-phy eth0.active.phc_index = 1
to-phy eth0.active.tx_type = on
to-phy eth0.active.rx_filter = ptpv2-event
to-phy eth0.tsctl.active.state = configured
to-phy eth0.tsctl.active.tx_type = on
to-phy eth0.tsctl.active.rx_filter = ptpv2-event
to-phy eth0.tx = phy
to-phy eth0.probe.layer = phy
check step:check.out ~ ^(?![\s\S]*phy-readback-unsupported)
refused step:set.rc = 7
refused step:set.out ~ out of range|ERANGE
refused eth0.active.phc_index = 1
refused eth0.active.rx_filter = ptpv2-event
refused eth0.tsctl.active.state = configured
refused eth0.tsctl.active.rx_filter = ptpv2-event
refused eth0.tx = phy
EXPECT
}
