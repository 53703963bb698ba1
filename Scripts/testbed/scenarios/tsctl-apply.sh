# tsctl apply against real kernels, on four devices with MAC and PHY PHCs (ndevs=4):
# all four from the MAC to the PHY in one file, the same file again (nothing to do),
# a driver refusal on the 3rd interface (the first two, and the 3rd that the kernel
# switched anyway, must be rolled back), no CAP_NET_ADMIN (nothing changes, exit 6),
# and --keep: the PHY connects in ndo_open and disconnects in ndo_stop (phy_on_open=1,
# as mvpp2 does), so "ip link set down/up" makes the kernel forget the PHY selection;
# tsctl apply --keep must select it again. Before 6.14 only tx/rx can be applied
# (SIOCSHWTSTAMP: to the MAC on 6.12, to the PHY on 6.1, where nothing can be read
# back, so nothing can be verified or rolled back).
#
# PHC indexes: ethN's MAC is 2N, its PHY 2N+1 (each device registers its MAC PHC, then
# its MDIO bus, whose PHY registers its own).
DESCRIPTION="tsctl apply: four interfaces, no-op, rollback on the 3rd, no CAP_NET_ADMIN, --keep across down/up"
KERNELS="sid bpo-7 trixie bookworm bullseye sid-arm64 trixie-arm64 bookworm-arm64"
QEMU_ARGS=""
# Four devices, dozens of commands and two link cycles: 45-120 s under TCG, more when
# the host is busy; the default 120 s cut it off mid-run on a loaded machine.
BOOT_TIMEOUT=300

