// SPDX-License-Identifier: GPL-2.0
/*
 * tstool: the legacy timestamping calls ptp4l makes, for the tsctl test bed guest.
 *
 *   tstool tsinfo IFACE          ETHTOOL_GET_TS_INFO ioctl (what ptp4l reads)
 *   tstool get IFACE             SIOCGHWTSTAMP
 *   tstool set IFACE TX RX       SIOCSHWTSTAMP with numeric tx type and rx filter
 *   tstool tx IFACE              send one PTPv2 Sync over L2 with hardware transmit
 *                                timestamping; print the timestamp that came back and
 *                                the PHC whose time is nearest to it (the one that
 *                                stamped)
 *   tstool nocap CMD [ARGS...]   run CMD as root without CAP_NET_ADMIN (dropped from the
 *                                bounding, inheritable, permitted and effective sets;
 *                                busybox has no setpriv or capsh)
 *
 * Every result is one line "tstool CMD IFACE key=value ..." so the host can parse it.
 * Built static on the host; it runs inside the busybox initramfs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_TIMESTAMPING
#define SO_TIMESTAMPING 37
#endif
#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING SO_TIMESTAMPING
#endif
#ifndef PACKET_TX_TIMESTAMP
#define PACKET_TX_TIMESTAMP 16
#endif

static int ifreq_call(const char *ifname, unsigned long req, void *data)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = data;
	rc = ioctl(fd, req, &ifr) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static int fail(const char *cmd, const char *ifname, int rc)
{
	printf("tstool %s %s error=%d (%s)\n", cmd, ifname, -rc, strerror(-rc));
	return 1;
}

static int cmd_tsinfo(const char *ifname)
{
	struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
	int rc = ifreq_call(ifname, SIOCETHTOOL, &info);

	if (rc)
		return fail("tsinfo", ifname, rc);
	printf("tstool tsinfo %s phc=%d so_timestamping=0x%x tx_types=0x%x rx_filters=0x%x\n",
	       ifname, info.phc_index, info.so_timestamping, info.tx_types, info.rx_filters);
	return 0;
}

static int cmd_get(const char *ifname)
{
	struct hwtstamp_config cfg = { 0 };
	int rc = ifreq_call(ifname, SIOCGHWTSTAMP, &cfg);

	if (rc)
		return fail("get", ifname, rc);
	printf("tstool get %s tx=%d rx=%d flags=%d\n", ifname, cfg.tx_type, cfg.rx_filter, cfg.flags);
	return 0;
}

static int cmd_set(const char *ifname, int tx, int rx)
{
	struct hwtstamp_config cfg = { .tx_type = tx, .rx_filter = rx };
	int rc = ifreq_call(ifname, SIOCSHWTSTAMP, &cfg);

	if (rc)
		return fail("set", ifname, rc);
	printf("tstool set %s tx=%d rx=%d flags=%d\n", ifname, cfg.tx_type, cfg.rx_filter, cfg.flags);
	return 0;
}

/* One PTPv2 Sync message in an Ethernet frame to the PTP multicast address. */
static size_t build_sync(unsigned char *buf, const unsigned char *src)
{
	static const unsigned char dst[6] = { 0x01, 0x1b, 0x19, 0x00, 0x00, 0x00 };
	unsigned char *ptp = buf + 14;

	memset(buf, 0, 14 + 44);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x88;
	buf[13] = 0xf7;
	ptp[0] = 0x00;		/* messageType Sync */
	ptp[1] = 0x02;		/* versionPTP 2 */
	ptp[3] = 44;		/* messageLength */
	ptp[30] = 0x00;		/* sequenceId */
	ptp[31] = 0x01;
	return 14 + 44;
}

/* The PHC whose time is nearest to TS (within 10 s), or -1: the clock that stamped. */
static int nearest_phc(const struct timespec *ts)
{
	long double best = 10.0L;
	int best_idx = -1;

	for (int i = 0; i < 32; i++) {
		char path[32];
		struct timespec now;
		long double diff;
		int fd;

		snprintf(path, sizeof(path), "/dev/ptp%d", i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		/* FD_TO_CLOCKID */
		if (clock_gettime((clockid_t)((~(unsigned int)fd << 3) | 3), &now) == 0) {
			diff = (long double)(now.tv_sec - ts->tv_sec) +
			       (long double)(now.tv_nsec - ts->tv_nsec) / 1e9L;
			if (diff < 0)
				diff = -diff;
			if (diff < best) {
				best = diff;
				best_idx = i;
			}
		}
		close(fd);
	}
	return best_idx;
}

static int cmd_tx(const char *ifname)
{
	unsigned int ifindex = if_nametoindex(ifname);
	int fd, flags, rc;
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr;
	unsigned char frame[128];
	size_t len;

	if (!ifindex)
		return fail("tx", ifname, -errno);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_1588));
	if (fd < 0)
		return fail("tx", ifname, -errno);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return fail("tx", ifname, -errno);
	flags = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE |
		SOF_TIMESTAMPING_OPT_TSONLY;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) < 0)
		return fail("tx", ifname, -errno);
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_protocol = htons(ETH_P_1588);
	sll.sll_halen = 6;
	len = build_sync(frame, (unsigned char *)ifr.ifr_hwaddr.sa_data);
	memcpy(sll.sll_addr, frame, 6);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return fail("tx", ifname, -errno);

	for (int tries = 0; tries < 10; tries++) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		char data[256], control[512];
		struct iovec iov = { data, sizeof(data) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = control, .msg_controllen = sizeof(control) };
		struct cmsghdr *cm;

		rc = poll(&pfd, 1, 100);
		if (rc <= 0)
			continue;
		if (recvmsg(fd, &msg, MSG_ERRQUEUE) < 0)
			continue;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPING) {
				struct timespec *ts = (struct timespec *)CMSG_DATA(cm);

				if (ts[2].tv_sec || ts[2].tv_nsec) {
					printf("tstool tx %s hw=%lld.%09ld phc=%d\n", ifname,
					       (long long)ts[2].tv_sec, ts[2].tv_nsec,
					       nearest_phc(&ts[2]));
					close(fd);
					return 0;
				}
			}
		}
	}
	close(fd);
	printf("tstool tx %s hw=none\n", ifname);
	return 0;
}

/* Drops CAP_NET_ADMIN for good (an exec as root would regain what the bounding set
 * keeps), then runs the command. */
static int cmd_nocap(char **argv)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	unsigned int word = CAP_NET_ADMIN / 32, bit = 1u << (CAP_NET_ADMIN % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0) < 0) {
		perror("tstool nocap: PR_CAPBSET_DROP");
		return 126;
	}
	if (syscall(SYS_capget, &hdr, data) < 0) {
		perror("tstool nocap: capget");
		return 126;
	}
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data) < 0) {
		perror("tstool nocap: capset");
		return 126;
	}
	execvp(argv[0], argv);
	perror("tstool nocap: exec");
	return 127;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "tsinfo"))
		return cmd_tsinfo(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "get"))
		return cmd_get(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "set"))
		return cmd_set(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "tx"))
		return cmd_tx(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "nocap"))
		return cmd_nocap(argv + 2);
	fprintf(stderr, "usage: tstool tsinfo|get|tx IFACE | tstool set IFACE TX RX | tstool nocap CMD [ARGS...]\n");
	return 2;
}
