# A MAC with its own clock (the test module's) and a Microchip LAN8841 PHY under
# Debian's own micrel driver, bound to the test module's emulated registers
# (phy_model=lan8841): the driver registers the PHY's clock ("lan8841 ptp", 6.3+) and
# sets default_timestamp, so the PHY is the default provider. The driver reads transmit
# timestamps in its PHY interrupt handler, and the emulated PHY has no interrupt line:
# every transmit timestamp it is asked for times out, as on a board whose PHY interrupt
# is not wired. Read-back of the PHY's configuration from 7.0 on. Debian's 6.1 and 5.10
# micrel have no LAN8841 PTP.
DESCRIPTION="MAC clock + Microchip LAN8841 PHY clock (real micrel), the PHY the default; its transmit timestamps never come (no PHY interrupt)"
KERNELS="sid bpo-7 trixie bookworm bullseye"
NEEDS_MODULES="micrel/lan8841-ptp"
QEMU_ARGS=""
BOOT_TIMEOUT=180

guest_script() {
	cat <<'GUEST'
mkdir -p /var/run
tb_modprobe micrel
tb_load_testdev phy_model=lan8841
tb_up eth0
tb_inspect base eth0
tb_step base check - tsctl check --json eth0
tb_set cfg eth0 on ptpv2-l2-event
tb_tx cfg eth0
tb_inspect cfg eth0
tb_step cfg check - tsctl check eth0
ptp4l -i eth0 -2 -m --tx_timestamp_timeout=100 --logAnnounceInterval=-3 --announceReceiptTimeout=2 \
	--logSyncInterval=-3 >/tmp/ptp4l.log 2>&1 &
PTP4L=$!
sleep 3
kill "$PTP4L" 2>/dev/null
wait "$PTP4L" 2>/dev/null
tb_step ptp4l log - cat /tmp/ptp4l.log
if tb_kernel_ge 6 14; then
	tb_step to-mac set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx to-mac eth0
	tb_inspect to-mac eth0
	tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-l2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
	tb_step to-phy check - tsctl check eth0
else
	tb_step to-phy set - tsctl set eth0 --tx on --rx ptpv2-l2-event
	tb_inspect to-phy eth0
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.tsctl.driver = tsctl_testdev
EXPECT
}
