#!/usr/bin/env python3
"""Checks one test bed boot: tsctl's JSON against the kernel's view as ethtool 7.x and
the legacy ioctls show it, then the scenario's own expectations.

    compare.py DATA_LOG EXPECTATIONS_FILE SUITE

DATA_LOG is what the guest wrote on its second serial port (sections between
"@@TB BEGIN PHASE NAME IFACE" and "@@TB END PHASE NAME IFACE rc=N").
Prints one line per problem and exits 1 if there is any, 0 otherwise.

Expectation lines (blank lines and # comments are ignored):

    [@SUITE ...] PHASE PATH OP VALUE

  PHASE   the phase the guest recorded (tb_inspect PHASE ..., tb_tx PHASE ...)
  PATH    IFACE.advertised.layer, IFACE.providers#  (# = count),
          IFACE.providers[1].phc_index, IFACE.providers[layer=phy].phy_index,
          IFACE.active.state, IFACE.phys[0].driver, IFACE.tx (the test module's
          clock that stamped tstool's frame: mac|approx|phy|none), IFACE.tx_phc (the
          PHC index that stamped it), IFACE.probe.<path> (tsctl probe --json),
          IFACE.tsctl.<any path in tsctl's interface object>,
          IFACE.ioctl.phc_index (ETHTOOL_GET_TS_INFO), IFACE.ioctl.tx_type (SIOCGHWTSTAMP),
          step:NAME.rc and step:NAME.out (a tb_step section, IFACE "-"),
          ptp[clock_name=X].index (the PHCs in sysfs),
          kernel.oops (the oops in the boot's console log, from "BUG:"/"Oops" to its end
          trace; any phase): a boot that expects one passes with it, all others fail on it
  OP      =  !=  ~ (regular expression search)
  VALUE   JSON (3, "text", null, true) or a bare word (phy), or @OTHERPHASE: what the
          same PATH is in phase OTHERPHASE (= and != only; it must be there), e.g.
          "after eth0.tsctl = @before" (the whole interface object without its
          ts_stats counters; a mismatch names the fields that differ)
  @SUITE  the line applies only to these kernels (sid, bpo-7, bpo-6.19, bpo-6.16, trixie, bookworm, bullseye)
"""

import json
import os
import re
import sys

# --- Reading the guest's output ------------------------------------------------------


class Boot:
    def __init__(self, path, console=None):
        self.console = ""
        if console:
            try:
                with open(console, encoding="utf-8", errors="replace") as f:
                    self.console = f.read()
            except OSError:
                pass
        self.meta = {}
        self.sections = {}  # (phase, name, iface) -> (rc, text)
        self.order = []
        self.notes = []
        self.done = False
        cur = None
        buf = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                line = raw.rstrip("\r\n").replace("\r", "")
                if cur is None:
                    if line.startswith("@@TB START "):
                        for kv in line[len("@@TB START "):].split():
                            k, _, v = kv.partition("=")
                            self.meta[k] = v
                    elif line.startswith("@@TB BEGIN "):
                        parts = line.split()
                        if len(parts) == 5:
                            cur = (parts[2], parts[3], parts[4])
                            buf = []
                    elif line.startswith("@@TB NOTE "):
                        self.notes.append(line[len("@@TB NOTE "):])
                    elif line == "@@TB DONE":
                        self.done = True
                    continue
                m = re.match(r"^(.*)@@TB END (\S+) (\S+) (\S+) rc=(\d+)$", line)
                if m and (m.group(2), m.group(3), m.group(4)) == cur:
                    if m.group(1):
                        buf.append(m.group(1))
                    self.sections[cur] = (int(m.group(5)), "\n".join(buf))
                    self.order.append(cur)
                    cur = None
                else:
                    buf.append(line)
        if cur is not None:
            self.sections[cur] = (None, "\n".join(buf))
            self.order.append(cur)

    def oops(self):
        """The first oops in the console log (serial console ttyS0), or None."""
        lines = self.console.splitlines()
        for n, ln in enumerate(lines):
            if re.search(r"BUG:|Oops", ln):
                out = []
                for x in lines[n:n + 80]:
                    out.append(x)
                    if "---[ end trace" in x:
                        break
                return "\n".join(out)
        return None

    def get(self, phase, name, iface="-"):
        return self.sections.get((phase, name, iface))

    def phases(self):
        seen = []
        for p, _, _ in self.order:
            if p not in seen:
                seen.append(p)
        return seen


