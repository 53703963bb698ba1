"""Tests of the test bed's comparator (Scripts/testbed/compare.py) on results captured
from real guests (fixtures/*.log: 7.2 with MACCHIATObin-like names, 6.1 with the MAC
keeping SIOCSHWTSTAMP, 6.12 with a default PHY, 7.2 with a VLAN over an active
PHY, 7.2 with the real bcm-phy-ptp on the emulated BCM54210E), unchanged and with one thing broken
at a time. The comparator is what makes the bed fail, so each way it must fail is
checked here.

    python3 -m unittest discover -s Tests/Testbed -p 'test_*.py'
"""

import json
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Scripts", "testbed"))
import compare  # noqa: E402

FIX = os.path.join(HERE, "fixtures")


def read(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


def problems_for(log_text, expect_text, suite):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "data.log")
        with open(log, "w", encoding="utf-8") as f:
            f.write(log_text)
        boot = compare.Boot(log)
        problems = []
        compare.check_boot(boot, problems)
        if boot.meta:
            compare.compare_boot(boot, problems)
            compare.check_expectations(boot, suite, expect_text.splitlines(), problems)
        return problems


def replace_in_section(text, phase, name, iface, fn):
    """Applies fn to the body of one section."""
    begin = f"@@TB BEGIN {phase} {name} {iface}\n"
    start = text.index(begin) + len(begin)
    end = text.index(f"@@TB END {phase} {name} {iface} rc=", start)
    return text[:start] + fn(text[start:end]) + text[end:]


def edit_tsctl_json(text, phase, iface, edit):
    def fn(body):
        doc = json.loads(body)
        edit(doc["interfaces"][0])
        return json.dumps(doc, indent=2) + "\n"
    return replace_in_section(text, phase, "tsctl", iface, fn)


class RealBoots(unittest.TestCase):
    def test_captured_boots_pass(self):
        for name, suite in (("macchiatobin-sid", "sid"), ("macchiatobin-bookworm", "bookworm"),
                            ("mac-phy-phy-default-trixie", "trixie")):
            with self.subTest(name):
                self.assertEqual(problems_for(read(name + ".log"), read(name + ".expect"), suite), [])


class TsctlDisagrees(unittest.TestCase):
    log = read("macchiatobin-sid.log")

    def assertFound(self, text, pattern, suite="sid", expect=""):
        problems = problems_for(text, expect, suite)
        self.assertTrue(any(re.search(pattern, p) for p in problems),
                        f"no problem matching {pattern!r} in {problems}")

    def test_advertised_phc(self):
        t = edit_tsctl_json(self.log, "base", "eth0", lambda i: i["advertised"].update(phc_index=1))
        self.assertFound(t, r"base eth0\.advertised\.phc_index: ethtool 0, tsctl 1")

    def test_provider_layer(self):
        t = edit_tsctl_json(self.log, "phy", "eth0", lambda i: i["providers"][1].update(layer="mac"))
        self.assertFound(t, r"phy eth0\.providers\[1\]\.layer: ethtool 'phy', tsctl 'mac'")

    def test_provider_missing(self):
        t = edit_tsctl_json(self.log, "base", "eth0", lambda i: i["providers"].pop())
        self.assertFound(t, r"base eth0\.providers: ethtool's dump lists 2")

    def test_rx_filter_names(self):
        t = edit_tsctl_json(self.log, "base", "eth0",
                            lambda i: i["providers"][0].update(rx_filters=["none"]))
        self.assertFound(t, r"providers\[0\]\.rx_filters")

    def test_active_config(self):
        t = edit_tsctl_json(self.log, "ioctl", "eth0", lambda i: i["active"].update(tx_type="off"))
        self.assertFound(t, r"ioctl eth0\.active\.tx_type: kernel 'on', tsctl 'off'")

    def test_active_provider_flag(self):
        def both_active(i):
            for p in i["providers"]:
                p["active"] = True
        t = edit_tsctl_json(self.log, "base", "eth0", both_active)
        self.assertFound(t, r"tsctl marks .* active")

    def test_phy_driver(self):
        t = edit_tsctl_json(self.log, "base", "eth0", lambda i: i["phys"][0].update(driver="genphy"))
        self.assertFound(t, r"phys\[0\]\.driver: ethtool 'Marvell 88E1510', tsctl 'genphy'")

    def test_all_differs_from_single(self):
        t = edit_tsctl_json(self.log, "base", "eth0", lambda i: i.update(driver="other"))
        self.assertFound(t, r"show --json eth0 and show --all --json differ")

    def test_tsctl_missing(self):
        t = replace_in_section(self.log, "base", "tsctl", "eth0", lambda b: "sh: tsctl: not found\n")
        t = t.replace("@@TB END base tsctl eth0 rc=0", "@@TB END base tsctl eth0 rc=127")
        self.assertFound(t, r"tsctl show printed no JSON \(rc=127\)")

    def test_tsctl_fails(self):
        t = self.log.replace("@@TB END base tsctl eth0 rc=0", "@@TB END base tsctl eth0 rc=1")
        self.assertFound(t, r"tsctl show exited with 1")


