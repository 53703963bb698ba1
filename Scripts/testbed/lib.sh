# Shared helpers for the tsctl test bed. Sourced, never run.
# shellcheck shell=bash

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB_REPO=$(cd "$TB_DIR/../.." && pwd)
TB_CACHE=${TSCTL_CACHE:-$HOME/.cache/tsctl}/testbed
# The tsctl the guests run: TSCTL_BIN, or the release build every script makes
# (tb_tsctl_build, Scripts/lib/common.sh).
TSCTL_BIN=${TSCTL_BIN:-}
# Kernels in the order they are tried: newest first. A kernel is a Debian suite (the
# kernel its linux-image-amd64 points at) or NAME pinned to one series of a suite.
# TB_KNOWN_KERNELS can be named with -k; TB_ALL_KERNELS run by default (those whose
# scenarios all pass).
# NAME-arm64 is the same suite's arm64 kernel, booted under qemu-system-aarch64 with the
# aarch64 tsctl (Scripts/build --arch arm64) and an arm64 userland.
TB_KNOWN_KERNELS=(sid bpo-7 bpo-6.19 bpo-6.16 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64)
TB_ALL_KERNELS=(sid bpo-7 bpo-6.16 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64)

# The suite a kernel comes from, and the series it is pinned to (empty: the suite's own).
# bpo-7 is the newest 7.x series trixie-backports carries (newer than sid's when the
# backports run ahead).
# For NAME-arm64 the suite is the private apt state of the suite's arm64 packages
# (tb_apt_opts), "sid-arm64".
tb_kernel_suite() { case $1 in bpo-*) echo trixie-backports ;; *) echo "$1" ;; esac; }
tb_kernel_arch() { case $1 in *-arm64) echo arm64 ;; *) echo amd64 ;; esac; }
# The x86_64 kernel whose expectations an arm64 kernel shares (the same suite's).
tb_kernel_twin() { echo "${1%-arm64}"; }
tb_kernel_series() { case $1 in bpo-*) echo "${1#bpo-}" ;; *) echo ;; esac; }
# The suite whose chroot builds the test module, and the suite its headers come from.
# An arm64 kernel's module is cross-built in an amd64 chroot of its suite.
tb_kernel_chroot_suite() { case $1 in bpo-*) echo trixie ;; *-arm64) echo "${1%-arm64}" ;; *) echo "$1" ;; esac; }

tb_log() { printf '[testbed] %s\n' "$*" >&2; }

# Host packages, installed the one way every script installs them
# (Scripts/lib/packages.sh); a failure means the bed cannot run here.
# shellcheck source=Scripts/lib/log.sh
. "$TB_REPO/Scripts/lib/log.sh"
# shellcheck source=Scripts/lib/packages.sh
. "$TB_REPO/Scripts/lib/packages.sh"
tb_ensure_packages() { (ensure_packages "$@") || tb_die "cannot install host packages: $*"; }
tb_die() {
	printf '\n[testbed] ERROR: %s\n' "$*" >&2
	printf '[testbed] The test bed cannot run on this machine as it is; nothing was tested.\n\n' >&2
	exit 2
}

# Removes DIR like rm -rf, but never through a mount point: a run interrupted while a
# chroot had /proc or /sys mounted (in the host's namespace, by an older bed) leaves them
# there, and rm -rf would walk into the host's /proc and /sys. Mounts at or under DIR are
# unmounted first (deepest first); if one stays, the bed stops and names it.
tb_rmtree() { # DIR
	local dir=$1 real mp left
	[ -e "$dir" ] || return 0
	real=$(readlink -f "$dir")
	if [ -z "$real" ] || [ "$real" = / ]; then tb_die "refusing to remove '$dir'"; fi
	# Field 5 of mountinfo is the mount point, with spaces etc. as octal escapes.
	while read -r mp; do
		umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true
	done < <(awk -v d="$real" '{ m = $5; gsub(/\\040/, " ", m)
		if (m == d || index(m, d "/") == 1) print length(m) "\t" m }' /proc/self/mountinfo |
		sort -rn | cut -f2-)
	left=$(awk -v d="$real" '{ m = $5; gsub(/\\040/, " ", m)
		if (m == d || index(m, d "/") == 1) print m }' /proc/self/mountinfo)
	[ -z "$left" ] || tb_die "cannot unmount what an earlier interrupted run left mounted under $real: ${left//$'\n'/ } (unmount it by hand, then run again)"
	rm -rf --one-file-system "$dir"
}