guest_script() {
	cat <<'GUEST'
IFS4="eth0 eth1 eth2 eth3"
param() { echo "$2" >/sys/module/tsctl_testdev/parameters/$1; }
# file NAME: stdin to /tmp/NAME.toml, and a copy in the results.
file() {
	cat >"/tmp/$1.toml"
	tb_section setup "file:$1" - cat "/tmp/$1.toml"
}
tx_all() { for _i in $IFS4; do tb_tx "$1" "$_i"; done; }
# wait_for SECONDS CMD...: true once CMD succeeds (polled every 0.2 s).
wait_for() {
	_t=$(($1 * 5))
	shift
	until "$@" >/dev/null 2>&1; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || { echo "still not: $*"; return 1; }
		sleep 0.2
	done
}
# active_phc IFACE N: the kernel's active provider is PHC N.
active_phc() { ethtool --get-hwtimestamp-cfg "$1" | grep -q "provider index: $2\$"; }

if tb_kernel_ge 6 14; then
	tb_load_testdev ndevs=4 phy_on_open=1
	for i in $IFS4; do tb_up $i; done
	tb_inspect base $IFS4

	file to-phy <<'EOF'
# Every device from the MAC to its PHY.
version = 1

[defaults]
tx = "on"

[[interface]]
name = "eth0"
source = "phy"
rx = "ptpv2-event"

[[interface]]
name = "eth1"
source = "phy"
rx = "ptpv2-event"

[[interface]]
name = "eth2"
source = "phy"
rx = "ptpv2-event"

[[interface]]
name = "eth3"
source = "phy"
rx = "ptpv2-event"
EOF
	file to-mac <<'EOF'
[[interface]]
name = "eth[0-3]"
source = "mac"
tx = "on"
rx = "all"
EOF
	# With phy_refuse_rx=9 the 3rd entry's PHY refuses ptpv2-l2-event.
	file refused <<'EOF'
[defaults]
tx = "on"

[[interface]]
name = "eth0"
source = "phy"
rx = "ptpv2-event"

[[interface]]
name = "eth1"
source = "phy"
rx = "ptpv2-event"

[[interface]]
name = "eth2"
source = "phy"
rx = "ptpv2-l2-event"

[[interface]]
name = "eth3"
source = "phy"
rx = "ptpv2-event"
EOF
	file keep <<'EOF'
[[interface]]
name = "eth0"
source = "phy"
tx = "on"
rx = "ptpv2-event"
EOF

	# 1. MAC -> PHY on all four.
	tb_step applied apply - tsctl apply /tmp/to-phy.toml
	tx_all applied
	tb_inspect applied $IFS4
	# 2. The same file again: nothing to do, nothing touched.
	tb_step again apply - tsctl apply /tmp/to-phy.toml
	tx_all again
	tb_inspect again $IFS4
	# Back to the MAC (tx on, rx all): the state the failing file must come back to.
	tb_step mac apply - tsctl apply /tmp/to-mac.toml
	tx_all mac
	tb_inspect mac $IFS4
	# 3. The 3rd PHY refuses its filter after the kernel has switched eth2 to it.
	param phy_refuse_rx 9
	tb_step refused apply - tsctl apply /tmp/refused.toml
	param phy_refuse_rx -1
	tx_all refused
	tb_inspect refused $IFS4
	# 5. Without CAP_NET_ADMIN (root otherwise).
	tb_step nocap capeff - tstool nocap grep CapEff /proc/self/status
	tb_step nocap apply - tstool nocap tsctl apply /tmp/to-phy.toml
	tx_all nocap
	tb_inspect nocap $IFS4

	# 4. --keep. Control first: without it, down/up loses the PHY selection.
	tb_step keep-sel apply - tsctl apply /tmp/keep.toml
	tb_tx keep-sel eth0
	tb_inspect keep-sel eth0
	ip link set eth0 down
	tb_up eth0
	tb_tx lost eth0
	tb_inspect lost eth0
	tb_step reselect apply - tsctl apply /tmp/keep.toml
	tsctl apply --keep --interval 1 /tmp/keep.toml >/tmp/keep.log 2>&1 &
	keep_pid=$!
	tb_step kept start - wait_for 10 grep -q keeping /tmp/keep.log
	ip link set eth0 down
	tb_up eth0
	tb_step kept wait - wait_for 10 active_phc eth0 1
	tb_tx kept eth0
	tb_inspect kept eth0
	# While --keep holds eth0, another tsctl is refused at once (busy, exit 13).
	tb_step busy set - tsctl set eth0 --source mac --tx on --rx all
	# Drift without a link event, made by another tool: the 1 s re-check puts the PHY back.
	tb_step drift set - ethtool --set-hwtimestamp-cfg eth0 index 0 qualifier precise tx on rx-filter all
	tb_step redrift wait - wait_for 10 active_phc eth0 1
	tb_tx redrift eth0
	tb_inspect redrift eth0
	tb_step kept alive - kill -0 $keep_pid
	kill $keep_pid
	wait $keep_pid
	tb_step kept keep-log - cat /tmp/keep.log
	# Link events alone (no re-check within the test): down for a second (tsctl sees
	# the PHY gone), up, and the PHY is selected again.
	tsctl apply --keep --interval 600 /tmp/keep.toml >/tmp/keep-event.log 2>&1 &
	keep_pid=$!
	tb_step event start - wait_for 10 grep -q keeping /tmp/keep-event.log
	ip link set eth0 down
	tb_step event gone - wait_for 10 grep -q "not yet" /tmp/keep-event.log
	tb_up eth0
	tb_step event wait - wait_for 10 active_phc eth0 1
	tb_tx event eth0
	tb_inspect event eth0
	tb_step event alive - kill -0 $keep_pid
	kill $keep_pid
	wait $keep_pid
	tb_step event keep-log - cat /tmp/keep-event.log
else
	# Before 6.14: tx/rx only, through SIOCSHWTSTAMP. 6.12 hands it to the MAC, which
	# reads its config back. 6.1's MAC driver passes it on to the PHY, which cannot
	# (SIOCGHWTSTAMP: EOPNOTSUPP), so there tsctl cannot know the current state.
	tb_load_testdev ndevs=4
	for i in $IFS4; do tb_up $i; done
	tb_inspect base $IFS4
	if tb_kernel_ge 6 11; then
		file txrx <<'EOF'
[[interface]]
name = "eth*"
tx = "on"
rx = "all"
EOF
		# With mac_refuse_rx=0 only eth2 (rx none) is refused.
		file refused <<'EOF'
[defaults]
tx = "off"

[[interface]]
name = "eth0"

[[interface]]
name = "eth1"

[[interface]]
name = "eth2"
rx = "none"

[[interface]]
name = "eth3"
EOF
		refuse=mac_refuse_rx n=0
	else
		file txrx <<'EOF'
[[interface]]
name = "eth*"
tx = "on"
rx = "ptpv2-event"
EOF
		# With phy_refuse_rx=9 only eth2 (ptpv2-l2-event) is refused.
		file refused <<'EOF'
[defaults]
tx = "on"

[[interface]]
name = "eth0"
rx = "ptpv2-l4-event"

[[interface]]
name = "eth1"
rx = "ptpv2-l4-event"

[[interface]]
name = "eth2"
rx = "ptpv2-l2-event"

[[interface]]
name = "eth3"
rx = "ptpv2-l4-event"
EOF
		refuse=phy_refuse_rx n=9
	fi
	tb_step applied apply - tsctl apply /tmp/txrx.toml
	tx_all applied
	tb_inspect applied $IFS4
	tb_step again apply - tsctl apply /tmp/txrx.toml
	tx_all again
	tb_inspect again $IFS4
	param $refuse $n
	tb_step refused apply - tsctl apply /tmp/refused.toml
	param $refuse -1
	tx_all refused
	tb_inspect refused $IFS4
	tb_step nocap apply - tstool nocap tsctl apply /tmp/refused.toml
	tx_all nocap
	tb_inspect nocap $IFS4
	if tb_kernel_ge 6 11; then
		# --keep on a state that is already as asked (and readable) sends nothing.
		tsctl apply --keep --interval 1 /tmp/txrx.toml >/tmp/keep.log 2>&1 &
		keep_pid=$!
		tb_step keep start - wait_for 10 grep -q keeping /tmp/keep.log
		sleep 3
		kill $keep_pid
		wait $keep_pid
		tb_step keep keep-log - cat /tmp/keep.log
	fi
fi
for i in $IFS4; do tb_down $i; done
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
# --- 7.x: provider selection --------------------------------------------------------
@sid @bpo-7 base eth0.active.phc_index = 0
@sid @bpo-7 base eth1.tsctl.phcs[owner=tsctl-mdio-1:01].index = 3
@sid @bpo-7 base eth3.tsctl.phcs[owner=tsctl-mdio-3:01].index = 7
@sid @bpo-7 base eth2.active.tx_type = off
# 1. MAC -> PHY on all four, each proven by a stamped frame and tsctl probe.
@sid @bpo-7 applied step:apply.rc = 0
@sid @bpo-7 applied eth0.active.phc_index = 1
@sid @bpo-7 applied eth1.active.phc_index = 3
@sid @bpo-7 applied eth2.active.phc_index = 5
@sid @bpo-7 applied eth3.active.phc_index = 7
@sid @bpo-7 applied eth0.tsctl.active.layer = phy
@sid @bpo-7 applied eth1.tsctl.active.layer = phy
@sid @bpo-7 applied eth2.tsctl.active.layer = phy
@sid @bpo-7 applied eth3.tsctl.active.layer = phy
@sid @bpo-7 applied eth0.active.tx_type = on
@sid @bpo-7 applied eth1.active.tx_type = on
@sid @bpo-7 applied eth2.active.tx_type = on
@sid @bpo-7 applied eth3.active.tx_type = on
@sid @bpo-7 applied eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 applied eth1.active.rx_filter = ptpv2-event
@sid @bpo-7 applied eth2.active.rx_filter = ptpv2-event
@sid @bpo-7 applied eth3.active.rx_filter = ptpv2-event
@sid @bpo-7 applied eth0.tx = phy
@sid @bpo-7 applied eth1.tx = phy
@sid @bpo-7 applied eth2.tx = phy
@sid @bpo-7 applied eth3.tx = phy
@sid @bpo-7 applied eth0.tx_phc = 1
@sid @bpo-7 applied eth1.tx_phc = 3
@sid @bpo-7 applied eth2.tx_phc = 5
@sid @bpo-7 applied eth3.tx_phc = 7
@sid @bpo-7 applied eth0.probe.phc_index = 1
@sid @bpo-7 applied eth1.probe.phc_index = 3
@sid @bpo-7 applied eth2.probe.phc_index = 5
@sid @bpo-7 applied eth3.probe.phc_index = 7
# 2. Again: exit 10, show --json unchanged, the same clock stamps.
@sid @bpo-7 again step:apply.rc = 10
@sid @bpo-7 again step:apply.out ~ nothing to do
@sid @bpo-7 again eth0.tsctl = @applied
@sid @bpo-7 again eth1.tsctl = @applied
@sid @bpo-7 again eth2.tsctl = @applied
@sid @bpo-7 again eth3.tsctl = @applied
@sid @bpo-7 again eth0.tx_phc = @applied
@sid @bpo-7 again eth1.tx_phc = @applied
@sid @bpo-7 again eth2.tx_phc = @applied
@sid @bpo-7 again eth3.tx_phc = @applied
@sid @bpo-7 mac step:apply.rc = 0
@sid @bpo-7 mac eth0.active.phc_index = 0
@sid @bpo-7 mac eth1.active.phc_index = 2
@sid @bpo-7 mac eth2.active.phc_index = 4
@sid @bpo-7 mac eth3.active.phc_index = 6
@sid @bpo-7 mac eth2.active.tx_type = on
@sid @bpo-7 mac eth2.active.rx_filter = all
@sid @bpo-7 mac eth0.tx = mac
@sid @bpo-7 mac eth1.tx = mac
@sid @bpo-7 mac eth2.tx = mac
@sid @bpo-7 mac eth3.tx = mac
# 3. The 3rd refuses (the kernel switched eth2 first): exit 7, all four as before (MAC, tx on, rx all), MAC clocks stamp.
@sid @bpo-7 refused step:apply.rc = 7
@sid @bpo-7 refused step:apply.out ~ eth2: failed: .*ERANGE
@sid @bpo-7 refused step:apply.out ~ eth2: the kernel changed it before refusing
@sid @bpo-7 refused step:apply.out ~ eth2: rolled back, .*now mac ptp4, tx on, rx all
@sid @bpo-7 refused step:apply.out ~ eth1: rolled back, .*now mac ptp2, tx on, rx all
@sid @bpo-7 refused step:apply.out ~ eth0: rolled back, .*now mac ptp0, tx on, rx all
# eth3 was never touched.
@sid @bpo-7 refused step:apply.out ~ ^(?![\s\S]*eth3: (applied|rolled))
@sid @bpo-7 refused eth0.tsctl = @mac
@sid @bpo-7 refused eth1.tsctl = @mac
@sid @bpo-7 refused eth2.tsctl = @mac
@sid @bpo-7 refused eth3.tsctl = @mac
@sid @bpo-7 refused eth0.active.phc_index = 0
@sid @bpo-7 refused eth1.active.phc_index = 2
@sid @bpo-7 refused eth2.active.phc_index = 4
@sid @bpo-7 refused eth3.active.phc_index = 6
@sid @bpo-7 refused eth0.active.rx_filter = all
@sid @bpo-7 refused eth1.active.rx_filter = all
@sid @bpo-7 refused eth2.active.rx_filter = all
@sid @bpo-7 refused eth2.active.tx_type = on
@sid @bpo-7 refused eth0.tx_phc = @mac
@sid @bpo-7 refused eth1.tx_phc = @mac
@sid @bpo-7 refused eth2.tx_phc = @mac
@sid @bpo-7 refused eth3.tx_phc = @mac
@sid @bpo-7 refused eth2.tx = mac
# 5. No CAP_NET_ADMIN: exit 6, nothing changed.
@sid @bpo-7 nocap step:capeff.out ~ CapEff:\s+[0-9a-f]*[02468ace][0-9a-f]{3}$
@sid @bpo-7 nocap step:apply.rc = 6
@sid @bpo-7 nocap step:apply.out ~ CAP_NET_ADMIN
@sid @bpo-7 nocap eth0.tsctl = @mac
@sid @bpo-7 nocap eth1.tsctl = @mac
@sid @bpo-7 nocap eth2.tsctl = @mac
@sid @bpo-7 nocap eth3.tsctl = @mac
@sid @bpo-7 nocap eth0.tx_phc = @mac
@sid @bpo-7 nocap eth3.tx_phc = @mac
# 4. The PHY selection: lost at down/up without --keep, restored with it.
@sid @bpo-7 keep-sel step:apply.rc = 0
@sid @bpo-7 keep-sel eth0.active.phc_index = 1
@sid @bpo-7 keep-sel eth0.tx = phy
@sid @bpo-7 lost eth0.active.phc_index = 0
@sid @bpo-7 lost eth0.tsctl.active.layer = mac
@sid @bpo-7 lost eth0.active.tx_type = off
@sid @bpo-7 lost eth0.tx = none
# The PHY keeps its link topology index across detach and attach.
@sid @bpo-7 lost eth0.phys[0].phy_index = 1
@sid @bpo-7 reselect step:apply.rc = 0
@sid @bpo-7 kept step:start.rc = 0
@sid @bpo-7 kept step:wait.rc = 0
@sid @bpo-7 kept eth0.active.phc_index = 1
@sid @bpo-7 kept eth0.tsctl.active.layer = phy
@sid @bpo-7 kept eth0.active.tx_type = on
@sid @bpo-7 kept eth0.active.rx_filter = ptpv2-event
@sid @bpo-7 kept eth0.tx = phy
@sid @bpo-7 kept eth0.tx_phc = 1
@sid @bpo-7 kept eth0.probe.phc_index = 1
@sid @bpo-7 busy step:set.rc = 13
@sid @bpo-7 busy step:set.out ~ is locked
@sid @bpo-7 drift step:set.rc = 0
@sid @bpo-7 redrift step:wait.rc = 0
@sid @bpo-7 redrift eth0.active.phc_index = 1
@sid @bpo-7 redrift eth0.tx = phy
@sid @bpo-7 kept step:alive.rc = 0
@sid @bpo-7 kept step:keep-log.out ~ re-applied: eth0
# With a 600 s re-check, only link events can have made tsctl notice and re-apply.
@sid @bpo-7 event step:start.rc = 0
@sid @bpo-7 event step:gone.rc = 0
@sid @bpo-7 event step:keep-log.out ~ not yet: .*eth0 has no phy timestamp provider
@sid @bpo-7 event step:wait.rc = 0
@sid @bpo-7 event eth0.active.phc_index = 1
@sid @bpo-7 event eth0.tsctl.active.layer = phy
@sid @bpo-7 event eth0.tx = phy
@sid @bpo-7 event eth0.probe.phc_index = 1
@sid @bpo-7 event step:alive.rc = 0
@sid @bpo-7 event step:keep-log.out ~ re-applied: eth0

# --- 6.12: tx/rx through SIOCSHWTSTAMP (the MAC) --------------------------------------
@trixie base eth2.active.tx_type = off
@trixie applied step:apply.rc = 0
@trixie applied step:apply.out ~ SIOCSHWTSTAMP
@trixie applied eth0.active.tx_type = on
@trixie applied eth1.active.tx_type = on
@trixie applied eth2.active.tx_type = on
@trixie applied eth3.active.tx_type = on
@trixie applied eth0.active.rx_filter = all
@trixie applied eth3.active.rx_filter = all
@trixie applied eth0.tx_phc = 0
@trixie applied eth1.tx_phc = 2
@trixie applied eth2.tx_phc = 4
@trixie applied eth3.tx_phc = 6
@trixie applied eth0.probe.phc_index = 0
@trixie applied eth3.probe.phc_index = 6
@trixie again step:apply.rc = 10
@trixie again step:apply.out ~ nothing to do
@trixie again eth0.tsctl = @applied
@trixie again eth1.tsctl = @applied
@trixie again eth2.tsctl = @applied
@trixie again eth3.tsctl = @applied
@trixie again eth0.tx_phc = @applied
@trixie again eth3.tx_phc = @applied
@trixie refused step:apply.rc = 7
@trixie refused step:apply.out ~ eth2: failed: .*out of range
@trixie refused step:apply.out ~ eth1: rolled back, .*now tx on, rx all
@trixie refused step:apply.out ~ eth0: rolled back, .*now tx on, rx all
@trixie refused step:apply.out ~ ^(?![\s\S]*eth3: (applied|rolled))
@trixie refused eth0.tsctl = @applied
@trixie refused eth1.tsctl = @applied
@trixie refused eth2.tsctl = @applied
@trixie refused eth3.tsctl = @applied
@trixie refused eth0.active.tx_type = on
@trixie refused eth1.active.tx_type = on
@trixie refused eth0.tx_phc = @applied
@trixie refused eth1.tx_phc = @applied
@trixie refused eth2.tx_phc = @applied
@trixie refused eth3.tx_phc = @applied
@trixie nocap step:apply.rc = 6
@trixie nocap eth0.tsctl = @applied
@trixie nocap eth3.tsctl = @applied
@trixie nocap eth1.tx_phc = @applied
@trixie keep step:start.rc = 0
@trixie keep step:keep-log.out ~ ^(?![\s\S]*re-applied)

# --- 6.1: tx/rx through SIOCSHWTSTAMP to the PHY, which cannot read its config back ----
# Nothing can be verified or restored: applied "unverified", never "nothing to do", and
# a refusal leaves what was changed (exit 8, rollback incomplete).
@bookworm @bullseye base eth0.active.state = unavailable
@bookworm @bullseye applied step:apply.rc = 0
@bookworm @bullseye applied step:apply.out ~ eth3: applied, unverified
# 5.10 (Debian's, built without CONFIG_NETWORK_PHY_TIMESTAMPING): the core never hands a frame to
# a PHY's txtstamp, so the PHY reports its clock but stamps nothing (tx none).
@bookworm applied eth0.tx = phy
@bullseye applied eth0.tx = none
@bookworm applied eth1.tx = phy
@bullseye applied eth1.tx = none
@bookworm applied eth2.tx = phy
@bullseye applied eth2.tx = none
@bookworm applied eth3.tx = phy
@bullseye applied eth3.tx = none
@bookworm applied eth0.tx_phc = 1
@bookworm applied eth1.tx_phc = 3
@bookworm applied eth2.tx_phc = 5
@bookworm applied eth3.tx_phc = 7
@bookworm applied eth3.probe.phc_index = 7
@bullseye applied eth3.probe.phc_index = null
@bookworm @bullseye again step:apply.rc = 0
@bookworm @bullseye again step:apply.out ~ eth0: current config unknown -> tx on, rx ptpv2-event
@bookworm @bullseye again eth0.tsctl = @applied
@bookworm @bullseye again eth3.tsctl = @applied
@bookworm again eth2.tx_phc = @applied
@bookworm @bullseye refused step:apply.rc = 8
@bookworm @bullseye refused step:apply.out ~ eth2: failed: .*out of range
@bookworm @bullseye refused step:apply.out ~ eth0: ROLLBACK FAILED: .*never readable
@bookworm refused eth0.tx_phc = @applied
@bookworm refused eth2.tx_phc = @applied
@bookworm refused eth3.tx_phc = @applied
@bookworm @bullseye nocap step:apply.rc = 6
@bookworm @bullseye nocap eth0.tsctl = @applied
@bookworm @bullseye nocap eth3.tsctl = @applied
EXPECT
}
