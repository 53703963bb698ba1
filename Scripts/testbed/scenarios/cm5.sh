# A Raspberry Pi CM5-like port: a MAC with its own clock (macb's names: driver "macb",
# PHC "gem-ptp-timer", tx off/on/onestep-sync, rx none/all, no timestamping counters)
# and a Broadcom BCM54210E PHY (the CM4/CM5 carry its BCM54210PE variant) under
# Debian's own broadcom and bcm-phy-ptp drivers, bound to the test module's emulated
# registers (phy_model=bcm54210e). bcm-phy-ptp sets default_timestamp: the PHY's clock
# is the default provider. Its rx filters are none and ptpv2-event only (any PTPv2
# filter becomes ptpv2-event), it offers onestep-sync and onestep-p2p, and it can read
# its configuration back from 6.19 on. A missed capture leaves the frame in the
# driver's queue: no timestamp, no error, no counter. Debian's 5.10 has no bcm-phy-ptp.
DESCRIPTION="CM5-like: MAC clock + Broadcom BCM54210E PHY clock (real broadcom/bcm-phy-ptp), the PHY the default"
KERNELS="sid bpo-7 trixie bookworm bullseye"
NEEDS_MODULES="broadcom bcm-phy-ptp"
QEMU_ARGS=""
BOOT_TIMEOUT=180

guest_script() {
	cat <<'GUEST'
mkdir -p /var/run
tb_modprobe broadcom
tb_load_testdev phy_model=bcm54210e mac_driver=macb 'mac_clock_name="gem-ptp-timer"' mac_onestep=1 mac_ts_stats=0
tb_up eth0
tb_inspect base eth0
tb_step base check - tsctl check --json eth0
# The precision question: which clock is better is the user's call here (tsctl has no
# table entry for this pair); with --prefer mac the PHY default is a warning.
tb_step base prefer - tsctl check --prefer mac eth0
# What ptp4l does first: SIOCSHWTSTAMP (6.14+: TSCONFIG_SET) without naming a provider,
# asking for the L2 event filter; the PHY driver widens it to ptpv2-event.
tb_set cfg eth0 on ptpv2-l2-event
tb_tx cfg eth0
tb_inspect cfg eth0
tb_step cfg check - tsctl check eth0
# ptp4l as a lone master on the PHY's clock (L2, hardware timestamps): its Sync frames'
# transmit timestamps come back through bcm-phy-ptp's worker.
ptp4l -i eth0 -2 -m --tx_timestamp_timeout=500 >/tmp/ptp4l.log 2>&1 &
PTP4L=$!
sleep 4
kill "$PTP4L" 2>/dev/null
wait "$PTP4L" 2>/dev/null
tb_step ptp4l log - cat /tmp/ptp4l.log
# A capture the PHY misses: bcm-phy-ptp keeps the frame queued and delivers nothing;
# nobody counts it (no counters in the driver, none in this MAC).
echo 1 >/sys/module/tsctl_testdev/parameters/lose_tx
tb_tx lost eth0
tb_step lost show - tsctl show --json eth0
# The next frame is stamped again (its capture matches; the stale frame is dropped).
tb_tx next eth0
if tb_kernel_ge 6 14; then
	tb_step to-mac set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx to-mac eth0
	tb_inspect to-mac eth0
	tb_step to-mac check - tsctl check eth0
	tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-l2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
	tb_step to-phy check - tsctl check eth0
	# The PHY offers onestep-sync: set and read back where the kernel can.
	tb_step onestep set - tsctl set eth0 --source phy --tx onestep-sync --rx ptpv2-event
	tb_inspect onestep eth0
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
base eth0.tsctl.driver = macb
EXPECT
}
