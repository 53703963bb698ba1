# Cross-building tsctl for arm64 (aarch64): sourced by Scripts/lib/build.sh, not run.
# shellcheck shell=bash
#
# The host's Swift has no aarch64 standard library; Debian's swiftlang has one for each
# architecture. So the build runs Debian sid's (amd64) swiftlang in a sid chroot against
# a Swift SDK bundle: an arm64 sysroot (glibc, libstdc++, libgcc, libnl, kernel headers,
# all from sid's arm64 packages) and the aarch64 standard library and Foundation of sid's
# arm64 swiftlang. Everything lives in $TSCTL_CACHE/arm64 and is made once:
#   arm64/chroot                       debootstrap minbase of sid with swiftlang
#   arm64/chroot/opt/tsctl-sdk/...     the SDK bundle (sysroot and aarch64 runtime inside)
# The apt state, downloads and debootstrap are the test bed's helpers
# (Scripts/testbed/lib.sh) pointed at that folder. Every mount (debootstrap's /proc, the
# build's /proc, /dev and the checkout) is made in a private mount namespace: it goes
# away with the process, even when a run is interrupted.

ARM64_TRIPLE=aarch64-unknown-linux-gnu
ARM64_BUNDLE=opt/tsctl-sdk/tsctl-aarch64.artifactbundle
ARM64_CHROOT=$TSCTL_CACHE/arm64/chroot

# The test bed's apt, download and unpack helpers, with their own cache folder and
# errors said as a script's, not the bed's.
_arm64_helpers() {
    # shellcheck source=/dev/null # checked on its own (Scripts/lint)
    . "$TSCTL_ROOT/Scripts/testbed/lib.sh"
    TB_CACHE=$TSCTL_CACHE/arm64
    # shellcheck disable=SC2317 # called by the bed's helpers
    tb_die() { die "arm64: $*"; }
    # shellcheck disable=SC2317
    tb_log() { say "arm64: $*"; }
    mkdir -p "$TB_CACHE"
}

# Sets ARM64_CHROOT: the toolchain chroot with the SDK bundle, made or reused.
arm64_toolchain() {
    _arm64_helpers
    tb_apt_update sid
    tb_apt_update sid-arm64
    _arm64_chroot
    _arm64_sdk
}

# The sid chroot with Debian's swiftlang (amd64; it needs a newer glibc than bookworm's).
_arm64_chroot() {
    local dir=$TB_CACHE/chroot ver
    ARM64_CHROOT=$dir
    ver=$(tb_apt sid apt-cache show --no-all-versions swiftlang 2>/dev/null | sed -n 's/^Version: //p')
    [ -n "$ver" ] || tb_die "sid has no swiftlang package"
    if [ -f "$dir/.ready" ] && [ "$(cat "$dir/.ready")" = "$ver" ]; then return 0; fi
    tb_fetch_debootstrap
    tb_rmtree "$dir"
    tb_log "debootstrap a sid chroot with swiftlang $ver (a few minutes; with the SDK about 6 GB)"
    local ds=$TB_CACHE/debootstrap
    if ! DEBOOTSTRAP_DIR=$ds/usr/share/debootstrap unshare -m --propagation private \
        "$ds/usr/sbin/debootstrap" --variant=minbase \
        --keyring="$ds/usr/share/keyrings/debian-archive-keyring.gpg" \
        --include=swiftlang,libc6-dev,pkg-config,git,ca-certificates \
        sid "$dir" "$(tb_mirror)" >"$TB_CACHE/chroot.log" 2>&1; then
        tail -n 30 "$TB_CACHE/chroot.log" >&2
        [ -f "$dir/debootstrap/debootstrap.log" ] && tail -n 30 "$dir/debootstrap/debootstrap.log" >&2
        tb_die "debootstrap of the sid swiftlang chroot failed"
    fi
    rm -rf "$dir/var/cache/apt/archives/"*.deb
    [ -x "$dir/usr/libexec/swift/bin/swift-build" ] || tb_die "swiftlang in the chroot has no usr/libexec/swift/bin/swift-build"
    printf '%s\n' "$ver" >"$dir/.ready"
}

