# Debian's ptp4l (bookworm's linuxptp, unchanged, root's /usr/sbin/ptp4l) beside tsctl
# on a MACCHIATObin-like port. Every kernel: what ptp4l does to tx/rx when it starts
# (hwts_filter normal), tsctl's daemon guard (exit 12) and --force. 7.x: a provider
# switched under ptp4l (daemon-phc-mismatch), ptp4l told another clock with -p (3.1
# refuses; with boundary_clock_jbod it runs and steers that clock: daemon-phc-mismatch),
# and apply --keep keeping the PHY provider across down/up while leaving tx/rx to ptp4l.
# 6.1 and 5.10: the seed's problem with a real ptp4l: it steers the PHY's clock the kernel
# reports, the MAC's clock stamps, and tsctl check says so as an error.
DESCRIPTION="ptp4l on the MACCHIATObin-like port: its tx/rx, the daemon guard, daemon-phc-mismatch, --keep beside it; 6.1: the split under ptp4l"
KERNELS="sid bookworm bullseye sid-arm64 bookworm-arm64"
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
rx = "ptpv2-l4-event"
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
	tb_step pointed check - tsctl check --json eth0
	stop_ptp4l
	# With boundary_clock_jbod it runs, steering /dev/ptpMAC while the PHY stamps.
	start_ptp4l -i eth0 -2 -m -p /dev/ptp$MAC --boundary_clock_jbod 1
	tb_step jbod log - cat /tmp/ptp4l.log
	tb_step jbod alive - kill -0 "$PTP4L"
	tb_step jbod check - tsctl check --json eth0
	stop_ptp4l

	# apply --keep beside ptp4l. The file asks rx ptpv2-l4-event; the PHY refuses
	# ptpv2-event (phy_refuse_rx=12), so ptp4l (L2) falls back to ptpv2-l2-event. --keep
	# leaves that alone, and when down/up detaches the PHY it selects the PHY again
	# with ptp4l's tx/rx, not the file's (which would stop ptp4l's receive stamps).
	tb_step keep apply - tsctl apply /tmp/keep.toml
	echo 12 >/sys/module/tsctl_testdev/parameters/phy_refuse_rx
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
	echo -1 >/sys/module/tsctl_testdev/parameters/phy_refuse_rx
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
# Debian's ptp4l, root's, in root-only directories: tsctl believes it.
setup step:exe.out ~ -rwxr-xr-x +1 0 +0 .*/usr/sbin/ptp4l
setup step:exe.out ~ (?m)^/ 0 755$
setup step:exe.out ~ (?m)^/usr/sbin 0 755$
# What ptp4l does when it starts (hwts_filter normal): tx on and rx ptpv2-event, which
# the MAC (rx none/all) widens to all; it steers the clock the kernel reports.
@sid before eth0.active.tx_type = off
@sid before eth0.active.rx_filter = none
@sid ptp4l eth0.active.tx_type = on
@sid ptp4l eth0.active.rx_filter = all
@sid ptp4l step:log.out ~ selected /dev/ptp0 as PTP clock
@bookworm @bullseye before eth0.ioctl.tx_type = off
@bookworm @bullseye ptp4l eth0.ioctl.tx_type = on
@bookworm @bullseye ptp4l eth0.ioctl.rx_filter = all
@bookworm @bullseye ptp4l step:log.out ~ selected /dev/ptp1 as PTP clock
ptp4l eth0.tx = mac
@sid ptp4l step:check.rc = 0
# 6.1: the kernel reports the PHY's clock to ptp4l, the MAC's stamps: with ptp4l
# running, the split is an error.
@bookworm @bullseye ptp4l step:check.rc = 1
@bookworm @bullseye ptp4l step:check.out ~ "id": "reporting-configuration-split",\s+"severity": "error"
@bookworm @bullseye ptp4l step:check.out ~ "view": "observed",\s+"says": "ptp4l\[\d+\] uses eth0"
# The daemon guard: exit 12 naming ptp4l, nothing changed; --force changes it.
refuse step:set.rc = 12
refuse step:set.out ~ ptp4l\[\d+\] uses eth0 or its clocks \(ptp4l -i eth0 -2 -m\); stop it first or use --force
refuse step:get.out ~ tx=1 rx=1
force step:set.rc = 0
force step:get.out ~ tx=0 rx=0
force step:check.rc = 1
force step:check.out ~ "id": "timestamping-off-in-use",\s+"severity": "error"
force step:restore.rc = 0
# 7.x: the provider switched under ptp4l; it keeps steering the MAC's clock.
@sid phy step:set.rc = 0
@sid phy eth0.active.phc_index = 1
@sid phy eth0.active.rx_filter = ptpv2-l2-event
@sid phy eth0.tx = phy
@sid phy step:fds.out ~ -> /dev/ptp0
@sid phy step:check.rc = 1
@sid phy step:check.out ~ "id": "daemon-phc-mismatch",\s+"severity": "error"
@sid phy step:check.out ~ "id": "expectation-not-met"
# ptp4l leaves its configuration behind when it exits.
@sid stopped eth0.active.phc_index = 1
@sid stopped eth0.active.tx_type = on
# -p naming another clock: Debian's ptp4l takes it (with a warning), or with
# boundary_clock_jbod runs the port on the attached clock; tsctl flags both.
@sid pointed step:log.out ~ taking /dev/ptp0 from the command line, not the attached ptp1
@sid pointed step:alive.rc = 0
@sid pointed step:check.rc = 1
@sid pointed step:check.out ~ "id": "daemon-phc-mismatch"
@sid jbod step:log.out ~ just a bunch of devices
@sid jbod step:alive.rc = 0
@sid jbod step:check.rc = 1
@sid jbod step:check.out ~ "id": "daemon-phc-mismatch"
# apply --keep beside ptp4l: its tx/rx stay (ptp4l fell back to ptpv2-l2-event, the
# file says ptpv2-l4-event); down/up drops the PHY selection, --keep brings the PHY
# back with ptp4l's tx/rx.
@sid keep-ptp4l eth0.active.phc_index = 1
@sid keep-ptp4l eth0.active.rx_filter = ptpv2-l2-event
@sid keep-start eth0.active.phc_index = 1
@sid keep-start eth0.active.rx_filter = ptpv2-l2-event
@sid keep-down eth0.active.phc_index = 0
@sid keep-up eth0.active.phc_index = 1
@sid keep-up eth0.active.tx_type = on
@sid keep-up eth0.active.rx_filter = ptpv2-l2-event
@sid keep-up eth0.tx = phy
@sid keep step:keep-log.out ~ eth0: tx/rx left to ptp4l\[\d+\], which uses it \(/tmp/keep.toml says tx on, rx ptpv2-l4-event; it is tx on, rx ptpv2-l2-event\)
@sid keep step:keep-log.out ~ re-applied: eth0: applied, .*now phy:1 ptp1, tx on, rx ptpv2-l2-event
@sid keep step:ptp4l-log.out ~ driver rejected most general HWTSTAMP filter
# 6.1, the seed's problem under a real ptp4l: it holds the PHY's clock, the MAC stamps.
@bookworm @bullseye split eth0.tx = mac
@bookworm @bullseye split eth0.probe.phc_index = 0
@bookworm @bullseye split step:fds.out ~ -> /dev/ptp1
@bookworm @bullseye split step:check.rc = 1
@bookworm @bullseye split step:check.out ~ "id": "reporting-configuration-split",\s+"severity": "error"
@bookworm @bullseye split step:check-probe.rc = 1
@bookworm @bullseye split step:check-probe.out ~ "id": "advertised-not-active",\s+"severity": "error"
EXPECT
}
