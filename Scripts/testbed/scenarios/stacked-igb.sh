# igb with a VLAN and a macvlan on it, and e1000e as the active slave of a bond. On 6.16 (trixie-backports) igb is an
# unconverted driver: TSCONFIG answers EOPNOTSUPP, SIOC[GS]HWTSTAMP work, and TSCONFIG_GET
# on a device stacked on it oopses (CVE-2025-40255; stacked-trap proves it). Every tsctl
# command runs with the stacked devices present and the kernel log must stay clean: tsctl
# reads and sets igb through the ioctls, reads the stacked devices through igb, refuses
# to choose igb's provider or to change a stacked device, and configures the converted
# e1000e through TSCONFIG. On 7.x (fixed, igb converted) the same commands are the guard
# of the ordinary path. ethtool --get-hwtimestamp-cfg is never run on a stacked device.
DESCRIPTION="igb + VLAN + macvlan, e1000e + bond: no TSCONFIG to stacked devices where it oopses; igb through the ioctls"
KERNELS="bpo-6.16 sid bpo-7 sid-arm64"
QEMU_ARGS="-netdev user,id=n0 -device igb,netdev=n0,romfile= -netdev user,id=n1 -device e1000e,netdev=n1,romfile="
# About 40 commands and six inspections: 80-105 s under TCG with two guests at a time.
BOOT_TIMEOUT=240

guest_script() {
	cat <<'GUEST'
tb_modprobe igb
tb_modprobe e1000e
tb_modprobe 8021q
tb_modprobe macvlan
tb_up eth0
tb_up eth1
tb_section setup vlan - ip link add link eth0 name eth0.7 type vlan id 7
tb_section setup macvlan - ip link add link eth0 name mv0 type macvlan mode bridge
tb_section setup vlan-up - ip link set eth0.7 up
tb_section setup macvlan-up - ip link set mv0 up
# An active-backup bond with e1000e as its only slave: its active slave is eth1.
tb_modprobe bonding max_bonds=0
tb_section setup bond - ip link add bond0 type bond
tb_section setup bond-mode - sh -c 'echo active-backup >/sys/class/net/bond0/bonding/mode && echo 100 >/sys/class/net/bond0/bonding/miimon'
ip link set eth1 down
tb_section setup bond-slave - sh -c 'echo +eth1 >/sys/class/net/bond0/bonding/slaves'
tb_up bond0
tb_section setup bond-active - cat /sys/class/net/bond0/bonding/active_slave
# Reading: show (named, all, JSON, text), check, check --probe.
tb_inspect base eth0 eth1
tb_step base show - tsctl show
tb_step base show-all - tsctl show --all
tb_step base vlan - tsctl show --json eth0.7
tb_step base macvlan - tsctl show mv0
tb_step base bond - tsctl show bond0
tb_step base check - tsctl check
tb_step base check-json - tsctl check --json eth0.7 mv0
tb_step base check-probe - tsctl check --probe eth0
# Setting igb: tx/rx through SIOCSHWTSTAMP, read back.
tb_step igb set - tsctl set eth0 --tx on --rx ptpv2-event
tb_tx igb eth0
tb_inspect igb eth0
tb_step igb vlan - tsctl show --json eth0.7
tb_step igb check-probe - tsctl check --probe eth0
tb_step igb source - tsctl set eth0 --source mac --tx on --rx ptpv2-event
tb_step igb refused - tsctl set eth0 --tx on --rx all
tb_step igb stacked - tsctl set eth0.7 --tx off --rx none
tb_step igb bond - tsctl set bond0 --tx on --rx all
tb_step igb dry - tsctl set eth0 --tx off --rx none --dry-run
tb_inspect igb-after eth0
# apply: igb back to off through the ioctl, e1000e through TSCONFIG, in one file.
cat >/tmp/state.toml <<'TOML'
[[interface]]
name = "eth0"
tx = "off"
rx = "none"

[[interface]]
name = "eth1"
tx = "on"
rx = "all"
TOML
tb_step apply apply - tsctl apply /tmp/state.toml
tb_step apply again - tsctl apply /tmp/state.toml
tb_inspect apply eth0 eth1
# e1000e (converted): set through TSCONFIG.
tb_step e1000e set - tsctl set eth1 --tx on --rx none
tb_inspect e1000e eth1
tb_step final show-all - tsctl show --all --json
tb_step final check - tsctl check --probe
GUEST
}

