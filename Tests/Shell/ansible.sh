#!/usr/bin/env bash
# The Ansible recipe of docs/ansible.md, run with Debian's ansible-core over a local
# connection against a private namespace with a veth pair: the play gathers
# `tsctl show --json` as facts, applies a desired-state file with `changed` from
# tsctl's exit code (10, nothing to do: ok; 4, no such interface: failed) and in check
# mode runs `apply --dry-run` and installs nothing. A veth has no timestamp provider,
# so the "changed" outcome (exit 0) needs real hardware: the test bed covers what
# tsctl apply does there. Needs root (ip netns).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test ansible "ip netns add" ansible-core iproute2

work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-ansible.XXXXXX")
ns=tsctl-ans-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add aveth0 type veth peer name aveth1
printf '[[interface]]\nname = "aveth0"\n' >"$work/as-is.toml"
printf '[[interface]]\nname = "aveth9"\ntx = "on"\nrx = "all"\n' >"$work/missing.toml"

# play FILE [ansible-playbook options...]: the play's output in $work/out, its exit code.
play() {
    local file=$1
    shift
    ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
        ANSIBLE_CACHE_PLUGIN=jsonfile ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts" \
        ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_REMOTE_TEMP="$work/ansible-remote-tmp" ANSIBLE_HOME="$work/ansible-home" \
        ansible-playbook -i localhost, -c local "$TSCTL_ROOT/docs/ansible/tsctl.yml" \
        -e "tsctl=$bin" -e "tsctl_args='--netns $ns'" -e "tsctl_state_src=$work/$file" \
        -e "tsctl_state_dest=$work/etc/timestamping.toml" "$@" >"$work/out" 2>&1
}
# outcome TASK: ok, changed or fatal, as the play printed it for that task.
outcome() {
    awk -v t="TASK [$1]" 'index($0, t) == 1 { on = 1; next }
        on && /^(ok|changed|fatal): \[localhost\]/ { sub(/:.*/, ""); print; exit }' "$work/out"
}
apply_task="Apply it (0 changed, 10 nothing to do, other codes failed)"

# Nothing to do: exit 10 is "ok", not "changed" and not "failed".
play as-is.toml || fail "the play failed on a file with nothing to do: $(cat "$work/out")"
[ "$(outcome "$apply_task")" = ok ] || fail "exit 10 (nothing to do) was reported as '$(outcome "$apply_task")', not ok: $(cat "$work/out")"
{ grep -q '"aveth0"' "$work/out" && grep -q '"aveth1"' "$work/out"; } ||
    fail "the facts task did not list the namespace's interfaces: $(cat "$work/out")"
# The facts are cached as gathered facts are: the next play (or ansible -m setup) has them.
python3 - "$work/facts/localhost" <<'PY' || fail "ansible_facts.tsctl was not cached as a fact"
import json, sys
facts = json.load(open(sys.argv[1]))
names = sorted(i["name"] for i in facts["tsctl"]["interfaces"])
assert facts["tsctl"]["schema_version"] == 1, facts["tsctl"].get("schema_version")
assert names == ["aveth0", "aveth1", "lo"], names
PY
cmp -s "$work/as-is.toml" "$work/etc/timestamping.toml" || fail "the desired-state file was not installed"

# A file tsctl refuses (exit 4, no such interface): failed, with tsctl's own message.
rm -rf "${work:?}/etc"
if play missing.toml; then fail "the play succeeded on a file naming a missing interface"; fi
[ "$(outcome "$apply_task")" = fatal ] || fail "exit 4 was not reported as failed: $(cat "$work/out")"
{ grep -q '"rc": 4' "$work/out" && grep -q 'no interface aveth9' "$work/out"; } ||
    fail "the failure does not carry tsctl's exit code and message: $(cat "$work/out")"

# Check mode: apply --dry-run on the new file, nothing installed; `changed` follows
# the dry run's exit code like the real run's (0 would change, 10 nothing to do).
rm -rf "${work:?}/etc"
play as-is.toml --check -v || fail "the play failed in check mode: $(cat "$work/out")"
result=$(awk -v t="TASK [$apply_task]" 'index($0, t) == 1 { on = 1; next } on && /^(ok|changed|fatal): / { print; exit }' "$work/out")
case $result in *'"apply", "--dry-run", "--netns", "'"$ns"'"'*) ;; *) fail "check mode did not run tsctl apply --dry-run: $result" ;; esac
rc=$(printf '%s\n' "$result" | sed -n 's/.*"rc": \([0-9]*\).*/\1/p')
want=ok
[ "$rc" = 0 ] && want=changed
[ "$(outcome "$apply_task")" = "$want" ] || fail "dry run exit $rc was reported as '$(outcome "$apply_task")', not $want"
[ ! -e "$work/etc/timestamping.toml" ] || fail "check mode installed the desired-state file"
echo "PASS ansible (nothing to do: ok; exit 4: failed; check mode: --dry-run exit $rc, $want, nothing installed)"
