"""Tests of the architecture differential (Scripts/testbed/archdiff.py) on one scenario
captured from real guests: macchiatobin on Debian's 6.1 kernels, amd64 and arm64
(fixtures/macchiatobin-bookworm-{x86_64,arm64}.log, the P1 split: the MAC keeps
SIOCSHWTSTAMP while the kernel reports the PHY). The pair as captured agrees; each way
the arm64 side can really differ is made once and must be named.

    python3 -m unittest discover -s Tests/Testbed -p 'test_*.py'
"""

import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Scripts", "testbed"))
import archdiff  # noqa: E402
import compare  # noqa: E402

FIX = os.path.join(HERE, "fixtures")


def read(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


X86 = read("macchiatobin-bookworm-x86_64.log")
ARM = read("macchiatobin-bookworm-arm64.log")


def problems(x86_text, arm_text):
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, text in (("x86.log", x86_text), ("arm.log", arm_text)):
            paths.append(os.path.join(d, name))
            with open(paths[-1], "w", encoding="utf-8") as f:
                f.write(text)
        out = []
        _, documents = archdiff.compare(compare.Boot(paths[0]), compare.Boot(paths[1]), out)
        return documents, out


def replace_once(text, old, new, after=""):
    start = text.index(after) if after else 0
    i = text.index(old, start)
    return text[:i] + new + text[i + len(old):]


class ArchDiffTests(unittest.TestCase):
    def test_captured_pair_agrees(self):
        n, out = problems(X86, ARM)
        self.assertEqual(out, [])
        # show, check and probe JSON in three phases: not a vacuous pass.
        self.assertGreaterEqual(n, 7)

    def test_the_two_really_differ_only_in_allowed_fields(self):
        # The kernel release and the measured times do differ in the capture.
        self.assertIn("6.1.0-50-amd64", X86)
        self.assertIn("6.1.0-50-arm64", ARM)
        self.assertNotIn("6.1.0-50-amd64", ARM)

    def test_another_layer_is_named(self):
        arm = replace_once(ARM, '"layer": "phy"', '"layer": "mac"', after="@@TB BEGIN base tsctl eth0")
        _, out = problems(X86, arm)
        self.assertTrue(any(p.startswith("base tsctl eth0 ") and "'phy' on x86_64, 'mac' on arm64" in p for p in out), out)

    def test_a_timestamp_from_another_clock_is_named(self):
        arm = replace_once(ARM, '"timestamp_ns": "1000000003807518169"', '"timestamp_ns": "3000000003807518169"')
        _, out = problems(X86, arm)
        self.assertTrue(any("timestamp_ns" in p and "another clock" in p for p in out), out)

    def test_a_later_moment_on_the_same_clock_passes(self):
        arm = replace_once(ARM, '"timestamp_ns": "1000000003807518169"', '"timestamp_ns": "1000000009999999999"')
        _, out = problems(X86, arm)
        self.assertEqual(out, [])

    def test_a_section_missing_on_arm64_is_named(self):
        start = ARM.index("@@TB BEGIN base tsctl eth0")
        end = ARM.index("@@TB END base tsctl eth0 rc=0") + len("@@TB END base tsctl eth0 rc=0\n")
        _, out = problems(X86, ARM[:start] + ARM[end:])
        self.assertIn("base tsctl eth0: recorded on x86_64 only", out)

    def test_another_exit_code_is_named(self):
        arm = ARM.replace("@@TB END base tsctl eth0 rc=0", "@@TB END base tsctl eth0 rc=1", 1)
        _, out = problems(X86, arm)
        self.assertIn("base tsctl eth0: exit code 0 on x86_64, 1 on arm64", out)

    def test_packets_counted_on_both_sides_may_differ_in_number(self):
        # The capture's kernel reports no counters (null): a later kernel's, as a guest
        # with ptp4l running gives them.
        def counted(text, n):
            return replace_once(text, '"tx_pkts": null', f'"tx_pkts": {n}')
        _, out = problems(counted(X86, 4), counted(ARM, 5))
        self.assertEqual(out, [])
        _, out = problems(counted(X86, 4), counted(ARM, 0))
        self.assertTrue(any("tx_pkts: 4 on x86_64, 0 on arm64 (packets counted on one side only)" in p for p in out), out)
        _, out = problems(counted(X86, 4), ARM)
        self.assertTrue(any("tx_pkts: 4 on x86_64, None on arm64" in p for p in out), out)

    def test_another_kernel_release_is_named(self):
        _, out = problems(X86, ARM.replace("6.1.0-50-arm64", "6.1.0-49-arm64"))
        self.assertTrue(any(p.startswith("not the same kernel release") for p in out), out)


if __name__ == "__main__":
    unittest.main()
