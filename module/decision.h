/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_DECISION_H
#define _VPCSNAT_DECISION_H

#include "portable.h"
#include "table.h"
#include <linux/vpcsnat.h>

/* The scalar configuration of one network namespace. */
struct vpcsnat_settings {
	bool enabled;
	bool external_snat;
	u8 random;		/* enum vpcsnat_random */
	u8 nr_skip;
	__be32 snat_ip;		/* 0: auto */
	u32 table_limit;
	char skip[VPCSNAT_MAX_SKIP_IFACES][IFNAMSIZ];
};

/* What the decision needs to know about a new connection. */
struct vpcsnat_conn {
	__be32 saddr;
	__be32 daddr;
	bool src_local;		/* saddr is an address of this netns */
	bool dst_local;
	const char *oifname;	/* NULL: unknown */
};

enum vpcsnat_reason vpcsnat_decide(const struct vpcsnat_settings *s,
				   const struct vpcsnat_table *t,
				   const struct vpcsnat_conn *c);
bool vpcsnat_skip_iface(const struct vpcsnat_settings *s, const char *name);

static inline bool vpcsnat_translates(enum vpcsnat_reason r)
{
	return r == VPCSNAT_REASON_SNAT_ENTRY || r == VPCSNAT_REASON_NO_MATCH;
}

#endif /* _VPCSNAT_DECISION_H */
