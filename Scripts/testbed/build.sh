# Builds what goes into the guests: the test module (per kernel, with the compiler
# that built that kernel) and the static tstool helper. Sourced by run/shell.
# shellcheck shell=bash

TB_KMOD_SRC=$TB_REPO/Tests/Testbed/kmod
TB_TOOLS_SRC=$TB_REPO/Tests/Testbed/tools

# Builds tsctl_testdev.ko for SUITE's kernel KVER; sets TB_KMOD to its path.
tb_build_kmod() { # KERNEL KVER
	local suite=$1 ver=$2 out=$TB_CACHE/build/$1 hash
	hash=$( (cat "$TB_KMOD_SRC"/Kbuild "$TB_KMOD_SRC"/*.c; echo "$ver") | md5sum | cut -d' ' -f1)
	TB_KMOD=$out/tsctl_testdev.ko
	if [ -f "$TB_KMOD" ] && [ "$(cat "$out/.hash" 2>/dev/null)" = "$hash" ]; then return 0; fi
	tb_rmtree "$out"; mkdir -p "$out"
	local log=$out/build.log
	tb_log "building tsctl_testdev for $suite ($ver)"
	case $suite in
	*-arm64)
		# Cross-built: the suite's aarch64 gcc of the version that built the kernel, in an
		# amd64 chroot with the arm64 headers unpacked into it (their kbuild tools amd64).
		tb_fetch_chroot_arm64 "$suite" "$(tb_kernel_chroot_suite "$suite")" "$ver"
		local bdir=$CHROOT/build/tsctl_testdev
		tb_rmtree "$bdir"; mkdir -p "$bdir"
		cp "$TB_KMOD_SRC"/Kbuild "$TB_KMOD_SRC"/*.c "$bdir/"
		# shellcheck disable=SC2016 # expanded by the inner sh
		unshare -m --propagation private sh -c '
			mount -t proc proc "$1/proc" && exec chroot "$1" make -C "/usr/src/linux-headers-$2" M=/build/tsctl_testdev \
				ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="$3" modules
		' sh "$CHROOT" "$ver" "$TB_CROSS_CC" >"$log" 2>&1 ||
			{ cat "$log" >&2; tb_die "module build for $suite failed"; }
		cp "$bdir/tsctl_testdev.ko" "$out/"
		# The cross compiler's banner names itself aarch64-linux-gnu-gcc-N where the
		# kernel's says gcc-N; the version (checked when the chroot was made) is the same.
		sed -i '/warning: the compiler differs from the one used to build the kernel/,/^ *You are using: /d' "$log"
		;;
	bookworm)
		# The host is bookworm: its gcc-12 built this kernel.
		tb_fetch_host_headers "$ver"
		cp "$TB_KMOD_SRC"/Kbuild "$TB_KMOD_SRC"/*.c "$out/"
		make -C "/usr/src/linux-headers-$ver" M="$out" CC=gcc-12 modules >"$log" 2>&1 ||
			{ cat "$log" >&2; tb_die "module build for $suite failed"; }
		;;
	*)
		local csuite extra=
		csuite=$(tb_kernel_chroot_suite "$suite")
		[ "$csuite" = "$(tb_kernel_suite "$suite")" ] || extra=$(tb_kernel_suite "$suite")
		tb_fetch_chroot "$suite" "$csuite" "$ver" ${extra:+"$extra"}
		local bdir=$CHROOT/build/tsctl_testdev
		tb_rmtree "$bdir"; mkdir -p "$bdir"
		cp "$TB_KMOD_SRC"/Kbuild "$TB_KMOD_SRC"/*.c "$bdir/"
		# The compiler that built the kernel, by the name the headers recorded (a
		# backported kernel's chroot may have no plain "gcc").
		local cc
		cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ ]*\) .*/\1/p' \
			"$CHROOT/usr/src/linux-headers-$ver/include/config/auto.conf" 2>/dev/null)
		[ -n "$cc" ] && [ -x "$CHROOT/usr/bin/$cc" ] || cc=gcc
		# objtool needs /proc; mount it in a private mount namespace only.
		# shellcheck disable=SC2016 # expanded by the inner sh
		unshare -m --propagation private sh -c '
			mount -t proc proc "$1/proc" && exec chroot "$1" make -C "/usr/src/linux-headers-$2" M=/build/tsctl_testdev CC="$3" modules
		' sh "$CHROOT" "$ver" "$cc" >"$log" 2>&1 ||
			{ cat "$log" >&2; tb_die "module build for $suite failed"; }
		cp "$bdir/tsctl_testdev.ko" "$out/"
		;;
	esac
	if grep -E 'warning:|error:' "$log" >&2; then
		tb_die "module build for $suite printed warnings (see above)"
	fi
	[ -f "$TB_KMOD" ] || tb_die "module build for $suite produced no tsctl_testdev.ko"
	printf '%s\n' "$hash" >"$out/.hash"
}

# tstool: static, built with the host compiler; the guests run it under any kernel.
tb_build_tstool() {
	local out=$TB_CACHE/build/tstool hash
	hash=$(md5sum <"$TB_TOOLS_SRC/tstool.c" | cut -d' ' -f1)
	TB_TSTOOL=$out/tstool
	if [ -x "$TB_TSTOOL" ] && [ "$(cat "$out/.hash" 2>/dev/null)" = "$hash" ]; then return 0; fi
	mkdir -p "$out"
	gcc -static -O2 -Wall -Werror -o "$TB_TSTOOL" "$TB_TOOLS_SRC/tstool.c" ||
		tb_die "cannot build tstool (static glibc: libc6-dev)"
	printf '%s\n' "$hash" >"$out/.hash"
}

# tstool for the arm64 guests: static, with the cross gcc of an arm64 kernel's chroot
# (CHROOT, set by tb_fetch_chroot_arm64). Sets TB_TSTOOL_ARM64.
tb_build_tstool_arm64() {
	local out=$TB_CACHE/build/tstool-arm64 hash
	hash=$(md5sum <"$TB_TOOLS_SRC/tstool.c" | cut -d' ' -f1)
	TB_TSTOOL_ARM64=$out/tstool
	if [ -x "$TB_TSTOOL_ARM64" ] && [ "$(cat "$out/.hash" 2>/dev/null)" = "$hash" ]; then return 0; fi
	mkdir -p "$out" "$CHROOT/build/tstool"
	cp "$TB_TOOLS_SRC/tstool.c" "$CHROOT/build/tstool/"
	chroot "$CHROOT" "$TB_CROSS_CC" -static -O2 -Wall -Werror -o /build/tstool/tstool /build/tstool/tstool.c ||
		tb_die "cannot build tstool for arm64"
	cp "$CHROOT/build/tstool/tstool" "$TB_TSTOOL_ARM64"
	printf '%s\n' "$hash" >"$out/.hash"
}