# Builds tsctl the one way every script does, unless TSCTL_BIN names a binary.
tb_tsctl_build() {
	[ -z "$TSCTL_BIN" ] || return 0
	# shellcheck source=../lib/common.sh
	source "$TB_REPO/Scripts/lib/common.sh"
	TSCTL_BIN=$(build_tsctl) || tb_die "the tsctl build failed (see above)"
}

# The aarch64 tsctl the arm64 guests run: TSCTL_BIN_ARM64, or Scripts/build --arch arm64's.
TSCTL_BIN_ARM64=${TSCTL_BIN_ARM64:-}
tb_tsctl_build_arm64() {
	[ -z "$TSCTL_BIN_ARM64" ] || return 0
	# shellcheck source=../lib/common.sh
	source "$TB_REPO/Scripts/lib/common.sh"
	TSCTL_BIN_ARM64=$(build_tsctl_arch arm64) || tb_die "the arm64 tsctl build failed (see above)"
}

# What the arm64 guests need besides their kernels: QEMU for aarch64, the arm64 userland
# and the aarch64 tsctl (TB_TSCTL_CPIO_ARM64). Nothing when no KERNEL is an arm64 one.
# After tb_host_tools and tb_fetch_lists (cpio, and bookworm-backports' lists for QEMU).
tb_prepare_arm64() { # KERNEL...
	local k
	for k in "$@"; do
		[ "$(tb_kernel_arch "$k")" = arm64 ] || continue
		tb_apt_update sid-arm64
		tb_fetch_qemu_arm64
		tb_fetch_userland_arm64
		tb_ensure_packages binutils-aarch64-linux-gnu
		tb_tsctl_build_arm64
		tb_tsctl_cpio arm64 || true
		return 0
	done
}

# --- The Debian mirror, read from the machine's own apt configuration -------------
# Prints the URI of the main Debian archive (the one that serves "bookworm").
tb_mirror() {
	if [ -n "${TB_MIRROR:-}" ]; then printf '%s\n' "$TB_MIRROR"; return; fi
	local f uri
	uri=$(
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			# deb822 stanzas: print the first URI of every stanza whose Suites has
			# a plain release name (no -security/-updates).
			awk '
				BEGIN { RS=""; FS="\n" }
				{
					uris=""; suites=""
					for (i = 1; i <= NF; i++) {
						if ($i ~ /^URIs:/)   { uris = $i;   sub(/^URIs:[ \t]*/, "", uris) }
						if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
					}
					n = split(suites, s, /[ \t]+/)
					for (j = 1; j <= n; j++) if (s[j] ~ /^[a-z]+$/) { split(uris, u, /[ \t]+/); print u[1]; break }
				}' "$f"
		done
		if [ -r /etc/apt/sources.list ]; then
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i+1) ~ /^[a-z]+$/) print $i; break } }' /etc/apt/sources.list
		fi
	)
	uri=$(printf '%s\n' "$uri" | grep -v -- '-security' | grep -m1 .) ||
		tb_die "no Debian archive URI found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	TB_MIRROR=${uri%/}
	printf '%s\n' "$TB_MIRROR"
}

# --- Private apt state, one per suite, so that "which version is in suite X" is never
# ambiguous and the system's apt state is never touched. ---------------------------
# A name SUITE-arm64 is SUITE's arm64 packages (the arm64 guests' kernels and userland,
# the sysroot tsctl is cross-built against), with its own private state beside SUITE's.
tb_apt_suite() { echo "${1%-arm64}"; }
tb_apt_arch() { case $1 in *-arm64) echo arm64 ;; *) echo amd64 ;; esac; }
tb_apt_opts() { # SUITE
	local d=$TB_CACHE/apt/$1 arch
	arch=$(tb_apt_arch "$1")
	printf '%s\n' -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
	printf '%s\n' -o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=-" \
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" \
		-o "Dir::Cache::pkgcache=$d/cache/pkgcache.bin" -o "Dir::Cache::srcpkgcache=$d/cache/srcpkgcache.bin" \
		-o "Dir::Etc::preferences=/dev/null" -o "Dir::Etc::preferencesparts=$d/empty.d" \
		-o "Acquire::Check-Valid-Until=false" -o "APT::Get::List-Cleanup=false" \
		-o "Debug::NoLocking=true"
}