expectations() {
	cat <<'EXPECT'
base eth0.tsctl.driver = igb
base eth1.tsctl.driver = e1000e
base eth0.tsctl.active.state = configured
base eth0.tsctl.active.tx_type = off
base eth0.tsctl.active.rx_filter = none
base eth1.tsctl.active.read_via = tsconfig
base step:show-all.rc = 0
base step:show-all.out ~ eth0\.7
base step:show-all.out ~ mv0
# A stacked device says what it sits on.
base step:show-all.out ~ eth0\.7 \(vlan on eth0, ifindex \d+\)
base step:show-all.out ~ mv0 \(macvlan on eth0, ifindex \d+\)
# The lower device's MAC clock has the layer its provider has (not null).
base step:vlan.out ~ "present": true,\s+"layer": "mac"
base step:bond.out ~ bond0 \(bond, active slave eth1, ifindex \d+\)
@bpo-6.16 igb step:stacked.out ~ eth0\.7 is a vlan on eth0: on this kernel
base step:vlan.rc = 0
base step:macvlan.rc = 0
base step:check.rc != 2
base step:check-json.rc != 2
base step:check-probe.rc = 0
@bpo-6.16 base eth0.active.read_via = ioctl
@bpo-6.16 base eth0.tsctl.active.read_via = ioctl
@bpo-6.16 base eth0.tsctl.active.read_from = null
@bpo-6.16 base step:vlan.out ~ "read_from": "eth0"
@bpo-6.16 base step:vlan.out ~ "read_via": "ioctl"
@bpo-6.16 base step:show-all.out ~ via lower eth0: tx off, rx none
@bpo-6.16 base step:show-all.out ~ SIOCGHWTSTAMP: the driver does not answer TSCONFIG_GET
@bpo-6.16 base step:macvlan.out ~ via lower eth0
base step:bond.rc = 0
@bpo-6.16 base step:bond.out ~ via active slave eth1: mac ptp1
@sid @bpo-7 base eth0.tsctl.active.read_via = tsconfig
@sid @bpo-7 base step:vlan.out ~ "read_from": null
igb step:set.rc = 0
@bpo-6.16 igb step:set.out ~ applied through SIOCSHWTSTAMP, verified by read back \(SIOCGHWTSTAMP\)
igb step:set.out ~ verified by read back
igb eth0.active.tx_type = on
igb eth0.active.rx_filter = ptpv2-event
igb eth0.tsctl.active.tx_type = on
igb eth0.tsctl.active.rx_filter = ptpv2-event
igb eth0.ioctl.tx_type = on
igb eth0.tx_phc = 0
igb eth0.probe.layer = mac
@bpo-6.16 igb step:vlan.out ~ "tx_type": "on"
igb step:check-probe.rc = 0
# 6.16's igb takes only SIOCSHWTSTAMP: the MAC that answered SIOCGHWTSTAMP is the
# layer it configures, so naming it is allowed (and already so).
@bpo-6.16 igb step:source.rc = 10
@bpo-6.16 igb step:source.out ~ nothing to change \(mac ptp0, tx on, rx ptpv2-event\)
@sid @bpo-7 igb step:source.rc = 10
igb step:refused.rc = 5
igb step:refused.out ~ rx all is not supported by mac ptp0
@bpo-6.16 igb step:stacked.rc = 5
@bpo-6.16 igb step:stacked.out ~ CVE-2025-40255
@bpo-6.16 igb step:bond.rc = 5
@bpo-6.16 igb step:bond.out ~ configure eth1 instead
@bpo-6.16 igb step:dry.rc = 0
@bpo-6.16 igb step:dry.out ~ one SIOCSHWTSTAMP
# On 7.x the VLAN passed tx off, rx none down to eth0: the dry run exits as the real
# run would, nothing to do.
@sid @bpo-7 igb step:dry.rc = 10
@sid @bpo-7 igb step:dry.out ~ eth0: nothing to change \(mac ptp0, tx off, rx none\); nothing sent
@bpo-6.16 igb-after eth0.tsctl.active.tx_type = on
@bpo-6.16 igb-after eth0.tsctl.active.rx_filter = ptpv2-event
# 7.x: TSCONFIG_SET on the VLAN configures igb below it, and on the bond its active
# slave (the bond sets bonded-phc-index), so the file then finds nothing to do.
@sid @bpo-7 igb step:stacked.rc = 0
@sid @bpo-7 igb-after eth0.tsctl.active.tx_type = off
@sid @bpo-7 igb-after eth0.tsctl.active.rx_filter = none
@sid @bpo-7 igb step:bond.rc = 0
@sid @bpo-7 igb-after eth0.ioctl.tx_type = off
@bpo-6.16 apply step:apply.rc = 0
@sid @bpo-7 apply step:apply.rc = 10
@sid @bpo-7 apply eth1.tsctl.active.flags = ["bonded-phc-index"]
apply step:again.rc = 10
apply eth0.tsctl.active.tx_type = off
apply eth0.tsctl.active.rx_filter = none
apply eth0.ioctl.tx_type = off
apply eth1.tsctl.active.tx_type = on
apply eth1.tsctl.active.rx_filter = all
e1000e step:set.rc = 0
e1000e step:set.out ~ verified by read back
e1000e eth1.tsctl.active.read_via = tsconfig
e1000e eth1.active.tx_type = on
e1000e eth1.active.rx_filter = none
final step:show-all.rc = 0
final step:check.rc != 2
EXPECT
}
