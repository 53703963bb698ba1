# Shared by tsctl's scripts: sourced, not run.
# Everything here is idempotent: a second run installs and builds nothing new.

TSCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TSCTL_CACHE=${TSCTL_CACHE:-$HOME/.cache/tsctl}

say() { printf '%s\n' "tsctl-setup: $*" >&2; }
die() { printf '%s\n' "tsctl-setup: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root to run: $* (no sudo found)"; fi
}

# ensure_packages PKG...: installs the Debian packages that are missing.
_apt_updated=
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    if [ -z "$_apt_updated" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
        _apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

ensure_swift() {
    command -v swift >/dev/null || [ -x /opt/swift/usr/bin/swift ] || die "no Swift toolchain (swift) on PATH"
    command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
}

# The packages tsctl needs to build and run.
ensure_build_deps() {
    ensure_swift
    ensure_packages libnl-3-dev libnl-genl-3-dev pkg-config
}

# build_release: the binary users run: one static executable (Swift runtime, libnl
# and glibc linked in: it starts faster and copies to a board as one file). The
# linker warns about glibc name-service functions in libnl and Foundation that
# tsctl never calls.
build_release() {
    ensure_build_deps
    (cd "$TSCTL_ROOT" && swift build -c release -Xswiftc -static-executable -Xswiftc -gnone >&2 2> >(grep -v "statically linked applications requires at runtime" >&2)) || die "release build failed"
    echo "$TSCTL_ROOT/.build/release/tsctl"
}
