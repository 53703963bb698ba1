#!/usr/bin/env python3
"""Fault injection: every system call tsctl makes fails, one at a time.

Each command below runs once under strace to record the system calls it makes,
then again for each of the first three occurrences of each call after the
program's start-up, with that occurrence failed (strace -e inject) with each
errno the call realistically returns. What a user must get, asserted each run:
- no death by a signal (no abort in a library's assertion, no crash);
- an exit status from the README's table;
- a failure (any status but 0, 1 and 10) says so in one line on standard error
  that names the errno (its symbol or its text);
- EINTR, which a restartable call may return when a signal arrives, is retried:
  the run prints what the undisturbed run printed, with its exit status;
- `check --output FILE` leaves FILE as it was or holds a whole report (a check
  that could not run writes one that says so), never part of one, and leaves no
  temporary file behind.

Out of scope: the Swift runtime's own start-up before tsctl's first line runs
(it reads /proc/self/exe and /proc/self/maps and asks for the CPU count); the
cut is the first system call tsctl's main makes (fcntl(0, F_GETFD), which
checks that the standard descriptors are open). strace counts each call per
thread and fails the Nth in every thread at once, so check's second thread
(the /proc walk) is covered from the occurrence after the main thread's
start-up count of that call.

Runs as root in a private network namespace with a few interfaces (veth pair,
macvlan, bridge). Prints one line per command and a summary line
"N passed, N failed"; exit 1 on any failure.

Usage: TSCTL_BIN=... Tests/Faults/faults.py [--jobs N] [--quick]
"""
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

TSCTL = os.environ.get("TSCTL_BIN", "")
DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 129, 130, 143}
# What each call may realistically return.
ERRNOS = {
    "socket": ["EMFILE", "EACCES", "EAFNOSUPPORT", "ENOBUFS"],
    "setsockopt": ["EPERM", "ENOBUFS", "ENOPROTOOPT"],
    "bind": ["EPERM", "EADDRINUSE"],
    "getsockname": ["ENOBUFS"],
    "getsockopt": ["ENOPROTOOPT", "ENOBUFS"],
    "sendto": ["ENOBUFS", "EPERM", "EINTR"],
    "sendmsg": ["ENOBUFS", "EPERM", "EINTR"],
    "recvmmsg": ["ENOBUFS", "EIO", "EINTR"],
    "recvmsg": ["ENOBUFS", "EIO", "EINTR"],
    "recvfrom": ["ENOBUFS", "EIO", "EINTR"],
    "poll": ["ENOMEM", "EINTR"],
    "ioctl": ["EPERM", "ENODEV", "EOPNOTSUPP"],
    "openat": ["EACCES", "EMFILE", "ENOENT", "EINTR"],
    "read": ["EIO", "EINTR"],
    "pread64": ["EIO"],
    "write": ["ENOSPC", "EIO", "EINTR"],
    "newfstatat": ["EACCES", "EIO"],
    "fstat": ["EIO"],
    "getdents64": ["EIO", "ENOENT"],
    "readlink": ["EACCES", "ENOENT"],
    "readlinkat": ["EACCES", "ENOENT"],
    "rename": ["EACCES", "EXDEV", "EROFS"],
    "fsync": ["EIO"],
    "fchmod": ["EPERM"],
    "ftruncate": ["EIO"],
    "flock": ["ENOLCK", "EINTR"],
    "clone3": ["EAGAIN"],
    "clone": ["EAGAIN"],
    "mkdir": ["EACCES", "EROFS"],
    "unlink": ["EACCES"],
}
RESTARTABLE = {"read", "recvmmsg", "recvmsg", "recvfrom", "poll", "write", "openat", "flock", "sendto", "sendmsg"}
OCCURRENCES = 3

SETUP = """
ip link set lo up
ip link add va0 type veth peer name vb0
ip link add link va0 name mv0 type macvlan
ip link add br0 type bridge
ip link set vb0 master br0
for d in va0 vb0 mv0 br0; do ip link set $d up; done
"""

DESIRED = """# tsctl desired state for the fault suite
[[interface]]
name = "lo"
source = "mac"
tx = "off"
rx = "none"
"""


