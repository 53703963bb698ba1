#!/usr/bin/env bash
# The Debian package as a user meets it: Scripts/package builds it (lintian must
# report no error), `dpkg -i` installs it, the installed tsctl, its manual page and
# its bash completion work, and `dpkg -P` removes every file it installed.
# Needs root (dpkg -i); refuses to touch a tsctl this test did not install.
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib/common.sh"
[ "$(id -u)" -eq 0 ] || { echo "FAIL package: needs root (dpkg -i); run Scripts/test as root"; exit 1; }
fail() { echo "FAIL package: $*"; exit 1; }

if dpkg-query -W -f='${Status}' tsctl 2>/dev/null | grep -q 'installed'; then
    fail "a tsctl package is already installed; this test installs and purges its own (dpkg -P tsctl first)"
fi
[ ! -e /usr/bin/tsctl ] || fail "/usr/bin/tsctl exists and belongs to no package; remove it first"
ensure_packages man-db bash-completion systemd

deb=$("$TSCTL_ROOT/Scripts/package" --lintian) || fail "Scripts/package --lintian failed"
mapfile -t files < <(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {sub(/^\./, "", $6); print $6}')
[ ${#files[@]} -gt 10 ] || fail "the package lists only ${#files[@]} files"
trap 'dpkg -P tsctl >/dev/null 2>&1 || true' EXIT

# dpkg does not wait for its lock: retry while another install holds it.
for _ in $(seq 120); do
    out=$(dpkg -i "$deb" 2>&1) && break
    grep -q 'lock' <<<"$out" || fail "dpkg -i $deb failed: $out"
    sleep 5
done
dpkg-query -W -f='${Status}' tsctl 2>/dev/null | grep -q 'install ok installed' || fail "dpkg -i $deb: $out"

want=$("$TSCTL_ROOT/.build/release/tsctl" --version)
got=$(/usr/bin/tsctl --version) || fail "tsctl --version exited $?"
[ "$got" = "$want" ] || fail "installed tsctl --version says '$got', the build says '$want'"
[[ $got =~ ^tsctl\ [0-9.]+\ \(commit\ [0-9a-f]+ ]] || fail "tsctl --version names no commit: $got"

page=$(MANWIDTH=80 man -P cat tsctl 2>&1) || fail "man tsctl failed: $page"
for want in "EXIT STATUS" "set/apply: already in the requested state" ENVIRONMENT NO_COLOR FILES EXAMPLES "SEE ALSO" "ptp4l(8)" "ethtool(8)"; do
    grep -qF -- "$want" <<<"$page" || fail "man tsctl lacks '$want'"
done
# Every row of the README's exit-status table, word for word.
wide=$(MANWIDTH=250 man -P cat tsctl 2>/dev/null)
rows=0
while IFS='|' read -r _ code meaning _; do
    code=${code// /}; meaning=$(sed 's/^ *//; s/ *$//' <<<"$meaning")
    [[ $code =~ ^[0-9]+$ ]] || continue
    rows=$((rows + 1))
    grep -qE "^ +$code +$(sed 's/[][().*+?^$|\/]/\\&/g' <<<"$meaning")\$" <<<"$wide" || fail "man tsctl: exit status $code is not '$meaning' as in the README"
done < <(sed -n '/^## Exit status/,/^## /p' "$TSCTL_ROOT/README.md")
[ "$rows" -ge 13 ] || fail "found only $rows rows of the README's exit-status table"
grep -qiE "exits? 0 on success, >0" <<<"$page" && fail "man tsctl says 'exits 0 on success, >0 on error'"
man -w tsctl-apply >/dev/null || fail "man tsctl-apply: no page"

# A completion in a real bash, the way an interactive shell loads it: bash-completion
# finds /usr/share/bash-completion/completions/tsctl on first use of the command.
got=$(bash --norc --noprofile -c '
    . /usr/share/bash-completion/bash_completion
    _completion_loader tsctl
    fn=$(complete -p tsctl | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    COMP_WORDS=(tsctl ch); COMP_CWORD=1; COMP_LINE="tsctl ch"; COMP_POINT=${#COMP_LINE}
    "$fn" tsctl ch tsctl
    printf "%s\n" "${COMPREPLY[@]}"') || fail "bash completion failed"
[ "$got" = check ] || fail "'tsctl ch<TAB>' completes to '$got', not 'check'"

# The installed units as systemd reads them (the binary and the man pages they name exist).
for u in tsctl-apply tsctl-keep; do
    out=$(systemd-analyze verify "/usr/lib/systemd/system/$u.service" 2>&1) || fail "systemd-analyze verify $u.service: $out"
    [ -z "$out" ] || fail "systemd-analyze verify $u.service is not clean: $out"
done
for t in ptp4l phc2sys ts2phc; do
    [ -f "/usr/lib/systemd/system/$t@.service.d/tsctl.conf" ] || fail "no ordering drop-in for $t@.service"
done

for _ in $(seq 120); do
    out=$(dpkg -P tsctl 2>&1) && break
    grep -q 'lock' <<<"$out" || fail "dpkg -P tsctl failed: $out"
    sleep 5
done
trap - EXIT
for f in "${files[@]}"; do [ ! -e "$f" ] || fail "$f is left after dpkg -P"; done
for d in /usr/share/tsctl /usr/share/doc/tsctl /usr/lib/systemd/system/ptp4l@.service.d /usr/lib/systemd/system/ts2phc@.service.d; do [ ! -e "$d" ] || fail "$d is left after dpkg -P"; done
echo "PASS package: $(basename "$deb") builds lintian-clean, installs, documents itself, completes in bash and purges cleanly (${#files[@]} files)"
