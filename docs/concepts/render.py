#!/usr/bin/env python3
"""Draws one interface as tsctl sees it: its layers (MAC, PHYs), the timestamp
providers and clocks on each, and the four views: advertised and active from
`tsctl show --json`, expected and observed from the evidence of `tsctl check --json`
(expected: a desired-state file or policy; observed: running PTP daemons).

    render.py SHOW_JSON CHECK_JSON IFACE > picture.svg

Standard library only; the output depends on nothing but the two files, so the
test regenerates the committed picture and compares."""

import json
import re
import sys
import textwrap
from xml.sax.saxutils import escape

W = 940
LAYER_X, LAYER_W = 30, 450
VIEW_X, VIEW_W = 580, 340
COLOURS = {"advertised": "#1f77b4", "active": "#2ca02c", "expected": "#9467bd", "observed": "#d62728"}
VIEW_SOURCE = {
    "advertised": "TSINFO / ETHTOOL_GET_TS_INFO (what ethtool -T and ptp4l read)",
    "active": "TSCONFIG_GET / SIOCGHWTSTAMP (what is configured)",
    "expected": "a desired-state file, --prefer, or the known-pair table",
    "observed": "/proc: running ptp4l, phc2sys, ts2phc, chronyd",
}


def text(x, y, s, size=13, weight="normal", anchor="start", fill="#222"):
    return (f'<text x="{x}" y="{y}" font-family="DejaVu Sans, sans-serif" font-size="{size}" '
            f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(s)}</text>')


def rect(x, y, w, h, stroke="#444", fill="#fff", dash=False):
    d = ' stroke-dasharray="5,4"' if dash else ""
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{d}/>'


def arrow(x1, y1, x2, y2, colour):
    return (f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}" fill="none" '
            f'stroke="{colour}" stroke-width="2" marker-end="url(#to-{colour[1:]})"/>')


def wrap(s, n):
    return textwrap.wrap(s, n, break_long_words=True) or [""]


def clip(s, n=52):
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def main(show_path, check_path, name):
    show = json.load(open(show_path, encoding="utf-8"))
    check = json.load(open(check_path, encoding="utf-8"))
    itf = next(i for i in show["interfaces"] if i["name"] == name)
    phcs = {c["index"]: c for c in itf["phcs"]}
    out, clock_y = [], {}

    # Layers top to bottom as a frame travels out: the MAC, then each PHY to the wire.
    layers = [("mac", None, f"MAC  {itf.get('driver') or '?'}  ({itf.get('device') or 'no device'})")]
    for p in itf["phys"]:
        layers.append(("phy", p["phy_index"], f"PHY {p['phy_index']}  {p['driver']}  ({p['name']})"))
    y = 90
    for layer, phy_index, title in layers:
        provs = [p for p in itf["providers"] if p["layer"] == layer and (layer == "mac" or p["phy_index"] == phy_index)]
        h = 44 + 78 * max(1, len(provs))
        out.append(rect(LAYER_X, y, LAYER_W, h, fill="#f7f7f7"))
        out.append(text(LAYER_X + 12, y + 24, title, 14, "bold"))
        py = y + 38
        for p in provs:
            c = phcs.get(p["phc_index"], {})
            out.append(rect(LAYER_X + 16, py, LAYER_W - 32, 70, stroke="#888"))
            out.append(text(LAYER_X + 28, py + 20, f"provider {layer}{'' if phy_index is None else ':' + str(phy_index)}  "
                            f"{p['qualifier']}  clock ptp{p['phc_index']} \"{c.get('clock_name', '?')}\"", 12, "bold"))
            out.append(text(LAYER_X + 28, py + 40, clip(f"tx {' '.join(p['tx_types'] or ['?'])}", 64), 11, fill="#555"))
            out.append(text(LAYER_X + 28, py + 58, clip(f"rx {' '.join(p['rx_filters'] or ['?'])}", 64), 11, fill="#555"))
            clock_y[p["phc_index"]] = py + 35
            py += 78
        if not provs:
            out.append(text(LAYER_X + 28, py + 24, "no timestamp provider", 12, fill="#777"))
        y += h + 26
    out.append(text(LAYER_X + LAYER_W / 2, y + 4, "\u2193 the wire", 12, anchor="middle", fill="#777"))
    height = y + 30

    # The four views, each pointing at the clock it names.
    adv, act = itf.get("advertised"), itf.get("active", {})
    views = []
    if adv:
        views.append(("advertised", [f"{adv['layer']} ptp{adv['phc_index']} ({adv['qualifier']})"], adv["phc_index"]))
    if act.get("state") == "configured":
        where = f"{act['layer']} ptp{act['phc_index']}" if act.get("phc_index") is not None else "provider not named by this kernel"
        views.append(("active", [where, f"tx {act['tx_type']}, rx {act['rx_filter']}"], act.get("phc_index")))
    else:
        views.append(("active", [f"cannot be read: {act.get('reason') or act.get('state')}"], None))
    for view in ("expected", "observed"):
        lines, target = [], None
        for f in check["findings"]:
            ev = [e["says"] for e in f["evidence"] if e["view"] == view]
            if f.get("interface") != name or not ev:
                continue
            # What was expected is the finding's statement; what was observed, the evidence.
            said = f["statement"] if view == "expected" else "; ".join(ev)
            wrapped = wrap(f"{f['id']}: {said}", 50)
            lines += wrapped[:2] + ([wrapped[2] + (" \u2026" if len(wrapped) > 3 else "")] if len(wrapped) > 2 else [])
            m = re.search(r"clocks ptp(\d+)", said) if view == "observed" else None
            if m and target is None:
                target = int(m.group(1))
        views.append((view, lines or ["nothing to compare (no finding cites it)"], target))
    vy = 90
    for n, (view, lines, target) in enumerate(views):
        col = COLOURS[view]
        h = 34 + 17 * len(lines) + 16
        out.append(rect(VIEW_X, vy, VIEW_W, h, stroke=col))
        out.append(text(VIEW_X + 12, vy + 22, view, 14, "bold", fill=col))
        for k, s in enumerate(lines):
            out.append(text(VIEW_X + 12, vy + 42 + 17 * k, clip(s, 52), 11))
        out.append(text(VIEW_X + 12, vy + h - 8, clip(VIEW_SOURCE[view], 66), 9, fill="#777"))
        if target in clock_y:
            # Views naming the same clock end side by side, not on one point.
            out.append(arrow(VIEW_X, vy + 18, LAYER_X + LAYER_W - 16, clock_y[target] - 12 + 8 * n, col))
        vy += h + 18
    height = max(height, vy + 10)

    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}">',
        "<defs>" + "".join(
            f'<marker id="to-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>' for c in COLOURS.values()) + "</defs>",
        f'<rect width="{W}" height="{height}" fill="#fff"/>',
        text(30, 32, f"{name}: layers, providers, clocks and the four views", 18, "bold"),
        text(30, 56, f"Linux {show['kernel']['release']}; from tsctl show --json and tsctl check --json", 12, fill="#555"),
    ]
    print("\n".join(head + out + ["</svg>"]))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
