# Debian packages for tsctl's scripts: sourced, not run (needs log.sh).
# shellcheck shell=bash

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
    # Another install may be running (tests run side by side): wait for dpkg's lock.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

ensure_swift() {
    command -v swift >/dev/null || [ -x /opt/swift/usr/bin/swift ] || die "no Swift toolchain (swift) on PATH"
    command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
}

# The packages tsctl needs to build and run.
ensure_build_deps() {
    ensure_swift
    ensure_packages libnl-3-dev libnl-genl-3-dev pkg-config binutils
}
