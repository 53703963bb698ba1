/* How long another user of the RTNL lock waits: every INTERVAL microseconds,
 * `ip link set dev IF up` as one RTM_NEWLINK request (IFF_UP on a link that
 * is up already: the kernel takes the RTNL lock and changes nothing), timed
 * from send to its ACK. Runs until SIGTERM/SIGINT or for SECONDS, then prints
 * "requests N median-us M p90-us P p99-us Q max-us X".
 *
 * Build: gcc -O2 -o rtnlwait rtnlwait.c
 * Usage: rtnlwait IF INTERVAL-US [SECONDS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static double now_us(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
	if (argc < 3) { fprintf(stderr, "usage: rtnlwait IF INTERVAL-US [SECONDS]\n"); return 2; }
	unsigned ifindex = if_nametoindex(argv[1]);
	if (!ifindex) { perror(argv[1]); return 1; }
	long interval = atol(argv[2]);
	double seconds = argc > 3 ? atof(argv[3]) : 0;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) { perror("socket"); return 1; }

	struct { struct nlmsghdr h; struct ifinfomsg i; } req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_NEWLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex, .ifi_flags = IFF_UP, .ifi_change = IFF_UP },
	};
	size_t cap = 1 << 16, n = 0;
	double *lat = malloc(cap * sizeof *lat);
	char buf[8192];
	double end = seconds > 0 ? now_us() + seconds * 1e6 : 0;
	while (!stop && (!end || now_us() < end)) {
		req.h.nlmsg_seq++;
		double t0 = now_us();
		if (send(fd, &req, sizeof req, 0) < 0) { if (errno == EINTR) continue; perror("send"); return 1; }
		for (;;) {
			ssize_t r = recv(fd, buf, sizeof buf, 0);
			if (r < 0 && errno == EINTR) { if (stop) break; continue; }
			if (r < 0) { perror("recv"); return 1; }
			struct nlmsghdr *h = (void *)buf;
			if (h->nlmsg_seq != req.h.nlmsg_seq) continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				if (e) { fprintf(stderr, "RTM_NEWLINK %s: %s\n", argv[1], strerror(-e)); return 1; }
			}
			break;
		}
		if (stop) break;
		if (n == cap) lat = realloc(lat, (cap *= 2) * sizeof *lat);
		lat[n++] = now_us() - t0;
		if (interval > 0) usleep(interval);
	}
	if (!n) { printf("requests 0\n"); return 0; }
	qsort(lat, n, sizeof *lat, cmp);
	printf("requests %zu median-us %.1f p90-us %.1f p99-us %.1f max-us %.1f\n", n, lat[n / 2], lat[n * 9 / 10],
	       lat[n * 99 / 100], lat[n - 1]);
	return 0;
}