def kernel_version(release):
    m = re.match(r"(\d+)\.(\d+)", release or "")
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


# --- ethtool's text ---------------------------------------------------------------------

QUALIFIERS = {"Precise (IEEE 1588 quality)": "precise", "Approximate": "approx"}
LISTS = {
    "Capabilities": "timestamping",
    "Hardware Transmit Timestamp Modes": "tx_types",
    "Hardware Receive Filter Modes": "rx_filters",
    "Hardware Transmit Timestamp Mode": "tx_type",
    "Hardware Receive Filter Mode": "rx_filter",
}


def parse_ethtool_blocks(text, header):
    """Splits ethtool -T / --get-hwtimestamp-cfg output into one dict per block."""
    blocks = []
    cur = None
    listing = None
    for line in text.splitlines():
        if not line.strip():
            listing = None
            continue
        m = re.match(r"^" + re.escape(header) + r" (\S+):$", line)
        if m:
            cur = {"iface": m.group(1)}
            blocks.append(cur)
            listing = None
            continue
        if cur is None:
            continue
        if line.startswith("\t") or line.startswith("    "):
            if listing:
                cur[listing].append(line.strip().split()[0])
            continue
        key, _, val = line.partition(":")
        val = val.strip()
        listing = None
        if key in LISTS:
            field = LISTS[key]
            if val == "":
                cur[field] = []
                listing = field
            else:
                cur[field] = [] if val == "none" else [val]
        elif key == "PTP Hardware Clock":
            cur["phc_index"] = None if val == "none" else int(val)
        elif key == "Hardware timestamp provider index":
            cur["phc_index"] = int(val)
        elif key == "Hardware timestamp provider qualifier":
            cur["qualifier"] = QUALIFIERS.get(val, val)
        elif key == "Hardware timestamp source":
            cur["source"] = val.lower()
        elif key == "Hardware timestamp source PHY index":
            cur["phy_index"] = int(val)
        elif key == "Hardware Flags":
            # ethtool 7.x lists set flags on the lines below (seen with bonded-phc-index).
            cur["flags"] = [] if val in ("none", "") else val.split()
            listing = "flags" if val == "" else None
        else:
            cur.setdefault("other", []).append(line)
    return blocks


def parse_phys(text):
    phys = []
    cur = None
    for line in text.splitlines():
        if line.startswith("PHY for "):
            cur = {}
            phys.append(cur)
            continue
        if cur is None or ":" not in line:
            continue
        key, _, val = line.partition(":")
        val = val.strip()
        if key == "PHY index":
            cur["phy_index"] = int(val)
        elif key == "Driver name":
            cur["driver"] = val
        elif key == "PHY device name":
            cur["name"] = val
        elif key == "Upstream type":
            cur["upstream"] = val
        elif key == "Upstream PHY index":
            cur["upstream_phy_index"] = int(val)
    return phys


def parse_ptp(text):
    """Lines "N clock_name=... owner=... owner_bus=..." from the guest's sysfs walk."""
    ptp = []
    for line in text.splitlines():
        m = re.match(r"^(\d+) clock_name=(.*) owner=(\S*) owner_bus=(\S*)$", line)
        if m:
            ptp.append({"index": int(m.group(1)), "clock_name": m.group(2),
                        "owner": m.group(3), "owner_bus": m.group(4)})
    return ptp


def parse_kv_line(text, prefix):
    for line in text.splitlines():
        if line.startswith(prefix):
            out = {}
            for kv in line[len(prefix):].split():
                k, _, v = kv.partition("=")
                out[k] = v
            return out
    return None


TX_TYPES = ["off", "on", "onestep-sync", "onestep-p2p"]
RX_FILTERS = ["none", "all", "some", "ptpv1-l4-event", "ptpv1-l4-sync", "ptpv1-l4-delay-req",
              "ptpv2-l4-event", "ptpv2-l4-sync", "ptpv2-l4-delay-req", "ptpv2-l2-event",
              "ptpv2-l2-sync", "ptpv2-l2-delay-req", "ptpv2-event", "ptpv2-sync",
              "ptpv2-delay-req", "ntp-all"]
