# tsctl set against real kernels, on the MACCHIATObin-like device: select the PHY and
# back, a config the MAC refuses in the middle of a provider switch (tsctl must put the
# previous provider and config back), "already as asked", --dry-run. Before 6.14 only
# tx/rx can be set; a provider choice is refused as unsupported.
DESCRIPTION="tsctl set: provider switch, refused config and rollback, dry run"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_driver=mvpp2 phy_id=0x01410dd1 'phy_name="Marvell 88E1510"' 'mac_clock_name="Marvell PP2.2"' \
	'phy_clock_name="Marvell 88E151x PTP"'
tb_up eth0
refuse() { echo "$1" >/sys/module/tsctl_testdev/parameters/mac_refuse_rx; }
if tb_kernel_ge 6 14; then
	tb_step to-phy set - tsctl set eth0 --source phy --tx on --rx ptpv2-event
	tb_tx to-phy eth0
	tb_inspect to-phy eth0
	# The MAC refuses "all": the kernel has already switched the provider when the
	# driver says no, so tsctl has to restore the PHY and its config.
	refuse 1
	tb_step refused set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx refused eth0
	tb_inspect refused eth0
	refuse -1
	tb_step to-mac set - tsctl set eth0 --source mac --tx on --rx all
	tb_tx to-mac eth0
	tb_inspect to-mac eth0
	tb_step again set - tsctl set eth0 --source mac --tx on --rx all
	tb_step dry set - tsctl set eth0 --source phy:1 --rx ptpv2-event --dry-run
	tb_tx dry eth0
	tb_inspect dry eth0
	# No tx given: tsctl carries the current tx type over to the new provider.
	tb_step carry set - tsctl set eth0 --source phc:1 --rx ptpv2-l2-event
	tb_tx carry eth0
	tb_inspect carry eth0
	# SIGTERM between the request and its verification: strace holds tsctl for 5 s
	# after the sendto that carries TSCONFIG_SET (genl command 47, "\x2f\x01"; which
	# sendto that is, a first run of the same change says), and the signal is sent
	# once the kernel shows the change. The change is verified and reported, then
	# tsctl exits 143. The release binary has no test hook for this.
	tb_step sigterm record - strace -f -qq -e trace=sendto -o /tmp/sends tsctl set eth0 --source mac --tx on --rx all
	tsctl set eth0 --source phc:1 --tx on --rx ptpv2-l2-event >/dev/null 2>&1
	k=$(grep 'sendto(' /tmp/sends | grep -n '"\\x2f\\x01' | head -1 | cut -d: -f1)
	tb_step sigterm set - sh -c "strace -f -qq -o /dev/null -e trace=sendto -e inject=sendto:delay_exit=5000000:when=${k:-0} \
		tsctl set eth0 --source mac --tx on --rx all >/tmp/sig.out 2>&1 & p=\$!
		i=0; until ethtool --get-hwtimestamp-cfg eth0 | grep -q 'provider index: 0' || [ \$i -ge 100 ]; do
			sleep 0.1; i=\$((i + 1)); done
		kill -TERM \$(pidof tsctl); wait \$p; r=\$?; cat /tmp/sig.out; exit \$r"
	tb_inspect sigterm eth0
else
	# 6.12 advertises and configures the MAC. 6.1 reports the PHY first, and this MAC
	# driver (no mac_keeps_ioctl) passes SIOCSHWTSTAMP on to the PHY.
	if tb_kernel_ge 6 11; then
		rx=all param=mac_refuse_rx n=1
	else
		rx=ptpv2-event param=phy_refuse_rx n=12
	fi
	tb_step txrx set - tsctl set eth0 --tx on --rx $rx
	tb_tx txrx eth0
	tb_inspect txrx eth0
	tb_step source set - tsctl set eth0 --source phy --tx on --rx ptpv2-event
	tb_step none set - tsctl set eth0 --tx on --rx none
	echo $n >/sys/module/tsctl_testdev/parameters/$param
	tb_step refused set - tsctl set eth0 --tx on --rx $rx
	tb_tx refused eth0
	tb_inspect refused eth0
	echo -1 >/sys/module/tsctl_testdev/parameters/$param
fi
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
@sid @bpo-7 to-phy step:set.rc = 0
@sid @bpo-7 to-phy eth0.active.phc_index = 1
@sid @bpo-7 to-phy eth0.active.tx_type = on
@sid @bpo-7 to-phy eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 to-phy eth0.tx = phy
@sid @bpo-7 refused step:set.rc = 7
@sid @bpo-7 refused step:set.out ~ out of range|ERANGE
@sid @bpo-7 refused eth0.active.phc_index = 1
@sid @bpo-7 refused eth0.active.tx_type = on
@sid @bpo-7 refused eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 refused eth0.tx = phy
@sid @bpo-7 to-mac step:set.rc = 0
@sid @bpo-7 to-mac eth0.active.phc_index = 0
@sid @bpo-7 to-mac eth0.active.rx_filter = all
@sid @bpo-7 to-mac eth0.tx = mac
@sid @bpo-7 again step:set.rc = 10
@sid sigterm step:record.rc = 0
@sid sigterm step:set.rc = 143
@sid sigterm step:set.out ~ applied, verified
@sid sigterm step:set.out ~ stopped by SIGTERM after the change above was made and verified
@sid sigterm eth0.active.phc_index = 0
@sid sigterm eth0.active.rx_filter = all
@sid @bpo-7 dry step:set.rc = 0
@sid @bpo-7 dry step:set.out ~ phy
@sid @bpo-7 dry eth0.active.phc_index = 0
@sid @bpo-7 dry eth0.tx = mac
@sid @bpo-7 carry step:set.rc = 0
@sid @bpo-7 carry eth0.active.phc_index = 1
@sid @bpo-7 carry eth0.active.tx_type = on
@sid @bpo-7 carry eth0.active.rx_filter = ptpv2-l2-event
@sid @bpo-7 carry eth0.tx = phy
@trixie @bookworm @bullseye txrx step:set.rc = 0
@trixie txrx eth0.ioctl.tx_type = on
@trixie txrx eth0.ioctl.rx_filter = all
@trixie txrx eth0.tx = mac
# 5.10 (Debian's, built without CONFIG_NETWORK_PHY_TIMESTAMPING): the core never hands a frame to
# a PHY's txtstamp, so the PHY reports its clock but stamps nothing (tx none).
@bookworm txrx eth0.tx = phy
@bullseye txrx eth0.tx = none
@bookworm @bullseye txrx eth0.advertised.layer = phy
@trixie source step:set.rc = 5
# 6.12: the MAC driver answered SIOCGHWTSTAMP, so the ioctl configures the MAC; the PHY
# cannot be chosen (the same verdict set, apply and check give on 6.1's split).
@trixie source step:set.out ~ SIOCSHWTSTAMP configures the MAC
@bookworm @bullseye source step:set.rc = 0
@trixie @bookworm @bullseye none step:set.rc = 0
@trixie @bookworm @bullseye refused step:set.rc != 0
@trixie @bookworm @bullseye refused step:set.out ~ out of range|ERANGE
@trixie refused eth0.ioctl.tx_type = on
@trixie refused eth0.ioctl.rx_filter = none
@trixie refused eth0.tx = mac
@bookworm refused eth0.tx = phy
@bullseye refused eth0.tx = none
EXPECT
}
