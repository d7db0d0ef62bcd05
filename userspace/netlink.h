/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef NETLINK_H
#define NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Large enough for one REPLACE_CIDRS message of VPCSNAT_MAX_CIDRS_PER_MSG entries. */
#define NL_TX_SIZE (64 * 1024 + 1024)

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;	/* 0 if the module has no events group */
	uint32_t portid, seq;
	char *rx;
	size_t rxlen;
};

/* What the kernel said when it refused a request. */
struct nl_error {
	int err;		/* positive errno */
	/*
	 * The socket said ENOBUFS in place of the answer: the answer was lost
	 * (the kernel could not queue it), not the request. The request may
	 * or may not have been carried out.
	 */
	bool lost;
	bool has_msg, has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: from the start of our request */
	char msg[256];		/* NLMSGERR_ATTR_MSG */
};

/*
 * Enters netns (a name under /run/netns, or a path) if given, opens the
 * socket and resolves the family. Returns 0, or an exit code after printing
 * why.
 */
int nl_open(struct nl *nl, const char *netns);
void nl_close(struct nl *nl);
/* A socket of another netlink bus (NETLINK_ROUTE...), in the current netns; 0 or -1 with errno. */
int nl_open_bus(struct nl *nl, int bus);

/* Starts a request for cmd in buf (NL_TX_SIZE bytes). */
struct nlmsghdr *nl_request(struct nl *nl, void *buf, uint8_t cmd, uint16_t flags);

/*
 * Sends nlh and feeds each reply message to cb (may be NULL) until the ACK
 * or the end of the dump. Returns 0, or -1 with e filled in.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	    struct nl_error *e);

/* Prints "Error: <what>: <why>", what formatted like printf. */
void nl_perror(const struct nl_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fills tb[0..max] from the attributes of a generic netlink reply. */
struct nl_attrs {
	const struct nlattr **tb;
	unsigned int max;
};
int nl_parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb, unsigned int max);
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned int max);

#endif