tb_apt() { # SUITE apt-get|apt-cache ARGS...
	local suite=$1 tool=$2; shift 2
	local -a opts
	mapfile -t opts < <(tb_apt_opts "$suite")
	"$tool" "${opts[@]}" "$@"
}

# Makes (once) and refreshes (when older than a day, or TB_REFRESH=1) a suite's lists.
tb_apt_update() { # SUITE
	local suite=$1 d=$TB_CACHE/apt/$1 mirror
	mirror=$(tb_mirror)
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty.d"
	local arch=
	case $suite in *-arm64) arch="arch=arm64 " ;; esac
	printf 'deb [%ssigned-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$arch" "$mirror" "$(tb_apt_suite "$suite")" >"$d/sources.list.new"
	if [ -f "$d/stamp" ] && cmp -s "$d/sources.list.new" "$d/sources.list" &&
		[ "${TB_REFRESH:-0}" != 1 ] && [ -z "$(find "$d/stamp" -mmin +1440)" ]; then
		rm -f "$d/sources.list.new"
		return 0
	fi
	mv "$d/sources.list.new" "$d/sources.list"
	tb_log "apt update ($suite)"
	if ! tb_apt "$suite" apt-get -q update >"$d/update.log" 2>&1 ||
		grep -qE '^(E:|W: Failed|Err:)' "$d/update.log"; then
		cat "$d/update.log" >&2
		if ls "$d/lists/"*_Packages* >/dev/null 2>&1; then
			tb_log "WARNING: could not refresh the $suite lists; using the ones cached earlier"
			return 0
		fi
		tb_die "cannot read the package lists of suite '$suite' from the machine's Debian mirror"
	fi
	touch "$d/stamp"
}

# The kernel release a kernel name stands for, e.g. 7.2.13+deb14-amd64: what the
# suite's linux-image-amd64 points at, or for a pinned series the newest
# linux-image-SERIES.N+debNN-amd64 (a signed image package) the suite carries.
tb_kernel_release() { # KERNEL
	local suite series dep arch
	suite=$(tb_kernel_suite "$1") series=$(tb_kernel_series "$1") arch=$(tb_kernel_arch "$1")
	if [ -n "$series" ]; then
		dep=$(tb_apt "$suite" apt-cache pkgnames "linux-image-$series." 2>/dev/null |
			sed -En "s/^linux-image-(${series//./\\.}(\.[0-9]+)+\+deb[0-9]*-$arch)$/\1/p" | sort -V | tail -n1)
		[ -n "$dep" ] || tb_die "NOT TESTED: kernel $1: the mirror's $suite no longer carries a $series series (linux-image-$series.*-$arch)"
	else
		dep=$(tb_apt "$suite" apt-cache depends "linux-image-$arch" 2>/dev/null |
			sed -n "s/^ *Depends: linux-image-\([0-9].*-$arch\)\$/\1/p" | head -n1)
		[ -n "$dep" ] || tb_die "cannot resolve linux-image-$arch in suite $suite"
	fi
	printf '%s\n' "$dep"
}

