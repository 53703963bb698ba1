# Boots one guest under QEMU (TCG unless TB_ACCEL says otherwise). Sourced by run/shell.
# shellcheck shell=bash

TB_BOOT_TIMEOUT=${TB_BOOT_TIMEOUT:-120}

# tb_boot KVMLINUZ INITRD CONSOLE_LOG DATA_LOG MODE QEMU_ARGS...
# MODE "run": serial console to CONSOLE_LOG, returns QEMU's exit code (124 on timeout).
# MODE "shell": console on this terminal.
# TB_ARCH (amd64, or arm64 for an arm64 kernel) picks qemu-system-x86_64 (q35, qboot)
# or qemu-system-aarch64 (virt: PCIe, two PL011 UARTs, the kernel booted directly).
tb_boot() {
	local kernel=$1 initrd=$2 console=$3 data=$4 mode=$5
	shift 5
	local q=$TB_CACHE/qemu tty=ttyS0
	local -a cmd=(
		"$q/usr/bin/qemu-system-x86_64" -L "$q/usr/share/qemu"
		-accel "${TB_ACCEL:-tcg,thread=multi}" -cpu "${TB_CPU:-max}"
		-machine q35 -bios qboot.rom -m "${TB_MEM:-256}" -smp "${TB_SMP:-2}"
	)
	if [ "${TB_ARCH:-amd64}" = arm64 ]; then
		q=$TB_CACHE/qemu-arm64 tty=ttyAMA0
		cmd=(
			"$q/usr/bin/qemu-system-aarch64" -L "$q/usr/share/qemu"
			-accel "${TB_ACCEL_ARM64:-tcg,thread=multi}" -cpu "${TB_CPU_ARM64:-max}"
			-machine virt -m "${TB_MEM:-256}" -smp "${TB_SMP:-2}"
		)
	fi
	cmd+=(-display none -audio none -nodefaults -no-reboot -kernel "$kernel" -initrd "$initrd")
	rm -f "$console" "$data"
	if [ "$mode" = shell ]; then
		cmd+=(-serial mon:stdio -serial "file:$data" -monitor none
			-append "console=$tty panic=-1 quiet ${TB_APPEND:-}" "$@")
		QEMU_MODULE_DIR=$q/usr/lib/x86_64-linux-gnu/qemu "${cmd[@]}"
		return
	fi
	cmd+=(-monitor none -serial "file:$console" -serial "file:$data"
		-append "console=$tty panic=-1 quiet ${TB_APPEND:-}" "$@")
	local rc=0
	QEMU_MODULE_DIR=$q/usr/lib/x86_64-linux-gnu/qemu timeout --kill-after=5 "$TB_BOOT_TIMEOUT" "${cmd[@]}" \
		</dev/null >"$console.qemu" 2>&1 || rc=$?
	return $rc
}
