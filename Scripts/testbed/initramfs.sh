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
	hash=$( (echo "$KVER"; md5sum ${TB_KMOD:+"$TB_KMOD"} "$TB_TSTOOL" "$TB_ETHTOOL" "$TB_BUSYBOX" "$TB_PTP4L" "$(command -v strace)" | cut -d' ' -f1;
		declare -f tb_base_cpio tb_copy_with_libs tb_cpio
		echo "${TB_GUEST_MODULES[*]} ${TB_GUEST_OPTIONAL_MODULES[*]} ${TB_GUEST_MODULE_FEATURES[*]}") | md5sum | cut -d' ' -f1)
	TB_BASE_CPIO=$dir/base-$suite.cpio
	if [ -f "$TB_BASE_CPIO" ] && [ "$(cat "$TB_BASE_CPIO.hash" 2>/dev/null)" = "$hash" ]; then return 0; fi
	mkdir -p "$dir"
	local root=$dir/base-$suite.root
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules}
	install -m 0755 "$TB_BUSYBOX" "$root/bin/busybox"
	tb_copy_with_libs "$root" "$TB_ETHTOOL" "$TB_CACHE/userland/usr/lib/x86_64-linux-gnu"
	install -m 0755 "$TB_TSTOOL" "$root/usr/bin/tstool"
	# ptp4l where Debian installs it, root's like every entry (tsctl trusts a daemon
	# only when its executable is root's, in directories only root can write to).
	tb_copy_with_libs "$root" "$TB_PTP4L" "" usr/sbin
	# The host's strace (x86_64 guests): the faults scenario fails tsctl's system
	# calls with it, tsctl-set holds a request with it.
	case $suite in *-arm64) ;; *) tb_copy_with_libs "$root" "$(command -v strace)" ;; esac
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

# Sets TB_TSCTL_CPIO: the tsctl binary (stripped) and its libraries.
tb_tsctl_cpio() {
	[ -x "$TSCTL_BIN" ] || { TB_TSCTL_CPIO=; return 1; }
	local dir=$TB_CACHE/initramfs hash
	hash=$( (md5sum <"$TSCTL_BIN"; declare -f tb_tsctl_cpio tb_copy_with_libs) | md5sum | cut -d' ' -f1)
	TB_TSCTL_CPIO=$dir/tsctl-$hash.cpio
	[ -f "$TB_TSCTL_CPIO" ] && return 0
	mkdir -p "$dir"
	rm -f "$dir"/tsctl-*.cpio
	local root=$dir/tsctl.root
	rm -rf "$root"; mkdir -p "$root/usr/bin"
	tb_copy_with_libs "$root" "$TSCTL_BIN"
	strip --strip-unneeded "$root/usr/bin/$(basename "$TSCTL_BIN")" 2>/dev/null || true
	[ "$(basename "$TSCTL_BIN")" = tsctl ] || mv "$root/usr/bin/$(basename "$TSCTL_BIN")" "$root/usr/bin/tsctl"
	tb_cpio "$root" "$TB_TSCTL_CPIO"
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
	printf 'TB_SUITE=%s\nTB_MODE=%s\nTB_SCENARIO=%s\n' "$suite" "$mode" "$(basename "$scen" .sh)" >"$root/tb/env"
	tb_cpio "$root" "$out.scenario.cpio"
	rm -rf "$root"
	if [ -n "${TB_TSCTL_CPIO:-}" ]; then
		cat "$TB_BASE_CPIO" "$TB_TSCTL_CPIO" "$out.scenario.cpio" >"$out"
	else
		cat "$TB_BASE_CPIO" "$out.scenario.cpio" >"$out"
	fi
	rm -f "$out.scenario.cpio"
}