# The test module's clocks run at 1e9 s (MAC), 2e9 s (MAC approx), 3e9 s (PHY), and an
# emulated Broadcom PHY's (bcm-phy-ptp's) at 5e8 s: below 2^31 s, which the driver's
# reads need.
TX_CLOCKS = {"1": "mac", "2": "approx", "3": "phy"}
BCM_PHY_CLOCK_DIGITS = 9  # 5xxxxxxxx s


def clock_of(hw):
    """The test module's clock that took the timestamp hw ("SECONDS.NANOSECONDS")."""
    sec = hw.partition(".")[0]
    if len(sec) == BCM_PHY_CLOCK_DIGITS and sec.startswith("5"):
        return "phy"
    return TX_CLOCKS.get(hw[0], "other:" + hw)


# --- The kernel's view of one interface, from ethtool and the ioctls ------------------


class KernelView:
    def __init__(self, boot, phase, iface):
        self.boot = boot
        self.phase = phase
        self.iface = iface
        self.release = boot.meta.get("kernel", "")
        self.version = kernel_version(self.release)
        self.errors = []
        ptp = boot.get(phase, "ptp")
        self.ptp = parse_ptp(ptp[1]) if ptp else []

    def ptp_by_index(self, index):
        for p in self.ptp:
            if p["index"] == index:
                return p
        return None

    def layer_of(self, entry):
        """The layer ethtool states (6.16+), else the one the PHC's owner implies.
        A stacked device over a timestamping PHY is answered with source netdev ("MAC")
        and the PHY's index (its get_ts_info overwrites the source the device below
        reported; the kernel sets a PHY index only for a PHY): there the PHC's owner in
        sysfs says which it is."""
        if entry.get("source"):
            if entry["source"] != "phy" and entry.get("phy_index") is not None:
                p = self.ptp_by_index(entry.get("phc_index"))
                if p is not None:
                    return ("phy" if p["owner_bus"] == "mdio_bus" else "mac"), True
            return entry["source"], True
        if entry.get("phc_index") is None:
            return None, True
        p = self.ptp_by_index(entry["phc_index"])
        if p is None:
            return None, False
        return ("phy" if p["owner_bus"] == "mdio_bus" else "mac"), False

    def provider_of(self, entry):
        layer, stated = self.layer_of(entry)
        return {
            "phc_index": entry.get("phc_index"),
            "qualifier": entry.get("qualifier"),
            "layer": layer,
            "layer_stated": stated,
            "phy_index": entry.get("phy_index"),
            "timestamping": entry.get("timestamping", []),
            "tx_types": entry.get("tx_types", []),
            "rx_filters": entry.get("rx_filters", []),
        }

    def build(self):
        b, ph, i = self.boot, self.phase, self.iface
        sec = b.get(ph, "ethtool-T", i)
        if sec is None:
            return None
        m = {}
        blocks = parse_ethtool_blocks(sec[1], "Time stamping parameters for")
        if sec[0] != 0 or len(blocks) != 1:
            self.errors.append(f"ethtool -T {i} failed (rc={sec[0]}): {sec[1].strip()[:200]}")
            return None
        m["advertised"] = self.provider_of(blocks[0])
        dump = b.get(ph, "ethtool-dump")
        if dump and dump[0] == 0:
            entries = [e for e in parse_ethtool_blocks(dump[1], "Time stamping parameters for")
                       if e["iface"] == i]
            m["dump"] = [self.provider_of(e) for e in entries]
            m["providers"] = [p for p in m["dump"] if p["phc_index"] is not None]
        elif dump:
            self.errors.append(f"ethtool -T '*' failed (rc={dump[0]}): {dump[1].strip()[:200]}")
        cfg = b.get(ph, "ethtool-cfg", i)
        ioget = b.get(ph, "ioctl-get", i)
        m["active"] = self.active(cfg, ioget)
        phys = b.get(ph, "ethtool-phys", i)
        m["phys"] = parse_phys(phys[1]) if phys and phys[0] == 0 else []
        m["phys_supported"] = bool(phys and phys[0] == 0)
        tsinfo = b.get(ph, "ioctl-tsinfo", i)
        io = {}
        if tsinfo:
            kv = parse_kv_line(tsinfo[1], f"tstool tsinfo {i} ")
            if kv and "phc" in kv:
                io["phc_index"] = None if int(kv["phc"]) < 0 else int(kv["phc"])
        if ioget:
            kv = parse_kv_line(ioget[1], f"tstool get {i} ")
            if kv and "tx" in kv:
                io["tx_type"] = TX_TYPES[int(kv["tx"])]
                io["rx_filter"] = RX_FILTERS[int(kv["rx"])]
            elif kv and "error" in kv:
                io["errno"] = int(kv["error"])
        m["ioctl"] = io
        return m

    def active(self, cfg, ioget):
        if self.version >= (6, 14):
            if cfg is None:
                return None
            if cfg[0] != 0 and "not supported" in cfg[1].lower() and ioget is not None:
                # A driver that refuses TSCONFIG (unconverted, up to 6.19) may still
                # answer SIOCGHWTSTAMP: then that is its configuration.
                kv = parse_kv_line(ioget[1], f"tstool get {self.iface} ") or {}
                if "tx" in kv:
                    return {"state": "configured", "read_via": "ioctl",
                            "tx_type": TX_TYPES[int(kv["tx"])], "rx_filter": RX_FILTERS[int(kv["rx"])]}
            if cfg[0] == 0:
                blocks = parse_ethtool_blocks(cfg[1], "Time stamping configuration for")
                if len(blocks) != 1:
                    self.errors.append(f"cannot read ethtool --get-hwtimestamp-cfg: {cfg[1][:200]}")
                    return None
                e = blocks[0]
                return {"state": "configured", "read_via": "tsconfig",
                        "phc_index": e.get("phc_index"), "qualifier": e.get("qualifier"),
                        "tx_type": (e.get("tx_type") or [None])[0],
                        "rx_filter": (e.get("rx_filter") or [None])[0],
                        "flags": e.get("flags", [])}
            return {"state": "unavailable", "read_via": "tsconfig", "error": cfg[1].strip()}
        # Before 6.14 there is no TSCONFIG: the reference is SIOCGHWTSTAMP.
        if ioget is None:
            return None
        kv = parse_kv_line(ioget[1], f"tstool get {self.iface} ") or {}
        if "tx" in kv:
            return {"state": "configured", "read_via": "ioctl",
                    "tx_type": TX_TYPES[int(kv["tx"])], "rx_filter": RX_FILTERS[int(kv["rx"])]}
        return {"state": "unavailable", "read_via": "ioctl", "errno": int(kv.get("error", 0)),
                "error": ioget[1].strip()}


