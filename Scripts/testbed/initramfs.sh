# Builds the guests' initramfs from three concatenated newc archives:
#   base-SUITE.cpio   busybox, ethtool + libmnl, tstool, ptp4l, glibc, the kernel modules
#   tsctl-HASH.cpio   the tsctl binary and the shared libraries ldd lists for it
#   the scenario's    /init and the scenario's guest script
# Sourced by run/shell.
# shellcheck shell=bash

TB_GUEST_MODULES=(igb e1000e virtio_net virtio_pci 8021q macvlan bonding)
# Real PHY drivers the test module's emulated PHYs bind to, with what they pull in
# (broadcom: bcm-phy-lib and, where the kernel has it, bcm-phy-ptp). Not every kernel
# has them: what a kernel's initramfs got is listed in base-SUITE.modules, and a
# scenario that needs a module the list lacks is not run there (NEEDS_MODULES).
TB_GUEST_OPTIONAL_MODULES=(broadcom micrel)
# What a module can do that its name does not say, as "MODULE/FEATURE STRING": the
# list gets MODULE/FEATURE when the module's binary contains STRING (a PHC's
# clock_name: the driver registers that clock). micrel has LAN8841 PTP from 6.3.
TB_GUEST_MODULE_FEATURES=("micrel/lan8841-ptp lan8841 ptp")

# Copies FILE into ROOT's /usr/bin (or BINDIR), plus every shared library ldd lists
# for it (none for a static executable).
tb_copy_with_libs() { # ROOT FILE [LD_LIBRARY_PATH [BINDIR]]
	local root=$1 file=$2 lp=${3:-} bindir=${4:-usr/bin} lib
	readelf -h "$file" >/dev/null 2>&1 ||
		tb_die "$file is not an ELF executable (is it being rebuilt right now?)"
	install -D -m 0755 "$file" "$root/$bindir/$(basename "$file")"
	readelf -l "$file" 2>/dev/null | grep -q 'INTERP' || return 0
	while read -r lib; do
		[ -n "$lib" ] || continue
		# Keep the guest's path for the loader and the host path for the rest.
		case $lib in
		*/ld-linux-x86-64.so.2) install -D -m 0755 "$(readlink -f "$lib")" "$root/lib64/ld-linux-x86-64.so.2" ;;
		*) install -D -m 0755 "$(readlink -f "$lib")" "$root/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
		esac
	done < <(LD_LIBRARY_PATH=$lp ldd "$file" | awk '/=> \// { print $3 } /^\t\/lib64\// { print $1 }')
	if LD_LIBRARY_PATH=$lp ldd "$file" | grep -q 'not found'; then
		LD_LIBRARY_PATH=$lp ldd "$file" >&2
		tb_die "missing shared libraries for $file"
	fi
}

