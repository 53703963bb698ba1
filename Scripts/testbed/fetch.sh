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

# qemu-system-aarch64 for the arm64 kernels: bookworm-backports' qemu-system-arm with the
# same common and data packages, unpacked into a folder of its own.
tb_fetch_qemu_arm64() {
	local dir=$TB_CACHE/qemu-arm64 debs dep missing=()
	mapfile -t debs < <(tb_download bookworm-backports qemu-system-arm qemu-system-common qemu-system-data)
	tb_unpack "$dir" "${debs[@]}"
	for dep in $(dpkg-deb -f "${debs[0]}" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
		case $dep in qemu-* | seabios | ipxe-qemu | "") continue ;; esac
		missing+=("$dep")
	done
	[ ${#missing[@]} -eq 0 ] || tb_ensure_packages "${missing[@]}"
	TB_QEMU_ARM64=$dir/usr/bin/qemu-system-aarch64
	[ -x "$TB_QEMU_ARM64" ] || tb_die "no qemu-system-aarch64 in the unpacked qemu-system-arm package"
	local out
	out=$(QEMU_MODULE_DIR=$dir/usr/lib/x86_64-linux-gnu/qemu "$TB_QEMU_ARM64" -L "$dir/usr/share/qemu" -version 2>&1) ||
		{ printf '%s\n' "$out" >&2; tb_die "qemu-system-aarch64 does not start on this machine"; }
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

# The arm64 guests' userland, all from sid's arm64 packages with sid's glibc beside them
# (the arm64 tsctl is static; ethtool, ptp4l and strace are Debian's own, unchanged).
tb_fetch_userland_arm64() {
	local debs
	mapfile -t debs < <(tb_download sid-arm64 busybox-static ethtool libmnl0 linuxptp libnettle8t64 strace libc6)
	tb_unpack "$TB_CACHE/userland-arm64" "${debs[@]}"
	local u=$TB_CACHE/userland-arm64
	TB_BUSYBOX_ARM64=$u/usr/bin/busybox
	[ -x "$TB_BUSYBOX_ARM64" ] || TB_BUSYBOX_ARM64=$u/bin/busybox
	[ -x "$TB_BUSYBOX_ARM64" ] || tb_die "no busybox in sid's arm64 busybox-static"
	TB_STRACE_ARM64=$u/usr/bin/strace
	[ -x "$TB_STRACE_ARM64" ] || tb_die "no usr/bin/strace in sid's arm64 strace"
	TB_ETHTOOL_ARM64=$u/usr/sbin/ethtool
	TB_PTP4L_ARM64=$u/usr/sbin/ptp4l
	{ [ -x "$TB_ETHTOOL_ARM64" ] && [ -x "$TB_PTP4L_ARM64" ]; } || tb_die "no usr/sbin/ethtool or usr/sbin/ptp4l in sid's arm64 packages"
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

# The chroot that cross-builds the test module for an arm64 kernel KVER of SUITE: an amd64
# SUITE with the aarch64 gcc of the version that built the kernel, the kernel's kbuild
# tools (amd64) and its arm64 headers unpacked over it. Sets CHROOT and TB_CROSS_CC.
tb_fetch_chroot_arm64() { # NAME SUITE KVER
	local suite=$2 ver=$3 dir=$TB_CACHE/chroot/$1 deps gcc kbuild hdrs=() debs
	deps=$(tb_apt "$suite-arm64" apt-cache depends "linux-headers-$ver" 2>/dev/null | sed -n 's/^ *Depends: //p')
	gcc=$(sed -n 's/^\(linux-compiler-\)\{0,1\}gcc-\([0-9][0-9]*\).*/\2/p' <<<"$deps" | head -n1)
	kbuild=$(grep -m1 '^linux-kbuild-' <<<"$deps") || true
	{ [ -n "$gcc" ] && [ -n "$kbuild" ]; } || tb_die "cannot tell the compiler or kbuild of linux-headers-$ver ($suite arm64)"
	hdrs=("linux-headers-$ver")
	mapfile -t -O 1 hdrs < <(grep '^linux-headers-' <<<"$deps")
	CHROOT=$dir TB_CROSS_CC=aarch64-linux-gnu-gcc-$gcc
	if [ -f "$dir/.ready" ] && [ "$(cat "$dir/.ready")" = "$ver" ]; then return 0; fi
	mapfile -t debs < <(tb_download "$suite-arm64" "${hdrs[@]}")
	tb_fetch_debootstrap
	tb_rmtree "$dir"; mkdir -p "$(dirname "$dir")"
	tb_log "debootstrap $suite chroot with gcc-$gcc-aarch64-linux-gnu and $kbuild (about a minute)"
	local ds=$TB_CACHE/debootstrap
	if ! DEBOOTSTRAP_DIR=$ds/usr/share/debootstrap unshare -m --propagation private \
		"$ds/usr/sbin/debootstrap" --variant=minbase \
		--keyring="$ds/usr/share/keyrings/debian-archive-keyring.gpg" \
		--include="make,kmod,xz-utils,binutils,gcc-$gcc-aarch64-linux-gnu,libc6-dev-arm64-cross,$kbuild" "$suite" "$dir" "$(tb_mirror)" \
		>"$TB_CACHE/chroot/$1.log" 2>&1; then
		tail -n 30 "$TB_CACHE/chroot/$1.log" >&2
		[ -f "$dir/debootstrap/debootstrap.log" ] && tail -n 30 "$dir/debootstrap/debootstrap.log" >&2
		tb_die "debootstrap of the $suite cross-build chroot failed"
	fi
	rm -rf "$dir/var/cache/apt/archives/"*.deb
	local d
	# Through the chroot's /lib -> usr/lib (older headers packages ship lib/modules/...):
	# a plain dpkg-deb -x would replace that link with a directory.
	for d in "${debs[@]}"; do
		dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$dir" ||
			tb_die "cannot unpack $(basename "$d") into the $suite chroot"
	done
	[ -f "$dir/usr/src/linux-headers-$ver/Makefile" ] || tb_die "no /usr/src/linux-headers-$ver/Makefile after unpacking ${hdrs[*]}"
	# The same gcc release as the kernel's (the banner's last word, e.g. 16.2.0).
	local want got
	want=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}.* \([0-9][0-9.]*\)"\{0,1\}$/\1/p' "$dir/usr/src/linux-headers-$ver/include/config/auto.conf")
	got=$(chroot "$dir" "$TB_CROSS_CC" -dumpfullversion 2>/dev/null)
	{ [ -n "$want" ] && [ "$want" = "$got" ]; } || tb_die "the $suite cross gcc is $got, the arm64 kernel $ver was built with gcc $want"
	printf '%s\n' "$ver" >"$dir/.ready"
}

# bookworm: the host is bookworm with the kernel's gcc-12; its headers go on the host.
tb_fetch_host_headers() { # KVER
	local ver=$1
	if [ -f "/usr/src/linux-headers-$ver/Makefile" ] && command -v gcc-12 >/dev/null; then return 0; fi
	tb_ensure_packages "linux-headers-$ver" gcc-12 make
}
