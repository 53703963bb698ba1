#!/usr/bin/env python3
"""What the kernel says about each interface through paths tsctl does not use:
the ETHTOOL_GET_TS_INFO and SIOCGHWTSTAMP ioctls, and sysfs. Prints JSON.
Names of the SOF_TIMESTAMPING bits are the kernel's (include/uapi/linux/net_tstamp.h,
ethtool's string set 12), kept here independently of tsctl's own table."""
import array
import fcntl
import json
import os
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
SIOCGHWTSTAMP = 0x89b1
ETHTOOL_GET_TS_INFO = 0x41
SOF = ["hardware-transmit", "software-transmit", "hardware-receive", "software-receive",
       "software-system-clock", "hardware-legacy-clock", "hardware-raw-clock", "option-id",
       "sched-transmit", "ack-transmit", "option-cmsg", "option-tsonly", "option-stats",
       "option-pktinfo", "option-tx-swhw", "bind-phc", "option-id-tcp", "option-rx-filter",
       "tx-completion"]


def ifreq_ioctl(sock, name, req, buf):
    addr, _ = buf.buffer_info()
    ifr = struct.pack("16sP", name.encode(), addr) + b"\0" * 16
    fcntl.ioctl(sock.fileno(), req, ifr)


def view(name):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out = {"name": name, "ifindex": socket.if_nametoindex(name)}
    info = array.array("I", [ETHTOOL_GET_TS_INFO] + [0] * 10)
    ifreq_ioctl(s, name, SIOCETHTOOL, info)
    out["timestamping"] = [SOF[i] for i in range(32) if info[1] & (1 << i)]
    phc = struct.unpack("i", struct.pack("I", info[2]))[0]
    out["phc_index"] = None if phc < 0 else phc
    out["tx_types_mask"] = info[3]
    out["rx_filters_mask"] = info[7]
    cfg = array.array("i", [0, 0, 0])
    try:
        ifreq_ioctl(s, name, SIOCGHWTSTAMP, cfg)
        out["hwtstamp_errno"] = 0
        out["hwtstamp"] = list(cfg)
    except OSError as e:
        out["hwtstamp_errno"] = e.errno
    drv = "/sys/class/net/%s/device/driver" % name
    out["driver"] = os.path.basename(os.readlink(drv)) if os.path.islink(drv) else None
    return out


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(os.listdir("/sys/class/net"))
    print(json.dumps([view(n) for n in names]))
