# Which clock reads better, measured: the read windows (PTP_SYS_OFFSET_EXTENDED) and
# resolution of QEMU's igb and e1000e clocks, the test module's MAC clock and its PHY
# clock made slow and coarse as one read over MDIO is (phy_clock_read_us=40: each read
# takes 40 us; phy_clock_grain_ns=8: readings on an 8 ns grid). The PHY is the default
# provider (phy_default=1 on 6.11+; the PHY comes first anyway before), so check finds
# the active clock worse than the MAC's; check --for says what ptp4l and chrony need.
# On 5.10 PHC names keep 15 bytes ("tsctl_testdev P").
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
# The module's PHY filters PTP only and its MAC stamps everything: fit for ptp4l, not
# for chrony, and the MAC can. The same from a desired-state file.
tb_step phy for-ptp - tsctl check --for ptp eth2
tb_step phy for-ntp - tsctl check --for ntp eth2
printf '[[interface]]\nname = "eth2"\nfor = ["ntp"]\n' >/tmp/for.toml
tb_step phy for-file - tsctl check --expect /tmp/for.toml eth2
if tb_kernel_ge 6 14; then
	# The fix check gives, then both uses met and the better clock in use.
	tb_step mac set - tsctl set eth2 --source mac --tx on --rx all
	tb_step mac for - tsctl check --for ptp --for ntp eth2
fi
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
nics step:clocks.rc = 0
nics step:clocks.out ~ ptp0 .*read (extended|precise|basic) window [0-9.]+ (ns|µs|ms) min, [0-9.]+ (ns|µs|ms) median
nics step:clocks.out ~ ptp1 .*read (extended|precise|basic) window [0-9.]+ (ns|µs|ms) min, [0-9.]+ (ns|µs|ms) median
phy step:clocks.rc = 0
phy step:json.out ~ (?s)"clock_name": "tsctl_testdev P(HY PTP)?"(?:(?!"clock_name").)*"resolution_ns": 8,
phy step:check.out ~ warning +the (active|advertised) phy clock ptp\d+ reads \d+ times worse than the mac clock ptp\d+ of eth2 .*\[active-clock-worse\]
phy step:prom.out ~ tsctl_phc_read_window_ns\{device="eth2",phc="ptp\d+",method="extended",stat="min"\} \d+
phy step:prom.out ~ tsctl_phc_resolution_ns\{device="eth2",phc="ptp\d+"\} 8(\n|$)
phy step:for-ptp.rc = 0
phy step:for-ptp.out ~ ^(?![\s\S]*use-unsupported)
@sid @bpo-7 phy step:for-ntp.out ~ error +chrony's NTP hardware timestamping needs rx all \(or ntp-all\), which the active provider phy:1 ptp\d+ of eth2 cannot do .*; mac ptp\d+ can \(tx on, rx all\) \[use-unsupported\]
@sid @bpo-7 phy step:for-ntp.out ~ fix: tsctl set eth2 --source mac --tx on --rx all
phy step:for-ntp.rc = 1
phy step:for-file.rc = 1
phy step:for-file.out ~ expected: /tmp/for.toml:1: for = \["ntp"\]
@sid @bpo-7 mac step:set.rc = 0
@sid @bpo-7 mac step:for.rc = 0
@sid @bpo-7 mac step:for.out ~ ^(?![\s\S]*(use-unsupported|active-clock-worse))
EXPECT
}
