# Sourced by the tests in Tests/Shell: the project's helpers and the start they share.
# shellcheck shell=bash
# shellcheck source=Scripts/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../../Scripts/lib/common.sh"

# shell_test NAME ROOT-REASON [PACKAGE...]: from here `fail` says "FAIL NAME: ..." and
# exits 1; with a ROOT-REASON (what root is needed for; "" when it is not) the test
# fails at once unless run as root; the packages are installed; and $bin is the tsctl
# under test (TSCTL_BIN, else the release build).
shell_test() {
    SHELL_TEST=$1
    local why=$2
    shift 2
    [ -z "$why" ] || [ "$(id -u)" -eq 0 ] || fail "needs root ($why); run Scripts/test as root"
    [ $# -eq 0 ] || ensure_packages "$@"
    bin=${TSCTL_BIN:-}
    [ -n "$bin" ] || { bin=$(build_tsctl) || exit 1; }
}

fail() {
    echo "FAIL ${SHELL_TEST:-shell test}: $*"
    exit 1
}
