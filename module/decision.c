// SPDX-License-Identifier: GPL-2.0
/*
 * The one decision: should a new connection be translated, and why; and
 * from it, should it be marked for the main table. Pure: the data path,
 * explain and the tests all call these with the facts they have gathered.
 */

#include "decision.h"

/* Does interface @name (NULL: unknown) start with a prefix of @l? */
bool vpcsnat_ifaces_match(const struct vpcsnat_ifaces *l, const char *name)
{
	unsigned int i;

	if (!name)
		return false;
	for (i = 0; i < l->nr; i++)
		if (!strncmp(name, l->name[i], strlen(l->name[i])))
			return true;
	return false;
}

/* Only the table of @c's family is read; the other may be NULL. */
enum vpcsnat_reason vpcsnat_decide(const struct vpcsnat_settings *s,
				   const struct vpcsnat_table *t,
				   const struct vpcsnat_table6 *t6,
				   const struct vpcsnat_conn *c)
{
	u8 kind;

	if (!s->enabled || (c->v6 && !s->ipv6))
		return VPCSNAT_REASON_DISABLED;
	if (s->external_snat)
		return VPCSNAT_REASON_EXTERNAL_SNAT;
	if (c->src_local)
		return VPCSNAT_REASON_SRC_LOCAL;
	if (c->dst_local)
		return VPCSNAT_REASON_DST_LOCAL;
	if (vpcsnat_ifaces_match(&s->skip, c->oifname))
		return VPCSNAT_REASON_SKIP_IFACE;

	if (c->v6)
		kind = vpcsnat_table6_lookup(t6, c->daddr6);
	else
		kind = vpcsnat_table_lookup(t, be32_to_cpu(c->daddr));
	switch (kind) {
	case VPCSNAT_KIND_VPC:
		return VPCSNAT_REASON_VPC;
	case VPCSNAT_KIND_EXCLUDE:
		return VPCSNAT_REASON_EXCLUDE;
	case VPCSNAT_KIND_SNAT:
		return VPCSNAT_REASON_SNAT_ENTRY;
	default:
		return VPCSNAT_REASON_NO_MATCH;
	}
}

/*
 * The routing half, as the VPC CNI's connmark chain does it (its nftables
 * backend runs after DNAT, at dstnat + 10): a new connection that arrives
 * on a pod interface and will be translated is marked, so that policy
 * routing sends it out of the interface whose address it is translated
 * to. Decided before routing, with no egress interface: no skip prefix
 * applies, as none does in the CNI's chain.
 */
enum vpcsnat_mark_reason vpcsnat_decide_mark(const struct vpcsnat_settings *s,
					     const struct vpcsnat_table *t,
					     const struct vpcsnat_table6 *t6,
					     const struct vpcsnat_conn *c)
{
	struct vpcsnat_conn before_routing = *c;

	if (!s->mark)
		return VPCSNAT_MARK_OFF;
	if (!vpcsnat_ifaces_match(&s->pod, c->iifname))
		return VPCSNAT_MARK_NOT_POD;
	before_routing.oifname = NULL;
	if (!vpcsnat_translates(vpcsnat_decide(s, t, t6, &before_routing)))
		return VPCSNAT_MARK_NOT_TRANSLATED;
	return VPCSNAT_MARK_SET;
}
