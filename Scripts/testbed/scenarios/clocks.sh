# Which clock reads better, measured: the read windows (PTP_SYS_OFFSET_EXTENDED) and
# resolution of QEMU's igb and e1000e clocks, the test module's MAC clock and its PHY
# clock made slow and coarse as one read over MDIO is (phy_clock_read_us=40: each read
# takes 40 us; phy_clock_grain_ns=8: readings on an 8 ns grid). The PHY is the default
# provider (phy_default=1 on 6.11+; the PHY comes first anyway before), so check finds
# the active clock worse than the MAC's; check --for says what ptp4l and chrony need.
DESCRIPTION="clocks: read windows and resolution per clock, a slow PHY clock active beside a better MAC clock, check --for"
KERNELS="sid bpo-7 trixie bookworm bullseye"
QEMU_ARGS="-netdev user,id=n0 -device igb,netdev=n0,romfile= -netdev user,id=n1 -device e1000e,netdev=n1,romfile="

guest_script() {
	cat <<'GUEST'
tb_modprobe igb
tb_modprobe e1000e
tb_load_testdev phy_default=1 phy_clock_read_us=40 phy_clock_grain_ns=8
tb_up eth0
tb_up eth1
tb_up eth2
tb_step nics clocks - tsctl show --clocks eth0 eth1
tb_step nics json - tsctl show --clocks --json eth0 eth1
tb_step phy clocks - tsctl show --clocks eth2
tb_step phy json - tsctl show --clocks --json eth2
tb_step phy check - tsctl check eth2
tb_step phy prom - tsctl check --format prometheus eth2
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
nics step:clocks.rc = 0
nics step:clocks.out ~ ptp0 .*read (extended|precise|basic) window [0-9.]+ (ns|µs|ms) min, [0-9.]+ (ns|µs|ms) median
nics step:clocks.out ~ ptp1 .*read (extended|precise|basic) window [0-9.]+ (ns|µs|ms) min, [0-9.]+ (ns|µs|ms) median
phy step:clocks.rc = 0
phy step:json.out ~ (?s)"clock_name": "tsctl_testdev PHY PTP"(?:(?!"clock_name").)*"resolution_ns": 8,
phy step:check.out ~ warning +eth2 .*\[active-clock-worse\]
phy step:prom.out ~ tsctl_phc_read_window_ns\{device="eth2",phc="ptp\d+",method="extended",stat="min"\} \d+
phy step:prom.out ~ tsctl_phc_resolution_ns\{device="eth2",phc="ptp\d+"\} 8(\n|$)
EXPECT
}