# The SDK bundle inside the chroot: sysroot from sid's arm64 packages, the aarch64
# runtime from sid's arm64 swiftlang (the same version as the chroot's compiler).
_arm64_sdk() {
    local gcc debs=() want bundle=$ARM64_CHROOT/$ARM64_BUNDLE
    # libgcc-N-dev and libstdc++-N-dev of the default gcc (16 when written).
    gcc=$(tb_apt sid-arm64 apt-cache depends gcc 2>/dev/null | sed -n 's/^ *Depends: gcc-\([0-9][0-9]*\)$/\1/p' | head -n1)
    [ -n "$gcc" ] || tb_die "cannot tell sid's default gcc version for arm64"
    mapfile -t debs < <(tb_download sid-arm64 libc6 libc6-dev libgcc-s1 "libgcc-$gcc-dev" libstdc++6 "libstdc++-$gcc-dev" \
        linux-libc-dev libnl-3-200 libnl-3-dev libnl-genl-3-200 libnl-genl-3-dev)
    # swiftlang: the static runtime tsctl links; libswiftlang: the shared one (and Swift
    # Testing) the unit tests link.
    local swift_debs=()
    mapfile -t swift_debs < <(tb_download sid-arm64 swiftlang libswiftlang)
    want=$( (printf '%s\n' "${debs[@]}" "${swift_debs[@]}" | xargs -n1 basename; declare -f _arm64_sdk _arm64_sdk_json) | md5sum | cut -d' ' -f1)
    if [ -f "$bundle/.ready" ] && [ "$(cat "$bundle/.ready")" = "$want" ]; then return 0; fi
    tb_log "unpacking the arm64 sysroot and the aarch64 Swift runtime"
    local v=$bundle/aarch64
    tb_rmtree "$bundle"
    # The runtime is a separate tree; the sysroot gets the libraries.
    tb_unpack "$v/runtime" "${swift_debs[@]}"
    tb_unpack "$v/sysroot" "${debs[@]}"
    [ -d "$v/runtime/usr/libexec/swift/lib/swift_static/linux/aarch64" ] ||
        tb_die "the arm64 swiftlang package has no usr/libexec/swift/lib/swift_static/linux/aarch64"
    # Merged /usr, as on an installed system: libc.so names /lib/ld-linux-aarch64.so.1.
    [ -e "$v/sysroot/lib" ] || ln -s usr/lib "$v/sysroot/lib"
    # The driver looks for swiftrt.o and the static runtime under the sysroot's usr/lib.
    ln -sfn ../../../runtime/usr/libexec/swift/lib/swift "$v/sysroot/usr/lib/swift"
    ln -sfn ../../../runtime/usr/libexec/swift/lib/swift_static "$v/sysroot/usr/lib/swift_static"
    _arm64_sdk_json "$bundle"
    # The Debian sources whose code a static tsctl carries (the package's Built-Using).
    local deb src
    for deb in "${debs[@]}" "${swift_debs[0]}"; do
        case $(basename "$deb") in libc6-dev_* | libnl-3-dev_* | swiftlang_*) ;; *) continue ;; esac
        src=$(dpkg-deb -f "$deb" Source)
        src=${src:-$(dpkg-deb -f "$deb" Package)}
        case $src in
            *"("*) local v=${src#*(}; printf '%s (= %s)\n' "${src%% *}" "${v%)*}" ;;
            *) printf '%s (= %s)\n' "$src" "$(dpkg-deb -f "$deb" Version)" ;;
        esac
    done >"$bundle/built-using"
    printf '%s\n' "$want" >"$bundle/.ready"
}

