#!/usr/bin/env bash
# `tsctl check --format junit`, real output in a private namespace, validated with
# xmllint (Debian's libxml2-utils) against Tests/JUnit/tsctl-junit.xsd, the rules of
# Jenkins' xUnit (junit-10.xsd), Jenkins' junit plugin and GitLab: a plain check,
# unmet --expect with --baseline and --strict, an unreadable --expect (one erroring
# case), interface names with a dot and with XML's special characters, and --output.
# The schema is first shown to reject what xUnit rejects. Needs root (ip netns).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test junit "ip netns add" libxml2-utils iproute2
xsd=$TSCTL_ROOT/Tests/JUnit/tsctl-junit.xsd
work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-junit.XXXXXX")
ns=tsctl-junit-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
n=0

valid() { # NAME FILE: FILE is valid against the schema
    xmllint --noout --schema "$xsd" "$2" >"$work/lint" 2>&1 || fail "$1: not valid: $(grep -v validates "$work/lint" | head -5)"
    n=$((n + 1))
}
# attr FILE XPATH: one attribute's value
attr() { xmllint --xpath "string($2)" "$1"; }

# The schema bites: junit-10.xsd has no skipped on testsuites and needs failures/errors
# on each testsuite, the two faults tsctl's JUnit once had.
printf '<testsuites name="t" tests="1" failures="0" errors="0" time="0" skipped="0"><testsuite name="s" tests="1" failures="0" errors="0" skipped="0" time="0"><testcase classname="c" name="n" time="0"/></testsuite></testsuites>\n' >"$work/bad1.xml"
printf '<testsuites name="t" tests="1" failures="0" errors="0" time="0"><testsuite name="s" tests="1" skipped="0" time="0"><testcase classname="c" name="n" time="0"/></testsuite></testsuites>\n' >"$work/bad2.xml"
for b in bad1 bad2; do
    ! xmllint --noout --schema "$xsd" "$work/$b.xml" 2>/dev/null || fail "the schema accepts $b.xml, which junit-10.xsd rejects"
done

ip netns add "$ns"
ip -n "$ns" link add jveth0 type veth peer name jveth1
# A VLAN's dot and XML's special characters (the kernel allows them) in names.
ip -n "$ns" link add 'j<&">' type veth peer name jveth0.7
run() { # NAME EXPECTED-EXIT ARGS...: check --format junit ARGS into $work/NAME.xml, then validate
    local name=$1 want=$2 rc=0
    shift 2
    ip netns exec "$ns" "$bin" check --format junit "$@" >"$work/$name.xml" 2>"$work/$name.err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, not $want: $(cat "$work/$name.err")"
    valid "$name" "$work/$name.xml"
}

run plain 0
[ "$(attr "$work/plain.xml" '/testsuites/@failures')" = 0 ] || fail "plain: failures on a clean namespace"
xmllint --xpath '//testcase[@name="jveth0.7: stacked-device: stacked devices are checked on the device below"]' "$work/plain.xml" >/dev/null 2>&1 \
    || fail "plain: no case named with the VLAN-like name jveth0.7 whole"
grep -q 'name="tsctl check j&lt;&amp;&quot;&gt;"' "$work/plain.xml" || fail "plain: the name j<&\"> is not escaped in its suite's name"

ip netns exec "$ns" "$bin" show --json >"$work/baseline.json"
printf '[[interface]]\nname = "jveth0"\nsource = "mac"\n\n[[interface]]\nname = "nomatch*"\n' >"$work/expect.toml"
run unmet 1 --expect "$work/expect.toml" --baseline "$work/baseline.json"
[ "$(attr "$work/unmet.xml" '/testsuites/@failures')" -ge 2 ] || fail "unmet: the unmet expectations are not failures"
[ "$(attr "$work/unmet.xml" 'count(//testsuite[@name="tsctl check file"]//failure)')" = 1 ] \
    || fail "unmet: the entry matching nothing is not a failing case of the file suite"
run strict 1 --strict --expect "$work/expect.toml"

printf 'not toml [\n' >"$work/broken.toml"
run unreadable 3 --expect "$work/broken.toml"
[ "$(attr "$work/unreadable.xml" '/testsuites/@errors')" = 1 ] || fail "unreadable --expect: no erroring case"

ip netns exec "$ns" "$bin" check --format junit --expect "$work/expect.toml" --output "$work/out.xml" \
    || fail "--output: exit $? with findings (must be 0 once written)"
valid output "$work/out.xml"
echo "PASS junit: $n real reports valid against Tests/JUnit/tsctl-junit.xsd (junit-10.xsd's rules), which rejects the two faults xUnit rejects; names with a dot and with <&\"> kept whole"
