#!/usr/bin/env bash
# `tsctl check --format tap`, read by TAP::Parser (perl's, the parser `prove` uses) as
# kselftest's runner and KernelCI read TAP: version 13, a plan that matches the test
# points, one point per check and interface, failing points for errors, `# SKIP` for
# checks that could not run, and the exit code agreeing with the points (with --strict
# a skip fails the run too). Also runs the
# LAVA test definition's steps (docs/lava/tsctl-check.yaml) with LAVA's own
# lava-test-case helper from Debian's lava-dispatcher package (downloaded once into
# ~/.cache/tsctl/debs, not installed). In a private namespace with a veth pair; needs root (ip netns).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test tap "ip netns add" perl iproute2 python3 python3-yaml
work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-tap.XXXXXX")
ns=tsctl-tap-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add tveth0 type veth peer name tveth1
# Expectations a veth cannot meet (a MAC provider: an error, the point fails) or that
# cannot be verified (tx, where the driver cannot read its configuration back: skipped).
printf '[[interface]]\nname = "tveth0"\nsource = "mac"\n\n[[interface]]\nname = "tveth1"\ntx = "on"\n' >"$work/expect.toml"

# parse FILE EXIT [STRICT]: TAP::Parser's verdict on FILE against tsctl's exit code.
parse() {
    perl -MTAP::Parser -e '
        my ($file, $exit, $strict) = @ARGV;
        open my $fh, "<", $file or die "$file: $!";
        my $p = TAP::Parser->new({ tap => do { local $/; <$fh> } });
        my (@points, @bad);
        while (my $r = $p->next) {
            push @bad, "unknown line: " . $r->as_string if $r->is_unknown;
            push @points, $r if $r->is_test;
        }
        push @bad, "TAP version " . $p->version . ", not 13" unless $p->version == 13;
        push @bad, "parse errors: " . join("; ", $p->parse_errors) if $p->parse_errors;
        push @bad, "the plan does not match the points" unless $p->is_good_plan;
        push @bad, "the plan is not first" unless $p->plan && $p->plan eq "1.." . scalar(@points);
        for my $t (@points) {
            push @bad, "a point without \"IF: check-id\": " . $t->description
                unless $t->description =~ /^[^ :]+: [a-z0-9-]+$/;
        }
        my $failed = scalar($p->failed);
        push @bad, "exit $exit but $failed failing point(s)"
            if ($exit == 1) != ($failed > 0) && !($exit == 1 && $strict && $p->skipped);
        die join("\n", @bad) . "\n" if @bad;
        printf "%d points, %d failed, %d skipped\n", scalar(@points), $failed, scalar($p->skipped);
    ' "$1" "$2" "${3:-}"
}

set +e
ip netns exec "$ns" "$bin" check --format tap >"$work/plain.tap"; plain_rc=$?
ip netns exec "$ns" "$bin" check --format tap --expect "$work/expect.toml" tveth0 tveth1 >"$work/expect.tap"; expect_rc=$?
ip netns exec "$ns" "$bin" check --format tap --strict --expect "$work/expect.toml" tveth1 >"$work/strict.tap"; strict_rc=$?
set -e
for t in plain expect strict; do
    rc_var=${t}_rc
    strict=
    [ "$t" = strict ] && strict=1
    summary=$(parse "$work/$t.tap" "${!rc_var}" "$strict") || fail "$t: TAP::Parser: $(parse "$work/$t.tap" "${!rc_var}" "$strict" 2>&1 | head -5); output: $(cat "$work/$t.tap")"
    echo "  $t: exit ${!rc_var}, $summary"