_arm64_sdk_json() { # BUNDLE
    cat >"$1/info.json" <<JSON
{
  "schemaVersion": "1.0",
  "artifacts": {
    "tsctl-aarch64": {
      "type": "swiftSDK",
      "version": "1",
      "variants": [{ "path": "aarch64", "supportedTriples": ["x86_64-unknown-linux-gnu", "x86_64-pc-linux-gnu"] }]
    }
  }
}
JSON
    cat >"$1/aarch64/swift-sdk.json" <<JSON
{
  "schemaVersion": "4.0",
  "targetTriples": {
    "$ARM64_TRIPLE": {
      "sdkRootPath": "sysroot",
      "swiftResourcesPath": "runtime/usr/libexec/swift/lib/swift",
      "swiftStaticResourcesPath": "runtime/usr/libexec/swift/lib/swift_static",
      "toolsetPaths": ["toolset.json"]
    }
  }
}
JSON
    cat >"$1/aarch64/toolset.json" <<JSON
{
  "schemaVersion": "1.0",
  "rootPath": "/usr/libexec/swift/bin",
  "linker": { "path": "ld.lld" }
}
JSON
}

# Runs a command in the chroot with the checkout bound at its own path, /proc and /dev;
# all three mounts die with the private namespace. The command runs in /tmp, not in the
# checkout: a git worktree's .git names a folder outside the chroot, and git (which
# SwiftPM runs to fetch dependencies) refuses to work below it.
arm64_in_chroot() { # COMMAND...
    mkdir -p "$ARM64_CHROOT$TSCTL_ROOT"
    # shellcheck disable=SC2016 # expanded by the inner sh
    unshare -m --propagation private sh -c '
        c=$1 src=$2 b=$3; shift 3
        mount -t proc proc "$c/proc" && mount --bind /dev "$c/dev" && mount --bind "$src" "$c$src" &&
            cp /etc/resolv.conf "$c/etc/resolv.conf" &&
            exec chroot "$c" env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
                PKG_CONFIG_SYSROOT_DIR="/$b/aarch64/sysroot" \
                PKG_CONFIG_LIBDIR="/$b/aarch64/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig:/$b/aarch64/sysroot/usr/share/pkgconfig" \
                PKG_CONFIG_PATH="/$b/aarch64/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig" \
                sh -c "cd /tmp && exec \"\$@\"" sh "$@"
    ' sh "$ARM64_CHROOT" "$TSCTL_ROOT" "$ARM64_BUNDLE" "$@"
}

# Sets ARM64_QEMU_USER: QEMU's aarch64 user-mode emulator (bookworm-backports' qemu-user,
# statically linked, unpacked into the cache, not installed), which runs the aarch64
# binary on this machine for what needs no kernel feature QEMU lacks: --version, the
# manual and completions the package carries, the unit tests that open no
# NETLINK_GENERIC socket (QEMU's user mode refuses those).
arm64_qemu_user() {
    _arm64_helpers
    tb_apt_update bookworm-backports
    local debs
    mapfile -t debs < <(tb_download bookworm-backports qemu-user)
    tb_unpack "$TB_CACHE/qemu-user" "${debs[@]}"
    ARM64_QEMU_USER=$TB_CACHE/qemu-user/usr/bin/qemu-aarch64
    [ -x "$ARM64_QEMU_USER" ] || tb_die "no usr/bin/qemu-aarch64 in bookworm-backports' qemu-user"
}

# arm64_run BINARY ARGS...: runs a dynamically linked aarch64 BINARY (the test bundle)
# under qemu-aarch64 with the SDK's sysroot as its root for the loader, Debian's shared
# Swift runtime, and what Foundation's XML part needs besides (libxml2, zlib: sid's arm64).
arm64_run() {
    arm64_qemu_user
    local debs libs=$TB_CACHE/test-libs b=$ARM64_CHROOT/$ARM64_BUNDLE/aarch64
    mapfile -t debs < <(tb_download sid-arm64 libxml2-16 zlib1g)
    tb_unpack "$libs" "${debs[@]}"
    [ -f "$ARM64_CHROOT/$ARM64_BUNDLE/.ready" ] || tb_die "no arm64 SDK (build first)"
    "$ARM64_QEMU_USER" -L "$b/sysroot" \
        -E "LD_LIBRARY_PATH=$b/runtime/usr/libexec/swift/lib/swift/linux:$libs/usr/lib/aarch64-linux-gnu" "$@"
}
