/* The floor for `tsctl show --all --json`: the same netlink work with libnl and
 * nothing else. Resolve the ethtool family, one TSINFO dump over all devices,
 * one PHY_GET dump, then a TSINFO do and a TSCONFIG_GET do per interface (the
 * interfaces the TSINFO dump named), many requests per sendmsg and many replies
 * per recvmmsg. Prints only counters.
 *
 * `floor dumps` is the plan with the fewest round trips instead: a TSCONFIG_GET
 * dump too (it leaves out the devices that answer EOPNOTSUPP), and the two *do*
 * requests only for the interfaces whose TSINFO dump names a PHC.
 *
 * `floor dumps links` adds what tsctl needs besides ethtool's answers: one
 * RTM_GETLINK dump (kind, lower device, master, bond slave, parent device of
 * every link; statistics skipped where the kernel allows), read 16 KiB a
 * datagram as tsctl reads it. `floor dumps links-beside` makes that dump on a
 * second thread while the ethtool dumps are made: the least wall time any tool
 * printing what the link dump says can take on two cores.
 *
 * Build: gcc -O2 -o floor floor.c $(pkg-config --cflags --libs libnl-genl-3.0)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

enum { TSINFO_GET = 25, PHY_GET = 45, TSCONFIG_GET = 46, HDR = 1, HDR_DEV_INDEX = 1, TSINFO_PHC_INDEX = 5 };
enum { CHUNK = 256, SLOT = 8192 }; /* requests per sendmsg; bytes per reply slot */

static struct nl_sock *sk;
static int fd, family;
static unsigned seq = 100;

static void die(const char *what) { perror(what); exit(1); }

/* One request: genl header + ETHTOOL_A_*_HEADER nest, optionally with DEV_INDEX. */
static struct nl_msg *request(int cmd, int flags, unsigned ifindex) {
	struct nl_msg *m = nlmsg_alloc_size(128);
	genlmsg_put(m, NL_AUTO_PORT, seq++, family, 0, flags, cmd, 1);
	struct nlattr *h = nla_nest_start(m, HDR);
	if (ifindex) nla_put_u32(m, HDR_DEV_INDEX, ifindex);
	nla_nest_end(m, h);
	return m;
}

/* A dump: count its messages; collect the ifindex of each TSINFO message (with
 * phc_only, of those that name a PHC). */
static long dump(int cmd, unsigned **ifs, long *nifs, int phc_only) {
	static char buf[1 << 16];
	struct nl_msg *m = request(cmd, NLM_F_REQUEST | NLM_F_DUMP, 0);
	struct nlmsghdr *req = nlmsg_hdr(m);
	unsigned want = req->nlmsg_seq;
	if (send(fd, req, req->nlmsg_len, 0) < 0) die("send");
	nlmsg_free(m);
	long count = 0, cap = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0) die("recv dump");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != want) continue;
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return count;
			count++;
			if (!ifs) continue;
			if (phc_only && !nlmsg_find_attr(h, GENL_HDRLEN, TSINFO_PHC_INDEX)) continue;
			struct nlattr *a = nlmsg_find_attr(h, GENL_HDRLEN, HDR);
			struct nlattr *i = a ? nla_find(nla_data(a), nla_len(a), HDR_DEV_INDEX) : NULL;
			if (!i) continue;
			unsigned idx = nla_get_u32(i);
			if (*nifs && (*ifs)[*nifs - 1] == idx) continue; /* several providers of one device */
			if (*nifs == cap) *ifs = realloc(*ifs, (cap = cap ? cap * 2 : 1024) * sizeof **ifs);
			(*ifs)[(*nifs)++] = idx;
		}
	}
}

