#!/usr/bin/env python3
"""Whether a systemd unit's SystemCallFilter allows every system call in strace logs.

    syscall_filter.py UNIT TRACE...

Expands the unit's SystemCallFilter= lines as systemd does (an allow list, then ~ lines
taking groups away and plain lines adding names back), with `systemd-analyze
syscall-filter` for the groups. Prints what was allowed and exits 0, or names the
refused calls and exits 1.
"""
import re, subprocess, sys
unit, *traces = sys.argv[1:]
def expand(name):
    if not name.startswith("@"):
        return {name}
    out = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True, text=True, check=True).stdout
    got = set()
    for line in out.splitlines()[1:]:
        line = line.strip()
        if line and not line.startswith("#"):
            got |= expand(line)
    return got
allowed = None
for line in open(unit):
    m = re.match(r"SystemCallFilter=(~?)(.*)", line.strip())
    if not m:
        continue
    names = set().union(*(expand(n) for n in m.group(2).split()))
    allowed = (allowed or set()) - names if m.group(1) else (allowed or set()) | names
used = set()
for t in traces:
    used |= set(re.findall(r"^\d+ +([a-z_0-9]+)\(", open(t).read(), re.M))
if allowed is None or not used:
    sys.exit("no SystemCallFilter in %s, or no system calls traced" % unit)
refused = sorted(used - allowed)
if refused:
    sys.exit("%s refuses %s" % (unit, " ".join(refused)))
print("%s allows all %d system calls tsctl made" % (unit.rsplit("/", 1)[1], len(used)))