# --- tsctl against the kernel's view -----------------------------------------------------


def tsctl_json(boot, phase, name, iface):
    sec = boot.get(phase, name, iface)
    if sec is None:
        return None, None
    rc, text = sec
    what = "tsctl probe" if name == "probe" else "tsctl show"
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    start = min(starts) if starts else -1
    if start < 0:
        return None, f"{what} printed no JSON (rc={rc}): {text.strip()[:300]}"
    try:
        doc = json.JSONDecoder().raw_decode(text[start:])[0]
    except ValueError as e:
        return None, f"{what} printed invalid JSON (rc={rc}): {e}"
    if rc != 0 and name != "probe":
        return doc, f"tsctl show exited with {rc}"
    return doc, None


def probe_first(doc):
    """The first interface of a `tsctl probe --json` document: an object with
    schema_version and interfaces, or the bare array tsctl printed before
    schema_version 1 (boots captured then, such as Tests/Testbed/fixtures)."""
    items = doc.get("interfaces") if isinstance(doc, dict) else doc if isinstance(doc, list) else None
    return items[0] if items else None


def tsctl_iface(doc, iface):
    for i in (doc or {}).get("interfaces", []):
        if i.get("name") == iface:
            return i
    return None


LIST_FIELDS = ("timestamping", "tx_types", "rx_filters")