done
[ "$plain_rc" = 0 ] || fail "check on two veths failed (exit $plain_rc): $(cat "$work/plain.tap")"
# One point per check and interface: the same count as JUnit's test cases.
junit=$(ip netns exec "$ns" "$bin" check --format junit | sed -n 's/.*<testsuites [^>]*tests="\([0-9]*\)".*/\1/p')
grep -qx "1..$junit" "$work/plain.tap" || fail "the plan is not 1..$junit (JUnit's test cases): $(sed -n 2p "$work/plain.tap")"
{ [ "$expect_rc" = 1 ] && grep -q '^not ok [0-9]* tveth0: expectation-not-met$' "$work/expect.tap" ; } ||
    fail "an unmet expectation is not a failing point (exit $expect_rc): $(cat "$work/expect.tap")"
grep -q '^#   \[error\]' "$work/expect.tap" || fail "the failing point carries no diagnostic"
grep -q '^ok [0-9]* tveth1: expectation-not-met # SKIP .*cannot be verified' "$work/expect.tap" ||
    fail "a check that could not run is not '# SKIP' with its reason: $(cat "$work/expect.tap")"
# --strict fails on a check that could not run (exit 1), yet the point stays a skip.
[ "$strict_rc" = 1 ] || fail "check --strict with a skipped check exited $strict_rc, not 1"

# The LAVA test definition: its steps as LAVA's shell runs them, with LAVA's helper.
yaml=$TSCTL_ROOT/docs/lava/tsctl-check.yaml
python3 - "$yaml" <<'PY' || fail "docs/lava/tsctl-check.yaml is not a LAVA test definition (above)"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["metadata"]["format"] == "Lava-Test Test Definition 1.0", d["metadata"]
assert d["metadata"]["name"] and d["metadata"]["description"]
assert all(isinstance(s, str) for s in d["run"]["steps"]), "steps must be strings"
PY
mkdir -p "$work/lava/bin" "$work/lava/run"
debs=${TSCTL_CACHE:-$HOME/.cache/tsctl}/debs
mkdir -p "$debs"
ls "$debs"/lava-dispatcher_*.deb >/dev/null 2>&1 ||
    (cd "$debs" && apt-get download -qq lava-dispatcher >/dev/null 2>&1) || fail "cannot download lava-dispatcher (for its lava-test-case)"
# shellcheck disable=SC2012 # Debian file names have no odd characters
dpkg-deb -x "$(ls "$debs"/lava-dispatcher_*.deb | tail -n1)" "$work/lava/root"
helper=$(find "$work/lava/root" -path '*lava_test_shell/lava-test-case' | head -n1)
[ -n "$helper" ] || fail "no lava_test_shell/lava-test-case in lava-dispatcher"
install -m 0755 "$helper" "$work/lava/bin/lava-test-case"
install -m 0644 "$(dirname "$helper")/lava-common-functions" "$work/lava/bin/lava-common-functions"
python3 - "$yaml" "$bin" >"$work/lava/steps.sh" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print("set -e")
print("TSCTL=%s" % sys.argv[2])
print("ARGS='tveth0 tveth1'")
for s in d["run"]["steps"]:
    print(s)
PY
(cd "$work/lava/run" && ip netns exec "$ns" env PATH="$work/lava/bin:$PATH" LAVA_RESULT_DIR="$work/lava/results" sh "$work/lava/steps.sh") >"$work/lava/out" 2>&1 ||
    fail "the LAVA steps failed: $(tail -20 "$work/lava/out")"
cases=$(grep -c '<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=tveth[01]\.[a-z-]* RESULT=\(pass\|fail\|skip\)>' "$work/lava/out" || true)
points=$(ip netns exec "$ns" "$bin" check --format tap tveth0 tveth1 | grep -c '^\(not \)\{0,1\}ok [0-9]* tveth' || true)
{ [ "$cases" -gt 0 ] && [ "$cases" = "$points" ]; } || fail "LAVA got $cases test cases for $points interface test points: $(grep LAVA_SIGNAL "$work/lava/out" | head)"
grep -q '<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=tsctl-check RESULT=pass>' "$work/lava/out" || fail "no overall tsctl-check result: $(tail "$work/lava/out")"
echo "PASS tap (TAP::Parser: plain, unmet expectation, --strict with a skip; LAVA: $cases test cases)"