def commands(work):
    out = os.path.join(work, "report")
    return [
        ("show", ["show"], None),
        ("show --all", ["show", "--all"], None),
        ("show --all --json", ["show", "--all", "--json"], None),
        ("show mv0 --json", ["show", "mv0", "--json"], None),
        ("check", ["check"], None),
        ("check --json --strict", ["check", "--json", "--strict"], None),
        ("check --format tap", ["check", "--format", "tap"], None),
        ("check --expect", ["check", "--expect", os.path.join(work, "desired.toml")], None),
        ("check --baseline", ["check", "--baseline", os.path.join(work, "baseline.json")], None),
        ("check --format junit --output", ["check", "--format", "junit", "--output", out + ".xml"], out + ".xml"),
        ("check --format prometheus --output", ["check", "--format", "prometheus", "--output", out + ".prom"], out + ".prom"),
        ("check --json --output", ["check", "--json", "--output", out + ".json"], out + ".json"),
        ("apply --dry-run", ["apply", "--dry-run", os.path.join(work, "desired.toml")], None),
        ("set --dry-run", ["set", "va0", "--tx", "on", "--dry-run"], None),
        ("probe", ["probe", "va0"], None),
    ]


def in_netns(args, **kw):
    """Runs args in the suite's network namespace (entered by the caller)."""
    return subprocess.run(args, capture_output=True, **kw)


def record(work, args):
    """The undisturbed run, and for each call the occurrence numbers (strace's
    when=, counted per thread) of its first OCCURRENCES after start-up."""
    trace = os.path.join(work, "trace")
    names = ",".join(sorted(set(ERRNOS) | {"fcntl"}))
    r = in_netns(["strace", "-f", "-qq", "-o", trace, "-e", "trace=" + names, TSCTL] + args, stdin=subprocess.DEVNULL)
    counts = {}  # (tid, call) -> occurrences so far
    main = None
    at_cut = None  # the main thread's counts when start-up ended
    targets = {}
    with open(trace, errors="replace") as f:
        for line in f:
            m = re.match(r"(\d+)\s+(\w+)\((.*)", line)
            if not m:
                continue
            tid, call = int(m.group(1)), m.group(2)
            main = tid if main is None else main
            counts[(tid, call)] = counts.get((tid, call), 0) + 1
            if tid == main and at_cut is None:
                if call == "fcntl" and m.group(3).startswith("0, F_GETFD"):
                    at_cut = {c: n for (t, c), n in counts.items() if t == main}
                continue
            # when=N fails the Nth call in every thread at once: numbers that
            # would fail the main thread's start-up are never used.
            n, first = counts[(tid, call)], at_cut.get(call, 0)
            if call in ERRNOS and first < n <= first + OCCURRENCES:
                targets.setdefault(call, set()).add(n)
    os.unlink(trace)
    if at_cut is None:
        raise SystemExit("FAIL faults: no fcntl(0, F_GETFD) in the trace of %s: where start-up ends is unknown" % args)
    return r, targets


