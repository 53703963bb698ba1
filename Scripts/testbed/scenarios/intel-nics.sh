# Real QEMU NIC models with MAC timestamping and no PHY: igb (82576) and e1000e (82574L).
DESCRIPTION="igb and e1000e: one MAC provider each, no PHY"
KERNELS="sid bpo-7 trixie bookworm bpo-6.19 bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS="-netdev user,id=n0 -device igb,netdev=n0,romfile= -netdev user,id=n1 -device e1000e,netdev=n1,romfile="

guest_script() {
	cat <<'GUEST'
tb_modprobe igb
tb_modprobe e1000e
tb_up eth0
tb_up eth1
tb_inspect base eth0 eth1
# igb's 82576 cannot timestamp every packet: "all" is refused with ERANGE.
tb_set igb-all eth0 on all
tb_set igb-ptp eth0 on ptpv2-event
tb_set e1000e-all eth1 on all
# QEMU's e1000e model does not stamp transmitted frames; its igb model does.
tb_tx after eth0
tb_inspect after eth0 eth1
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.tsctl.driver = igb
base eth1.tsctl.driver = e1000e
base eth0.advertised.layer = mac
base eth1.advertised.layer = mac
base eth0.advertised.phc_index = 0
base eth1.advertised.phc_index = 1
base eth0.providers# = 1
base eth1.providers# = 1
base eth0.tsctl.providers# = 1
base eth0.phys# = 0
base eth0.tsctl.phys# = 0
base eth0.advertised.tx_types = ["off", "on"]
base eth0.advertised.rx_filters ~ ptpv2-event
base eth0.active.state = configured
base eth0.active.tx_type = off
base eth0.active.rx_filter = none
base eth0.tsctl.phcs[0].owner_bus = pci
igb-all step:set.rc != 0
igb-all step:set.out ~ out of range|error=34
igb-ptp step:set.rc = 0
e1000e-all step:set.rc = 0
after eth0.active.tx_type = on
after eth0.active.rx_filter = ptpv2-event
after eth0.tx_phc = 0
after eth0.probe.layer = mac
after eth1.active.tx_type = on
after eth1.active.rx_filter = all
after eth1.tsctl.active.rx_filter = all
EXPECT
}