class OldKernels(unittest.TestCase):
    def test_61_active_from_ioctl(self):
        log = read("macchiatobin-bookworm.log")
        t = edit_tsctl_json(log, "ioctl", "eth0", lambda i: i["active"].update(rx_filter="none"))
        problems = problems_for(t, "", "bookworm")
        self.assertIn("ioctl eth0.active.rx_filter: kernel 'all', tsctl 'none'", problems)

    def test_612_layer_from_sysfs(self):
        # 6.12 states no source: the PHC's owner (an MDIO device) says "phy".
        log = read("mac-phy-phy-default-trixie.log")
        t = edit_tsctl_json(log, "base", "eth0", lambda i: i["advertised"].update(layer="mac"))
        problems = problems_for(t, "", "trixie")
        self.assertTrue(any("the PHC's owner in sysfs says 'phy'" in p for p in problems), problems)

    def test_612_unknown_layer_is_allowed(self):
        log = read("mac-phy-phy-default-trixie.log")
        t = edit_tsctl_json(log, "base", "eth0", lambda i: i["advertised"].update(layer=None))
        self.assertFalse(any("advertised.layer" in p for p in problems_for(t, "", "trixie")))


class StackedOverPhy(unittest.TestCase):
    """7.2: a VLAN on eth0 whose PHY provider is active. The kernel answers TSINFO on the
    VLAN with source netdev ("MAC" in ethtool -T) and PHY index 1; the PHY's clock (owned
    by the MDIO device) stamped tstool's frame. Only the phase with the PHY is kept."""
    log = read("stacked-over-phy-sid.log")
    expect = "phy vl7.tx = phy\nphy vl7.tsctl.advertised.layer = phy\nphy vl7.tsctl.advertised.phy_index = 1\n"

    def test_captured_boot_passes(self):
        self.assertEqual(problems_for(self.log, self.expect, "sid"), [])

    def test_source_netdev_alone_is_not_taken(self):
        t = edit_tsctl_json(self.log, "phy", "vl7", lambda i: i["advertised"].update(layer="mac", phy_index=None))
        problems = problems_for(t, "", "sid")
        self.assertIn("phy vl7.advertised.layer: ethtool 'phy', tsctl 'mac'", problems)
        self.assertIn("phy vl7.advertised.phy_index: ethtool 1, tsctl None", problems)


class BootProblems(unittest.TestCase):
    log = read("macchiatobin-sid.log")

    def test_kernel_warning(self):
        t = self.log.replace("@@TB END final dmesg", "[   9.1] WARNING: CPU: 0 PID: 1 at x.c:1\n@@TB END final dmesg")
        self.assertTrue(any("kernel log has warnings" in p for p in problems_for(t, "", "sid")))

    def test_unfinished(self):
        t = self.log.replace("@@TB DONE", "")
        self.assertTrue(any("did not finish" in p for p in problems_for(t, "", "sid")))

    def test_no_output(self):
        self.assertTrue(any("wrote no results" in p for p in problems_for("", "", "sid")))

    def test_setup_failure(self):
        t = self.log.replace("@@TB END setup insmod:tsctl_testdev - rc=0",
                             "@@TB END setup insmod:tsctl_testdev - rc=1")
        self.assertTrue(any("setup step insmod:tsctl_testdev" in p for p in problems_for(t, "", "sid")))

    def test_rmmod_failure(self):
        t = self.log.replace("@@TB END final rmmod:tsctl_testdev - rc=0",
                             "@@TB END final rmmod:tsctl_testdev - rc=1")
        self.assertTrue(any("rmmod:tsctl_testdev failed" in p for p in problems_for(t, "", "sid")))


