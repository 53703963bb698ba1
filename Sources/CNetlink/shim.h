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

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module lacks. */
int setns(int fd, int nstype);
int unshare(int flags);
#endif
