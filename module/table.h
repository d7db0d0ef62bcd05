/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_TABLE_H
#define _VPCSNAT_TABLE_H

#include "portable.h"
#include <vpcsnat/shared.h>

/* The kind of a destination that no entry covers; kinds fit in 2 bits. */
#define VPCSNAT_KIND_NONE 3

/*
 * An immutable table. The prefixes are kept sorted by (addr, plen) for
 * listing and for naming the entry that decides. The lookup uses them
 * flattened into disjoint ranges: starts[i] is where range i begins and
 * kind i (2 bits in kinds[]) what decides there.
 *
 * The index covers the table's span: the smallest aligned block, @base
 * and @mask (its prefix), holding every range start but the first (0).
 * A table's prefixes usually sit in one such block (a VPC's 10.0.0.0/8,
 * its /56): an index on the top bits of the whole address space would put
 * them all in one bucket. An address outside the span is in the first
 * range (below it) or the last (above it). Inside, index[] maps the bits
 * just after the span's prefix to the first and last range their block can
 * be in, so a lookup reads two adjacent index words, binary-searches the
 * few ranges between them and reads one kind: about three cache lines
 * however large the table and however packed its prefixes, since the index
 * grows with it (about one bucket per four ranges, at most 2^20 buckets).
 * The span holds every boundary: prefixes packed in two blocks far apart
 * (10.0.0.0/8 and 192.168.0.0/16), or in one /24 inside a wide prefix of
 * the table (a /8), make a wide span, and the packed ranges share buckets
 * as they did with an index on the top bits.
 *
 * Memory: 5 bytes per prefix, 4.25 per range (at most 2n + 1 ranges) and
 * 4 per bucket (at most (2n + 1) / 4 + 1): under 16 bytes per prefix. The
 * hit counters, 4 bytes per prefix, are a separate allocation that the
 * lookup never reads.
 */
struct vpcsnat_table {
	refcount_t ref;
	u32 nr_entries;
	u32 nr_ranges;
	u8 shift;	/* addr ^ base >> shift: the bucket, inside the span */
	u32 base;	/* the span's first address */
	u32 mask;	/* the span's prefix */
	u32 *starts;	/* nr_ranges range starts, starts[0] == 0 */
	u8 *kinds;	/* 4 kinds per byte, parallel to starts */
	u32 *addrs;	/* nr_entries prefixes, sorted */
	u8 *meta;	/* plen | kind << 6, parallel to addrs */
	u32 *hits;	/* sampled hits, parallel to addrs; racy by design */
	u32 index[];	/* buckets + 1 range numbers */
};

/*
 * The IPv6 table: struct vpcsnat_table with 128-bit keys and the same
 * span, so a lookup costs the same at 10 and at a million prefixes, packed
 * in a /56 or spread (a bucket's ranges, 16 bytes each, may take a cache
 * line more). The lookup takes the bits after the span's prefix from a
 * 64-bit window of the address that starts at bit @wsh. Memory: 18 bytes
 * per prefix (address, plen and kind), 16.25 per range and 4 per bucket:
 * under 53 bytes per prefix; the hit counters, 4 bytes per prefix, apart.
 */
struct vpcsnat_table6 {
	refcount_t ref;
	u32 nr_entries;
	u32 nr_ranges;
	u8 shift;			/* window >> shift: the bucket */
	u8 wsh;				/* the window's first bit, 0..63 */
	u8 rsh;				/* 63 - wsh */
	struct vpcsnat_in6 base;	/* as in struct vpcsnat_table */
	struct vpcsnat_in6 mask;
	struct vpcsnat_in6 *starts;
	u8 *kinds;
	struct vpcsnat_in6 *addrs;
	u16 *meta;			/* plen | kind << 8 */
	u32 *hits;
	u32 index[];
};

enum vpcsnat_cidr_err vpcsnat_cidr_check(const struct vpcsnat_cidr *c);
size_t vpcsnat_table_bytes(u32 nr_entries);
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
int vpcsnat_table_match_index(const struct vpcsnat_table *t, u32 addr);
void vpcsnat_table_carry_hits(struct vpcsnat_table *t,
			      const struct vpcsnat_table *old);
void vpcsnat_table_put(struct vpcsnat_table *t);

