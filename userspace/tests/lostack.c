// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * An LD_PRELOAD shim that loses one answer from the kernel, as a netlink
 * socket does when the kernel cannot queue it: the answer is read and
 * thrown away, and recvmsg() fails with ENOBUFS in its place.
 *
 *   LOSTACK_SKIP=K LD_PRELOAD=.../lostack.so snatctl ...
 *
 * loses the answer to the (K+1)-th VPCSNAT_CMD_REPLACE_CIDRS message
 * (LOSTACK_SKIP defaults to 0). The family lookup (GENL_ID_CTRL) is never
 * counted. Only for tests: snatctl's own code runs unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <uapi/linux/vpcsnat.h>

static long seen;
static int armed;

static void look(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	const char *skip = getenv("LOSTACK_SKIP");

	if (len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_type < NLMSG_MIN_TYPE ||
	    nlh->nlmsg_type == GENL_ID_CTRL || genl->cmd != VPCSNAT_CMD_REPLACE_CIDRS)
		return;
	if (seen++ == (skip ? atol(skip) : 0))
		armed = 1;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t addrlen)
{
	ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t) =
		dlsym(RTLD_NEXT, "sendto");

	look(buf, len);
	return real(fd, buf, len, flags, addr, addrlen);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ssize_t (*real)(int, struct msghdr *, int) = dlsym(RTLD_NEXT, "recvmsg");
	ssize_t ret = real(fd, msg, flags);

	if (armed && ret >= 0) {
		armed = 0;
		errno = ENOBUFS;
		return -1;
	}
	return ret;
}
