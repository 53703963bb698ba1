#ifndef TSCTL_CNETLINK_SHIM_H
#define TSCTL_CNETLINK_SHIM_H
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <sys/syscall.h>
#include <unistd.h>

/* recvmmsg(2): one system call for many datagrams. glibc declares it (and
 * struct mmsghdr) only under _GNU_SOURCE; this is the same layout. */
struct tsctl_mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };
static inline int tsctl_recvmmsg(int fd, struct tsctl_mmsghdr *v, unsigned int n, int flags) {
    return (int)syscall(SYS_recvmmsg, fd, v, n, flags, (void *)0);
}
#define TSCTL_MSG_WAITFORONE 0x10000

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module lacks. */
int setns(int fd, int nstype);
int unshare(int flags);

/* clock_adjtime(2) on a PHC's dynamic clock id (glibc declares it only under
 * _GNU_SOURCE). */
#include <sys/timex.h>
static inline int tsctl_clock_adjtime(int clk, struct timex *tx) {
    return (int)syscall(SYS_clock_adjtime, clk, tx);
}
#endif
