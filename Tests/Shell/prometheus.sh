#!/usr/bin/env bash
# The Prometheus recipe of docs/prometheus.md, run: the metrics unit's own command
# writes tsctl's textfile (for a private namespace with a veth pair), `promtool check
# metrics` lints it, a finding neither stops the job nor the file, its series goes to 0
# once fixed, Debian's prometheus-node-exporter serves the file over loopback with its
# textfile collector, and promtool checks and unit-tests the alert rules. promtool is
# Debian's prometheus package. Needs root (ip netns).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test prometheus "ip netns add" prometheus prometheus-node-exporter iproute2 python3 systemd strace
docs=$TSCTL_ROOT/docs/prometheus

(cd "$docs" && promtool check rules tsctl-alerts.yml >/dev/null) || fail "promtool check rules tsctl-alerts.yml"
(cd "$docs" && promtool test rules tsctl-alerts.test.yml >/dev/null) || fail "promtool test rules tsctl-alerts.test.yml: $(cd "$docs" && promtool test rules tsctl-alerts.test.yml 2>&1 | head -20)"
systemd-analyze security --offline=true --threshold=20 "$docs/tsctl-metrics.service" >/dev/null || fail "tsctl-metrics.service: exposure above 2.0"

work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-prometheus.XXXXXX")
ns=tsctl-prom-$$
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add pveth0 type veth peer name pveth1
mkdir -p "$work/textfile" "$work/bin"
ln -s "$bin" "$work/bin/tsctl"
# The unit's command, with the textfile directory and the binary of this test.
cmd=$(sed -n 's/^ExecStart=//p' "$docs/tsctl-metrics.service")
[ -n "$cmd" ] || fail "no ExecStart in tsctl-metrics.service"
cmd=${cmd//\/var\/lib\/prometheus\/node-exporter/$work/textfile}
cmd=${cmd//\/usr\/bin\/tsctl/$work/bin/tsctl}
read -ra cmd <<<"$cmd"
prom=$work/textfile/tsctl.prom
lint() { promtool check metrics <"$prom" >"$work/lint" 2>&1 || fail "promtool check metrics ($1): $(cat "$work/lint")"; }
only_prom() {
    local files
    files=$(find "$work/textfile" -mindepth 1 -printf '%f ')
    [ "$files" = "tsctl.prom " ] || fail "$1: the textfile directory holds $files(a temporary file was left)"
}
# Its system calls (strace), all allowed by the unit's SystemCallFilter: one refused
# would kill the job (SIGSYS) or fail it.
ip netns exec "$ns" strace -f -qq -o "$work/trace" "${cmd[@]}" || fail "the metrics unit's command failed: ${cmd[*]}"
python3 "$(dirname "$0")/lib/syscall_filter.py" "$docs/tsctl-metrics.service" "$work/trace" ||
    fail "tsctl-metrics.service's SystemCallFilter would refuse what tsctl check needs (above)"
[ -s "$prom" ] || fail "no tsctl.prom written"
only_prom "a clean check"
lint "a clean check"

# A finding: the job still exits 0 and replaces the file (a new inode: renamed over,
# never rewritten in place), the finding's series is 1 and the exit status says 1.
# An entry matching no interface is the finding; a veth pair named so fixes it.
printf '[[interface]]\nname = "pvx*"\n' >"$work/expect.toml"
inode=$(stat -c %i "$prom")
ip netns exec "$ns" "${cmd[@]}" --expect "$work/expect.toml" || fail "with a finding, the metrics job exited $? (must be 0 with --output)"
[ "$(stat -c %i "$prom")" != "$inode" ] || fail "tsctl.prom was not replaced by a rename"
only_prom "a check with a finding"
lint "a check with a finding"
finding='tsctl_check_findings{device="",check="expectation-not-met",severity="error"}'
grep -qxF "$finding 1" "$prom" || fail "the finding is not in tsctl.prom: $(grep expectation-not-met "$prom")"
grep -qx 'tsctl_check_exit_status 1' "$prom" || fail "tsctl_check_exit_status is not 1 with a finding"
ip -n "$ns" link add pvx0 type veth peer name pvx1
ip netns exec "$ns" "${cmd[@]}" --expect "$work/expect.toml" || fail "the fixed check exited $?"
grep -qxF "$finding 0" "$prom" || fail "the fixed finding's series is not 0 (it must stay, at 0): $(grep expectation-not-met "$prom")"
grep -qx 'tsctl_check_exit_status 0' "$prom" || fail "tsctl_check_exit_status is not 0 once fixed"
lint "a fixed check"
# A file that cannot be written: exit 11, one line, nothing left behind.
set +e
err=$(ip netns exec "$ns" "$bin" check --format prometheus --output "$work/missing/tsctl.prom" 2>&1 >/dev/null)
rc=$?
set -e
[ "$rc" -eq 11 ] || fail "--output into a missing directory exited $rc, not 11"
case $err in *"cannot write the report to $work/missing/tsctl.prom"*"the file was not changed"*) ;; *) fail "--output error says: $err" ;; esac
ip netns exec "$ns" "${cmd[@]}" || fail "the metrics unit's command failed: ${cmd[*]}"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$work/textfile" --web.listen-address="127.0.0.1:$port" >"$work/exporter.log" 2>&1 &
pid=$!
python3 - "$port" >"$work/metrics" <<'PY' || fail "node_exporter did not serve /metrics on 127.0.0.1:$port: $(tail -5 "$work/exporter.log")"
import sys, time, urllib.request
for _ in range(100):
    try:
        print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=2).read().decode())
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(1)
PY
grep -qx 'node_textfile_scrape_error 0' "$work/metrics" || fail "node_exporter could not read tsctl.prom: $(grep textfile "$work/metrics")"
grep -qx 'tsctl_check_exit_status 0' "$work/metrics" || fail "tsctl_check_exit_status 0 is not served"
grep -qE '^tsctl_check_timestamp_seconds [0-9.e+]+$' "$work/metrics" || fail "tsctl_check_timestamp_seconds is not served"
# Every sample tsctl wrote is served, same labels, same value.
python3 - "$work/textfile/tsctl.prom" "$work/metrics" <<'PY' || fail "node_exporter does not serve tsctl.prom as written (above)"
import re, sys
def samples(path):
    out = {}
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            name, _, labels = key.partition("{")
            # node_exporter sorts the labels.
            out[(name, tuple(sorted(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', labels))))] = float(value)
    return out
wrote, served = samples(sys.argv[1]), samples(sys.argv[2])
missing = [k for k in wrote if served.get(k) != wrote[k]]
if missing or not wrote:
    sys.exit("not served: %s" % missing if missing else "tsctl wrote no samples")
PY
echo "PASS prometheus: promtool check metrics is clean; a finding exits 0 and renames a new file in, its series goes to 0 once fixed; node_exporter serves the textfile over loopback; 4 alert rules pass promtool check and test"
