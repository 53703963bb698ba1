# Real QEMU NIC models with MAC timestamping and no PHY: igb (82576) and e1000e (82574L).
DESCRIPTION="igb and e1000e: one MAC provider each"
KERNELS="sid trixie bookworm"
QEMU_ARGS="-netdev user,id=n0 -device igb,netdev=n0,romfile= -netdev user,id=n1 -device e1000e,netdev=n1,romfile="

guest_script() {
	cat <<'GUEST'
tb_modprobe igb
tb_modprobe e1000e
tb_up eth0
tb_up eth1
tb_inspect base eth0 eth1
GUEST
}

expectations() {
	cat <<'EXPECT'
EXPECT
}