# The same for an aarch64 FILE: ldd cannot run it here, so the libraries are its
# DT_NEEDED entries (and theirs), taken from LIBDIR (the unpacked arm64 packages).
tb_copy_with_libs_arm64() { # ROOT FILE LIBDIR [BINDIR]
	local root=$1 file=$2 libdir=$3 bindir=${4:-usr/bin} todo=() seen=" " lib
	readelf -h "$file" >/dev/null 2>&1 || tb_die "$file is not an ELF executable"
	install -D -m 0755 "$file" "$root/$bindir/$(basename "$file")"
	readelf -l "$file" 2>/dev/null | grep -q 'INTERP' || return 0
	mapfile -t todo < <(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	while [ ${#todo[@]} -gt 0 ]; do
		lib=${todo[0]}; todo=("${todo[@]:1}")
		case $seen in *" $lib "*) continue ;; esac
		seen+="$lib "
		[ -e "$libdir/$lib" ] || tb_die "$(basename "$file") needs $lib, which is not in $libdir"
		install -D -m 0755 "$(readlink -f "$libdir/$lib")" "$root/lib/aarch64-linux-gnu/$lib"
		mapfile -t -O ${#todo[@]} todo < <(readelf -d "$libdir/$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	done
	# The loader where the executable names it.
	install -D -m 0755 "$(readlink -f "$libdir/ld-linux-aarch64.so.1")" "$root/lib/ld-linux-aarch64.so.1"
}

# Every entry root's (-R 0:0); the base archive also carries "." at 0755, which sets
# the mode of the guest's / (else the rootfs root is world-writable, and tsctl rightly
# distrusts a daemon binary below a directory anyone can write to).
tb_cpio() { # ROOT OUT [include-root]
	local min=1
	[ "${3:-}" = include-root ] && { chmod 0755 "$1"; min=0; }
	(cd "$1" && find . -mindepth $min | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$2.tmp"
	mv "$2.tmp" "$2"
}

# Sets TB_BASE_CPIO for KERNEL (kernel KVER, modules under KMODBASE, test module TB_KMOD
# or none when it is empty).
tb_base_cpio() { # SUITE
	local suite=$1 dir=$TB_CACHE/initramfs hash
	# An arm64 kernel's guests get the arm64 userland.
	local busybox=$TB_BUSYBOX ethtool=$TB_ETHTOOL tstool=$TB_TSTOOL ptp4l=$TB_PTP4L strace
	strace=$(command -v strace)
	if [ "$(tb_kernel_arch "$suite")" = arm64 ]; then
		busybox=$TB_BUSYBOX_ARM64 ethtool=$TB_ETHTOOL_ARM64 tstool=$TB_TSTOOL_ARM64 ptp4l=$TB_PTP4L_ARM64
		strace=$TB_STRACE_ARM64
	fi
	hash=$( (echo "$KVER"; md5sum ${TB_KMOD:+"$TB_KMOD"} "$tstool" "$ethtool" "$busybox" "$ptp4l" "$strace" | cut -d' ' -f1;
		declare -f tb_base_cpio tb_copy_with_libs tb_copy_with_libs_arm64 tb_cpio
		echo "${TB_GUEST_MODULES[*]} ${TB_GUEST_OPTIONAL_MODULES[*]} ${TB_GUEST_MODULE_FEATURES[*]}") | md5sum | cut -d' ' -f1)
	TB_BASE_CPIO=$dir/base-$suite.cpio
	if [ -f "$TB_BASE_CPIO" ] && [ "$(cat "$TB_BASE_CPIO.hash" 2>/dev/null)" = "$hash" ]; then return 0; fi
	mkdir -p "$dir"
	local root=$dir/base-$suite.root
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules}
	install -m 0755 "$busybox" "$root/bin/busybox"
	install -m 0755 "$tstool" "$root/usr/bin/tstool"
	# ptp4l where Debian installs it, root's like every entry (tsctl trusts a daemon
	# only when its executable is root's, in directories only root can write to).
	# strace: the faults scenario fails tsctl's system calls with it, tsctl-set holds a
	# request with it (the host's for x86_64 guests, sid's arm64 one for arm64 guests).
	if [ "$(tb_kernel_arch "$suite")" = arm64 ]; then
		tb_copy_with_libs_arm64 "$root" "$ethtool" "$TB_CACHE/userland-arm64/usr/lib/aarch64-linux-gnu"
		tb_copy_with_libs_arm64 "$root" "$ptp4l" "$TB_CACHE/userland-arm64/usr/lib/aarch64-linux-gnu" usr/sbin
		tb_copy_with_libs_arm64 "$root" "$strace" "$TB_CACHE/userland-arm64/usr/lib/aarch64-linux-gnu"
	else
		tb_copy_with_libs "$root" "$ethtool" "$TB_CACHE/userland/usr/lib/x86_64-linux-gnu"
		tb_copy_with_libs "$root" "$ptp4l" "" usr/sbin
		tb_copy_with_libs "$root" "$strace"
	fi
	printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"

	# Modules: the closure of what the scenarios load, decompressed (busybox modprobe).
	local mroot=$root/lib/modules/$KVER m line path rel optional=()
	mkdir -p "$mroot/extra"
	for m in "${TB_GUEST_OPTIONAL_MODULES[@]}"; do
		modprobe -d "$KMODBASE" -S "$KVER" --show-depends "$m" >/dev/null 2>&1 && optional+=("$m")
	done
	for m in "${TB_GUEST_MODULES[@]}" "${optional[@]}" $([ -z "$TB_KMOD" ] || modinfo -F depends "$TB_KMOD" | tr ',' ' '); do
		while read -r line; do
			case $line in insmod\ *) ;; *) continue ;; esac
			path=$(printf '%s\n' "$line" | awk '{ print $2 }')
			rel=${path#"$KMODDIR"/}
			case $path in
			*.ko.xz) mkdir -p "$mroot/$(dirname "$rel")"; xz -dc "$path" >"$mroot/${rel%.xz}" ;;
			*.ko.zst) mkdir -p "$mroot/$(dirname "$rel")"; zstd -qdc "$path" >"$mroot/${rel%.zst}" ;;
			*.ko) install -D -m 0644 "$path" "$mroot/$rel" ;;
			*) tb_die "unexpected module file $path" ;;
			esac
		done < <(modprobe -d "$KMODBASE" -S "$KVER" --show-depends "$m" 2>/dev/null || tb_die "module $m not found in the $suite kernel")
	done
	[ -z "$TB_KMOD" ] || install -m 0644 "$TB_KMOD" "$mroot/extra/tsctl_testdev.ko"
	for m in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$KMODDIR/$m" ] && cp "$KMODDIR/$m" "$mroot/"
	done
	depmod -b "$root" "$KVER" || tb_die "depmod failed for the $suite initramfs"
	# Every module the guest can load, by name (as modprobe spells it: '-' for '_'),
	# and the features found in them.
	local list=${TB_BASE_CPIO%.cpio}.modules f ko
	find "$mroot" -name '*.ko' -printf '%f\n' | sed 's/\.ko$//; s/_/-/g' | LC_ALL=C sort >"$list"
	for f in "${TB_GUEST_MODULE_FEATURES[@]}"; do
		ko=$(find "$mroot" -name "${f%%/*}.ko" | head -n1)
		[ -n "$ko" ] && grep -aqF -- "${f#* }" "$ko" && echo "${f%% *}" >>"$list"
	done
	tb_cpio "$root" "$TB_BASE_CPIO" include-root
	rm -rf "$root"
	printf '%s\n' "$hash" >"$TB_BASE_CPIO.hash"
}