def compare_provider(where, kp, tp, problems):
    """kp: from ethtool; tp: tsctl's provider or advertised object."""
    for f in ("phc_index",):
        if kp[f] != tp.get(f):
            problems.append(f"{where}.{f}: ethtool {kp[f]!r}, tsctl {tp.get(f)!r}")
    if kp["qualifier"] is not None and kp["qualifier"] != tp.get("qualifier"):
        problems.append(f"{where}.qualifier: ethtool {kp['qualifier']!r}, tsctl {tp.get('qualifier')!r}")
    if kp["layer_stated"]:
        if kp["layer"] != tp.get("layer"):
            problems.append(f"{where}.layer: ethtool {kp['layer']!r}, tsctl {tp.get('layer')!r}")
    elif tp.get("layer") is not None and kp["layer"] is not None and tp.get("layer") != kp["layer"]:
        problems.append(f"{where}.layer: the PHC's owner in sysfs says {kp['layer']!r}, "
                        f"tsctl {tp.get('layer')!r}")
    if kp["phy_index"] is not None and kp["phy_index"] != tp.get("phy_index"):
        problems.append(f"{where}.phy_index: ethtool {kp['phy_index']!r}, tsctl {tp.get('phy_index')!r}")
    for f in LIST_FIELDS:
        if tp.get(f) is None and tp.get("reported_by") == "sysfs":
            continue
        if list(kp[f]) != list(tp.get(f) or []):
            problems.append(f"{where}.{f}: ethtool {kp[f]}, tsctl {tp.get(f)}")


def compare_iface(kv, km, ti, problems, label):
    p = f"{label}"
    compare_provider(f"{p}.advertised", km["advertised"], ti.get("advertised") or {}, problems)

    tprov = ti.get("providers") or []
    if "providers" in km:
        dumped = [t for t in tprov if t.get("reported_by") == "tsinfo-dump"]
        if len(dumped) != len(km["providers"]):
            problems.append(f"{p}.providers: ethtool's dump lists {len(km['providers'])} "
                            f"({fmt_providers(km['providers'])}), tsctl {len(dumped)} from the dump "
                            f"({fmt_providers(dumped)})")
        else:
            for n, (k, t) in enumerate(zip(km["providers"], dumped)):
                compare_provider(f"{p}.providers[{n}]", k, t, problems)
    adv = [t for t in tprov if t.get("advertised")]
    kadv = km["advertised"]
    if kadv["phc_index"] is None:
        if adv:
            problems.append(f"{p}: no PHC is advertised but tsctl marks provider(s) "
                            f"{fmt_providers(adv)} advertised")
    elif len(adv) != 1 or adv[0].get("phc_index") != kadv["phc_index"]:
        problems.append(f"{p}: tsctl marks {fmt_providers(adv)} advertised; the kernel advertises "
                        f"PHC {kadv['phc_index']}")
    for t in tprov:
        if t.get("reported_by") == "sysfs" and not any(x["index"] == t.get("phc_index") for x in kv.ptp):
            problems.append(f"{p}: tsctl lists PHC {t.get('phc_index')} from sysfs, "
                            f"which the guest's /sys/class/ptp does not have")

    ka = km.get("active")
    ta = ti.get("active") or {}
    if ka is not None:
        if ka["state"] != ta.get("state"):
            problems.append(f"{p}.active.state: kernel {ka['state']!r} "
                            f"({ka.get('error') or ka.get('read_via')}), tsctl {ta.get('state')!r}"
                            f" ({ta.get('reason')}: {ta.get('message')})")
        elif ka["state"] == "configured":
            for f in ("phc_index", "qualifier", "tx_type", "rx_filter"):
                if f in ka and ka[f] != ta.get(f):
                    problems.append(f"{p}.active.{f}: kernel {ka[f]!r}, tsctl {ta.get(f)!r}")
            if ka.get("flags") is not None and "flags" in ka and list(ka["flags"]) != list(ta.get("flags") or []):
                problems.append(f"{p}.active.flags: kernel {ka['flags']}, tsctl {ta.get('flags')}")
        elif ka.get("errno") and ta.get("errno") != ka["errno"]:
            problems.append(f"{p}.active.errno: SIOCGHWTSTAMP gave {ka['errno']}, tsctl {ta.get('errno')}")
        if ka["state"] == "configured":
            act = [t for t in tprov if t.get("active")]
            if "phc_index" in ka and (len(act) != 1 or act[0].get("phc_index") != ka["phc_index"]):
                problems.append(f"{p}: tsctl marks {fmt_providers(act)} active; the kernel's active "
                                f"provider is PHC {ka['phc_index']}")

    tphys = ti.get("phys") or []
    if km["phys_supported"] or tphys:
        kp = km["phys"]
        if len(kp) != len(tphys):
            problems.append(f"{p}.phys: ethtool lists {len(kp)}, tsctl {len(tphys)}")
        for n, (k, t) in enumerate(zip(kp, tphys)):
            for f in ("phy_index", "driver", "name", "upstream"):
                if f in k and k[f] != t.get(f):
                    problems.append(f"{p}.phys[{n}].{f}: ethtool {k[f]!r}, tsctl {t.get(f)!r}")


