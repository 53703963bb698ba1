#!/usr/bin/env bash
# The unit tests that need no kernel, built for aarch64 with the arm64 SDK (Debian's
# swiftlang 6.2, Scripts/lib/arm64.sh) and run under QEMU's user-mode emulator: the
# netlink client on captured bytes (TsctlNetlinkTests) and the model, planner,
# diagnosis, render and replayed kernel traces (TsctlInventoryTests). Not run here,
# and said so below: the end-to-end tests (they need a kernel: the arm64 binary meets one
# in the test bed, Scripts/testbed/run -k sid-arm64), the libc wrappers against the
# running kernel (SystemCallTests, NotAClockTests: QEMU's user mode does not translate
# SIOCETHTOOL or the PTP clock ioctls, and refuses NETLINK_GENERIC sockets), the tests of
# the kernel target and of tsctl's own process against this machine's kernel (the
# suites in `kernel` below: genl sockets, network namespaces, SIOC[GS]HWTSTAMP, packet
# sockets, /proc/self/exe, which is QEMU's there, and exit tests, whose child process
# the emulator does not start), and one timing test (parsingGrowsLinearly..., a ratio of
# run times of the same code that runs on x86_64, where it is measured without
# emulation). Every one of them runs on x86_64 in Scripts/test.
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test unit-arm64 "the arm64 toolchain's chroot"

xctest=$(build_tests_arm64) || fail "the aarch64 test build failed (above)"
readelf -hW "$xctest" | grep -q 'Machine: *AArch64' || fail "$xctest is not an aarch64 executable"
# shellcheck source=/dev/null # checked on its own (Scripts/lint)
. "$TSCTL_ROOT/Scripts/lib/arm64.sh"
kernel='KernelSocketTests|KernelSessionSocketFailureTests|KernelSessionNamespaceTests|LinkListingAndTraceTests'
kernel+='|OwnProcessAndLoopbackTests|ProbeAndLiveSystemTests|ProcessStateTests|theLiveKernelGathersTheLoopbackDevice'
kernel+='|aProbeOfAnInterfaceThatIsGoneSaysItCouldNotSend|theKernelsStatesAreThoseOfTheInterfacesNamed'
kernel+='|somethingOtherThanThisUsersRegularFileAtTheLockPathIsRefused|theAssemblyBesideTheLinkDumpGivesWhatOneThreadAssembles'
skip="SystemCallTests|NotAClockTests|parsingGrowsLinearlyWithTheNumberOfEntries|$kernel"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
arm64_run "$xctest" --testing-library swift-testing --filter '^TsctlNetlinkTests\.' --filter '^TsctlInventoryTests\.' \
    --skip "$skip" >"$log" 2>&1 || status=$?
summary=$(grep -E '^. Test run with [0-9]+ tests' "$log" | tail -n1)
if [ "$status" -ne 0 ] || [ -z "$summary" ] || ! grep -q 'passed after' <<<"$summary"; then
    grep -E '✘|error' "$log" | head -n 40
    fail "the aarch64 unit tests failed (exit $status): ${summary:-no summary}"
fi
n=$(sed -n 's/.*Test run with \([0-9]*\) tests.*/\1/p' <<<"$summary")
[ "${n:-0}" -ge 100 ] || fail "only ${n:-0} aarch64 unit tests ran"
echo "NOTE unit-arm64: not run under emulation: SystemCallTests and NotAClockTests (real SIOCETHTOOL and PTP clock ioctls QEMU's user mode does not translate), the tests against this machine's kernel and of tsctl's own process (${kernel//|/, }: genl sockets, namespaces, exit tests QEMU's user mode cannot run), parsingGrowsLinearlyWithTheNumberOfEntries (a timing ratio); all run on x86_64, and the end-to-end tests run the arm64 binary in the test bed"
echo "PASS unit-arm64: $n unit tests of TsctlNetlinkTests and TsctlInventoryTests pass built for aarch64 (Debian's Swift 6.2) under qemu-aarch64"
