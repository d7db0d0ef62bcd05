// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv4 CIDR table: table_gen.h on u32 addresses. table6.c is the IPv6
 * one, from the same source.
 */

#include "table.h"

#include <linux/vpcsnat.h>

#define TABLE vpcsnat_table
#define CIDR vpcsnat_cidr
#define KEY u32
#define KEY_BITS 32
#define META_T u8
#define META_KIND_SHIFT 6
#define TABLE_FN(name) vpcsnat_table_##name
#define CIDR_CHECK vpcsnat_cidr_check

static inline u32 prefix_mask(u8 plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static inline bool key_lt(u32 a, u32 b)
{
	return a < b;
}

static inline bool key_eq(u32 a, u32 b)
{
	return a == b;
}

static inline u32 key_mask(u32 a, u8 plen)
{
	return a & prefix_mask(plen);
}

static inline u32 key_last(u32 a, u8 plen)
{
	return a | ~prefix_mask(plen);
}

static inline u32 key_next(u32 a)
{
	return a + 1;
}

static inline bool key_is_last(u32 a)
{
	return a == ~0u;
}

static inline unsigned int set_span(struct vpcsnat_table *t, u32 a,
				    unsigned int plen, unsigned int bits)
{
	if (bits > 32 - plen)
		bits = 32 - plen;
	t->mask = prefix_mask(plen);
	t->base = a & t->mask;
	t->shift = 32 - plen - bits;
	return bits;
}

static inline u32 key_of_bucket(const struct vpcsnat_table *t, u32 b)
{
	return t->base | (u32)((u64)b << t->shift);
}

/* Every 32-bit prefix is an IPv4 one. */
#define family_check(c) VPCSNAT_CIDR_OK

#include "table_gen.h"
