# Building tsctl: sourced, not run (needs log.sh and packages.sh).
# shellcheck shell=bash

# The one way tsctl is built, by every script and by hand (the README gives the same
# command): one static executable (Swift runtime, libnl and glibc linked in: it starts
# faster and copies to a board as one file). Other flags would make SwiftPM throw this
# build away and start over, so nothing else builds differently.
# -disable-concrete-type-metadata-mangled-name-accessors: the compiler otherwise reaches
# the metadata of concrete generic types ([UInt32: UInt32], Result<...>) by mangled name,
# and the runtime demangles each one and checks its conformances by scanning every
# conformance record of the static image: three quarters of `show IF`'s instructions.
TSCTL_BUILD_FLAGS=(-c release -Xswiftc -static-executable -Xswiftc -gnone
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)

# write_build_commit: the commit `tsctl --version` names, into the header the build
# compiles in (Sources/CBuildInfo/commit.h), rewritten only when it changes so an
# unchanged tree rebuilds nothing. Outside a git checkout there is no header and the
# binary says "unknown commit".
write_build_commit() {
    local dir=$TSCTL_ROOT/Sources/CBuildInfo commit line
    commit=$(git -C "$TSCTL_ROOT" rev-parse --short=12 HEAD 2>/dev/null) || { rm -f "$dir/commit.h"; return 0; }
    [ -z "$(git -C "$TSCTL_ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit+=-dirty
    line="#define TSCTL_COMMIT \"$commit\""
    [ "$(cat "$dir/commit.h" 2>/dev/null)" = "$line" ] && return 0
    printf '%s\n' "$line" >"$dir/commit.h"
    # The first header must be seen by a build that did not include it before.
    touch "$dir/build_info.c"
}

# The static link draws in glibc's name-service functions (getaddrinfo, getpwnam, ...)
# through libnl and Foundation (and mktemp through Foundation); tsctl never calls them,
# and the linker warns about each on every link. Drop those warnings (one line each, whichever linker and path prints
# them) and keep everything else.
_filter_static_link_warnings() {
    grep -v -E -e "warning: Using '[A-Za-z0-9_]+' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking" \
        -e "warning: the use of \`(mktemp|tmpnam|tempnam)' is dangerous" || true
}

# build_tsctl: builds the release binary and prints its path on stdout; a build that
# succeeds prints nothing else. On failure it prints the whole (filtered) log and returns 1:
# callers write `bin=$(build_tsctl) || exit 1` (never `export X=$(...)`, which hides
# the failure).
build_tsctl() {
    ensure_build_deps
    write_build_commit
    local log status
    log=$(mktemp "${TMPDIR:-/tmp}/tsctl-build.XXXXXX")
    [ -x "$TSCTL_ROOT/.build/release/tsctl" ] || say "building tsctl (the first build takes a few minutes)"
    (cd "$TSCTL_ROOT" && swift build "${TSCTL_BUILD_FLAGS[@]}") >"$log" 2>&1 && status=0 || status=$?
    if [ "$status" -ne 0 ]; then
        _filter_static_link_warnings <"$log" >&2
        rm -f "$log"
        say "the release build failed (swift build ${TSCTL_BUILD_FLAGS[*]}, exit $status)"
        return 1
    fi
    rm -f "$log"
    local bin=$TSCTL_ROOT/.build/release/tsctl
    # A release build made with other flags (`swift package plugin ...`, a by-hand
    # `swift build -c release`) leaves a dynamic binary, and SwiftPM keeps reusing
    # that build's plan (.build/release.yaml) whatever flags it is given next: drop
    # both and build again, once.
    if readelf -lW "$bin" 2>/dev/null | grep -q 'INTERP'; then
        if [ -z "${_tsctl_relinked:-}" ]; then
            _tsctl_relinked=1
            say "the last release build was not static (other flags); building it again"
            rm -f "$bin" "$TSCTL_ROOT/.build/release.yaml"
            build_tsctl
            return
        fi
        say "$bin is not a static executable after a rebuild"
        return 1
    fi
    echo "$bin"
}

# The older name, kept for scripts that use it.
build_release() { build_tsctl; }

# build_tsctl_arch ARCH: the release binary for ARCH (Debian's name: amd64, the host's,
# or arm64), printed the same way as build_tsctl prints it.
build_tsctl_arch() {
    case $1 in
        amd64) build_tsctl ;;
        arm64) build_tsctl_arm64 ;;
        *) say "unknown architecture '$1' (amd64 or arm64)"; return 1 ;;
    esac
}

