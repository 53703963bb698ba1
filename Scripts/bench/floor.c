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
 * `floor text` is the kernel work of `tsctl show --all` (text), which makes no
 * dump of every link: the three ethtool dumps and *do* requests of `floor
 * dumps`, the listings of /sys/class/net and /sys/devices/virtual/net (which
 * devices the TSINFO dump left out, which have a parent device), and one
 * RTM_GETLINK dump filtered per stacked kind (vlan, macvlan, macvtap, ipvlan,
 * ipvtap, bond; a kind the kernel has not registered answers with every link,
 * and is left at its first; macvtap and ipvtap only where their sysfs class
 * lists a device). `floor text beside` splits it over two threads as tsctl
 * does: the sysfs listings, the kind dumps and the PHY_GET dump on the second.
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
#include <dirent.h>
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
	genlmsg_put(m, NL_AUTO_PORT, __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED), family, 0, flags, cmd, 1);
	struct nlattr *h = nla_nest_start(m, HDR);
	if (ifindex) nla_put_u32(m, HDR_DEV_INDEX, ifindex);
	nla_nest_end(m, h);
	return m;
}

/* A dump on socket `sock`: count its messages; collect the ifindex of each TSINFO
 * message (with phc_only, of those that name a PHC). */
static long dump(int sock, int cmd, unsigned **ifs, long *nifs, int phc_only) {
	static _Thread_local char buf[1 << 16];
	struct nl_msg *m = request(cmd, NLM_F_REQUEST | NLM_F_DUMP, 0);
	struct nlmsghdr *req = nlmsg_hdr(m);
	unsigned want = req->nlmsg_seq;
	if (send(sock, req, req->nlmsg_len, 0) < 0) die("send");
	nlmsg_free(m);
	long count = 0, cap = 0;
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof buf, 0);
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

/* An RTM_GETLINK dump of `req` on a socket of its own (`strict`: with
 * NETLINK_GET_STRICT_CHK, which filters need); returns the number of links, or
 * with `kind`, -1 at the first link of another kind: the kernel ignored the
 * filter (the kind is not registered), and that dump is left there. */
static long link_dump(const void *req, size_t len, int strict, const char *kind) {
	static _Thread_local char buf[16384];
	int rfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rfd < 0) die("socket(NETLINK_ROUTE)");
	int rb = 4 << 20, one = 1;
	setsockopt(rfd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
	if (strict) setsockopt(rfd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
	if (send(rfd, req, len, 0) < 0) die("send RTM_GETLINK");
	long count = 0;
	for (;;) {
		ssize_t n = recv(rfd, buf, sizeof buf, 0);
		if (n < 0) die("recv RTM_GETLINK");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) { close(rfd); return count; }
			if (kind) {
				struct nlattr *li = nlmsg_find_attr(h, sizeof(struct ifinfomsg), IFLA_LINKINFO);
				struct nlattr *k = li ? nla_find(nla_data(li), nla_len(li), IFLA_INFO_KIND) : NULL;
				if (!k || strcmp(nla_get_string(k), kind)) { close(rfd); return -1; }
			}
			count++;
		}
	}
}

/* Every link, statistics skipped where the kernel allows. */
static long links(void) {
	struct { struct nlmsghdr h; struct ifinfomsg i; struct nlattr a; unsigned mask; } req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.a = { .nla_len = 8, .nla_type = IFLA_EXT_MASK }, .mask = 1 << 3, /* RTEXT_FILTER_SKIP_STATS */
	};
	return link_dump(&req, sizeof req, 0, NULL);
}

/* Entries of a directory (without . and ..); -1 where it cannot be read. */
static long list_dir(const char *path) {
	DIR *d = opendir(path);
	if (!d) return -1;
	long n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
	closedir(d);
	return n;
}

/* The links of one kind: IFLA_LINKINFO { IFLA_INFO_KIND kind }, as tsctl asks;
 * -1 where the kind is not registered. */
