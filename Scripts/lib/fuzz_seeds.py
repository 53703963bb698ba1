#!/usr/bin/env python3
"""Makes the fuzz seeds in Fuzz/corpus/TARGET from real material only:
netlink  the kernel's replies in Tests/TsctlNetlinkTests/Fixtures/*.hex, and
         RTM_NEWLINK dumps read from this machine's kernel in a private network
         namespace with veth, vlan, macvlan and bond links (root; else left out);
desired  the example in docs/desired-state.md and the files the test bed applies,
         each also followed by a NUL and a real `tsctl show --json` (the snapshot
         the target plans against);
baseline the `tsctl show --json` documents the QEMU test bed recorded
         (Tests/Testbed/fixtures/*.log), alone and as before/after pairs, and
         this machine's own (with TSCTL_BIN or a debug build at hand);
argv     the command lines the README shows.
Run from the repository root: python3 Scripts/lib/fuzz_seeds.py"""
import hashlib, os, re, socket, struct, subprocess, sys

OUT = "Fuzz/corpus"


def write(target, data):
    os.makedirs(f"{OUT}/{target}", exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(f"{OUT}/{target}/{name}", "wb") as f:
        f.write(data)


def fixture_datagrams(path):
    """(direction, bytes) per datagram of a captured .hex exchange."""
    grams = []
    for line in open(path):
        t = line.split("#", 1)[0].strip()
        if t in (">", "<"):
            grams.append([t, b""])
        elif t:
            grams[-1][1] += bytes.fromhex(t.replace(" ", ""))
    return [(d, b) for d, b in grams]


def renumber(datagram):
    """The same messages with seq counted from 1, as a fresh channel sends them."""
    msgs, pos = [], 0
    while pos + 16 <= len(datagram):
        ln = struct.unpack_from("<I", datagram, pos)[0]
        if ln < 16 or pos + ln > len(datagram):
            return None
        msgs.append((pos, ln))
        pos += (ln + 3) & ~3
    if not msgs:
        return None
    seqs = [struct.unpack_from("<I", datagram, p + 8)[0] for p, _ in msgs]
    out = bytearray(datagram)
    for (p, _), s in zip(msgs, seqs):
        struct.pack_into("<I", out, p + 8, (s - min(seqs) + 1) & 0xFFFFFFFF)
    return bytes(out)


def netlink_seeds():
    d = "Tests/TsctlNetlinkTests/Fixtures"
    for name in sorted(os.listdir(d)):
        for direction, gram in fixture_datagrams(f"{d}/{name}"):
            if direction != "<":
                continue
            write("netlink", b"\x00" + gram)  # mode 0: every decoder
            r = renumber(gram)
            if r:
                write("netlink", b"\x01" + r)  # mode 1: a batch's answer
                write("netlink", b"\x02" + r)  # mode 2: a dump's answer
    for gram in link_dump():
        write("netlink", b"\x00" + gram)
        write("netlink", b"\x02" + renumber(gram))


LINKS = """ip link add v0 type veth peer name v1
ip link add link v0 name v0.7 type vlan id 7
ip link add link v0 name mv0 type macvlan
ip link add b0 type bond mode active-backup
ip link set v1 master b0
ip link set b0 up
ip link set v1 up"""


def link_dump():
    """RTM_GETLINK dump datagrams from this kernel, in a namespace of its own."""
    if os.geteuid() != 0:
        print("fuzz_seeds: not root: no RTM_NEWLINK seeds captured", file=sys.stderr)
        return []
    if os.environ.get("TSCTL_SEED_INNER") != "1":
        cmd = ["unshare", "-n", "sh", "-c", LINKS.replace("\n", " 2>/dev/null; ") + " 2>/dev/null; "
               + f"TSCTL_SEED_INNER=1 {sys.executable} {os.path.abspath(__file__)} --links"]
        out = subprocess.run(cmd, capture_output=True, check=True).stdout
        return [bytes.fromhex(l) for l in out.decode().split()]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    # RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP, seq 1; ifinfomsg; IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS
    body = bytes(16) + struct.pack("<HHI", 8, 29, 1 << 3)
    s.send(struct.pack("<IHHII", 16 + len(body), 18, 0x301, 1, 0) + body)
    grams = []
    while True:
        g = s.recv(65536)
        grams.append(g)
        pos = 0
        while pos + 16 <= len(g):
            ln, typ = struct.unpack_from("<IH", g, pos)
            if typ in (2, 3):  # NLMSG_ERROR / NLMSG_DONE ends the dump
                return grams
            pos += max(16, (ln + 3) & ~3)


def json_documents(path):
    """Every `tsctl show --json` document in a test bed log."""
    docs, cur = [], None
    for line in open(path):
        if line.startswith("{"):
            cur = [line]
        elif cur is not None:
            cur.append(line)
            if line.rstrip() == "}":
                doc = "".join(cur)
                if '"schema_version"' in doc:
                    docs.append(doc.encode())
                cur = None
    return docs


def baseline_seeds():
    d = "Tests/Testbed/fixtures"
    all_docs = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".log"):
            docs = json_documents(f"{d}/{name}")
            all_docs += docs
            for doc in docs:
                write("baseline", doc)
            for a, b in zip(docs, docs[1:]):  # a change between two test bed steps
                write("baseline", a + b"\x00" + b)
    # This machine's own interfaces, when a tsctl binary is at hand.
    tsctl = os.environ.get("TSCTL_BIN", ".build/debug/tsctl")
    if os.access(tsctl, os.X_OK):
        doc = subprocess.run([tsctl, "show", "--all", "--json"], capture_output=True).stdout
        if doc:
            write("baseline", doc)
            all_docs.append(doc)
    return all_docs


def desired_seeds(snapshots):
    blocks = re.findall(r"```toml\n(.*?)```", open("docs/desired-state.md").read(), re.S)
    # The files the test bed applies to real kernels (heredocs in its scenario).
    blocks += re.findall(r"<<'EOF'\n(.*?)^EOF", open("Scripts/testbed/scenarios/tsctl-apply.sh").read(), re.S | re.M)
    # A few distinct snapshots, from different kernels and states.
    distinct = list(dict.fromkeys(snapshots))
    picks = distinct[:: max(1, len(distinct) // 4)][:4]
    for i, block in enumerate(b.encode() for b in blocks):
        write("desired", block)
        write("desired", block + b"\x00" + picks[i % len(picks)])


ARGV = """show
show --all
show --all --json
show eth2
check
check --strict --json eth0
check --expect board.toml --baseline base.json --prefer mac --format junit
check --format prometheus --probe
set eth2 --source mac --tx on --rx all
set eth2 --source phy:1 --dry-run
set eth0 --qualifier approx --flags bonded-phc-index --netns red
set eth0 --no-flags --force
apply /etc/tsctl/timestamping.toml
apply --wait 60 --keep board.toml
apply --keep --interval 30 board.toml
probe eth0 --json
--generate-completion-script bash
set --help
--version"""


def argv_seeds():
    for line in ARGV.splitlines():
        write("argv", line.replace(" ", "\x00").encode())


if __name__ == "__main__":
    if sys.argv[1:] == ["--links"]:
        for g in link_dump():
            print(g.hex())
        sys.exit(0)
    netlink_seeds()
    desired_seeds(baseline_seeds())
    argv_seeds()
