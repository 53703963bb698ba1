# A MAC that can be configured but cannot read its configuration back (no
# ndo_hwtstamp_get / SIOCGHWTSTAMP): the active state is unknown, timestamps still flow.
DESCRIPTION="MAC without config read-back"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_readback=0 phy=0
tb_up eth0
tb_inspect base eth0
tb_step ioctl set - tstool set eth0 1 1
tb_tx ioctl eth0
tb_inspect ioctl eth0
if tb_kernel_ge 6 14; then
	tb_step tsconfig-off set - ethtool --set-hwtimestamp-cfg eth0 tx off rx-filter none
	tb_tx tsconfig-off eth0
	tb_step ioctl-off set - tstool set eth0 0 0
	tb_tx ioctl-off eth0
	tb_step tsconfig-on set - ethtool --set-hwtimestamp-cfg eth0 tx on rx-filter all
	tb_tx tsconfig-on eth0
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.advertised.layer = mac
base eth0.advertised.phc_index = 0
base eth0.providers# = 1
base eth0.active.state = unavailable
base eth0.ioctl.errno = 95
base eth0.tsctl.active.state = unavailable
base eth0.tsctl.active.reason = driver-unsupported
ioctl step:set.rc = 0
ioctl eth0.tx = mac
ioctl eth0.tsctl.active.state = unavailable
# TSCONFIG_SET on 7.x cannot read the current config of such a MAC, so it starts from
# all-zero (tx off, rx none): a request for "off/none" looks like no change and is
# silently dropped (rc 0, no reply), while "on/all" is applied.
@sid @bpo-7 tsconfig-off step:set.rc = 0
@sid @bpo-7 tsconfig-off step:set.out = ""
@sid @bpo-7 tsconfig-off eth0.tx = mac
@sid @bpo-7 ioctl-off eth0.tx = none
@sid @bpo-7 tsconfig-on step:set.rc = 0
@sid @bpo-7 tsconfig-on step:set.out = ""
@sid @bpo-7 tsconfig-on eth0.tx = mac
EXPECT
}
