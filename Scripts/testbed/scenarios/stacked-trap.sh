# The control for stacked-igb: proves the trap tsctl avoids is real. On 6.14 up to
# 6.18-rc5 (6.16 never got the fix), TSCONFIG_GET on a VLAN over igb, which configures
# timestamping only through ndo_eth_ioctl there, dereferences NULL in
# generic_hwtstamp_ioctl_lower() (CVE-2025-40255). ethtool asks; the guest oopses with
# the RTNL lock held, so this boot ends by an immediate reboot rather than a power-off
# (igb's shutdown would wait for the lock forever). If it does not oops, the boot fails:
# the trap, or this bed's view of it, has changed.
DESCRIPTION="control: ethtool --get-hwtimestamp-cfg on a VLAN over igb oopses 6.16"
KERNELS="bpo-6.16"
QEMU_ARGS="-netdev user,id=n0 -device igb,netdev=n0,romfile="

guest_script() {
	cat <<'GUEST'
tb_modprobe igb
tb_modprobe 8021q
tb_up eth0
tb_section setup vlan - ip link add link eth0 name eth0.7 type vlan id 7
tb_step trap lower - ethtool --get-hwtimestamp-cfg eth0
# The request never returns when the kernel oopses: run it aside and watch the log.
ethtool --get-hwtimestamp-cfg eth0.7 >/tmp/trap.out 2>&1 &
_n=0
while ! dmesg | grep -q 'generic_hwtstamp_ioctl_lower' && [ $_n -lt 100 ]; do
	sleep 0.2
	_n=$((_n + 1))
done
tb_step trap ethtool - cat /tmp/trap.out
tb_finish
# Let the UART drain, then reset at once (QEMU exits: -no-reboot).
sleep 1
echo b >/proc/sysrq-trigger
GUEST
}

expectations() {
	cat <<'EXPECT'
trap step:lower.rc != 0
trap step:lower.out ~ [Nn]ot supported
trap kernel.oops ~ NULL pointer dereference
trap kernel.oops ~ generic_hwtstamp_ioctl_lower
trap kernel.oops ~ tsconfig_prepare_data
EXPECT
}