def fmt_providers(ps):
    return ", ".join(f"{x.get('layer')}:{x.get('phc_index')}/{x.get('qualifier')}" for x in ps) or "none"


def model_for(boot, phase, iface, problems):
    kv = KernelView(boot, phase, iface)
    km = kv.build()
    problems.extend(f"{phase} {iface}: {e}" for e in kv.errors)
    return kv, km


def compare_boot(boot, problems):
    """tsctl against the kernel for every inspected interface and phase."""
    inspected = [(ph, i) for (ph, n, i) in boot.order if n == "tsctl" and i != "-"]
    for ph, iface in inspected:
        doc, err = tsctl_json(boot, ph, "tsctl", iface)
        if err:
            problems.append(f"{ph} {iface}: {err}")
        if doc is None:
            continue
        ti = tsctl_iface(doc, iface)
        if ti is None:
            problems.append(f"{ph} {iface}: tsctl show --json {iface} has no interface {iface}")
            continue
        kv, km = model_for(boot, ph, iface, problems)
        if km is None:
            continue
        compare_iface(kv, km, ti, problems, f"{ph} {iface}")
        kernel = doc.get("kernel", {})
        if kernel.get("release") != boot.meta.get("kernel"):
            problems.append(f"{ph}: tsctl kernel.release {kernel.get('release')!r}, "
                            f"uname -r {boot.meta.get('kernel')!r}")

    # tsctl probe against tstool: the same clock must have stamped both frames.
    for ph, name, iface in boot.order:
        if name != "tx":
            continue
        seen = tx_phc(boot, ph, iface)
        sec = boot.get(ph, "probe", iface)
        if sec is None:
            continue
        doc, err = tsctl_json(boot, ph, "probe", iface)
        if doc is None:
            problems.append(f"{ph} {iface}: tsctl probe: {err}")
            continue
        said = probe_first(doc).get("phc_index") if probe_first(doc) else None
        if said != seen:
            problems.append(f"{ph} {iface}: tsctl probe says PHC {said} stamped the frame, "
                            f"tstool's frame was stamped by PHC {seen}")

    # tsctl show --all against ethtool -T '*' (every device the dump lists).
    for ph in boot.phases():
        if boot.get(ph, "tsctl-all") is None:
            continue
        doc, err = tsctl_json(boot, ph, "tsctl-all", "-")
        if err:
            problems.append(f"{ph} (all): {err}")
        if doc is None:
            continue
        dump = boot.get(ph, "ethtool-dump")
        if not dump or dump[0] != 0:
            continue
        names = []
        for e in parse_ethtool_blocks(dump[1], "Time stamping parameters for"):
            if e["iface"] not in names:
                names.append(e["iface"])
        for iface in names:
            ti = tsctl_iface(doc, iface)
            if ti is None:
                problems.append(f"{ph} (all): ethtool -T '*' lists {iface}, tsctl show --all does not")
                continue
            kv = KernelView(boot, ph, iface)
            entries = [kv.provider_of(e) for e in parse_ethtool_blocks(dump[1], "Time stamping parameters for")
                       if e["iface"] == iface]
            withphc = [e for e in entries if e["phc_index"] is not None]
            dumped = [t for t in ti.get("providers") or [] if t.get("reported_by") == "tsinfo-dump"]
            if len(withphc) != len(dumped):
                problems.append(f"{ph} (all) {iface}: ethtool -T '*' lists {fmt_providers(withphc)}, "
                                f"tsctl show --all {fmt_providers(dumped)}")
            else:
                for n, (k, t) in enumerate(zip(withphc, dumped)):
                    compare_provider(f"{ph} (all) {iface}.providers[{n}]", k, t, problems)
            # Per-interface and --all output must agree, but for the counters: a running
            # ptp4l sends frames between the two reads.
            single, _ = tsctl_json(boot, ph, "tsctl", iface)
            si = tsctl_iface(single, iface)
            if si is not None and canonical(without_counters(si)) != canonical(without_counters(ti)):
                problems.append(f"{ph} {iface}: tsctl show --json {iface} and show --all --json differ")