# _arm64_swift_build WHAT ARGS...: swift build ARGS for aarch64 in the toolchain chroot
# (Scripts/lib/arm64.sh), in the scratch path .build-arm64, one at a time per cache (the
# toolchain is made in place). On failure prints the log and returns 1. Debian's
# compiler is another version than the host's: a warning it prints about tsctl's
# sources or tests fails the build as an error would.
_arm64_swift_build() {
    local what=$1
    shift
    ensure_packages binutils util-linux
    write_build_commit
    (
        # shellcheck source=/dev/null # checked on its own (Scripts/lint)
        . "$TSCTL_ROOT/Scripts/lib/arm64.sh"
        mkdir -p "$TSCTL_CACHE/arm64"
        exec 8>"$TSCTL_CACHE/arm64/build.lock"
        flock -n 8 || { say "waiting for another arm64 build to finish"; flock 8; }
        arm64_toolchain
        # Dependencies are fetched by the host's SwiftPM (with this machine's git setup);
        # the chroot's only builds what is already checked out.
        (cd "$TSCTL_ROOT" && swift package resolve --scratch-path .build-arm64 >/dev/null) ||
            { say "swift package resolve failed for the arm64 build"; exit 1; }
        local log status
        log=$(mktemp "${TMPDIR:-/tmp}/tsctl-build-arm64.XXXXXX")
        arm64_in_chroot swift build --package-path "$TSCTL_ROOT" --scratch-path "$TSCTL_ROOT/.build-arm64" \
            --swift-sdks-path "/${ARM64_BUNDLE%/*}" --swift-sdk "$ARM64_TRIPLE" --disable-automatic-resolution \
            "$@" >"$log" 2>&1 && status=0 || status=$?
        if [ "$status" -ne 0 ]; then
            _filter_static_link_warnings <"$log" >&2
            rm -f "$log"
            say "the arm64 $what build failed (exit $status)"
            exit 1
        fi
        if _filter_static_link_warnings <"$log" | grep -E "^$TSCTL_ROOT/(Sources|Tests|Package.swift).*warning:" >&2; then
            rm -f "$log"
            say "the arm64 $what build (Debian's swiftlang) warns about tsctl's code (above)"
            exit 1
        fi
        rm -f "$log"
    )
}

# build_tsctl_arm64: the same static release binary for aarch64, cross-built with
# Debian's swiftlang in a sid chroot against an arm64 sysroot (Scripts/lib/arm64.sh).
build_tsctl_arm64() {
    local bin=$TSCTL_ROOT/.build-arm64/aarch64-unknown-linux-gnu/release/tsctl
    [ -x "$bin" ] || say "building tsctl for arm64 (the first build takes a few minutes)"
    _arm64_swift_build release --static-swift-stdlib "${TSCTL_BUILD_FLAGS[@]}" || return 1
    readelf -hW "$bin" 2>/dev/null | grep -q 'Machine: *AArch64' || { say "$bin is not an aarch64 executable"; return 1; }
    if readelf -lW "$bin" 2>/dev/null | grep -q 'INTERP'; then say "$bin is not a static executable"; return 1; fi
    echo "$bin"
}

# build_tests_arm64: the test bundle for aarch64 (debug, as swift test builds it), linked
# against Debian's shared Swift runtime; prints its path. Debian's libswiftlang has no
# lib_Testing_Foundation (the overlay a test importing both Testing and Foundation gets),
# so cross-import overlays are off: the tests use neither's cross-overlay API.
build_tests_arm64() {
    _arm64_swift_build test --build-tests -Xswiftc -Xfrontend -Xswiftc -disable-cross-import-overlays || return 1
    echo "$TSCTL_ROOT/.build-arm64/aarch64-unknown-linux-gnu/debug/tsctlPackageTests.xctest"
}
