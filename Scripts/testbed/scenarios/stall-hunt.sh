# Hunting a stall seen once from outside: `timeout 30 tsctl show --json IF` never
# returned while a PHY-bearing module was removed and inserted and links flapped.
# Here: 25 rounds of rmmod/insmod of the MAC+PHY test module and link flaps, with
# tsctl show --json and check reading the interface all the while (each under a
# 20 s timeout). A stall shows as a timeout (exit 124) and, through every guest's
# watchdog (tb_watchdog), as kernel stacks on the console. It passes when every read
# ended on its own.
DESCRIPTION="rmmod/insmod and link flaps under show/check: every read ends on its own"
KERNELS="sid bpo-7"
QEMU_ARGS=""
BOOT_TIMEOUT=240

guest_script() {
	cat <<'GUEST'
m=/lib/modules/$(uname -r)/extra/tsctl_testdev.ko
for dep in $(sed -n 's#^extra/tsctl_testdev.ko:##p' "/lib/modules/$(uname -r)/modules.dep"); do
	dep=${dep##*/}
	modprobe "${dep%.ko}"
done
reads=0 stalls=0 rounds=0
# The readers: as fast as they go, until the churn is over.
(
	while [ ! -e /tmp/churn-done ]; do
		timeout 20 tsctl show --json eth0 >/dev/null 2>&1
		[ $? -eq 124 ] && echo stall >>/tmp/stalls
		timeout 20 tsctl check eth0 >/dev/null 2>&1
		[ $? -eq 124 ] && echo stall >>/tmp/stalls
		echo read >>/tmp/reads
	done
) &
reader=$!
while [ "$rounds" -lt 25 ]; do
	insmod "$m" phy_id=0x01410dd1 2>/dev/null
	ip link set eth0 up 2>/dev/null
	sleep 0.2
	ip link set eth0 down 2>/dev/null
	ip link set eth0 up 2>/dev/null
	sleep 0.2
	rmmod tsctl_testdev 2>/dev/null
	rounds=$((rounds + 1))
done
touch /tmp/churn-done
wait "$reader"
[ -e /tmp/reads ] && reads=$(wc -l </tmp/reads)
[ -e /tmp/stalls ] && stalls=$(wc -l </tmp/stalls)
tb_step churn summary - echo "stall-hunt: $rounds rounds, $reads reads, $stalls stalls"
GUEST
}

expectations() {
	cat <<'EXPECT'
churn step:summary.out ~ ^stall-hunt: 25 rounds, [1-9][0-9]* reads, 0 stalls
EXPECT
}
