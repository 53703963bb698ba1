#!/usr/bin/env bash
# The concepts page's picture (docs/concepts/macchiatobin-7.2.svg) is what
# docs/concepts/render.py draws from the stored test-bed output beside it: regenerated
# here, it must be byte for byte the committed file, well-formed SVG, and show the
# interface's every provider clock and the four views.
set -euo pipefail
. "$(dirname "$0")/../../Scripts/lib/common.sh"
fail() { echo "FAIL concepts: $*"; exit 1; }
dir=$TSCTL_ROOT/docs/concepts
out=$(mktemp "${TMPDIR:-/tmp}/tsctl-concepts.XXXXXX.svg")
trap 'rm -f "$out"' EXIT
python3 "$dir/render.py" "$dir/macchiatobin-7.2.show.json" "$dir/macchiatobin-7.2.check.json" eth0 >"$out" ||
    fail "render.py failed"
cmp -s "$out" "$dir/macchiatobin-7.2.svg" ||
    fail "the committed picture is not what render.py draws now: $(diff "$dir/macchiatobin-7.2.svg" "$out" | head -5) (regenerate: python3 docs/concepts/render.py docs/concepts/macchiatobin-7.2.show.json docs/concepts/macchiatobin-7.2.check.json eth0 > docs/concepts/macchiatobin-7.2.svg)"
python3 - "$out" "$dir/macchiatobin-7.2.show.json" <<'PY' || fail "the picture is not well-formed or misses a view or clock (above)"
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
for view in ("advertised", "active", "expected", "observed"):
    assert view in texts, "no %s view" % view
show = json.load(open(sys.argv[2]))
for c in show["interfaces"][0]["phcs"]:
    assert any('clock ptp%d "%s"' % (c["index"], c["clock_name"]) in t for t in texts), c
PY
echo "PASS concepts (the picture regenerates from the stored show and check output)"
