// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv6 CIDR table: table_gen.h, the source of the IPv4 one too, on
 * 128-bit addresses (struct vpcsnat_in6, host order).
 */

#include "table.h"

#include <linux/vpcsnat.h>

#define TABLE vpcsnat_table6
#define CIDR vpcsnat_cidr6
#define KEY struct vpcsnat_in6
#define KEY_BITS 128
#define META_T u16
#define META_KIND_SHIFT 8
#define TABLE_FN(name) vpcsnat_table6_##name
#define CIDR_CHECK vpcsnat_cidr6_check

/* The top @plen bits of a 64-bit half, @plen clamped to 0..64. */
static inline u64 half_mask(int plen)
{
	if (plen <= 0)
		return 0;
	return plen >= 64 ? ~0ull : ~0ull << (64 - plen);
}

static inline bool key_lt(struct vpcsnat_in6 a, struct vpcsnat_in6 b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

static inline bool key_eq(struct vpcsnat_in6 a, struct vpcsnat_in6 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static inline struct vpcsnat_in6 key_mask(struct vpcsnat_in6 a, u8 plen)
{
	a.hi &= half_mask(plen);
	a.lo &= half_mask(plen - 64);
	return a;
}

static inline struct vpcsnat_in6 key_last(struct vpcsnat_in6 a, u8 plen)
{
	a.hi |= ~half_mask(plen);
	a.lo |= ~half_mask(plen - 64);
	return a;
}

static inline struct vpcsnat_in6 key_next(struct vpcsnat_in6 a)
{
	a.lo++;
	a.hi += !a.lo;
	return a;
}

static inline bool key_is_last(struct vpcsnat_in6 a)
{
	return (a.hi & a.lo) == ~0ull;
}

/*
 * The lookup takes the bucket from a 64-bit window of the address that
 * starts at bit wsh, the span's prefix length or 63, whichever is less:
 * the bits after a prefix of 64 to 127 bits are found from bit 63 on.
 */
static inline unsigned int set_span(struct vpcsnat_table6 *t,
				    struct vpcsnat_in6 a, unsigned int plen,
				    unsigned int bits)
{
	unsigned int wsh = plen < 64 ? plen : 63;
	unsigned int room = 64 - (plen - wsh);

	if (bits > room)
		bits = room;
	t->mask = key_last((struct vpcsnat_in6){ 0 }, plen);
	t->mask.hi = ~t->mask.hi;
	t->mask.lo = ~t->mask.lo;
	t->base = key_mask(a, plen);
	t->wsh = wsh;
	t->rsh = 63 - wsh;
	t->shift = room - bits;
	return bits;
}

static inline struct vpcsnat_in6
key_of_bucket(const struct vpcsnat_table6 *t, u32 b)
{
	u64 w = (u64)b << t->shift;
	struct vpcsnat_in6 a = t->base;

	a.hi |= w >> t->wsh;
	if (t->wsh)
		a.lo |= w << (64 - t->wsh);
	return a;
}

/* What else IPv6 refuses: an IPv4-mapped prefix (shared.h). */
static inline enum vpcsnat_cidr_err
family_check(const struct vpcsnat_cidr6 *c)
{
	return vpcsnat_in6_v4_mapped(c) ? VPCSNAT_CIDR_V4_MAPPED :
					  VPCSNAT_CIDR_OK;
}

#include "table_gen.h"
