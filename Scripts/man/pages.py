"""The parts of tsctl's manual pages a command definition does not hold, in roff.
generate.py puts them in the pages it builds from `tsctl --experimental-dump-help`."""

SEE_ALSO = r"""\fBethtool\fR(8), \fBptp4l\fR(8), \fBphc2sys\fR(8), \fBts2phc\fR(8), \fBip\-netns\fR(8),
\fBsystemd.service\fR(5)"""

ENVIRONMENT = r""".TP
.B NO_COLOR
When set and not empty, text output has no colour. Colour is used only when standard
output is a terminal.
.TP
.B NOTIFY_SOCKET
Set by systemd for a Type=notify service: \fBtsctl apply \-\-keep\fR sends READY=1 there
once the first apply is done, so units ordered after it start with the configuration in
place.
.TP
.B TSCTL_NETLINK_TRACE
A file to which every generic netlink datagram is appended as hex (for bug reports and
the test fixtures)."""

FILES = r""".TP
.I /etc/tsctl/timestamping.toml
The desired-state file the systemd units apply (\fBtsctl\-apply\fR(8)).
.TP
.I /usr/share/tsctl/examples/timestamping.toml
An example desired-state file.
.TP
.I /usr/share/tsctl/schemas/show.schema.json
The JSON Schema of \fBtsctl show \-\-json\fR (schema_version 1).
.TP
.I /usr/lib/systemd/system/tsctl\-apply.service
Applies the file once at boot, before ptp4l, phc2sys, ts2phc, timemaster and chrony.
.TP
.I /usr/lib/systemd/system/tsctl\-keep.service
Keeps it applied (the kernel forgets a PHY selection when the PHY detaches);
Type=notify, ready after the first apply.
.TP
.I /usr/lib/systemd/system/ptp4l@.service.d/tsctl.conf
With the same for phc2sys@ and ts2phc@: every instance of these templates starts after
the tsctl units.
.TP
.I /sys/class/ptp/ptpN, /dev/ptpN
The PTP hardware clocks (PHCs) and the devices that own them.
.TP
.I /run/netns/NAME
Network namespaces made by \fBip netns add\fR, for \fB\-\-netns\fR.
.TP
.I /proc/PID/cmdline, /proc/PID/fd
How tsctl finds running PTP daemons and the clocks they use."""

EXAMPLES = {
    "tsctl": r""".TP
.B tsctl show
Every interface with a hardware timestamp provider: its MAC and PHY providers, the
advertised one and the active one.
.TP
.B tsctl show \-\-all \-\-json
Every interface, as one JSON document.
.TP
.B tsctl check \-\-strict
Every mismatch between the advertised, active, expected and observed views; exit 1 on
an error or a warning.
.TP
.B tsctl set eth2 \-\-source mac \-\-tx on \-\-rx all
Make the MAC's clock stamp eth2's PTP packets.
.TP
.B tsctl apply \-\-wait 60 /etc/tsctl/timestamping.toml
Apply a desired-state file, waiting for PHY clocks to appear.""",
    "tsctl-show": r""".TP
.B tsctl show eth2
One interface.
.TP
.B tsctl show \-\-netns board1 \-\-all
Every interface of network namespace board1.
.TP
.B tsctl show \-\-json > baseline.json
Save a baseline for \fBtsctl check \-\-baseline\fR.""",
    "tsctl-check": r""".TP
.B tsctl check
Every interface; one line per problem, worst first, with a fix.
.TP
.B tsctl check \-\-expect /etc/tsctl/timestamping.toml \-\-strict
Verify a desired-state file without changing anything.
.TP
.B tsctl check \-\-baseline baseline.json
What changed since the baseline (after a kernel update, say).
.TP
.B tsctl check \-\-format prometheus \-\-output /var/lib/prometheus/node\-exporter/tsctl.prom
A textfile for node_exporter's textfile collector, replaced atomically; exit 0 once written, whatever the findings.
.TP
.B tsctl check \-\-format tap \-\-strict
TAP version 13, one test point per check and interface, as kselftest prints it.""",
    "tsctl-set": r""".TP
.B tsctl set eth2 \-\-source mac \-\-tx on \-\-rx all
Select the MAC's provider with transmit and receive timestamping on.
.TP
.B tsctl set eth2 \-\-source phy:1 \-\-dry\-run
Print the exact change and touch nothing.
.TP
.B tsctl set eth2 \-\-rx ptpv2\-event \-\-force
Change the receive filter even though ptp4l uses eth2.""",
    "tsctl-apply": r""".TP
.B tsctl apply \-\-dry\-run board.toml
Print what would change.
.TP
.B tsctl apply \-\-wait 60 /etc/tsctl/timestamping.toml
Apply at boot; exit 10 when everything already is as the file says.
.TP
.B tsctl apply \-\-keep \-\-wait 60 /etc/tsctl/timestamping.toml
Keep the file applied (what tsctl\-keep.service runs); beside a running ptp4l only
the provider is kept, tx/rx are left to ptp4l.""",
    "tsctl-probe": r""".TP
.B tsctl probe eth2
Send one PTP frame from eth2 and name the clock that stamped it.
.TP
.B tsctl probe \-\-json eth2 eth3
The same for two interfaces, as JSON.""",
}

EXIT = {
    "tsctl-show": r""".PP
0 when the interfaces were shown (also when none has a hardware provider), 2 for bad
options or interface names, 4 for an interface that does not exist, 5 when the kernel
lacks the ethtool netlink family, 11 for another error from the kernel.""",
    "tsctl-check": r""".PP
0 when no finding is an error (with \fB\-\-strict\fR: no warning and no check that could not
run either), 1 otherwise; 3 when the \fB\-\-expect\fR or \fB\-\-baseline\fR file cannot be
read or is invalid.""",
    "tsctl-set": r""".PP
0 changed and verified, or already as asked (nothing sent); 4 no such interface or
provider; 5 not supported by this kernel; 6 without CAP_NET_ADMIN;
7 failed and rolled back; 8 rollback incomplete; 12 refused because a PTP daemon uses the
interface.""",
    "tsctl-apply": r""".PP
0 applied; 10 nothing to do (every interface already as the file says: not an error, and
the systemd units count it as success); 3 invalid file; 7 failed and every changed
interface rolled back; 8 rollback incomplete; 9 timed out waiting (\fB\-\-wait\fR); 12
refused because a PTP daemon uses an interface.""",
    "tsctl-probe": r""".PP
0 when every probe named the clock that stamped the frame; 1 when a probe was
inconclusive (no timestamp, or transmit timestamping off).""",
}

EXTRA = {"tsctl": {"ENVIRONMENT": ENVIRONMENT, "FILES": FILES, "EXAMPLES": EXAMPLES["tsctl"]}}
for _name, _ex in EXAMPLES.items():
    if _name != "tsctl":
        EXTRA[_name] = {"EXAMPLES": _ex, "EXIT STATUS": EXIT.get(_name)}
EXTRA["tsctl-apply"]["FILES"] = r""".TP
.I /etc/tsctl/timestamping.toml
The file the systemd units apply; its format is in /usr/share/doc/tsctl/desired\-state.md.
.TP
.I /usr/share/tsctl/examples/timestamping.toml
An example."""
EXTRA["tsctl-check"]["FILES"] = r""".TP
.I /usr/share/tsctl/schemas/show.schema.json
The schema of a \fB\-\-baseline\fR file (the output of \fBtsctl show \-\-json\fR)."""
