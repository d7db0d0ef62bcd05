/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_DECISION_H
#define _VPCSNAT_DECISION_H

#include "portable.h"
#include "table.h"
#include <linux/vpcsnat.h>

/* Interface name prefixes, each as include/vpcsnat/shared.h rules them. */
struct vpcsnat_ifaces {
	u8 nr;
	char name[VPCSNAT_MAX_IFACE_PREFIXES][IFNAMSIZ];
};

/*
 * The settings of one network namespace. Each field is one setting, and
 * its row in settings.c says how it is sent, parsed, shown and checked.
 */
struct vpcsnat_settings {
	bool enabled;
	bool ipv6;		/* IPv6 connections are decided too */
	bool external_snat;
	u8 random;		/* enum vpcsnat_random */
	__be32 snat_ip;		/* 0: auto */
	struct in6_addr snat_ip6;	/* ::: auto */
	u32 table_limit;
	struct vpcsnat_ifaces skip;
	struct vpcsnat_ifaces pod;	/* where pods' connections arrive */
	u32 mark;		/* the connmark/fwmark bits; 0: none */
};

/*
 * What the decision needs to know about a new connection: an IPv4 one
 * (@v6 false) is decided on @daddr by the IPv4 table, an IPv6 one on
 * @daddr6 by the IPv6 table.
 */
struct vpcsnat_conn {
	bool v6;
	__be32 saddr;
	__be32 daddr;
	struct vpcsnat_in6 daddr6;	/* host order */
	bool src_local;		/* saddr is an address of this netns */
	bool dst_local;
	const char *oifname;	/* NULL: unknown */
	const char *iifname;	/* NULL: unknown, or locally generated */
};

enum vpcsnat_reason vpcsnat_decide(const struct vpcsnat_settings *s,
				   const struct vpcsnat_table *t,
				   const struct vpcsnat_table6 *t6,
				   const struct vpcsnat_conn *c);
bool vpcsnat_ifaces_match(const struct vpcsnat_ifaces *l, const char *name);
enum vpcsnat_mark_reason vpcsnat_decide_mark(const struct vpcsnat_settings *s,
					     const struct vpcsnat_table *t,
					     const struct vpcsnat_table6 *t6,
					     const struct vpcsnat_conn *c);

static inline bool vpcsnat_translates(enum vpcsnat_reason r)
{
	return r == VPCSNAT_REASON_SNAT_ENTRY || r == VPCSNAT_REASON_NO_MATCH;
}

#endif /* _VPCSNAT_DECISION_H */
