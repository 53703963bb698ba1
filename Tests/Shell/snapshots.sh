#!/usr/bin/env bash
# Help output and the completion scripts are part of tsctl's interface: each is kept
# in Tests/Snapshots and must match what the binary prints now. After an intended
# change, review the diff and accept it with: UPDATE_SNAPSHOTS=1 bash Tests/Shell/snapshots.sh
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test snapshots ""
dir=$TSCTL_ROOT/Tests/Snapshots
mkdir -p "$dir"
failed=0 n=0
check() { # NAME COMMAND...: COMMAND's stdout against Tests/Snapshots/NAME
    local name=$1 got
    shift
    n=$((n + 1))
    # A fixed width: help wraps to the terminal.
    got=$(COLUMNS=100 "$@" 2>&1) || true
    if [ -n "${UPDATE_SNAPSHOTS:-}" ]; then
        printf '%s\n' "$got" >"$dir/$name"
    elif ! diff -u "$dir/$name" <(printf '%s\n' "$got") >&2; then
        echo "snapshot $name differs (above); accept with UPDATE_SNAPSHOTS=1 bash Tests/Shell/snapshots.sh" >&2
        failed=$((failed + 1))
    fi
}
check help.txt "$bin" --help
for c in show check set apply probe watch; do check "help-$c.txt" "$bin" "$c" --help; done
for sh in bash zsh fish; do check "completion.$sh" "$bin" --generate-completion-script "$sh"; done
[ "$failed" -eq 0 ] || { echo "FAIL snapshots: $failed of $n differ"; exit 1; }
echo "PASS snapshots: $n (help of every command, bash/zsh/fish completion scripts)"
