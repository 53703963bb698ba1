#!/usr/bin/env python3
"""The architecture differential: one scenario booted on an x86_64 kernel and on the same
suite's arm64 kernel must give the same tsctl answers, field by field.

    archdiff.py X86_DATA_LOG ARM64_DATA_LOG

Both guests ran the same guest script (Scripts/testbed/run, kernels NAME and NAME-arm64).
Checked: the two recorded the same sections (phase, name, interface) with the same exit
codes, and every section that is JSON (tsctl's show, check, probe, set and apply output)
is equal in every field but those ALLOWED names below, each with why it may differ.
Prints one line per difference and exits 1 if there is any; else prints what was
compared (sections, JSON documents) and exits 0.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import Boot  # noqa: E402

# Fields allowed to differ, by the last key of their path, and why. Nothing else may.
ALLOWED = {
    "release": "the kernel's release names its architecture (7.2.13+deb14-amd64, 7.2.13+deb14-arm64); "
               "compared with the architecture suffix taken out",
    "timestamp_ns": "a clock's time when tstool's frame was stamped: another moment in each boot; "
                    "must be the same clock (the same multiple of 1e8 s: the test module's clocks "
                    "run 1e9 s apart)",
    "offset_ns": "one clock read against another: another moment in each boot; must be the same "
                 "clock pair (the same multiple of 1e8 s)",
    "offset_to_realtime_ns": "a clock's health: it read against CLOCK_REALTIME, at another moment in "
                             "each boot; must be the same multiple of 1e8 s",
    "interval_ns": "a clock's health: the time between its two reads, as the guest was scheduled; "
                   "must be the same multiple of 1e8 s (both short)",
    "window_min_ns": "a clock's read window (show --clocks): how fast each architecture's emulated "
                     "machine reads it; not compared",
    "window_median_ns": "the same, the median; not compared",
    "samples": "how many reads fit the time budget on each architecture's emulated machine; not compared",
    "resolution_ns": "the grid a clock's readings show: the guest's system clock steps differ between "
                     "the emulated machines; not compared",
}
TIMED = ("timestamp_ns", "offset_ns", "offset_to_realtime_ns", "interval_ns")
# A timestamping counter of packets (ts_stats tx_pkts, ...) counts what a PTP daemon in the
# guest has sent by the time of the read, at the speed of each architecture's emulated
# machine (seen: 4 on x86_64, 5 on arm64 while ptp4l ran): another number is allowed where
# both counted (both above 0); none on one side only, or null against a number, is named.
COUNTED_SUFFIX = "_pkts"
MEASURED_FIELDS = ("window_min_ns", "window_median_ns", "samples", "resolution_ns")
# Measured numbers inside tsctl's sentences (a verdict, a finding's evidence), and why:
# replaced by N before the sentences are compared.
MEASURED = [
    (re.compile(r"within \d+ µs"), "within N µs",
     "how far a timestamp was from its clock when read: timing of the boot"),
    (re.compile(r"= -?\d+ ns"), "= N ns",
     "a clock's offset to CLOCK_REALTIME when read: timing of the boot"),
    (re.compile(r"read window min \d+ ns, median \d+ ns over \d+"), "read window min N ns, median N ns over N",
     "a clock's read window and its sample count: the speed of each emulated machine"),
    (re.compile(r"reads \d+ times worse"), "reads N times worse",
     "how much slower one clock reads than another: the speed of each emulated machine"),
    (re.compile(r"read window [\d.]+ (ns|µs) against [\d.]+ (ns|µs)"), "read window N against N",
     "two clocks' read windows: the speed of each emulated machine"),
    (re.compile(r"resolution \d+ ns"), "resolution N ns",
     "the grid a clock's readings show: the guest's system clock steps differ"),
    (re.compile(r"\b(ptp4l|phc2sys|ts2phc)\[\d+\]"), r"\1[PID]",
     "a PTP daemon's process id: the guests start other processes before it"),
]


def arch_neutral(s, releases):
    for r in releases:
        s = s.replace(r, "RELEASE")
    for rx, repl, _ in MEASURED:
        s = rx.sub(repl, s)
    return s


def parse_json(text):
    text = text.strip()
    if not text or text[0] not in "{[":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def as_int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v):
        return int(v)
    return None


def band(v):
    return round(v / 1e17)


def diff(x, y, path, releases, out):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                out.append(f"{path}.{k}: only on {'x86_64' if k in x else 'arm64'}")
            else:
                diff(x[k], y[k], f"{path}.{k}", releases, out)
        return
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            out.append(f"{path}: {len(x)} entries on x86_64, {len(y)} on arm64")
            return
        for i, (p, q) in enumerate(zip(x, y)):
            diff(p, q, f"{path}[{i}]", releases, out)
        return
    key = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
    if key in MEASURED_FIELDS:
        return
    if ".ts_stats." in path and key.endswith(COUNTED_SUFFIX) and as_int(x) is not None and as_int(y) is not None:
        if (as_int(x) > 0) != (as_int(y) > 0):
            out.append(f"{path}: {x!r} on x86_64, {y!r} on arm64 (packets counted on one side only)")
        return
    if key in TIMED and as_int(x) is not None and as_int(y) is not None:
        # tsctl writes 64-bit nanoseconds as strings (JSON numbers lose them in doubles).
        if type(x) is not type(y) or band(as_int(x)) != band(as_int(y)):
            out.append(f"{path}: {x} on x86_64, {y} on arm64 (another clock, not another moment)")
        return
    if isinstance(x, str) and isinstance(y, str):
        if arch_neutral(x, releases) != arch_neutral(y, releases):
            out.append(f"{path}: {x!r} on x86_64, {y!r} on arm64")
        return
    if x != y or type(x) is not type(y):
        out.append(f"{path}: {x!r} on x86_64, {y!r} on arm64")


def compare(x86, arm, problems):
    releases = [r for r in (x86.meta.get("kernel"), arm.meta.get("kernel")) if r]
    if len(releases) != 2:
        problems.append("a guest recorded no kernel release (did it boot?)")
        return 0
    if re.sub(r"-(amd64|arm64)$", "", releases[0]) != re.sub(r"-(amd64|arm64)$", "", releases[1]):
        problems.append(f"not the same kernel release: {releases[0]} on x86_64, {releases[1]} on arm64")
    for key in x86.order:
        if key not in arm.sections:
            problems.append(f"{' '.join(key)}: recorded on x86_64 only")
    for key in arm.order:
        if key not in x86.sections:
            problems.append(f"{' '.join(key)}: recorded on arm64 only")
    compared = 0
    common = 0
    for key in x86.order:
        if key not in arm.sections:
            continue
        common += 1
        (rc_x, text_x), (rc_a, text_a) = x86.sections[key], arm.sections[key]
        where = " ".join(key)
        if rc_x != rc_a:
            problems.append(f"{where}: exit code {rc_x} on x86_64, {rc_a} on arm64")
        if key[1].startswith("ethtool"):
            continue  # the kernel's view, which compare.py holds tsctl to on each side
        jx, ja = parse_json(text_x), parse_json(text_a)
        if jx is None and ja is None:
            continue
        if jx is None or ja is None:
            problems.append(f"{where}: JSON on {'x86_64' if jx is not None else 'arm64'} only")
            continue
        compared += 1
        out = []
        diff(jx, ja, "", releases, out)
        problems.extend(f"{where} {p}" for p in out)
    return common, compared


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    x86, arm = Boot(sys.argv[1]), Boot(sys.argv[2])
    problems = []
    common, documents = compare(x86, arm, problems)
    if common == 0 and not problems:
        problems.append("no section recorded by both boots: nothing was compared")
    for p in problems:
        print(p)
    if not problems:
        # What agreed, for the PASS line (a scenario may print no JSON, e.g. faults).
        print(f"{common} sections with their exit codes, {documents} of them tsctl JSON")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