def run_one(args, call, n, err, base, output):
    if output:
        with open(output, "w") as f:
            f.write("OLD\n")
    inj = "inject=%s:error=%s:when=%d" % (call, err, n)
    r = in_netns(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + call, "-e", inj, TSCTL] + args,
                 stdin=subprocess.DEVNULL, timeout=60)
    what = "%s #%d %s" % (call, n, err)
    problems = []
    rc = r.returncode
    stderr = r.stderr.decode(errors="replace")
    lines = [l for l in stderr.splitlines() if l.strip()]
    same = rc == base.returncode and r.stdout == base.stdout and r.stderr == base.stderr
    if same and not output:
        return what, rc, problems, True
    if rc < 0 or rc >= 128 and rc not in DOCUMENTED:
        problems.append("died by a signal (%s): %s" % (rc, stderr[-300:]))
    elif rc not in DOCUMENTED:
        problems.append("exit %d is not in the README's table" % rc)
    elif call == "write" and rc == base.returncode and not lines and base.stderr:
        pass  # the injected write was the failure line itself: nothing can say it
    elif rc not in (0, 1, 10) and (rc, r.stderr) != (base.returncode, base.stderr):
        code = getattr(errno, err)
        if len(lines) != 1:
            problems.append("exit %d with %d lines on stderr, not one: %r" % (rc, len(lines), stderr[-400:]))
        elif err not in lines[0] and os.strerror(code) not in lines[0]:
            problems.append("exit %d: the line does not name %s: %r" % (rc, err, lines[0]))
    if err == "EINTR" and call in RESTARTABLE and not problems:
        if rc != base.returncode or (output is None and r.stdout != base.stdout):
            problems.append("EINTR not retried: exit %d (undisturbed %d), stderr %r" % (rc, base.returncode, stderr[-300:]))
    if output and not problems:
        with open(output, errors="replace") as f:
            text = f.read()
        whole = text == "OLD\n" or text.endswith(("</testsuites>\n", "}\n", "\n")) and len(text) > 4
        if not whole:
            problems.append("--output holds part of a report: %r" % text[-200:])
        if rc == 11 and "write" not in stderr and "rename" not in stderr and "fsync" not in stderr and text != "OLD\n":
            pass
        left = [p for p in os.listdir(os.path.dirname(output)) if ".tmp." in p]
        if left:
            problems.append("temporary files left behind: %s" % left)
            for p in left:
                os.unlink(os.path.join(os.path.dirname(output), p))
    return what, rc, problems, same


def main():
    quick = "--quick" in sys.argv
    if os.geteuid() != 0:
        print("SKIP faults: needs root (private network namespace, strace of tsctl)")
        return 1
    if not TSCTL or not os.access(TSCTL, os.X_OK):
        print("FAIL faults: TSCTL_BIN does not name the tsctl binary")
        return 1
    if not shutil.which("strace"):
        print("FAIL faults: strace is not installed (Scripts/test installs it)")
        return 1
    if os.environ.get("TSCTL_FAULTS_NETNS") != "1":
        # A network namespace of its own (Python 3.11 has no os.unshare).
        os.environ["TSCTL_FAULTS_NETNS"] = "1"
        os.execvp("unshare", ["unshare", "-n", sys.executable] + sys.argv)
    subprocess.run(["sh", "-ec", SETUP], check=True)
    work = tempfile.mkdtemp(prefix="tsctl-faults.")
    with open(os.path.join(work, "desired.toml"), "w") as f:
        f.write(DESIRED)
    base = subprocess.run([TSCTL, "show", "--all", "--json"], capture_output=True, check=True)
    with open(os.path.join(work, "baseline.json"), "wb") as f:
        f.write(base.stdout)

    passed = failed = runs = 0
    calls_covered = set()
    for name, args, output in commands(work):
        if output:
            with open(output, "w") as f:
                f.write("OLD\n")
        baseline, targets = record(work, args)
        jobs = []
        for call, ns in sorted(targets.items()):
            for n in sorted(ns):
                for err in ERRNOS[call][: 1 if quick else None]:
                    jobs.append((call, n, err))
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda j: run_one(args, j[0], j[1], j[2], baseline, output), jobs)) if not output \
                else [run_one(args, c, n, e, baseline, output) for c, n, e in jobs]
        bad = [(w, rc, p) for w, rc, p, _ in results if p]
        absorbed = sum(1 for _, rc, p, same in results if not p and same)
        runs += len(results)
        calls_covered |= set(targets)
        if bad:
            failed += 1
            print("FAIL faults %s: %d of %d runs" % (name, len(bad), len(results)))
            for w, rc, p in bad[:12]:
                print("    %s: %s" % (w, "; ".join(p)))
            if len(bad) > 12:
                print("    ... and %d more" % (len(bad) - 12))
        else:
            passed += 1
            print("PASS faults %s: %d runs over %s (%d ended as the undisturbed run did)" % (
                name, len(results), ",".join(sorted(targets)), absorbed))
    shutil.rmtree(work, ignore_errors=True)
    print("faults: %d injected runs, %d system calls covered: %s" % (runs, len(calls_covered), " ".join(sorted(calls_covered))))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
