# shellcheck shell=dash
# Helpers for scenario guest scripts (busybox sh). Results go to fd 3 (ttyS1), each
# between markers the host's compare.py reads:
#   @@TB BEGIN PHASE NAME IFACE
#   ...output of the command (stdout and stderr)...
#   @@TB END PHASE NAME IFACE rc=N
# IFACE is "-" for sections that are not about one interface.

tb_begin() {
	echo "@@TB START suite=$TB_SUITE scenario=$TB_SCENARIO kernel=$(uname -r)" >&3
	# Started from a subshell that exits at once: not a job of the scenario's, whose
	# `wait` would otherwise wait for it forever.
	[ "$TB_MODE" = shell ] || (tb_watchdog &)
}

# Every guest's watchdog: a tsctl that runs for 20 s is stalled (no one-off command
# tsctl runs in the bed takes a second; `watch` and `apply --keep` run until stopped
# and are left alone). Its state, wait channel and kernel stacks (every thread's),
# and those of every task in uninterruptible sleep, go to the console (ttyS0) once
# per stalled process, between @@WATCHDOG lines: enough to tell a tsctl waiting in
# the kernel (D, a lock) from one spinning in itself. A real stall also fails its
# scenario (the step never ends); the watchdog only says where it hangs.
tb_watchdog() {
	_seen=" "
	while sleep 5; do
		for _p in $(pidof tsctl); do
			_stat=$(cat "/proc/$_p/stat" 2>/dev/null) || continue
			_cmd=$(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null) || continue
			case $_cmd in *" watch"* | *"--keep"*) continue ;; esac
			_age=$(($(cut -d' ' -f1 /proc/uptime | cut -d. -f1) - $(echo "$_stat" | cut -d' ' -f22) / 100))
			[ "$_age" -ge 20 ] || continue
			case $_seen in *" $_p "*) continue ;; esac
			_seen="$_seen$_p "
			{
				echo "@@WATCHDOG tsctl[$_p] has run ${_age} s: $_cmd"
				grep -E '^(State|Threads):' "/proc/$_p/status"
				echo "wchan: $(cat "/proc/$_p/wchan" 2>/dev/null)"
				for _t in /proc/"$_p"/task/*; do echo "thread ${_t##*/}:"; cat "$_t/stack" 2>/dev/null; done
				for _d in /proc/[0-9]*; do
					grep -q '^State:.*D' "$_d/status" 2>/dev/null || continue
					echo "D-state task ${_d##*/} ($(cat "$_d/comm")):"
					cat "$_d/stack" 2>/dev/null
				done
				echo "@@WATCHDOG end"
			} >/dev/console 2>&1
		done
	done
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