# Sets TB_TSCTL_CPIO: the tsctl binary (stripped) and its libraries. With "arm64", the
# aarch64 tsctl (TSCTL_BIN_ARM64, static) into TB_TSCTL_CPIO_ARM64.
tb_tsctl_cpio() { # [arm64]
	local bin=$TSCTL_BIN var=TB_TSCTL_CPIO name=tsctl strip=strip
	if [ "${1:-}" = arm64 ]; then
		bin=$TSCTL_BIN_ARM64 var=TB_TSCTL_CPIO_ARM64 name=tsctl_arm64 strip=aarch64-linux-gnu-strip
	fi
	[ -x "$bin" ] || { printf -v "$var" ''; return 1; }
	local dir=$TB_CACHE/initramfs hash out
	hash=$( (md5sum <"$bin"; declare -f tb_tsctl_cpio tb_copy_with_libs) | md5sum | cut -d' ' -f1)
	out=$dir/$name-$hash.cpio
	printf -v "$var" '%s' "$out"
	[ -f "$out" ] && return 0
	mkdir -p "$dir"
	rm -f "$dir/$name"-[0-9a-f]*.cpio
	local root=$dir/$name.root
	rm -rf "$root"; mkdir -p "$root/usr/bin"
	tb_copy_with_libs "$root" "$bin"
	"$strip" --strip-unneeded "$root/usr/bin/$(basename "$bin")" 2>/dev/null || true
	[ "$(basename "$bin")" = tsctl ] || mv "$root/usr/bin/$(basename "$bin")" "$root/usr/bin/tsctl"
	tb_cpio "$root" "$out"
	rm -rf "$root"
}

# Writes the complete initrd for one boot to OUT.
tb_make_initrd() { # SCENARIO_FILE SUITE OUT [shell]
	local scen=$1 suite=$2 out=$3 mode=${4:-run}
	local root=$out.root
	rm -rf "$root"; mkdir -p "$root/tb"
	install -m 0755 "$TB_DIR/guest/init" "$root/init"
	install -m 0644 "$TB_DIR/guest/lib.sh" "$root/tb/lib.sh"
	(
		# shellcheck disable=SC1090
		source "$scen"
		guest_script
	) >"$root/tb/scenario.sh"
	# The results' serial port: the second 16550 on x86_64, the second PL011 on arm64.
	local tty=ttyS1
	[ "$(tb_kernel_arch "$suite")" = arm64 ] && tty=ttyAMA1
	printf 'TB_SUITE=%s\nTB_MODE=%s\nTB_SCENARIO=%s\nTB_DATA_TTY=%s\n' "$suite" "$mode" "$(basename "$scen" .sh)" "$tty" >"$root/tb/env"
	tb_cpio "$root" "$out.scenario.cpio"
	rm -rf "$root"
	local tsctl_cpio=${TB_TSCTL_CPIO:-}
	[ "$(tb_kernel_arch "$suite")" = arm64 ] && tsctl_cpio=${TB_TSCTL_CPIO_ARM64:-}
	if [ -n "$tsctl_cpio" ]; then
		cat "$TB_BASE_CPIO" "$tsctl_cpio" "$out.scenario.cpio" >"$out"
	else
		cat "$TB_BASE_CPIO" "$out.scenario.cpio" >"$out"
	fi
	rm -f "$out.scenario.cpio"
}
