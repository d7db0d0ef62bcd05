/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the table tests hold module/table.c and table6.c to: a scan of
 * every prefix that keeps the longest one covering the address. Slow and
 * trivially correct, and it shares no code with the table. One copy for
 * the KUnit suite (module/table_test.c) and the userspace differential test
 * and fuzz target (tests/unit/).
 */
#ifndef _VPCSNAT_TABLE_REF_H
#define _VPCSNAT_TABLE_REF_H

#include "table.h"

/* The netmask of a prefix length, host order. */
static inline u32 vpcsnat_ref_mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static inline bool vpcsnat_ref_covers(const struct vpcsnat_cidr *c, u32 addr)
{
	return (addr & vpcsnat_ref_mask(c->plen)) == c->addr;
}

/* The first @plen bits of @a and @b are the same. */
static inline bool vpcsnat_ref6_same(struct vpcsnat_in6 a,
				     struct vpcsnat_in6 b, unsigned int plen)
{
	if (!plen)
		return true;
	if (plen <= 64)
		return !((a.hi ^ b.hi) >> (64 - plen));
	return a.hi == b.hi && !((a.lo ^ b.lo) >> (128 - plen));
}

static inline bool vpcsnat_ref6_covers(const struct vpcsnat_cidr6 *c,
				       struct vpcsnat_in6 addr)
{
	return vpcsnat_ref6_same(addr, c->addr, c->plen);
}

/*
 * @a with the bits past @plen set (@ones) or cleared: the last or the first
 * address of the prefix of @a.
 */
static inline struct vpcsnat_in6 vpcsnat_ref6_end(struct vpcsnat_in6 a,
						  unsigned int plen, bool ones)
{
	unsigned int i;

	for (i = plen; i < 128; i++) {
		__u64 *half = i < 64 ? &a.hi : &a.lo;
		u64 bit = 1ull << (63 - i % 64);

		*half = ones ? *half | bit : *half & ~bit;
	}
	return a;
}

/* qsort() order of IPv6 prefixes: by address, then prefix length. */
static inline int vpcsnat_ref6_cmp(const void *a, const void *b)
{
	const struct vpcsnat_cidr6 *x = a, *y = b;

	if (x->addr.hi != y->addr.hi)
		return x->addr.hi < y->addr.hi ? -1 : 1;
	if (x->addr.lo != y->addr.lo)
		return x->addr.lo < y->addr.lo ? -1 : 1;
	return x->plen - y->plen;
}

/* The index in @c[@n] of the longest prefix covering @addr, or -1. */
#define VPCSNAT_REF_LONGEST(c, n, covers, addr) ({			\
	int best = -1;							\
	unsigned int i;							\
									\
	for (i = 0; i < (n); i++)					\
		if (covers(&(c)[i], addr) &&				\
		    (best < 0 || (c)[i].plen > (c)[best].plen))		\
			best = i;					\
	best;								\
})

static inline int vpcsnat_ref_match_index(const struct vpcsnat_cidr *c,
					  unsigned int n, u32 addr)
{
	return VPCSNAT_REF_LONGEST(c, n, vpcsnat_ref_covers, addr);
}

static inline int vpcsnat_ref6_match_index(const struct vpcsnat_cidr6 *c,
					   unsigned int n,
					   struct vpcsnat_in6 addr)
{
	return VPCSNAT_REF_LONGEST(c, n, vpcsnat_ref6_covers, addr);
}

/* The kind that decides for @addr, or VPCSNAT_KIND_NONE. */
static inline u8 vpcsnat_ref_lookup(const struct vpcsnat_cidr *c,
				    unsigned int n, u32 addr)
{
	int i = vpcsnat_ref_match_index(c, n, addr);

	return i < 0 ? VPCSNAT_KIND_NONE : c[i].kind;
}

static inline u8 vpcsnat_ref6_lookup(const struct vpcsnat_cidr6 *c,
				     unsigned int n, struct vpcsnat_in6 addr)
{
	int i = vpcsnat_ref6_match_index(c, n, addr);

	return i < 0 ? VPCSNAT_KIND_NONE : c[i].kind;
}

#endif /* _VPCSNAT_TABLE_REF_H */
