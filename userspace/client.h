/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one place snatctl speaks vpcsnat's generic netlink family (the
 * messages of include/uapi/linux/vpcsnat.h), over a struct nl of
 * netlink.h. Each call returns 0, or -1 with a struct nl_error to report;
 * none prints, but client_join_events(), which says why it cannot listen.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "cidrs.h"
#include "conf.h"
#include "event.h"
#include "netlink.h"

/* GET_CONFIG: every setting the kernel reports (c->line[k] = 1), table size, counters. */
int client_get(struct nl *nl, struct conf *c, struct nl_error *e);

/*
 * GET_CONFIG and the table (GET_CIDRS) into c (conf_init()ed by the
 * caller): the running configuration, as show-config prints it. A setting
 * the kernel leaves out is an error (EPROTO).
 */
int client_get_conf(struct nl *nl, struct conf *c, struct nl_error *e);

/*
 * SET_CONFIG with the settings of c whose bit (1 << key) is in keys, all
 * applied or none. If the kernel blames one of them, *blamed is its key,
 * else -1.
 */
int client_set(struct nl *nl, const struct conf *c, unsigned int keys, int *blamed,
	       struct nl_error *e);

/*
 * GET_CIDRS: cb for each entry, in the kernel's order, with its sampled
 * hits; cb returns 0, or -1 with errno set to stop.
 */
typedef int (*client_cidr_cb)(const struct cidr *c, uint64_t hits, void *data);
int client_dump(struct nl *nl, client_cidr_cb cb, void *data, struct nl_error *e);

/* ADD_CIDR (with its kind) or DEL_CIDR of c; FLUSH_CIDRS with c NULL. */
int client_cidr(struct nl *nl, uint8_t cmd, const struct cidr *c, struct nl_error *e);

/* How a replace ended, for report_replace() (cli.h). */
struct replace_result {
	struct nl_error e;
	const struct cidr_entry *bad_cidr;	/* the entry the kernel blamed, or NULL */
	int bad_key;				/* the setting it blamed, or -1 */
	/*
	 * The answer to the last message was lost (ENOBUFS: the kernel could not
	 * queue it); read back on a new socket, what runs is the configuration
	 * sent (1), is not (0), or could not be read (-1).
	 */
	bool lost;
	int in_force;
};

/*
 * REPLACE_CIDRS: the table becomes l and, if settings is not NULL, every
 * setting becomes settings', in one transaction: messages of
 * cidr_list_chunk() entries on one socket, all but the last with
 * VPCSNAT_A_MORE, the settings on the last. Staged entries go with the
 * socket on any error. 0, or -1 with r filled in.
 */
int client_replace(struct nl *nl, const struct cidr_list *l, const struct conf *settings,
		   struct replace_result *r);

/* EXPLAIN's answer. */
struct verdict {
	uint8_t reason;			/* enum vpcsnat_reason */
	bool has_cidr, has_snat_ip;
	struct cidr cidr;	/* the entry that decided */
	struct ipaddr snat_ip;		/* what it translates to; absent for auto */
	uint8_t mark_reason;		/* enum vpcsnat_mark_reason; 0xff: not said */
	uint32_t mark;			/* the bits set, when marked */
};

/*
 * EXPLAIN of a new connection src -> dst (one family) arriving on iif and
 * leaving by oif (either may be NULL).
 */
int client_explain(struct nl *nl, const struct ipaddr *src, const struct ipaddr *dst,
		   const char *iif, const char *oif, struct verdict *v, struct nl_error *e);

/*
 * WHO: the translation of key's connection as the server saw it (proto,
 * nat_src, dst, zone, and the ports or ICMP's identifier and type) in the
 * conntrack table. 1 with *found filled in; 0 if there is none, e->err
 * ENOENT, or ENXIO when the connection is there but was not translated;
 * -1 with e filled in.
 */
int client_who(struct nl *nl, const struct event *key, struct event *found, struct nl_error *e);

/*
 * A new socket in the events group, with NETLINK_BROADCAST_ERROR (so that
 * the kernel counts what we miss) and a receive buffer of rcvbuf bytes. The
 * socket, or -1 after printing why.
 */
int client_join_events(const struct nl *nl, int rcvbuf);

/* The kernel's events_dropped counter, or -1. */
int64_t client_events_dropped(struct nl *nl);

#endif
