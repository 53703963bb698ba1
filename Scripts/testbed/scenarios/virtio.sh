# A NIC without hardware timestamping (virtio-net): software only, no PHC, no provider.
DESCRIPTION="virtio-net: no hardware timestamping"
KERNELS="sid bpo-7 trixie bookworm bpo-6.19 bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile="

guest_script() {
	cat <<'GUEST'
tb_modprobe virtio_pci
tb_modprobe virtio_net
tb_up eth0
tb_inspect base eth0
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.tsctl.driver = virtio_net
base eth0.advertised.phc_index = null
base eth0.advertised.tx_types = []
base eth0.providers# = 0
base eth0.tsctl.providers# = 0
base eth0.tsctl.phcs# = 0
base eth0.active.state = unavailable
base eth0.tsctl.active.state = unavailable
# SIOCGHWTSTAMP and TSCONFIG_GET exist; the driver has nothing to report.
base eth0.tsctl.active.reason ~ ^(driver-unsupported|no-phc)$
base eth0.tsctl.active.errno = 95
EXPECT
}