def canonical(obj):
    return json.dumps(obj, sort_keys=True)


# --- Expectations ----------------------------------------------------------------------------


def path_get(obj, path):
    """Walks a.b[0].c, a[key=value].b and a# (length)."""
    count = path.endswith("#")
    if count:
        path = path[:-1]
    for tok in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        if obj is None:
            return None
        if tok.startswith("["):
            inner = tok[1:-1]
            if "=" in inner:
                k, _, v = inner.partition("=")
                obj = next((x for x in obj if str(x.get(k)) == v), None) if isinstance(obj, list) else None
            else:
                n = int(inner)
                obj = obj[n] if isinstance(obj, list) and -len(obj) <= n < len(obj) else None
        else:
            obj = obj.get(tok) if isinstance(obj, dict) else None
    if count:
        return len(obj) if isinstance(obj, (list, dict)) else None
    return obj


def tx_clock(boot, phase, iface):
    sec = boot.get(phase, "tx", iface)
    if sec is None:
        return None
    kv = parse_kv_line(sec[1], f"tstool tx {iface} ") or {}
    hw = kv.get("hw")
    if hw is None:
        return "error"
    if hw == "none":
        return "none"
    return clock_of(hw)


def tx_phc(boot, phase, iface):
    """The PHC that stamped tstool's frame (None: no timestamp came back)."""
    sec = boot.get(phase, "tx", iface)
    kv = parse_kv_line(sec[1], f"tstool tx {iface} ") if sec else None
    if not kv or kv.get("hw") in (None, "none") or "phc" not in kv:
        return None
    n = int(kv["phc"])
    return None if n < 0 else n


def resolve(boot, phase, path):
    if path == "kernel.oops":
        return boot.oops()
    if path.startswith("step:"):
        name, _, field = path[5:].partition(".")
        sec = boot.get(phase, name, "-")
        if sec is None:
            return None
        return {"rc": sec[0], "out": sec[1]}.get(field)
    if path.startswith("ptp"):
        sec = boot.get(phase, "ptp")
        return path_get({"ptp": parse_ptp(sec[1]) if sec else []}, path)
    iface, _, rest = path.partition(".")
    if rest == "tx":
        return tx_clock(boot, phase, iface)
    if rest == "tx_phc":
        return tx_phc(boot, phase, iface)
    if rest.startswith("probe"):
        doc, _ = tsctl_json(boot, phase, "probe", iface)
        return path_get({"probe": probe_first(doc)}, rest)
    if rest.startswith("tsctl"):
        doc, _ = tsctl_json(boot, phase, "tsctl", iface)
        if tsctl_iface(doc, iface) is None:
            doc, _ = tsctl_json(boot, phase, "tsctl-all", "-")
        return path_get({"tsctl": tsctl_iface(doc, iface)}, rest)
    kv = KernelView(boot, phase, iface)
    km = kv.build()
    return path_get(km, rest)


def parse_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def without_counters(v):
    """An interface object without its timestamping counters: they count frames sent
    between two phases, so "the same state in another phase" leaves them out."""
    if isinstance(v, dict) and "ts_stats" in v:
        return {k: x for k, x in v.items() if k != "ts_stats"}
    return v


