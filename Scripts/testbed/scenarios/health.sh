# Is timestamping really delivered: the driver's counters (get_ts_stats, 6.10+), a
# lost transmit timestamp (lose_tx=N loses the next N), a stopped clock (stop_clocks=1)
# and `tsctl watch` seeing the PHY detach (phy_on_open=1: "ip link set down" detaches
# the PHY, which on 6.14+ also drops a PHY provider selection). On 7.x and on 6.12.
# Not on 6.1 or 5.10: the counters it is about need get_ts_stats (6.10); there `tsctl
# show` says the kernel has no timestamping statistics.
DESCRIPTION="health: TSINFO counters, a lost transmit timestamp, a stopped clock, watch across a PHY detach"
KERNELS="sid bpo-7 trixie sid-arm64 trixie-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
param() { echo "$2" >/sys/module/tsctl_testdev/parameters/$1; }
tb_load_testdev phy_on_open=1
tb_up eth0
tb_set cfg eth0 on all
tb_inspect cfg eth0
tb_step cfg tx - tstool tx eth0
# The next transmit timestamp is lost: tstool waits for it in vain.
param lose_tx 1
tb_step lost tx - tstool tx eth0
tb_inspect lost eth0
tb_step lost show - tsctl show eth0
# tsctl's exchange with the kernel, for the client tests' fixtures (Tests/TsctlNetlinkTests).
tb_step lost trace - sh -c 'TSCTL_NETLINK_TRACE=/tmp/trace tsctl show eth0 >/dev/null && cat /tmp/trace'
tb_step lost check - tsctl check eth0
tb_step lost prom - tsctl check --format prometheus eth0
# Another one lost while check samples for 3 s: now it is an error.
param lose_tx 1
(sleep 1.5; tstool tx eth0 >/dev/null) &
tb_step sample check - tsctl check --sample 3 eth0
wait
# A stopped clock: every PHC of the module returns a frozen time.
param stop_clocks 1
tb_step stopped check - tsctl check eth0
tb_step stopped clocks - tsctl show --clocks --json eth0
param stop_clocks 0
tb_step running clocks - tsctl show --clocks eth0
# watch while the PHY is selected (6.14+) and then detached by link down.
tsctl watch eth0 >/tmp/watch.out 2>&1 &
WATCH=$!
sleep 1
if tb_kernel_ge 6 14; then
	tb_step watch set - tsctl set eth0 --source phy --tx on --rx ptpv2-event
fi
# No event tells of a configuration change: only the poll sees it, so wait more than one.
sleep 2.5
ip link set eth0 down
sleep 1.5
kill -INT $WATCH
wait $WATCH
echo "exit $?" >>/tmp/watch.out
tb_step watch out - cat /tmp/watch.out
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
# The counters, by the kernel's names; one-step is not reported (null, not 0).
cfg eth0.tsctl.ts_stats.state = read
cfg eth0.tsctl.ts_stats.tx_lost = 0
cfg eth0.tsctl.ts_stats.tx_onestep_pkts_unconfirmed = null
lost step:tx.out ~ hw=none
lost eth0.tsctl.ts_stats.tx_lost = 1
lost eth0.tsctl.ts_stats.tx_err = 0
lost eth0.tsctl.ts_stats.tx_pkts = 1
lost step:show.out ~ stats      tx_pkts 1, tx_lost 1, tx_err 0
lost step:check.rc = 0
lost step:check.out ~ warning eth0 lost 1 and failed 0 transmit timestamps .*\[tx-timestamps-lost\]
lost step:prom.out ~ # TYPE tsctl_ts_tx_lost_total counter\ntsctl_ts_tx_lost_total\{device="eth0"\} 1\n
lost step:prom.out ~ tsctl_ts_tx_pkts_total\{device="eth0"\} 1\n
lost step:prom.out ~ tsctl_phc_advancing\{device="eth0",phc="ptp0"\} 1
lost step:prom.out ~ tsctl_phc_info\{device="eth0",phc="ptp0",clock_name="tsctl_testdev MAC"\} 1
sample step:check.rc = 1
sample step:check.out ~ error +eth0 is losing transmit timestamps now: 1 lost and 0 in error in [0-9.]+ s
stopped step:check.rc = 1
stopped step:check.out ~ error +ptp0 "tsctl_testdev MAC" does not advance
stopped step:check.out ~ error +ptp1 "tsctl_testdev PHY PTP" does not advance
stopped step:clocks.out ~ "advances": false
running step:clocks.out ~ ptp0 .* to realtime \(extended\), .* to ptp1, freq \+0 ppb, advancing
running step:clocks.out ~ ptp1 .* \+(2000000000|1999999999)\.\d+ s to ptp0
@sid @bpo-7 watch step:set.rc = 0
@sid @bpo-7 watch step:out.out ~ eth0 active: mac ptp0, tx on, rx all -> phy:1 ptp1, tx on, rx ptpv2-event
@sid @bpo-7 watch step:out.out ~ eth0 active: phy:1 ptp1, tx on, rx ptpv2-event -> mac ptp0, tx off, rx none
watch step:out.out ~ eth0 link: up -> down
watch step:out.out ~ eth0 phys: 1 tsctl_testdev PHY -> none
watch step:out.out ~ exit 0
EXPECT
}
