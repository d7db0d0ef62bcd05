// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <uapi/linux/vpcsnat.h>
#include "netlink.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct talk {
	mnl_cb_t cb;
	void *data;
	struct nl_error *e;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= a->max)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb, unsigned int max)
{
	struct nl_attrs a = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, &a);
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned int max)
{
	struct nl_attrs a = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, attr_cb, &a);
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct nl_error *e = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			break;
		snprintf(e->msg, sizeof(e->msg), "%s", mnl_attr_get_str(attr));
		e->has_msg = e->msg[0] != '\0';
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			break;
		e->offs = mnl_attr_get_u32(attr);
		e->has_offs = true;
		break;
	}
	return MNL_CB_OK;
}

static void parse_extack(const struct nlmsghdr *nlh, unsigned int off, struct nl_error *e)
{
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && mnl_nlmsg_size(off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, off, extack_cb, e);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	unsigned int off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!err->error)
		return MNL_CB_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += MNL_ALIGN(err->msg.nlmsg_len) - sizeof(struct nlmsghdr);
	t->e->err = err->error < 0 ? -err->error : err->error;
	parse_extack(nlh, off, t->e);
	errno = t->e->err;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return MNL_CB_STOP;
	t->e->err = err < 0 ? -err : err;
	parse_extack(nlh, sizeof(int), t->e);
	errno = t->e->err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	    struct nl_error *e)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	struct talk t = { cb, data, e };
	uint32_t seq = ++nl->seq;
	ssize_t len;
	int ret;

	memset(e, 0, sizeof(*e));
	nlh->nlmsg_seq = seq;
	/* NLM_F_DUMP is two bits, one of them NLM_F_EXCL's: both mean a dump. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		e->err = errno;
		return -1;
	}
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->rx, nl->rxlen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			e->err = errno;
			e->lost = errno == ENOBUFS;
			return -1;
		}
		errno = 0;
		ret = mnl_cb_run2(nl->rx, (size_t)len, seq, nl->portid, data_cb, &t,
				  ctl, ARRAY_SIZE(ctl));
		if (ret < 0) {
			if (!e->err)
				e->err = errno ? errno : EPROTO;
			return -1;
		}
	} while (ret > MNL_CB_STOP);
	return 0;
}

struct nlmsghdr *nl_request(struct nl *nl, void *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VPCSNAT_GENL_VERSION;
	return nlh;
}

/* The family id and the events group id, from one CTRL_CMD_GETFAMILY. */
static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1], *grp;
	struct nl *nl = data;

	nl_parse_genl(nlh, tb, CTRL_ATTR_MAX);
	if (!tb[CTRL_ATTR_FAMILY_ID] || mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (nl_parse_nested(grp, gtb, CTRL_ATTR_MCAST_GRP_MAX) < 0 ||
		    !gtb[CTRL_ATTR_MCAST_GRP_NAME] || !gtb[CTRL_ATTR_MCAST_GRP_ID] ||
		    mnl_attr_validate(gtb[CTRL_ATTR_MCAST_GRP_NAME], MNL_TYPE_NUL_STRING) < 0 ||
		    mnl_attr_validate(gtb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) < 0)
			continue;
		if (!strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    VPCSNAT_MCGRP_EVENTS_NAME))
			nl->events_group = mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

static int enter_netns(const char *netns)
{
	char path[4096];
	int fd;

	if (strchr(netns, '/'))
		snprintf(path, sizeof(path), "%s", netns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: Cannot open network namespace %s: %s\n", netns,
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "Error: Cannot enter network namespace %s: %s%s\n", netns,
			strerror(errno), errno == EPERM ?
			"; this needs CAP_SYS_ADMIN in the user namespace that owns it" : "");
		close(fd);
		return EXIT_FAILURE;
	}
	close(fd);
	return 0;
}

int nl_open_bus(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->rxlen = 128 * 1024;
	nl->rx = malloc(nl->rxlen);
	nl->sock = mnl_socket_open(bus);
	if (!nl->rx || !nl->sock)
		goto fail;
	/* Both are best effort: without them errors just say less. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return 0;
fail:
	nl_close(nl);
	return -1;
}

int nl_open(struct nl *nl, const char *netns)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nl_error e;
	int ret;

	if (netns && (ret = enter_netns(netns)))
		return ret;
	if (nl_open_bus(nl, NETLINK_GENERIC) < 0) {
		fprintf(stderr, "Error: Cannot open a generic netlink socket: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VPCSNAT_GENL_NAME);
	if (nl_talk(nl, nlh, family_cb, nl, &e) < 0) {
		if (e.err == ENOENT)
			fputs("vpcsnat module is not loaded; modprobe vpcsnat\n", stderr);
		else
			nl_perror(&e, "Cannot resolve generic netlink family %s", VPCSNAT_GENL_NAME);
		nl_close(nl);
		return EXIT_FAILURE;
	}
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rx);
	nl->sock = NULL;
	nl->rx = NULL;
}

void nl_perror(const struct nl_error *e, const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e->has_msg)
		fprintf(stderr, ": %s\n", e->msg);
	else if (e->err == EPERM || e->err == EACCES)
		fputs(": Permission denied; this needs CAP_NET_ADMIN (run as root)\n", stderr);
	else
		fprintf(stderr, ": %s\n", strerror(e->err));
}