def differences(a, b, where="", out=None):
    """The paths at which two JSON values differ (a few suffice to say what changed)."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            differences(a.get(k), b.get(k), f"{where}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{where}[{n}]", out)
    elif a != b:
        out.append(f"{where} ({json.dumps(a)} there, {json.dumps(b)} here)")
    return out


def applies(line, suite):
    """Whether an expectation line is for this kernel (no @SUITE: every kernel)."""
    line = line.strip()
    suites = []
    while line.startswith("@"):
        tok, _, line = line.partition(" ")
        suites.append(tok[1:])
        line = line.strip()
    return bool(line) and not line.startswith("#") and (not suites or suite in suites)


def check_expectations(boot, suite, lines, problems):
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        suites = []
        while line.startswith("@"):
            tok, _, line = line.partition(" ")
            suites.append(tok[1:])
            line = line.strip()
        if suites and suite not in suites:
            continue
        m = re.match(r"^(\S+)\s+(.+?)\s+(=|!=|~)\s+(.*)$", line)
        if not m:
            problems.append(f"expectation line {lineno} is malformed: {raw.strip()}")
            continue
        phase, path, op, want_text = m.groups()
        got = resolve(boot, phase, path)
        ref = re.match(r"^@(\S+)$", want_text)
        if ref and op in ("=", "!="):
            want = without_counters(resolve(boot, ref.group(1), path))
            got = without_counters(got)
            if want is None:
                problems.append(f"expected {phase} {path} {op} {want_text}, but phase "
                                f"{ref.group(1)} has no {path}")
                continue
            if (got == want) != (op == "="):
                if op == "=" and got is not None:
                    diff = differences(want, got, path)
                    problems.append(f"expected {phase} {path} = {want_text}; it differs at "
                                    + "; ".join(diff[:8]) + (" ..." if len(diff) > 8 else ""))
                else:
                    problems.append(f"expected {phase} {path} {op} {want_text} "
                                    f"({json.dumps(want)}), got {json.dumps(got)}")
            continue
        want = parse_value(want_text)
        if op == "=":
            ok = got == want
        elif op == "!=":
            ok = got != want
        else:
            ok = got is not None and re.search(str(want), got if isinstance(got, str) else json.dumps(got)) is not None
        if not ok:
            problems.append(f"expected {phase} {path} {op} {want_text}, got {json.dumps(got)}")


# --- The boot as a whole -----------------------------------------------------------------------


def check_boot(boot, problems, oops_expected=False):
    if not boot.meta:
        problems.append("the guest wrote no results (it did not reach /init; see the console log)")
        return
    if not boot.done:
        last = boot.order[-1] if boot.order else None
        problems.append(f"the guest did not finish (last section: {last}; see the console log)")
    for key in boot.order:
        ph, name, iface = key
        rc, text = boot.sections[key]
        if ph == "setup" and rc != 0:
            problems.append(f"setup step {name} {iface} failed (rc={rc}): {text.strip()[:300]}")
        if ph == "final" and name.startswith("rmmod") and rc != 0:
            problems.append(f"{name} failed (rc={rc}): {text.strip()[:300]}")
    dm = boot.get("final", "dmesg")
    if dm:
        bad = [ln for ln in dm[1].splitlines()
               if re.search(r"WARNING:|BUG:|Oops|Call Trace|general protection|kernel panic", ln)]
        if bad and not oops_expected:
            problems.append("kernel log has warnings: " + " | ".join(bad[:6]))
    elif boot.done:
        problems.append("no dmesg section")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    data, expect_file, suite = sys.argv[1:]
    boot = Boot(data, os.path.join(os.path.dirname(data), "console.log"))
    with open(expect_file, encoding="utf-8") as f:
        expect = f.read().splitlines()
    problems = []
    # A boot that provokes an oops on purpose says so (kernel.oops); it is checked there.
    check_boot(boot, problems, oops_expected=any(applies(ln, suite) and " kernel.oops " in ln for ln in expect))
    if boot.meta:
        compare_boot(boot, problems)
        check_expectations(boot, suite, expect, problems)
    seen = set()
    for p in problems:
        if p not in seen:
            print(p)
            seen.add(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
