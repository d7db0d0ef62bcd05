/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the table tests hold module/table.c to: a scan of every prefix that
 * keeps the longest one covering the address. Slow and trivially correct,
 * and it shares no code with table.c. One copy for the KUnit suite
 * (module/table_test.c) and the userspace differential test and fuzz target
 * (tests/unit/).
 */
#ifndef _VPCSNAT_TABLE_REF_H
#define _VPCSNAT_TABLE_REF_H

#include "table.h"

/* The netmask of a prefix length, host order. */
static inline u32 vpcsnat_ref_mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

/* The index in @c of the longest prefix covering @addr, or -1. */
static inline int vpcsnat_ref_match_index(const struct vpcsnat_cidr *c,
					  unsigned int n, u32 addr)
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((addr & vpcsnat_ref_mask(c[i].plen)) == c[i].addr &&
		    (best < 0 || c[i].plen > c[best].plen))
			best = i;
	return best;
}

/* The kind that decides for @addr, or VPCSNAT_KIND_NONE. */
static inline u8 vpcsnat_ref_lookup(const struct vpcsnat_cidr *c,
				    unsigned int n, u32 addr)
{
	int i = vpcsnat_ref_match_index(c, n, addr);

	return i < 0 ? VPCSNAT_KIND_NONE : c[i].kind;
}

#endif /* _VPCSNAT_TABLE_REF_H */