class Expectations(unittest.TestCase):
    log = read("macchiatobin-sid.log")

    def check(self, line, suite="sid"):
        return problems_for(self.log, line, suite)

    def test_paths(self):
        good = [
            "base eth0.providers# = 2",
            "base eth0.providers[layer=phy].phy_index = 1",
            "base eth0.providers[1].qualifier = precise",
            "base eth0.advertised.tx_types = [\"off\", \"on\"]",
            "base ptp[clock_name=Marvell 88E151x PTP].index = 1",
            "base eth0.tsctl.phcs[clock_name=Marvell PP2.2].owner_bus = platform",
            "phy eth0.tx = phy",
            "mac eth0.tx = mac",
            "phy step:set.rc = 0",
            "base eth0.ioctl.phc_index = 0",
            "base eth0.active.state = configured",
            "base eth0.advertised.layer != phy",
            "base eth0.phys[0].driver ~ ^Marvell",
            "@bookworm base eth0.providers# = 7",
            "# a comment",
        ]
        self.assertEqual(self.check("\n".join(good)), [])

    def test_false_expectations_fail(self):
        for line in ("base eth0.providers# = 3", "phy eth0.tx = mac", "base eth0.nosuch = 1",
                     "@sid base eth0.advertised.layer = phy", "base eth0.phys[0].driver ~ ^Broadcom"):
            with self.subTest(line):
                self.assertEqual(len(self.check(line)), 1)

    def test_malformed(self):
        (p,) = self.check("base eth0.providers#")
        self.assertIn("malformed", p)

    def test_same_as_other_phase(self):
        good = [
            "ioctl eth0.tsctl.providers = @base",
            "mac eth0.tsctl.phys = @base",
            "phy eth0.tsctl.active != @base",
            "phy eth0.tx != @mac",
            "phy eth0.tsctl.phcs# = @mac",
        ]
        self.assertEqual(self.check("\n".join(good)), [])

    def test_other_phase_mismatch_names_the_fields(self):
        (p,) = self.check("phy eth0.tsctl = @base")
        self.assertIn("eth0.tsctl.advertised.phc_index (0 there, 1 here)", p)
        self.assertIn("eth0.tsctl.providers[0].active (true there, false here)", p)
        (p,) = self.check("phy eth0.tx = @mac")
        self.assertIn('"phy"', p)

    def test_other_phase_missing(self):
        (p,) = self.check("base eth0.tsctl.active = @nosuch")
        self.assertIn("phase nosuch has no eth0.tsctl.active", p)


class EthtoolText(unittest.TestCase):
    def test_provider_layout(self):
        text = ("Time stamping parameters for eth0:\nCapabilities:\n\thardware-transmit\n"
                "Hardware timestamp provider index: 2\n"
                "Hardware timestamp provider qualifier: Precise (IEEE 1588 quality)\n"
                "Hardware timestamp source: PHY\nHardware timestamp source PHY index: 1\n"
                "Hardware Transmit Timestamp Modes:\n\toff\n\ton\n"
                "Hardware Receive Filter Modes:\n\tnone\n\tptpv2-event\n")
        (b,) = compare.parse_ethtool_blocks(text, "Time stamping parameters for")
        self.assertEqual((b["phc_index"], b["qualifier"], b["source"], b["phy_index"]), (2, "precise", "phy", 1))
        self.assertEqual(b["rx_filters"], ["none", "ptpv2-event"])

    def test_old_layout(self):
        text = ("Time stamping parameters for lo:\nCapabilities:\n\tsoftware-transmit\n"
                "PTP Hardware Clock: none\nHardware Transmit Timestamp Modes: none\n"
                "Hardware Receive Filter Modes: none\n")
        (b,) = compare.parse_ethtool_blocks(text, "Time stamping parameters for")
        self.assertEqual((b["phc_index"], b["tx_types"], b["rx_filters"]), (None, [], []))


if __name__ == "__main__":
    unittest.main()


class TxClocks(unittest.TestCase):
    """Which of the test module's clocks a transmit timestamp names."""

    def test_clocks(self):
        self.assertEqual(compare.clock_of("1000000012.5"), "mac")
        self.assertEqual(compare.clock_of("2010000012.5"), "approx")
        self.assertEqual(compare.clock_of("3000000012.5"), "phy")
        # bcm-phy-ptp's clock on the emulated BCM54210E (5e8 s, below 2^31 s).
        self.assertEqual(compare.clock_of("500000012.5"), "phy")
        self.assertEqual(compare.clock_of("5000000012.5"), "other:5000000012.5")
        self.assertEqual(compare.clock_of("50000012.5"), "other:50000012.5")


class RealPhyDriver(unittest.TestCase):
    """7.2 with Debian's broadcom and bcm-phy-ptp bound to the emulated BCM54210E (the
    cm5 scenario's base, cfg, lost and next phases)."""

    log = read("cm5-sid.log")
    expect = read("cm5-sid.expect")

    def test_captured_boot_passes(self):
        self.assertEqual(problems_for(self.log, self.expect, "sid"), [])

    def test_tx_types_of_the_phy(self):
        # tsctl dropping bcm-phy-ptp's onestep-p2p would be caught.
        def edit(itf):
            itf["advertised"]["tx_types"].remove("onestep-p2p")
        problems = problems_for(edit_tsctl_json(self.log, "base", "eth0", edit), "", "sid")
        self.assertTrue(any("tx_types" in p for p in problems), problems)

    def test_widened_filter(self):
        # The driver widened ptpv2-l2-event to ptpv2-event: tsctl must say what the kernel says.
        def edit(itf):
            itf["active"]["rx_filter"] = "ptpv2-l2-event"
        problems = problems_for(edit_tsctl_json(self.log, "cfg", "eth0", edit), "", "sid")
        self.assertTrue(any("rx_filter" in p for p in problems), problems)

    def test_lost_capture_expectation_fails_when_stamped(self):
        stamped = self.log.replace("tstool tx eth0 hw=none", "tstool tx eth0 hw=500000009.000000001 phc=1", 1)
        problems = problems_for(stamped, "lost eth0.tx = none\n", "sid")
        self.assertTrue(any("lost eth0.tx" in p for p in problems), problems)
