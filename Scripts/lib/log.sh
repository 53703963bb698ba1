# Logging for tsctl's scripts: sourced, not run.
# shellcheck shell=bash

say() { printf '%s\n' "tsctl-setup: $*" >&2; }
die() { printf '%s\n' "tsctl-setup: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root to run: $* (no sudo found)"; fi
}
