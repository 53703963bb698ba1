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
#include <pthread.h>
#include <sched.h>
int sched_getcpu(void);
int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);
int pthread_attr_setaffinity_np(pthread_attr_t *attr, size_t size, const cpu_set_t *set);

/* clock_adjtime(2) on a PHC's dynamic clock id (glibc declares it only under
 * _GNU_SOURCE). */
#include <sys/timex.h>
static inline int tsctl_clock_adjtime(int clk, struct timex *tx) {
    return (int)syscall(SYS_clock_adjtime, clk, tx);
}

/* Standard output whose writes are sent again after EINTR: tsctl's signal
 * handlers do not restart system calls (a wait must notice a signal at once),
 * and glibc's stdio turns an interrupted write into a lost buffer and an error.
 * fopencookie(3) is declared only under _GNU_SOURCE: the same call, with a
 * struct of the same layout as cookie_io_functions_t. */
#include <stdio.h>
#include <errno.h>
struct tsctl_cookie_io {
    ssize_t (*read)(void *, char *, size_t);
    ssize_t (*write)(void *, const char *, size_t);
    int (*seek)(void *, long long *, int);
    int (*close)(void *);
};
FILE *tsctl_fopencookie(void *cookie, const char *mode, struct tsctl_cookie_io io) __asm__("fopencookie");
static ssize_t tsctl_write_stdout(void *cookie, const char *buf, size_t size) {
    size_t done = 0;
    (void)cookie;
    while (done < size) {
        ssize_t n = write(1, buf + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return done > 0 ? (ssize_t)done : -1;
        done += (size_t)n;
    }
    return (ssize_t)size;
}
/* Replaces stdout with that stream: line-buffered on a terminal, as before,
 * 64 KiB blocks otherwise. Left as it was if the stream cannot be made. */
static inline void tsctl_retry_stdout_writes(void) {
    struct tsctl_cookie_io io = { 0, tsctl_write_stdout, 0, 0 };
    FILE *f = tsctl_fopencookie((void *)0, "w", io);
    if (!f) return;
    setvbuf(f, (void *)0, isatty(1) ? _IOLBF : _IOFBF, 1 << 16);
    fflush(stdout);
    stdout = f;
}

#endif