/* RTM_GETLINK dump over all links; returns the number of links. */
static long links(void) {
	static char buf[16384];
	int rfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rfd < 0) die("socket(NETLINK_ROUTE)");
	int rb = 4 << 20;
	setsockopt(rfd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
	struct { struct nlmsghdr h; struct ifinfomsg i; struct nlattr a; unsigned mask; } req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.a = { .nla_len = 8, .nla_type = IFLA_EXT_MASK }, .mask = 1 << 3, /* RTEXT_FILTER_SKIP_STATS */
	};
	if (send(rfd, &req, sizeof req, 0) < 0) die("send RTM_GETLINK");
	long count = 0;
	for (;;) {
		ssize_t n = recv(rfd, buf, sizeof buf, 0);
		if (n < 0) die("recv RTM_GETLINK");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) { close(rfd); return count; }
			count++;
		}
	}
}

static void *links_thread(void *out) {
	*(long *)out = links();
	return NULL;
}

int main(int argc, char **argv) {
	int dumps = argc > 1 && !strcmp(argv[1], "dumps");
	int beside = argc > 2 && !strcmp(argv[2], "links-beside");
	int with_links = beside || (argc > 2 && !strcmp(argv[2], "links"));
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) die("genl_connect");
	family = genl_ctrl_resolve(sk, "ethtool");
	if (family < 0) { fprintf(stderr, "no ethtool genl family\n"); return 1; }
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	fd = nl_socket_get_fd(sk);

	long link_msgs = 0;
	pthread_t side;
	if (beside) {
		if (pthread_create(&side, NULL, links_thread, &link_msgs)) die("pthread_create");
	} else if (with_links) {
		link_msgs = links();
	}
	unsigned *ifs = NULL;
	long nifs = 0;
	long tsinfo_msgs = dump(TSINFO_GET, &ifs, &nifs, dumps);
	long phy_msgs = dump(PHY_GET, NULL, NULL, 0);
	long tsconfig_msgs = dumps ? dump(TSCONFIG_GET, NULL, NULL, 0) : 0;
	if (beside) pthread_join(side, NULL);

	/* Two templates, patched per interface: seq and DEV_INDEX. */
	struct nl_msg *tm[2] = { request(TSINFO_GET, NLM_F_REQUEST, 1), request(TSCONFIG_GET, NLM_F_REQUEST, 1) };
	struct nlmsghdr *th[2] = { nlmsg_hdr(tm[0]), nlmsg_hdr(tm[1]) };
	size_t len = NLMSG_ALIGN(th[0]->nlmsg_len);
	char *out = malloc(len * CHUNK);
	char *in = malloc((size_t)SLOT * CHUNK);
	struct mmsghdr mv[CHUNK];
	struct iovec iov[CHUNK];
	long replies = 0, errors = 0;
	for (long first = 0; first < nifs * 2; first += CHUNK) {
		long k = nifs * 2 - first < CHUNK ? nifs * 2 - first : CHUNK;
		for (long j = 0; j < k; j++) {
			struct nlmsghdr *h = (void *)(out + j * len);
			memcpy(h, th[(first + j) & 1], len);
			h->nlmsg_seq = seq++;
			/* nlmsghdr, genlmsghdr, nest header, u32 attr header, then the value */
			*(unsigned *)((char *)h + NLMSG_HDRLEN + GENL_HDRLEN + 8) = ifs[(first + j) / 2];
		}
		if (send(fd, out, len * k, 0) < 0) die("send batch");
		/* No NLM_F_ACK: each request ends in exactly one message, its reply or its error. */
		for (long got = 0; got < k;) {
			for (long j = 0; j < k - got; j++) {
				iov[j] = (struct iovec){ in + j * SLOT, SLOT };
				mv[j] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[j], .msg_iovlen = 1 } };
			}
			int n = recvmmsg(fd, mv, k - got, MSG_WAITFORONE, NULL);
			if (n < 0) die("recvmmsg");
			for (int j = 0; j < n; j++) {
				struct nlmsghdr *h = iov[j].iov_base;
				if (h->nlmsg_type == NLMSG_ERROR) errors++; else replies++;
			}
			got += n;
		}
	}
	if (with_links) printf("links %ld ", link_msgs);
	printf("tsinfo-dump %ld phy-dump %ld tsconfig-dump %ld do-interfaces %ld do-replies %ld do-errors %ld\n",
	       tsinfo_msgs, phy_msgs, tsconfig_msgs, nifs, replies, errors);
	return 0;
}
