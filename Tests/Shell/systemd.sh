#!/usr/bin/env bash
# The systemd units in Scripts/systemd, checked without a running systemd:
#  - `systemd-analyze security --offline=true`: exposure 2.0 or lower for each unit;
#  - the system calls tsctl makes while applying (strace) are all allowed by the
#    units' SystemCallFilter, so the filter cannot break a real boot;
#  - ordering: every instance of ptp4l@/phc2sys@/ts2phc@ starts after the tsctl units
#    (shown by `systemd-analyze verify` finding the cycle a unit ordered the other
#    way round makes), which Before=ptp4l@.service alone would not do.
# `systemd-analyze verify` of the installed units runs in Tests/Shell/package.sh.
# Needs root (tsctl apply needs CAP_NET_ADMIN; the file names only lo: nothing changes).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test systemd "strace of tsctl apply" systemd strace linuxptp python3
units=("$TSCTL_ROOT"/Scripts/systemd/*.service)
work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-systemd.XXXXXX")
trap 'rm -rf "$work"' EXIT

for u in "${units[@]}"; do
    level=$(systemd-analyze security --offline=true "$u" 2>&1 | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
    [ -n "$level" ] || fail "systemd-analyze security gave no exposure for $(basename "$u")"
    systemd-analyze security --offline=true --threshold=20 "$u" >/dev/null || fail "$(basename "$u"): exposure $level is above 2.0"
    echo "systemd: $(basename "$u"): exposure $level"
done

# The system calls of a one-shot apply and of --keep, against each unit's filter.
printf '[[interface]]\nname = "lo"\n' >"$work/lo.toml"
strace -f -qq -o "$work/once" "$bin" apply "$work/lo.toml" >/dev/null || [ $? -eq 10 ] || fail "tsctl apply on lo failed"
# With a NOTIFY_SOCKET (nobody listens: the send fails, but it is made).
NOTIFY_SOCKET=@tsctl-systemd-test-$$ timeout -s INT 2 strace -f -qq -o "$work/keep" "$bin" apply --keep --interval 0.5 "$work/lo.toml" >/dev/null || true
for u in "${units[@]}"; do
    python3 "$(dirname "$0")/lib/syscall_filter.py" "$u" "$work/once" "$work/keep" ||
        fail "$(basename "$u")'s SystemCallFilter would refuse what tsctl needs (above)"
done

# Ordering: a probe unit that starts after ptp4l@eth0 and before a tsctl unit makes a
# cycle exactly when ptp4l@eth0 is ordered after that tsctl unit.
for t in tsctl-apply tsctl-keep; do
    for d in ptp4l phc2sys; do
        dir=$work/order-$t-$d
        mkdir -p "$dir/$d@.service.d"
        cp "/lib/systemd/system/$d@.service" "$TSCTL_ROOT/Scripts/systemd/$t.service" "$dir/"
        cp "$TSCTL_ROOT/Scripts/systemd/ptp-daemon-order.conf" "$dir/$d@.service.d/tsctl.conf"
        printf '[Unit]\nWants=%s@eth0.service %s.service\nAfter=%s@eth0.service\nBefore=%s.service\n[Service]\nType=oneshot\nExecStart=/bin/true\n' \
            "$d" "$t" "$d" "$t" >"$dir/probe.service"
        out=$(SYSTEMD_UNIT_PATH=$dir: systemd-analyze verify --man=no "$dir/probe.service" 2>&1 || true)
        grep -q "Found ordering cycle" <<<"$out" || fail "$d@eth0.service is not ordered after $t.service: $out"
    done
done
echo "PASS systemd: exposure <= 2.0, the system call filter allows tsctl apply, ptp4l@/phc2sys@ instances start after the tsctl units"