/* The same, for IPv6 (table6.c). */
enum vpcsnat_cidr_err vpcsnat_cidr6_check(const struct vpcsnat_cidr6 *c);
size_t vpcsnat_table6_bytes(u32 nr_entries);
int vpcsnat_table6_build(struct vpcsnat_cidr6 *cidrs, u32 n,
			 struct vpcsnat_table6 **out,
			 struct vpcsnat_cidr6 *bad);
int vpcsnat_table6_add(const struct vpcsnat_table6 *old,
		       const struct vpcsnat_cidr6 *c,
		       struct vpcsnat_table6 **out);
int vpcsnat_table6_del(const struct vpcsnat_table6 *old,
		       const struct vpcsnat_cidr6 *c,
		       struct vpcsnat_table6 **out);
void vpcsnat_table6_entry(const struct vpcsnat_table6 *t, u32 i,
			  struct vpcsnat_cidr6 *c);
bool vpcsnat_table6_match(const struct vpcsnat_table6 *t,
			  struct vpcsnat_in6 addr, struct vpcsnat_cidr6 *m);
int vpcsnat_table6_match_index(const struct vpcsnat_table6 *t,
			       struct vpcsnat_in6 addr);
void vpcsnat_table6_carry_hits(struct vpcsnat_table6 *t,
			       const struct vpcsnat_table6 *old);
void vpcsnat_table6_put(struct vpcsnat_table6 *t);

static inline struct vpcsnat_table *vpcsnat_table_get(struct vpcsnat_table *t)
{
	refcount_inc(&t->ref);
	return t;
}

static inline struct vpcsnat_table6 *
vpcsnat_table6_get(struct vpcsnat_table6 *t)
{
	refcount_inc(&t->ref);
	return t;
}

/* Kind @i of a table's kinds[]. */
static inline u8 vpcsnat_kind_at(const u8 *kinds, u32 i)
{
	return (kinds[i / 4] >> (i % 4 * 2)) & 3;
}

/* The kind that decides for @addr (host order), or VPCSNAT_KIND_NONE. */
static inline u8 vpcsnat_table_lookup(const struct vpcsnat_table *t, u32 addr)
{
	const u32 *starts = t->starts;
	u32 x = addr ^ t->base;
	unsigned long bucket;
	u32 lo, more;

	if (unlikely(x & t->mask))
		return vpcsnat_kind_at(t->kinds,
				       addr < t->base ? 0 : t->nr_ranges - 1);
	bucket = (u64)x >> t->shift;
	lo = t->index[bucket];
	more = t->index[bucket + 1] - lo;

	/*
	 * The last range starting at or before addr, of lo to lo + more;
	 * starts[lo] <= addr.
	 */
	while (more) {
		u32 half = (more + 1) / 2;

		lo = starts[lo + half] <= addr ? lo + half : lo;
		more -= half;
	}
	return vpcsnat_kind_at(t->kinds, lo);
}

static inline bool vpcsnat_in6_le(struct vpcsnat_in6 a, struct vpcsnat_in6 b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

/* vpcsnat_table_lookup() for IPv6: the same walk, on 128-bit keys. */
static inline u8 vpcsnat_table6_lookup(const struct vpcsnat_table6 *t,
				       struct vpcsnat_in6 addr)
{
	const struct vpcsnat_in6 *starts = t->starts;
	u64 hi = addr.hi ^ t->base.hi, lo = addr.lo ^ t->base.lo;
	unsigned long bucket;
	u32 first, more, half;

	if (unlikely((hi & t->mask.hi) | (lo & t->mask.lo)))
		return vpcsnat_kind_at(t->kinds, vpcsnat_in6_le(t->base, addr) ?
					       t->nr_ranges - 1 : 0);
	bucket = (hi << t->wsh | lo >> 1 >> t->rsh) >> t->shift;
	first = t->index[bucket];
	more = t->index[bucket + 1] - first;

	for (; more; more -= half) {
		half = (more + 1) / 2;
		first = vpcsnat_in6_le(starts[first + half], addr) ?
			first + half : first;
	}
	return vpcsnat_kind_at(t->kinds, first);
}

#endif /* _VPCSNAT_TABLE_H */
