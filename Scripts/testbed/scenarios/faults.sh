# Fault injection into set and apply on a real kernel: each system call tsctl makes
# to change timestamping (socket, sendto, recvmmsg, ioctl, flock, write; the socket's
# setup calls are failed in Tests/Faults on the host) failed with a realistic errno
# at its first occurrences and, for sendto and recvmmsg, at the request that makes
# the change and the reads that verify it
# (strace -e inject), on the MACCHIATObin-like device switching from the MAC to the
# PHY. Every run must end: not by a signal; with a documented exit code; on a failure,
# with a line naming the errno; with the kernel either as it was (nothing changed or
# rolled back) or as asked (exit 0, or 11 when only the report could not be written);
# never "verified" unless it is as asked.
# EINTR must be retried: the change goes through. Prints one line per problem and
# "faults: N runs, P problems".
DESCRIPTION="set/apply with each system call failed in turn (strace): old state or new, never half"
KERNELS="sid sid-arm64"
QEMU_ARGS=""
# About 150 strace'd changes under TCG.
BOOT_TIMEOUT=400

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_driver=mvpp2 phy_id=0x01410dd1 'phy_name="Marvell 88E1510"' 'mac_clock_name="Marvell PP2.2"' \
	'phy_clock_name="Marvell 88E151x PTP"'
tb_up eth0
MAC=$(tb_phc 'Marvell PP2.2')
state() { ethtool --get-hwtimestamp-cfg eth0 2>&1 | tr '\n' ' '; }
reset() { ethtool --set-hwtimestamp-cfg eth0 index "$MAC" qualifier precise tx on rx-filter all >/dev/null 2>&1; }
errnos() {
	case $1 in
	socket) echo EMFILE ;; bind) echo EPERM ;; setsockopt | getsockname) echo ENOBUFS ;;
	sendto | recvmmsg) echo ENOBUFS EINTR ;; ioctl) echo EPERM ;; flock) echo EINTR ;; write) echo EIO ;;
	esac
}
printf '[[interface]]\nname = "eth0"\nsource = "phy"\ntx = "on"\nrx = "ptpv2-event"\n' >/tmp/phy.toml
runs=0 problems=0 started=$(date +%s)
problem() { problems=$((problems + 1)); echo "FAULT $*"; }
# faults NAME CMD...: the change CMD makes, with each call failed in turn.
faults() {
	name=$1
	shift
	reset
	old=$(state)
	"$@" >/dev/null 2>&1
	target=$(state)
	[ "$old" != "$target" ] || problem "$name: the undisturbed run changed nothing ($old)"
	# Where the change is sent: the sendto carrying TSCONFIG_SET (genl command 47,
	# "\x2f\x01") and the recvmmsg after it; the verification's calls follow.
	reset
	strace -f -qq -e trace=sendto,recvmmsg -o /tmp/rec "$@" >/dev/null 2>&1
	set -- $(awk '/sendto\(/ { s++ } /recvmmsg\(/ { r++ } /sendto\(.*"\\x2f\\x01/ && !k { k = s; rk = r + 1 }
		END { print k + 0, rk + 0 }' /tmp/rec) "$@"
	send=$1 recv=$2
	shift 2
	for call in socket sendto recvmmsg ioctl flock write; do
		reset
		strace -f -qq -e trace=$call -o /tmp/count "$@" >/dev/null 2>&1
		n=$(grep -c "$call(" /tmp/count)
		case $call in
		sendto) at="1 2 $send $((send + 1)) $((send + 2))" ;;
		recvmmsg) at="1 $recv $((recv + 1)) $((recv + 2))" ;;
		*) at="1 2 3 4" ;;
		esac
		echo "faults: $name $call: $n occurrences, failed at $at (the change sent at sendto #$send)"
		for k in $at; do
			[ "$k" -ge 1 ] && [ "$k" -le "$n" ] || continue
			for err in $(errnos $call); do
				reset
				strace -f -qq -o /dev/null -e trace=$call -e inject=$call:error=$err:when=$k "$@" >/tmp/f.out 2>/tmp/f.err
				rc=$?
				now=$(state)
				runs=$((runs + 1))
				what="$name $call #$k $err: exit $rc"
				case $rc in
				0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13) ;;
				*) problem "$what: not a documented exit (a signal?): $(tail -c 300 /tmp/f.err)" ;;
				esac
				if [ "$rc" -ne 0 ] && [ "$rc" -ne 10 ] && ! grep -q "$err" /tmp/f.err; then
					problem "$what: no line names $err: $(tail -c 300 /tmp/f.err)"
				fi
				if [ "$rc" -eq 0 ] && [ "$now" != "$target" ]; then problem "$what: exit 0 but not as asked: $now"; fi
				# Exit 11 for a report that could not be written: the change itself may be done.
				if [ "$rc" -eq 11 ] && grep -q "standard output" /tmp/f.err && [ "$now" = "$target" ]; then
					:
				elif [ "$rc" -ne 0 ] && [ "$rc" -ne 8 ] && [ "$now" != "$old" ]; then
					problem "$what: failed, yet the kernel is not as it was: $now"
				fi
				if [ "$rc" -eq 8 ] && ! grep -qi "roll" /tmp/f.out /tmp/f.err; then problem "$what: exit 8 without a rollback report"; fi
				if grep -q "applied.*verified" /tmp/f.out && [ "$now" != "$target" ]; then
					problem "$what: says applied and verified but the kernel is $now: $(tail -c 300 /tmp/f.out)"
				fi
				if [ "$err" = EINTR ] && [ "$rc" -ne 0 ]; then problem "$what: EINTR was not retried: $(tail -c 300 /tmp/f.err)"; fi
			done
		done
	done
	[ "$send" -gt 0 ] || problem "$name: no sendto carried TSCONFIG_SET"
}
faults set tsctl set eth0 --source phy --tx on --rx ptpv2-event
faults apply tsctl apply /tmp/phy.toml
tb_step all summary - echo "faults: $runs runs, $problems problems in $(($(date +%s) - started)) s"
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
all step:summary.rc = 0
all step:summary.out ~ ^faults: [1-9][0-9]+ runs, 0 problems
EXPECT
}