static long kind_links(const char *kind) {
	struct {
		struct nlmsghdr h; struct ifinfomsg i; struct nlattr info; struct nlattr k; char name[16];
	} req = { .h = { .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 } };
	size_t klen = strlen(kind) + 1;
	req.k = (struct nlattr){ .nla_len = NLA_HDRLEN + klen, .nla_type = IFLA_INFO_KIND };
	memcpy(req.name, kind, klen);
	req.info = (struct nlattr){ .nla_len = NLA_HDRLEN + NLA_ALIGN(req.k.nla_len), .nla_type = NLA_F_NESTED | IFLA_LINKINFO };
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.i) + req.info.nla_len;
	return link_dump(&req, req.h.nlmsg_len, 1, kind);
}

/* What text reads besides the ethtool dumps: sysfs, then one dump per stacked
 * kind in tsctl's order (StackedKind): a kind that needs another is not asked
 * where that one is not registered, and one whose links all have a device in a
 * sysfs class of its name only where that class lists one. */
static long text_side(void) {
	static const struct { const char *kind; int requires; int sysfs_class; } kinds[] = {
		{ "bond", -1, 0 }, { "ipvlan", -1, 0 }, { "ipvtap", 1, 1 },
		{ "macvlan", -1, 0 }, { "macvtap", 3, 1 }, { "vlan", -1, 0 },
	};
	int unregistered[sizeof kinds / sizeof *kinds] = { 0 };
	long reads = list_dir("/sys/class/net") + list_dir("/sys/devices/virtual/net");
	for (unsigned i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (kinds[i].requires >= 0 && unregistered[kinds[i].requires]) continue;
		if (kinds[i].sysfs_class) {
			char path[64];
			snprintf(path, sizeof path, "/sys/class/%s", kinds[i].kind);
			if (list_dir(path) <= 0) continue;
		}
		long n = kind_links(kinds[i].kind);
		if (n < 0) unregistered[i] = 1; else reads += n;
	}
	return reads;
}

static long side_phys; /* the PHY_GET dump on the second thread's socket */

static void *text_thread(void *out) {
	*(long *)out = text_side();
	struct nl_sock *s2 = nl_socket_alloc();
	if (!s2 || genl_connect(s2) < 0) die("genl_connect (second)");
	nl_socket_set_buffer_size(s2, 4 << 20, 0);
	side_phys = dump(nl_socket_get_fd(s2), PHY_GET, NULL, NULL, 0);
	nl_socket_free(s2);
	return NULL;
}

static void *links_thread(void *out) {
	*(long *)out = links();
	return NULL;
}

int main(int argc, char **argv) {
	int text = argc > 1 && !strcmp(argv[1], "text");
	int text_beside = text && argc > 2 && !strcmp(argv[2], "beside");
	int dumps = text || (argc > 1 && !strcmp(argv[1], "dumps"));
	int beside = !text && argc > 2 && !strcmp(argv[2], "links-beside");
	int with_links = beside || (argc > 2 && !strcmp(argv[2], "links"));
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) die("genl_connect");
	family = genl_ctrl_resolve(sk, "ethtool");
	if (family < 0) { fprintf(stderr, "no ethtool genl family\n"); return 1; }
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	fd = nl_socket_get_fd(sk);

	long link_msgs = 0, text_reads = 0;
	pthread_t side;
	if (text_beside) {
		if (pthread_create(&side, NULL, text_thread, &text_reads)) die("pthread_create");
	} else if (beside) {
		if (pthread_create(&side, NULL, links_thread, &link_msgs)) die("pthread_create");
	} else if (with_links) {
		link_msgs = links();
	}
	unsigned *ifs = NULL;
	long nifs = 0;
	long tsinfo_msgs = dump(fd, TSINFO_GET, &ifs, &nifs, dumps);
	long phy_msgs = text_beside ? 0 : dump(fd, PHY_GET, NULL, NULL, 0);
	long tsconfig_msgs = dumps ? dump(fd, TSCONFIG_GET, NULL, NULL, 0) : 0;
	if (beside || text_beside) pthread_join(side, NULL);
	if (text_beside) phy_msgs = side_phys;
	else if (text) text_reads = text_side();

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
			h->nlmsg_seq = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);
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
	if (text) printf("sysfs-and-kind-dumps %ld ", text_reads);
	printf("tsinfo-dump %ld phy-dump %ld tsconfig-dump %ld do-interfaces %ld do-replies %ld do-errors %ld\n",
	       tsinfo_msgs, phy_msgs, tsconfig_msgs, nifs, replies, errors);
	return 0;
}
