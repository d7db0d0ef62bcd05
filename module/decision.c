// SPDX-License-Identifier: GPL-2.0
/*
 * The one decision: should a new connection be translated, and why. Pure:
 * the data path, explain and the tests all call this with the facts they
 * have gathered.
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

enum vpcsnat_reason vpcsnat_decide(const struct vpcsnat_settings *s,
				   const struct vpcsnat_table *t,
				   const struct vpcsnat_conn *c)
{
	if (!s->enabled)
		return VPCSNAT_REASON_DISABLED;
	if (s->external_snat)
		return VPCSNAT_REASON_EXTERNAL_SNAT;
	if (c->src_local)
		return VPCSNAT_REASON_SRC_LOCAL;
	if (c->dst_local)
		return VPCSNAT_REASON_DST_LOCAL;
	if (vpcsnat_ifaces_match(&s->skip, c->oifname))
		return VPCSNAT_REASON_SKIP_IFACE;

	switch (vpcsnat_table_lookup(t, be32_to_cpu(c->daddr))) {
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
