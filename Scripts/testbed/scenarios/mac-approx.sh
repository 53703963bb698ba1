# A MAC with two PHCs: one offered as "precise", the other as "approx" (qualifiers, 6.14+).
# Only 7.x among the kernels the bed boots with the test module: qualifiers need 6.14.
DESCRIPTION="MAC precise + MAC approx providers"
KERNELS="sid bpo-7 sid-arm64"
QEMU_ARGS=""

guest_script() {
	cat <<'GUEST'
tb_load_testdev mac_approx=1 phy=0 mac_refuse_rx=1
tb_up eth0
tb_inspect base eth0
tb_set approx eth0 on ntp-all "$(tb_phc 'tsctl_testdev MAC approx')" approx
tb_tx approx eth0
tb_inspect approx eth0
# The MAC refuses "all" (mac_refuse_rx=1): the switch to precise fails half-way.
tb_set refuse eth0 on all "$(tb_phc 'tsctl_testdev MAC')" precise
tb_tx refuse eth0
tb_inspect refuse eth0
# A PTP filter the precise clock does not list is widened to "all" by the driver.
tb_set precise eth0 on ptpv2-event "$(tb_phc 'tsctl_testdev MAC')" precise
tb_tx precise eth0
tb_inspect precise eth0
# The same switches made by tsctl: precise to approx and back, each proven by a
# transmitted frame and by tsctl probe.
tb_step to-approx set - tsctl set eth0 --qualifier approx --tx on --rx ntp-all
tb_tx to-approx eth0
tb_inspect to-approx eth0
tb_step to-approx probe - tsctl probe eth0
tb_step to-precise set - tsctl set eth0 --source mac --qualifier precise --tx on --rx ptpv2-event
tb_tx to-precise eth0
tb_inspect to-precise eth0
tb_step to-precise probe - tsctl probe eth0
tb_down eth0
tb_unload_testdev
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.providers# = 2
base eth0.providers[0].qualifier = precise
base eth0.providers[0].phc_index = 0
base eth0.providers[1].qualifier = approx
base eth0.providers[1].phc_index = 1
base eth0.providers[1].layer = mac
base eth0.providers[1].rx_filters = ["none", "all", "ntp-all"]
base eth0.advertised.qualifier = precise
base eth0.phys# = 0
approx step:set.rc = 0
approx eth0.advertised.qualifier = approx
approx eth0.advertised.phc_index = 1
approx eth0.active.qualifier = approx
approx eth0.active.rx_filter = ntp-all
approx eth0.tsctl.active.qualifier = approx
approx eth0.tx = approx
refuse step:set.rc != 0
refuse step:set.out ~ out of range
# The kernel switched the provider before the driver refused the config: the precise
# provider is now selected, with timestamping off.
refuse eth0.active.phc_index = 0
refuse eth0.active.qualifier = precise
refuse eth0.active.tx_type = off
refuse eth0.tx = none
precise step:set.rc = 0
precise eth0.active.qualifier = precise
precise eth0.active.rx_filter = all
precise eth0.tsctl.active.rx_filter = all
precise eth0.tx = mac
to-approx step:set.rc = 0
to-approx eth0.active.qualifier = approx
to-approx eth0.active.phc_index = 1
to-approx eth0.active.rx_filter = ntp-all
to-approx eth0.tx = approx
to-approx step:probe.rc = 0
to-approx step:probe.out ~ stamped by mac/approx ptp1
to-precise step:set.rc = 0
to-precise eth0.active.qualifier = precise
to-precise eth0.active.phc_index = 0
to-precise eth0.active.rx_filter = all
to-precise eth0.tx = mac
to-precise step:probe.rc = 0
to-precise step:probe.out ~ stamped by mac ptp0
EXPECT
}
