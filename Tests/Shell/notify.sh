#!/usr/bin/env bash
# `tsctl apply --keep` tells systemd it is ready (READY=1 on $NOTIFY_SOCKET) once the
# first apply is done, as a Type=notify unit needs, over both kinds of socket systemd
# uses: an abstract name (@...) and a path. The file names only lo, so nothing is
# changed. Needs root (apply needs CAP_NET_ADMIN).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test notify "apply --keep needs CAP_NET_ADMIN"
work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-notify.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '[[interface]]\nname = "lo"\n' >"$work/lo.toml"

python3 - "$bin" "$work" <<'PY' || fail "see above"
import os, socket, subprocess, sys, time
binary, work = sys.argv[1:]
for kind, name in (("abstract", "@tsctl-notify-%d" % os.getpid()), ("path", work + "/notify.sock")):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + name[1:] if name.startswith("@") else name)
    s.settimeout(20)
    p = subprocess.Popen([binary, "apply", "--keep", work + "/lo.toml"], env=dict(os.environ, NOTIFY_SOCKET=name),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    start = time.monotonic()
    try:
        msg = s.recv(4096).decode()
    except socket.timeout:
        p.kill()
        sys.exit("FAIL notify: no READY=1 within 20 s on the %s socket %s: %s" % (kind, name, p.communicate()[0].decode()))
    took = time.monotonic() - start
    alive = p.poll() is None
    p.terminate()
    out = p.communicate()[0].decode()
    lines = msg.split("\n")
    if "READY=1" not in lines:
        sys.exit("FAIL notify: the %s socket got %r, not READY=1" % (kind, msg))
    if not alive:
        sys.exit("FAIL notify: tsctl apply --keep had exited when READY=1 arrived: %s" % out)
    if "keeping" not in out:
        sys.exit("FAIL notify: READY=1 came before the first apply was reported: %r" % out)
    print("notify: %s socket: %r after %.2f s" % (kind, msg, took))
PY
# Without NOTIFY_SOCKET nothing is sent and nothing fails (a run by hand).
env -u NOTIFY_SOCKET timeout 2 "$bin" apply --keep "$work/lo.toml" >/dev/null 2>&1 && fail "apply --keep ended by itself" || [ $? -eq 124 ] || fail "apply --keep without NOTIFY_SOCKET failed"
echo "PASS notify: READY=1 arrives on an abstract and a path socket after the first apply"
