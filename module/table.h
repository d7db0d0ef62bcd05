/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_TABLE_H
#define _VPCSNAT_TABLE_H

#include "compat.h"

/* The kind of a destination that no entry covers. */
#define VPCSNAT_KIND_NONE 0xff

/* One table entry as callers see it; addr in host byte order. */
struct vpcsnat_cidr {
	u32 addr;
	u8 plen;
	u8 kind;
};

/*
 * An immutable table. The prefixes are kept sorted by (addr, plen) for
 * listing and for naming the entry that decides; the lookup itself uses the
 * prefixes flattened into disjoint ranges: starts[i] is where range i begins
 * and kinds[i] what decides there, so a lookup is one binary search over a
 * u32 array whatever the nesting of the prefixes.
 */
struct vpcsnat_table {
	refcount_t ref;
	u32 nr_entries;
	u32 nr_ranges;
	u32 *addrs;	/* nr_entries prefixes, sorted */
	u8 *meta;	/* plen | kind << 6, parallel to addrs */
	u32 *starts;	/* nr_ranges range starts, starts[0] == 0 */
	u8 *kinds;	/* parallel to starts */
};

int vpcsnat_cidr_check(const struct vpcsnat_cidr *c);
int vpcsnat_table_build(struct vpcsnat_cidr *cidrs, u32 n,
			struct vpcsnat_table **out, struct vpcsnat_cidr *bad);
int vpcsnat_table_add(const struct vpcsnat_table *old,
		      const struct vpcsnat_cidr *c, struct vpcsnat_table **out);
int vpcsnat_table_del(const struct vpcsnat_table *old,
		      const struct vpcsnat_cidr *c, struct vpcsnat_table **out);
void vpcsnat_table_entry(const struct vpcsnat_table *t, u32 i,
			 struct vpcsnat_cidr *c);
bool vpcsnat_table_match(const struct vpcsnat_table *t, u32 addr,
			 struct vpcsnat_cidr *m);
void vpcsnat_table_put(struct vpcsnat_table *t);

static inline struct vpcsnat_table *vpcsnat_table_get(struct vpcsnat_table *t)
{
	refcount_inc(&t->ref);
	return t;
}

/* The kind that decides for @addr (host order), or VPCSNAT_KIND_NONE. */
static inline u8 vpcsnat_table_lookup(const struct vpcsnat_table *t, u32 addr)
{
	const u32 *starts = t->starts;
	u32 lo = 0, n = t->nr_ranges;

	/* Branch-free lower bound: starts[0] == 0 <= addr always. */
	while (n > 1) {
		u32 half = n / 2;

		lo = starts[lo + half] <= addr ? lo + half : lo;
		n -= half;
	}
	return t->kinds[lo];
}

#endif /* _VPCSNAT_TABLE_H */