# Downloads packages of a suite into the shared .deb cache (once) and prints their paths.
tb_download() { # SUITE PKG...
	local suite=$1; shift
	local dir=$TB_CACHE/debs/$suite p f want=()
	mkdir -p "$dir"
	for p in "$@"; do
		f=$(tb_deb_path "$suite" "$p")
		[ -s "$f" ] || want+=("$p")
	done
	if [ ${#want[@]} -gt 0 ]; then
		tb_log "download ($suite): ${want[*]}"
		(cd "$dir" && tb_apt "$suite" apt-get -q download "${want[@]}" >"$dir/download.log" 2>&1) || {
			cat "$dir/download.log" >&2
			tb_die "cannot download ${want[*]} from suite $suite"
		}
	fi
	# Every path or none: callers read them through a process substitution, where
	# tb_die ends only the substitution, and check that something came (tb_unpack).
	local old paths=()
	for p in "$@"; do
		f=$(tb_deb_path "$suite" "$p")
		[ -s "$f" ] || tb_die "download of $p ($suite) produced no file"
		# Older versions of the same package are not needed any more.
		for old in "$dir/${p}_"*.deb; do
			[ "$old" = "$f" ] || rm -f "$old"
		done
		paths+=("$f")
	done
	printf '%s\n' "${paths[@]}"
}

# Where a package's .deb lands: NAME_VERSION_ARCH.deb with the candidate version.
tb_deb_path() { # SUITE PKG
	local v arch
	read -r v arch < <(tb_apt "$1" apt-cache show --no-all-versions "$2" 2>/dev/null |
		awk '/^Version:/ { v = $2 } /^Architecture:/ { a = $2 } END { print v, a }')
	[ -n "$v" ] || tb_die "package $2 not found in suite $1"
	v=${v//:/%3a}
	printf '%s/%s_%s_%s.deb\n' "$TB_CACHE/debs/$1" "$2" "$v" "$arch"
}

# Unpacks .deb files into DIR once; a stamp records which files made it.
tb_unpack() { # DIR DEB...
	local dir=$1; shift
	# No .deb: the download before (in a process substitution) failed and said why.
	[ $# -gt 0 ] || tb_die "nothing to unpack into $dir: the download above failed"
	local want
	want=$(printf '%s\n' "$@" | xargs -n1 basename | sort | md5sum | cut -d' ' -f1)
	if [ -f "$dir/.unpacked" ] && [ "$(cat "$dir/.unpacked")" = "$want" ]; then return 0; fi
	tb_rmtree "$dir"; mkdir -p "$dir"
	local d
	for d in "$@"; do dpkg-deb -x "$d" "$dir"; done
	printf '%s\n' "$want" >"$dir/.unpacked"
}

# Host tools the bed needs; installs the missing ones with apt-get.
tb_host_tools() {
	local missing=() t pkg
	# strace goes into the x86_64 guests: fault injection and a held request (tsctl-set, faults).
	for t in depmod:kmod cpio:cpio strace:strace; do
		command -v "${t%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${t%%:*}" ] || [ -x "/sbin/${t%%:*}" ] || missing+=("${t#*:}")
	done
	[ ${#missing[@]} -eq 0 ] || tb_ensure_packages "${missing[@]}"
}

# The rest of the bed's functions.
# shellcheck source=/dev/null
for _tb_part in fetch build initramfs boot; do source "$TB_DIR/$_tb_part.sh"; done
unset _tb_part

# Everything one kernel needs before its guests boot: the kernel, the test module built
# for it (when its headers exist) and the shared part of the initramfs. Sets KVER,
# KVMLINUZ, TB_BASE_CPIO.
tb_prepare_kernel() { # KERNEL
	# An arm64 suite's lists are read only when one of its kernels runs.
	case $1 in *-arm64) tb_apt_update "$(tb_kernel_suite "$1")" ;; esac
	tb_fetch_kernel "$1"
	if tb_apt "$(tb_kernel_suite "$1")" apt-cache show --no-all-versions "linux-headers-$KVER" >/dev/null 2>&1; then
		if [ "$(tb_kernel_arch "$1")" = arm64 ]; then
			# The cross-build chroot also builds the arm64 guests' tstool.
			tb_fetch_chroot_arm64 "$1" "$(tb_kernel_chroot_suite "$1")" "$KVER"
			tb_build_tstool_arm64
		fi
		tb_build_kmod "$1" "$KVER"
	else
		# The mirror keeps images of older backported series but not their headers:
		# such a kernel runs the scenarios with real NICs only.
		tb_log "$1: no linux-headers-$KVER on the mirror; the test module is not built for it"
		TB_KMOD=
	fi
	tb_base_cpio "$1"
}

# Scenario files, by name.
tb_scenario_file() { printf '%s/scenarios/%s.sh\n' "$TB_DIR" "$1"; }
tb_scenarios() { local f; for f in "$TB_DIR"/scenarios/*.sh; do basename "$f" .sh; done; }
# shellcheck source=/dev/null
tb_scenario_kernels() { ( source "$(tb_scenario_file "$1")"; printf '%s\n' "$KERNELS" ); }
