# Debian's ptp4l (bookworm's linuxptp, unchanged, root's /usr/sbin/ptp4l) beside tsctl
# on a MACCHIATObin-like port. Both kernels: what ptp4l does to tx/rx when it starts
# (hwts_filter normal), tsctl's daemon guard (exit 12) and --force. 7.x: a provider
# switched under ptp4l (daemon-phc-mismatch), ptp4l told another clock with -p (3.1
# refuses; with boundary_clock_jbod it runs and steers that clock: daemon-phc-mismatch),
# and apply --keep keeping the PHY provider across down/up while leaving tx/rx to ptp4l.
# 6.1: the seed's problem with a real ptp4l: it steers the PHY's clock the kernel
# reports, the MAC's clock stamps, and tsctl check says so as an error.
DESCRIPTION="ptp4l on the MACCHIATObin-like port: its tx/rx, the daemon guard, daemon-phc-mismatch, --keep beside it; 6.1: the split under ptp4l"
KERNELS="sid bookworm"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
# ptp4l's UDS socket lives in /var/run.
mkdir -p /var/run
start_ptp4l() {
	ptp4l "$@" >/tmp/ptp4l.log 2>&1 &
	PTP4L=$!
	sleep 3
}
stop_ptp4l() {
	kill "$PTP4L" 2>/dev/null
	wait "$PTP4L" 2>/dev/null
}
if tb_kernel_ge 6 14; then open=phy_on_open=1; else open=; fi
tb_load_testdev mac_driver=mvpp2 phy_id=0x01410dd1 'phy_name="Marvell 88E1510"' 'mac_clock_name="Marvell PP2.2"' \
	'phy_clock_name="Marvell 88E151x PTP"' mac_keeps_ioctl=1 $open
tb_up eth0
MAC=$(tb_phc 'Marvell PP2.2')
PHY=$(tb_phc 'Marvell 88E151x PTP')
tb_step setup version - ptp4l -v
tb_step setup exe - sh -c 'ls -ln /usr/sbin/ptp4l; stat -c "%n %u %a" / /usr /usr/sbin'

# The desired state of --keep below (and the expectation of a check): the PHY's clock.
cat >/tmp/keep.toml <<'EOF'
[[interface]]
name = "eth0"
source = "phy"
tx = "on"
rx = "ptpv2-event"
EOF

# What ptp4l finds: timestamping off.
tb_set before eth0 off none
tb_inspect before eth0
# A lone master on the link: L2, hardware timestamping, default hwts_filter (normal).
start_ptp4l -i eth0 -2 -m
tb_step ptp4l log - cat /tmp/ptp4l.log
tb_inspect ptp4l eth0
tb_tx ptp4l eth0
tb_step ptp4l check - tsctl check --json eth0
# The daemon guard, then --force (which turns ptp4l's timestamps off under it).
tb_step refuse set - tsctl set eth0 --tx off --rx none
tb_step refuse get - tstool get eth0
tb_step force set - tsctl set eth0 --tx off --rx none --force
tb_step force get - tstool get eth0
tb_step force check - tsctl check --json eth0
tb_step force restore - tsctl set eth0 --tx on --rx all --force

if tb_kernel_ge 6 14; then
	# The provider switched under ptp4l: it keeps steering the MAC's clock.
	tb_step phy set - tsctl set eth0 --source phy --rx ptpv2-l2-event --force
	tb_inspect phy eth0
	tb_tx phy eth0
	tb_step phy fds - sh -c "ls -l /proc/$PTP4L/fd | grep ptp"
	tb_step phy check - tsctl check --json --expect /tmp/keep.toml eth0
	stop_ptp4l
	tb_step phy log - cat /tmp/ptp4l.log
	tb_inspect stopped eth0

	# ptp4l told another clock than its port's: the PHY is active, -p names the MAC's.
	start_ptp4l -i eth0 -2 -m -p /dev/ptp$MAC
	tb_step pointed log - cat /tmp/ptp4l.log
	tb_step pointed alive - kill -0 "$PTP4L"
	stop_ptp4l
	# With boundary_clock_jbod it runs, steering /dev/ptpMAC while the PHY stamps.
	start_ptp4l -i eth0 -2 -m -p /dev/ptp$MAC --boundary_clock_jbod 1
	tb_step jbod log - cat /tmp/ptp4l.log
	tb_step jbod alive - kill -0 "$PTP4L"
	tb_step jbod check - tsctl check --json eth0
	stop_ptp4l

	# apply --keep beside ptp4l: the PHY provider is kept across down/up (the PHY
	# detaches), tx/rx are ptp4l's (it asks ptpv2-l2-event, the file says ptpv2-event).
	tb_step keep apply - tsctl apply /tmp/keep.toml
	start_ptp4l -i eth0 -2 -m
	tb_inspect keep-ptp4l eth0
	tsctl apply --keep --interval 1 /tmp/keep.toml >/tmp/keep.log 2>&1 &
	KEEP=$!
	sleep 3
	tb_inspect keep-start eth0
	ip link set eth0 down
	tb_inspect keep-down eth0
	tb_up eth0
	sleep 3
	tb_inspect keep-up eth0
	tb_tx keep-up eth0
	kill "$KEEP"
	wait "$KEEP"
	tb_step keep keep-log - cat /tmp/keep.log
	stop_ptp4l
	tb_step keep ptp4l-log - cat /tmp/ptp4l.log
else
	# The seed's problem under a real ptp4l: it holds the PHY's clock, the MAC stamps.
	tb_tx split eth0
	tb_step split fds - sh -c "ls -l /proc/$PTP4L/fd | grep ptp"
	tb_step split check - tsctl check --json eth0
	tb_step split check-probe - tsctl check --probe --json eth0
	stop_ptp4l
	tb_step split log - cat /tmp/ptp4l.log
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
setup step:exe.out ~ root:x|0 +0
EXPECT
}