# Loads the test module with the given parameters. insmod, not modprobe: busybox
# modprobe splits quoted parameter values ('phy_name="Marvell 88E1510"') on spaces.
tb_load_testdev() {
	_m=/lib/modules/$(uname -r)
	# shellcheck disable=SC2013 # the dependencies are words on one line
	for _dep in $(sed -n 's#^extra/tsctl_testdev.ko:##p' "$_m/modules.dep"); do
		_dep=${_dep##*/}
		tb_section setup "modprobe:${_dep%.ko}" - modprobe "${_dep%.ko}"
	done
	tb_section setup insmod:tsctl_testdev - insmod "$_m/extra/tsctl_testdev.ko" "$@"
}

# In shell mode the module and the links stay as they are, for the person at the shell.
tb_unload_testdev() {
	[ "$TB_MODE" = shell ] && return 0
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
	# At the boot's first inspection, every kernel read behind show --all --json
	# (TSCTL_TRACE) and what it printed: Scripts/fixtures/annotate-trace --testbed
	# makes replay fixtures of them.
	if [ ! -e /tmp/tsctl.trace ]; then
		tb_section "$_phase" tsctl-trace - sh -c 'rm -f /tmp/tsctl.trace
			TSCTL_TRACE=/tmp/tsctl.trace tsctl show --all --json >/tmp/tsctl.json &&
				cat /tmp/tsctl.trace && echo @@JSON && cat /tmp/tsctl.json'
	fi
	for _if in "$@"; do
		tb_section "$_phase" tsctl "$_if" tsctl show --json "$_if"
		tb_section "$_phase" ethtool-T "$_if" ethtool -T "$_if"
		tb_section "$_phase" ethtool-cfg "$_if" ethtool --get-hwtimestamp-cfg "$_if"
		tb_section "$_phase" ethtool-phys "$_if" ethtool --show-phys "$_if"
		tb_section "$_phase" ioctl-tsinfo "$_if" tstool tsinfo "$_if"
		tb_section "$_phase" ioctl-get "$_if" tstool get "$_if"
	done
}

# Sends a PTP frame with hardware transmit timestamping and records the timestamp and
# the PHC it came from; then lets tsctl probe do the same (the host compares the two).
tb_tx() {
	tb_section "$1" tx "$2" tstool tx "$2"
	tb_section "$1" probe "$2" tsctl probe --json "$2"
}

# Runs a command as a named step (its output and exit code are recorded).
tb_step() {
	tb_section "$@"
}

# True if the running kernel is at least MAJOR.MINOR.
tb_kernel_ge() {
	_v=$(uname -r)
	_maj=${_v%%.*}
	_min=${_v#*.}
	_min=${_min%%[!0-9]*}
	[ "$_maj" -gt "$1" ] || { [ "$_maj" -eq "$1" ] && [ "$_min" -ge "$2" ]; }
}

# The index of the PHC whose clock_name is NAME.
tb_phc() {
	for _d in /sys/class/ptp/ptp*; do
		[ "$(cat "$_d/clock_name" 2>/dev/null)" = "$1" ] && { echo "${_d##*/ptp}"; return 0; }
	done
	echo "no-phc-named-$1"
	return 1
}

_tb_num() { # NAME LIST...: position of NAME in LIST
	_want=$1
	shift
	_k=0
	for _x in "$@"; do
		[ "$_x" = "$_want" ] && { echo $_k; return; }
		_k=$((_k + 1))
	done
	echo "$_want"
}

# tb_set STEP IFACE TX RX [PHC QUALIFIER]: configures timestamping the way the kernel
# allows: TSCONFIG_SET through ethtool on 6.14+, else SIOCSHWTSTAMP (no provider choice).
tb_set() {
	_s=$1 _i=$2 _tx=$3 _rx=$4
	if tb_kernel_ge 6 14; then
		if [ -n "${5:-}" ]; then
			tb_step "$_s" set - ethtool --set-hwtimestamp-cfg "$_i" index "$5" qualifier "$6" tx "$_tx" rx-filter "$_rx"
		else
			tb_step "$_s" set - ethtool --set-hwtimestamp-cfg "$_i" tx "$_tx" rx-filter "$_rx"
		fi
	else
		tb_step "$_s" set - tstool set "$_i" "$(_tb_num "$_tx" off on onestep-sync onestep-p2p)" \
			"$(_tb_num "$_rx" none all some ptpv1-l4-event ptpv1-l4-sync ptpv1-l4-delay-req \
				ptpv2-l4-event ptpv2-l4-sync ptpv2-l4-delay-req ptpv2-l2-event ptpv2-l2-sync \
				ptpv2-l2-delay-req ptpv2-event ptpv2-sync ptpv2-delay-req ntp-all)"
	fi
}

tb_down() {
	[ "$TB_MODE" = shell ] && return 0
	ip link set "$1" down
}

# The index of the PHC owned by the MDIO device NAME (a PHY, e.g. tsctl-mdio-1:01).
tb_phc_of_phy() {
	for _d in /sys/class/ptp/ptp*; do
		[ "$(basename "$(readlink -f "$_d/device")")" = "$1" ] && { echo "${_d##*/ptp}"; return 0; }
	done
	echo "no-phc-of-$1"
	return 1
}
