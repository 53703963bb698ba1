# Two netdevs, each with its own MAC PHC and PHY: PHY indexes are per netdev (both 1).
# Not on 6.1 or 5.10: PHY indexes come with the link topology (PHY_GET, 6.12).
DESCRIPTION="two netdevs, each with MAC+PHY; PHY index 1 on both"
KERNELS="sid bpo-7 trixie sid-arm64 trixie-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev ndevs=2
tb_up eth0
tb_up eth1
tb_inspect base eth0 eth1
if tb_kernel_ge 6 14; then
	tb_set phy1 eth1 on ptpv2-event "$(tb_phc_of_phy tsctl-mdio-1:01)" precise
	tb_tx phy1 eth1
	tb_tx phy1 eth0
	tb_inspect phy1 eth0 eth1
fi
tb_down eth0
tb_down eth1
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.phys# = 1
base eth1.phys# = 1
base eth0.phys[0].phy_index = 1
base eth1.phys[0].phy_index = 1
base eth0.phys[0].name = tsctl-mdio-0:01
base eth1.phys[0].name = tsctl-mdio-1:01
base eth0.tsctl.phys[0].phy_index = 1
base eth1.tsctl.phys[0].phy_index = 1
base eth0.tsctl.providers# = 2
base eth1.tsctl.providers# = 2
@sid @bpo-7 base eth0.providers[layer=phy].phy_index = 1
@sid @bpo-7 base eth1.providers[layer=phy].phy_index = 1
@sid @bpo-7 base eth1.providers[layer=phy].phc_index = 3
@sid @bpo-7 phy1 step:set.rc = 0
@sid @bpo-7 phy1 eth1.active.phc_index = 3
@sid @bpo-7 phy1 eth1.advertised.layer = phy
@sid @bpo-7 phy1 eth0.advertised.layer = mac
@sid @bpo-7 phy1 eth1.tx = phy
@sid @bpo-7 phy1 eth0.tx = none
EXPECT
}
