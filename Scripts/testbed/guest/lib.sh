# Helpers for scenario guest scripts (busybox sh). Results go to fd 3 (ttyS1), each
# between markers the host's compare.py reads:
#   @@TB BEGIN PHASE NAME IFACE
#   ...output of the command (stdout and stderr)...
#   @@TB END PHASE NAME IFACE rc=N
# IFACE is "-" for sections that are not about one interface.

tb_begin() {
	echo "@@TB START suite=$TB_SUITE scenario=$TB_SCENARIO kernel=$(uname -r)" >&3
}

tb_finish() {
	tb_section final dmesg - dmesg
	echo "@@TB DONE" >&3
}

# tb_section PHASE NAME IFACE CMD [ARGS...]
tb_section() {
	_p=$1 _n=$2 _i=$3
	shift 3
	echo "@@TB BEGIN $_p $_n $_i" >&3
	"$@" >/tmp/tb.out 2>&1
	_rc=$?
	# Make sure the END marker starts a line of its own.
	cat /tmp/tb.out >&3
	[ -s /tmp/tb.out ] && [ "$(tail -c1 /tmp/tb.out | od -An -c | tr -d ' ')" != '\n' ] && echo >&3
	echo "@@TB END $_p $_n $_i rc=$_rc" >&3
	return $_rc
}

# A note the host prints when the scenario fails (what the guest was doing).
tb_note() {
	echo "@@TB NOTE $*" >&3
}

tb_modprobe() {
	tb_section setup "modprobe:$1" - modprobe "$@"
}

# Loads the test module with the given parameters.
tb_load_testdev() {
	tb_section setup modprobe:tsctl_testdev - modprobe tsctl_testdev "$@"
}

tb_unload_testdev() {
	tb_section final rmmod:tsctl_testdev - rmmod tsctl_testdev
}

# Brings IFACE up and waits (up to 5 s) for its carrier.
tb_up() {
	ip link set "$1" up
	_n=0
	while [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" != 1 ] && [ $_n -lt 50 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	tb_section setup "carrier" "$1" cat "/sys/class/net/$1/carrier"
}

# The PHCs of the machine: index, clock_name, owning device and its bus.
tb_ptp_sysfs() {
	for _d in /sys/class/ptp/ptp*; do
		[ -e "$_d" ] || continue
		_dev=$(readlink -f "$_d/device" 2>/dev/null)
		_bus=$(basename "$(readlink -f "$_dev/subsystem" 2>/dev/null)" 2>/dev/null)
		echo "${_d##*/ptp} clock_name=$(cat "$_d/clock_name") owner=$(basename "$_dev") owner_bus=$_bus"
	done
}

# Everything the host compares, for each IFACE, under PHASE.
tb_inspect() {
	_phase=$1
	shift
	tb_section "$_phase" ptp - tb_ptp_sysfs
	tb_section "$_phase" ethtool-dump - ethtool -T '*'
	tb_section "$_phase" tsctl-all - tsctl show --all --json
	for _if in "$@"; do
		tb_section "$_phase" tsctl "$_if" tsctl show --json "$_if"
		tb_section "$_phase" ethtool-T "$_if" ethtool -T "$_if"
		tb_section "$_phase" ethtool-cfg "$_if" ethtool --get-hwtimestamp-cfg "$_if"
		tb_section "$_phase" ethtool-phys "$_if" ethtool --show-phys "$_if"
		tb_section "$_phase" ioctl-tsinfo "$_if" tstool tsinfo "$_if"
		tb_section "$_phase" ioctl-get "$_if" tstool get "$_if"
	done
}

# Sends a PTP frame with hardware transmit timestamping and records the timestamp.
tb_tx() {
	tb_section "$1" tx "$2" tstool tx "$2"
}

# Runs a command as a named step (its output and exit code are recorded).
tb_step() {
	tb_section "$@"
}
