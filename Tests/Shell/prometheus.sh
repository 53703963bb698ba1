#!/usr/bin/env bash
# The Prometheus recipe of docs/prometheus.md, run: the metrics unit's own command
# writes tsctl's textfile (for a private namespace with a veth pair), Debian's
# prometheus-node-exporter serves it over loopback with its textfile collector, and
# promtool checks and unit-tests the alert rules. Needs root (ip netns).
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib/common.sh"
fail() { echo "FAIL prometheus: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (ip netns add); run Scripts/test as root"
ensure_packages prometheus prometheus-node-exporter iproute2 python3 systemd
bin=${TSCTL_BIN:-}
[ -n "$bin" ] || { bin=$(build_tsctl) || exit 1; }
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
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$docs/tsctl-metrics.service")
[ -n "$cmd" ] || fail "no ExecStart in tsctl-metrics.service"
cmd=${cmd//\/var\/lib\/prometheus\/node-exporter/$work/textfile}
cmd=${cmd//\/usr\/bin\/tsctl/$work/bin/tsctl}
ip netns exec "$ns" sh -c "$cmd" || fail "the metrics unit's command failed: $cmd"
{ [ -s "$work/textfile/tsctl.prom" ] && [ ! -e "$work/textfile/tsctl.prom.tmp" ]; } || fail "no tsctl.prom written (or the .tmp was left)"

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
echo "PASS prometheus: node_exporter serves tsctl's textfile over loopback; 4 alert rules pass promtool check and test"
