# Brings every part of the test bed into the cache. Sourced by run/shell; each step is
# idempotent and reuses what an earlier run left in $TB_CACHE.
# shellcheck shell=bash

TB_SUITES=(sid trixie-backports trixie bookworm-backports bookworm bullseye)

tb_fetch_lists() {
	local s
	for s in "${TB_SUITES[@]}"; do tb_apt_update "$s"; done
}

# QEMU >= 8 (for -device igb) from bookworm-backports, unpacked into the cache.
tb_fetch_qemu() {
	local dir=$TB_CACHE/qemu debs dep missing=()
	mapfile -t debs < <(tb_download bookworm-backports qemu-system-x86 qemu-system-common qemu-system-data)
	tb_unpack "$dir" "${debs[@]}"
	# Its shared libraries come from the host's own (bookworm) packages.
	for dep in $(dpkg-deb -f "${debs[0]}" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
		case $dep in qemu-* | seabios | ipxe-qemu | "") continue ;; esac
		missing+=("$dep")
	done
	[ ${#missing[@]} -eq 0 ] || tb_ensure_packages "${missing[@]}"
	TB_QEMU=$dir/usr/bin/qemu-system-x86_64
	[ -x "$TB_QEMU" ] || tb_die "no qemu-system-x86_64 in the unpacked qemu-system-x86 package"
	local out
	out=$(QEMU_MODULE_DIR=$dir/usr/lib/x86_64-linux-gnu/qemu "$TB_QEMU" -L "$dir/usr/share/qemu" -version 2>&1) ||
		{ printf '%s\n' "$out" >&2; tb_die "QEMU does not start on this machine"; }
	local major
	major=$(printf '%s\n' "$out" | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
	[ "${major:-0}" -ge 8 ] || tb_die "QEMU $major is too old (need >= 8 for -device igb)"
}

# A kernel (tb_kernel_suite): vmlinuz and its modules, unpacked into kernel/KERNEL/root.
# Sets KVER and KROOT; prints nothing.
tb_fetch_kernel() { # KERNEL
	local suite debs=() ver
	suite=$(tb_kernel_suite "$1")
	ver=$(tb_kernel_release "$1")
	local has
	# (grep -q would close the pipe early: apt-cache dies of SIGPIPE and pipefail says no)
	has() { tb_apt "$suite" apt-cache show --no-all-versions "$1" 2>/dev/null | grep -c "^Package:" >/dev/null; }
	if has "linux-binary-unsigned-$ver" || has "linux-binary-$ver"; then
		# Newer layout: the image package is a metapackage; binary and modules are split.
		# A suite may keep an older series' signed binary without its modules.
		has "linux-modules-$ver" ||
			tb_die "NOT TESTED: kernel $1: the mirror's $suite keeps linux-image-$ver but not linux-modules-$ver (its drivers)"
		local bin=linux-binary-unsigned-$ver
		has "$bin" || bin=linux-binary-$ver
		mapfile -t debs < <(tb_download "$suite" "$bin" "linux-modules-$ver" "linux-base-$ver")
	else
		mapfile -t debs < <(tb_download "$suite" "linux-image-$ver")
	fi
	local dir=$TB_CACHE/kernel/$1
	tb_unpack "$dir/root" "${debs[@]}"
	local vmlinuz
	vmlinuz=$(find "$dir/root/boot" "$dir/root/usr/lib/modules/$ver" "$dir/root/lib/modules/$ver" -maxdepth 1 \
		\( -name "vmlinuz-$ver" -o -name 'vmlinuz*' \) 2>/dev/null | head -n1 || true)
	[ -n "$vmlinuz" ] || tb_die "no vmlinuz in the $suite kernel packages"
	KVER=$ver
	KROOT=$dir/root
	KVMLINUZ=$vmlinuz
	# Module tree: /lib/modules or /usr/lib/modules depending on the release.
	if [ -d "$KROOT/usr/lib/modules/$ver/kernel" ]; then KMODDIR=$KROOT/usr/lib/modules/$ver; else KMODDIR=$KROOT/lib/modules/$ver; fi
	[ -d "$KMODDIR/kernel" ] || tb_die "no module tree in the $suite kernel packages"
	KMODBASE=${KMODDIR%/lib/modules/"$ver"}
	# modules.dep for "modprobe --show-depends" (the packages leave it to depmod).
	if [ ! -s "$KMODDIR/modules.dep" ]; then
		depmod -b "$KMODBASE" "$ver" || tb_die "depmod failed on the $suite kernel"
	fi
}

# Guest userland: busybox, ethtool 7.x and libmnl from sid, ptp4l from bookworm.
tb_fetch_userland() {
	local debs
	mapfile -t debs < <(tb_download sid busybox-static ethtool libmnl0)
	tb_unpack "$TB_CACHE/userland" "${debs[@]}"
	TB_BUSYBOX=$TB_CACHE/userland/usr/bin/busybox
	[ -x "$TB_BUSYBOX" ] || TB_BUSYBOX=$TB_CACHE/userland/bin/busybox
	[ -x "$TB_BUSYBOX" ] || tb_die "no busybox in busybox-static"
	TB_ETHTOOL=$TB_CACHE/userland/usr/sbin/ethtool
	[ -x "$TB_ETHTOOL" ] || tb_die "no usr/sbin/ethtool in the ethtool package"
	tb_fetch_linuxptp
}

# ptp4l for the guests, from bookworm's linuxptp: the guests' glibc is the host's
# (bookworm), which that build links against. Debian's own ptp4l, unchanged.
tb_fetch_linuxptp() {
	local debs
	mapfile -t debs < <(tb_download bookworm linuxptp)
	tb_unpack "$TB_CACHE/linuxptp" "${debs[@]}"
	TB_PTP4L=$TB_CACHE/linuxptp/usr/sbin/ptp4l
	[ -x "$TB_PTP4L" ] || tb_die "no usr/sbin/ptp4l in the linuxptp package"
}

# debootstrap + keyring from sid, unpacked (no install), for the build chroots.
tb_fetch_debootstrap() {
	local debs
	mapfile -t debs < <(tb_download sid debootstrap debian-archive-keyring)
	tb_unpack "$TB_CACHE/debootstrap" "${debs[@]}"
}

# A minimal chroot of SUITE with the compiler and headers that built its kernel; the
# headers may come from EXTRA (a backports suite, whose gcc-N-for-host brings no plain
# "as": binutils is named). Sets CHROOT.
tb_fetch_chroot() { # NAME SUITE KVER [EXTRA]
	local suite=$2 ver=$3 extra=${4:-} dir=$TB_CACHE/chroot/$1
	CHROOT=$dir
	if [ -f "$dir/.ready" ] && [ "$(cat "$dir/.ready")" = "$ver" ]; then return 0; fi
	tb_fetch_debootstrap
	local hdr="linux-headers-$ver"
	tb_rmtree "$dir"; mkdir -p "$(dirname "$dir")"
	tb_log "debootstrap $suite chroot with $hdr (about a minute)"
	local ds=$TB_CACHE/debootstrap
	# debootstrap mounts /proc and /sys in the chroot: in a private mount namespace they
	# go away with it, even when the run is interrupted.
	if ! DEBOOTSTRAP_DIR=$ds/usr/share/debootstrap unshare -m --propagation private \
		"$ds/usr/sbin/debootstrap" --variant=minbase \
		--keyring="$ds/usr/share/keyrings/debian-archive-keyring.gpg" \
		${extra:+--extra-suites="$extra"} \
		--include="make,kmod,xz-utils,binutils,$hdr" "$suite" "$dir" "$(tb_mirror)" \
		>"$TB_CACHE/chroot/$1.log" 2>&1; then
		tail -n 30 "$TB_CACHE/chroot/$1.log" >&2
		[ -f "$dir/debootstrap/debootstrap.log" ] && tail -n 30 "$dir/debootstrap/debootstrap.log" >&2
		tb_die "debootstrap of the $suite build chroot failed"
	fi
	# Keep only what a module build needs.
	rm -rf "$dir/var/cache/apt/archives/"*.deb
	printf '%s\n' "$ver" >"$dir/.ready"
}

# bookworm: the host is bookworm with the kernel's gcc-12; its headers go on the host.
tb_fetch_host_headers() { # KVER
	local ver=$1
	if [ -f "/usr/src/linux-headers-$ver/Makefile" ] && command -v gcc-12 >/dev/null; then return 0; fi
	tb_ensure_packages "linux-headers-$ver" gcc-12 make
}
