// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the CIDR tables, IPv4 and IPv6. Hand-picked shapes (nesting,
 * adjacency, the ends of the address space), then random tables against a
 * linear scan. The entry limit is conf.c's business: see conf_test.c.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"
#include "table_ref.h"

#define IP(a, b, c, d) ((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define NONE VPCSNAT_KIND_NONE
#define VPC VPCSNAT_KIND_VPC
#define EXCL VPCSNAT_KIND_EXCLUDE
#define SNAT VPCSNAT_KIND_SNAT

struct probe {
	u32 addr;
	u8 kind;
};

static struct vpcsnat_table *build(struct kunit *test,
				   struct vpcsnat_cidr *cidrs, u32 n)
{
	struct vpcsnat_table *t = NULL;
	struct vpcsnat_cidr bad;

	KUNIT_ASSERT_EQ(test, vpcsnat_table_build(cidrs, n, &t, &bad), 0);
	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void expect_kinds(struct kunit *test, const struct vpcsnat_table *t,
			 const struct probe *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_table_lookup(t, p[i].addr),
				    p[i].kind, "address %pI4h", &p[i].addr);
}

/* A table of @cidrs answers each probe with its kind. */
static void table_says(struct kunit *test, struct vpcsnat_cidr *cidrs, u32 n,
		       const struct probe *p, unsigned int np)
{
	struct vpcsnat_table *t = build(test, cidrs, n);

	expect_kinds(test, t, p, np);
	vpcsnat_table_put(t);
}

static void table_empty(struct kunit *test)
{
	const struct probe p[] = {
		{ 0, NONE }, { IP(10, 0, 0, 1), NONE }, { ~0u, NONE },
	};
	struct vpcsnat_table *t = build(test, NULL, 0);

	KUNIT_EXPECT_EQ(test, t->nr_entries, 0u);
	expect_kinds(test, t, p, ARRAY_SIZE(p));
	vpcsnat_table_put(t);
}

static void table_longest_prefix_wins(struct kunit *test)
{
	struct vpcsnat_cidr c[] = {
		{ IP(10, 1, 2, 0), 24, SNAT },	/* given out of order */
		{ IP(10, 0, 0, 0), 8, VPC },
		{ IP(10, 1, 0, 0), 16, EXCL },
	};
	const struct probe p[] = {
		{ IP(9, 255, 255, 255), NONE }, { IP(10, 0, 0, 0), VPC },
		{ IP(10, 0, 255, 255), VPC }, { IP(10, 1, 0, 0), EXCL },
		{ IP(10, 1, 1, 255), EXCL }, { IP(10, 1, 2, 0), SNAT },
		{ IP(10, 1, 2, 255), SNAT }, { IP(10, 1, 3, 0), EXCL },
		{ IP(10, 1, 255, 255), EXCL }, { IP(10, 2, 0, 0), VPC },
		{ IP(10, 255, 255, 255), VPC }, { IP(11, 0, 0, 0), NONE },
	};
	struct vpcsnat_table *t = build(test, c, ARRAY_SIZE(c));
	struct vpcsnat_cidr m;

	expect_kinds(test, t, p, ARRAY_SIZE(p));
	KUNIT_EXPECT_TRUE(test, vpcsnat_table_match(t, IP(10, 1, 2, 7), &m));
	KUNIT_EXPECT_EQ(test, m.addr, IP(10, 1, 2, 0));
	KUNIT_EXPECT_EQ(test, m.plen, 24);
	KUNIT_EXPECT_FALSE(test, vpcsnat_table_match(t, IP(11, 0, 0, 0), &m));
	vpcsnat_table_put(t);
}

static void table_snat_inside_vpc(struct kunit *test)
{
	struct vpcsnat_cidr c[] = {
		{ IP(10, 0, 0, 0), 16, VPC },
		{ IP(10, 0, 5, 0), 24, SNAT },
	};
	const struct probe p[] = {
		{ IP(10, 0, 4, 255), VPC }, { IP(10, 0, 5, 0), SNAT },
		{ IP(10, 0, 5, 128), SNAT }, { IP(10, 0, 5, 255), SNAT },
		{ IP(10, 0, 6, 0), VPC },
	};
	table_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

static void table_slash0_and_slash32(struct kunit *test)
{
	struct vpcsnat_cidr c[] = {
		{ 0, 0, EXCL },
		{ IP(1, 2, 3, 4), 32, SNAT },
		{ 0, 32, VPC },
		{ ~0u, 32, SNAT },
	};
	const struct probe p[] = {
		{ 0, VPC }, { 1, EXCL }, { IP(1, 2, 3, 3), EXCL },
		{ IP(1, 2, 3, 4), SNAT }, { IP(1, 2, 3, 5), EXCL },
		{ ~0u - 1, EXCL }, { ~0u, SNAT },
	};
	table_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

static void table_adjacent(struct kunit *test)
{
	struct vpcsnat_cidr c[] = {
		{ IP(10, 0, 0, 0), 24, VPC },
		{ IP(10, 0, 1, 0), 24, EXCL },
		{ IP(10, 0, 2, 0), 23, VPC },
	};
	const struct probe p[] = {
		{ IP(9, 255, 255, 255), NONE }, { IP(10, 0, 0, 0), VPC },
		{ IP(10, 0, 0, 255), VPC }, { IP(10, 0, 1, 0), EXCL },
		{ IP(10, 0, 1, 255), EXCL }, { IP(10, 0, 2, 0), VPC },
		{ IP(10, 0, 3, 255), VPC }, { IP(10, 0, 4, 0), NONE },
	};
	table_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

/* Same address, different lengths; and nested prefixes ending together. */
static void table_overlapping(struct kunit *test)
{
	struct vpcsnat_cidr c[] = {
		{ IP(10, 0, 0, 0), 8, SNAT },
		{ IP(10, 0, 0, 0), 16, VPC },
		{ IP(10, 255, 255, 0), 24, EXCL },
		{ IP(10, 255, 255, 255), 32, VPC },
	};
	const struct probe p[] = {
		{ IP(10, 0, 0, 0), VPC }, { IP(10, 0, 255, 255), VPC },
		{ IP(10, 1, 0, 0), SNAT }, { IP(10, 255, 254, 255), SNAT },
		{ IP(10, 255, 255, 0), EXCL }, { IP(10, 255, 255, 254), EXCL },
		{ IP(10, 255, 255, 255), VPC }, { IP(11, 0, 0, 0), NONE },
	};
	table_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

static void table_refuses_bad_prefixes(struct kunit *test)
{
	struct vpcsnat_cidr host_bits[] = { { IP(10, 0, 0, 1), 8, VPC } };
	struct vpcsnat_cidr long_plen[] = { { 0, 33, VPC } };
	struct vpcsnat_cidr bad_kind[] = { { 0, 0, 3 } };
	struct vpcsnat_cidr dup[] = {
		{ IP(10, 0, 0, 0), 8, VPC },
		{ IP(192, 168, 0, 0), 16, VPC },
		{ IP(10, 0, 0, 0), 8, EXCL },
	};
	struct vpcsnat_table *t = NULL;
	struct vpcsnat_cidr bad = {};

	KUNIT_EXPECT_EQ(test, vpcsnat_table_build(host_bits, 1, &t, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad.addr, IP(10, 0, 0, 1));
	KUNIT_EXPECT_EQ(test, vpcsnat_table_build(long_plen, 1, &t, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_build(bad_kind, 1, &t, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_build(dup, 3, &t, &bad), -EEXIST);
	KUNIT_EXPECT_EQ(test, bad.addr, IP(10, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, bad.plen, 8);
	KUNIT_EXPECT_NULL(test, t);
}

static void table_add_and_delete(struct kunit *test)
{
	struct vpcsnat_cidr c[] = { { IP(10, 0, 0, 0), 16, VPC } };
	struct vpcsnat_cidr add = { IP(10, 0, 7, 0), 24, SNAT };
	struct vpcsnat_cidr same_prefix_other_kind = { IP(10, 0, 0, 0), 16, EXCL };
	struct vpcsnat_cidr other_len = { IP(10, 0, 0, 0), 17, VPC };
	struct vpcsnat_table *t = build(test, c, 1), *t2 = NULL, *t3 = NULL;
	struct vpcsnat_cidr e;

	KUNIT_ASSERT_EQ(test, vpcsnat_table_add(t, &add, &t2), 0);
	KUNIT_EXPECT_EQ(test, t2->nr_entries, 2u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t2, IP(10, 0, 7, 9)), SNAT);
	/* The old table is untouched: readers may still hold it. */
	KUNIT_EXPECT_EQ(test, t->nr_entries, 1u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t, IP(10, 0, 7, 9)), VPC);
	vpcsnat_table_entry(t2, 1, &e);
	KUNIT_EXPECT_EQ(test, e.addr, IP(10, 0, 7, 0));

	KUNIT_EXPECT_EQ(test, vpcsnat_table_add(t2, &add, &t3), -EEXIST);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_add(t2, &same_prefix_other_kind, &t3),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_del(t2, &other_len, &t3), -ENOENT);
	KUNIT_EXPECT_NULL(test, t3);

	KUNIT_ASSERT_EQ(test, vpcsnat_table_del(t2, &add, &t3), 0);
	KUNIT_EXPECT_EQ(test, t3->nr_entries, 1u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t3, IP(10, 0, 7, 9)), VPC);
	vpcsnat_table_put(t);
	vpcsnat_table_put(t2);
	vpcsnat_table_put(t3);
}

static void table_delete_missing(struct kunit *test)
{
	struct vpcsnat_cidr missing = { IP(10, 0, 0, 0), 8, VPC };
	struct vpcsnat_table *t = build(test, NULL, 0), *t2 = NULL;

	KUNIT_EXPECT_EQ(test, vpcsnat_table_del(t, &missing, &t2), -ENOENT);
	KUNIT_EXPECT_NULL(test, t2);
	vpcsnat_table_put(t);
}

/* A replace is a new build: nothing of the old table survives in it. */
static void table_replace(struct kunit *test)
{
	struct vpcsnat_cidr a[] = { { IP(10, 0, 0, 0), 8, VPC } };
	struct vpcsnat_cidr b[] = {
		{ IP(172, 16, 0, 0), 12, EXCL },
		{ IP(10, 0, 0, 0), 9, SNAT },
	};
	struct vpcsnat_table *t = build(test, a, 1), *t2 = build(test, b, 2);
	struct vpcsnat_cidr e;

	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t2, IP(10, 200, 0, 0)), NONE);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t2, IP(10, 1, 0, 0)), SNAT);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t2, IP(172, 20, 0, 0)), EXCL);
	vpcsnat_table_entry(t2, 0, &e);		/* listed sorted */
	KUNIT_EXPECT_EQ(test, e.addr, IP(10, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t, IP(10, 200, 0, 0)), VPC);
	vpcsnat_table_put(t);
	vpcsnat_table_put(t2);
}

static void table_random_against_linear_scan(struct kunit *test)
{
	const unsigned int max = 200;
	struct vpcsnat_cidr *c, *copy;
	struct rnd_state rnd;
	unsigned int round;

	c = kunit_kcalloc(test, max, sizeof(*c), GFP_KERNEL);
	copy = kunit_kcalloc(test, max, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	prandom_seed_state(&rnd, 42);
	for (round = 0; round < 50; round++) {
		unsigned int n = 0, i, j, want = prandom_u32_state(&rnd) % max;
		struct vpcsnat_table *t = NULL;
		struct vpcsnat_cidr bad;

		while (n < want) {
			u32 r = prandom_u32_state(&rnd);
			u8 plen = r % 4 ? 8 + r % 25 : r % 33;
			u32 addr = (r % 3 ? 0x0a000000 | (prandom_u32_state(&rnd) & 0xffffff)
					  : prandom_u32_state(&rnd)) & vpcsnat_ref_mask(plen);

			for (j = 0; j < n; j++)
				if (c[j].addr == addr && c[j].plen == plen)
					break;
			if (j < n)
				continue;
			c[n].addr = addr;
			c[n].plen = plen;
			c[n].kind = prandom_u32_state(&rnd) % 3;
			n++;
		}
		memcpy(copy, c, n * sizeof(*c));
		KUNIT_ASSERT_EQ(test, vpcsnat_table_build(copy, n, &t, &bad), 0);
		for (i = 0; i < 500; i++) {
			u32 addr = prandom_u32_state(&rnd);

			if (n && i % 2)	/* near the edges of an entry */
				addr = (c[addr % n].addr |
					(i % 4 == 1 ? ~vpcsnat_ref_mask(c[addr % n].plen) : 0)) +
				       (i % 8 < 4 ? 0 : 1);
			KUNIT_EXPECT_EQ_MSG(test, vpcsnat_table_lookup(t, addr),
					    vpcsnat_ref_lookup(c, n, addr),
					    "round %u, %u entries, address %pI4h",
					    round, n, &addr);
		}
		vpcsnat_table_put(t);
	}
}

/* IPv6: the same shapes, on 128-bit keys. */

/* The IPv6 address a:b:c:d:e:f:g:h; ~0 is a group of ffff. */
#define G(x, at) ((u64)((x) & 0xffff) << (at))
#define IP6(a, b, c, d, e, f, g, h) ((struct vpcsnat_in6){		\
	.hi = G(a, 48) | G(b, 32) | G(c, 16) | G(d, 0),			\
	.lo = G(e, 48) | G(f, 32) | G(g, 16) | G(h, 0) })
#define LAST6 ((struct vpcsnat_in6){ ~0ull, ~0ull })

struct probe6 {
	struct vpcsnat_in6 addr;
	u8 kind;
};

/* A table of a copy of @cidrs: they may be const, and build sorts. */
static struct vpcsnat_table6 *build6(struct kunit *test,
				     const struct vpcsnat_cidr6 *cidrs, u32 n)
{
	struct vpcsnat_cidr6 *copy, bad;
	struct vpcsnat_table6 *t = NULL;

	copy = kunit_kmalloc_array(test, n + 1, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	if (n)
		memcpy(copy, cidrs, n * sizeof(*copy));
	KUNIT_ASSERT_EQ(test, vpcsnat_table6_build(copy, n, &t, &bad), 0);
	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

/* A table of @c answers each probe with its kind. */
static void table6_says(struct kunit *test, const struct vpcsnat_cidr6 *c,
			u32 n, const struct probe6 *p, unsigned int np)
{
	struct vpcsnat_table6 *t = build6(test, c, n);
	unsigned int i;

	for (i = 0; i < np; i++)
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_table6_lookup(t, p[i].addr),
				    p[i].kind, "address %016llx %016llx",
				    p[i].addr.hi, p[i].addr.lo);
	vpcsnat_table6_put(t);
}

static void table6_empty(struct kunit *test)
{
	static const struct probe6 p[] = {
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), NONE },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), NONE },
		{ LAST6, NONE },
	};

	table6_says(test, NULL, 0, p, ARRAY_SIZE(p));
}

static void table6_longest_prefix_wins(struct kunit *test)
{
	static const struct vpcsnat_cidr6 c[] = {
		{ IP6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 0), 64, SNAT },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, VPC },
		{ IP6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), 48, EXCL },
	};
	static const struct probe6 p[] = {
		{ IP6(0x2001, 0xdb7, 0xffff, 0xffff, ~0, ~0, ~0, ~0), NONE },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), VPC },
		{ IP6(0x2001, 0xdb8, 0, ~0, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), EXCL },
		{ IP6(0x2001, 0xdb8, 1, 1, ~0, ~0, ~0, ~0), EXCL },
		{ IP6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 0), SNAT },
		{ IP6(0x2001, 0xdb8, 1, 2, ~0, ~0, ~0, ~0), SNAT },
		{ IP6(0x2001, 0xdb8, 1, 3, 0, 0, 0, 0), EXCL },
		{ IP6(0x2001, 0xdb8, 2, 0, 0, 0, 0, 0), VPC },
		{ IP6(0x2001, 0xdb8, ~0, ~0, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 0), NONE },
	};
	struct vpcsnat_table6 *t = build6(test, c, ARRAY_SIZE(c));
	struct vpcsnat_cidr6 m;

	table6_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
	KUNIT_EXPECT_TRUE(test, vpcsnat_table6_match(t, IP6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 7), &m));
	KUNIT_EXPECT_EQ(test, m.addr.hi, IP6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 0).hi);
	KUNIT_EXPECT_EQ(test, m.addr.lo, 0ull);
	KUNIT_EXPECT_EQ(test, m.plen, 64);
	KUNIT_EXPECT_EQ(test, m.kind, SNAT);
	KUNIT_EXPECT_FALSE(test, vpcsnat_table6_match(t, IP6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 0), &m));
	vpcsnat_table6_put(t);
}

static void table6_slash0_and_slash128(struct kunit *test)
{
	static const struct vpcsnat_cidr6 c[] = {
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), 0, EXCL },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 128, SNAT },
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), 128, VPC },
		{ LAST6, 128, SNAT },
	};
	static const struct probe6 p[] = {
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), VPC },
		{ IP6(0, 0, 0, 0, 0, 0, 0, 1), EXCL },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), EXCL },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), SNAT },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2), EXCL },
		{ IP6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), EXCL },
		{ IP6(~0, ~0, ~0, ~0, ~0, ~0, ~0, 0xfffe), EXCL },
		{ LAST6, SNAT },
	};

	table6_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

/* Neighbours at a /64 boundary and at the carry from the low half. */
static void table6_adjacent(struct kunit *test)
{
	static const struct vpcsnat_cidr6 c[] = {
		{ IP6(0xfd00, 0, 0, 0, 0, 0, 0, 0), 64, VPC },
		{ IP6(0xfd00, 0, 0, 1, 0, 0, 0, 0), 64, EXCL },
		{ IP6(0xfd00, 0, 0, 2, 0, 0, 0, 0), 63, VPC },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 0), 127, SNAT },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 2), 127, VPC },
	};
	static const struct probe6 p[] = {
		{ IP6(0xfcff, ~0, ~0, ~0, ~0, ~0, ~0, ~0), NONE },
		{ IP6(0xfd00, 0, 0, 0, 0, 0, 0, 0), VPC },
		{ IP6(0xfd00, 0, 0, 0, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0xfd00, 0, 0, 1, 0, 0, 0, 0), EXCL },
		{ IP6(0xfd00, 0, 0, 1, ~0, ~0, ~0, ~0), EXCL },
		{ IP6(0xfd00, 0, 0, 2, 0, 0, 0, 0), VPC },
		{ IP6(0xfd00, 0, 0, 3, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 1), SNAT },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 2), VPC },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 3), VPC },
		{ IP6(0xfd00, 0, 0, 4, 0, 0, 0, 4), NONE },
	};

	table6_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

/* Same address, different lengths; nested prefixes ending together. */
static void table6_overlapping(struct kunit *test)
{
	static const struct vpcsnat_cidr6 c[] = {
		{ IP6(0x2600, 0x1f00, 0, 0, 0, 0, 0, 0), 24, SNAT },
		{ IP6(0x2600, 0x1f00, 0, 0, 0, 0, 0, 0), 56, VPC },
		{ IP6(0x2600, 0x1fff, ~0, ~0, 0, 0, 0, 0), 64, EXCL },
		{ IP6(0x2600, 0x1fff, ~0, ~0, ~0, ~0, ~0, ~0), 128, VPC },
	};
	static const struct probe6 p[] = {
		{ IP6(0x2600, 0x1f00, 0, 0, 0, 0, 0, 0), VPC },
		{ IP6(0x2600, 0x1f00, 0, 0xff, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0x2600, 0x1f00, 0, 0x100, 0, 0, 0, 0), SNAT },
		{ IP6(0x2600, 0x1fff, ~0, 0xfffe, ~0, ~0, ~0, ~0), SNAT },
		{ IP6(0x2600, 0x1fff, ~0, ~0, 0, 0, 0, 0), EXCL },
		{ IP6(0x2600, 0x1fff, ~0, ~0, ~0, ~0, ~0, 0xfffe), EXCL },
		{ IP6(0x2600, 0x1fff, ~0, ~0, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0x2600, 0x2000, 0, 0, 0, 0, 0, 0), NONE },
	};

	table6_says(test, c, ARRAY_SIZE(c), p, ARRAY_SIZE(p));
}

/* Each refusal has its own reason, for the later line that words it. */
static void table6_refuses_bad_prefixes(struct kunit *test)
{
	struct vpcsnat_cidr6 host_bits = { IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 64, VPC };
	struct vpcsnat_cidr6 long_plen = { IP6(0, 0, 0, 0, 0, 0, 0, 0), 129, VPC };
	struct vpcsnat_cidr6 bad_kind = { IP6(0, 0, 0, 0, 0, 0, 0, 0), 0, 3 };
	struct vpcsnat_cidr6 mapped = { IP6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0), 104, VPC };
	struct vpcsnat_cidr6 mapped96 = { IP6(0, 0, 0, 0, 0, 0xffff, 0, 0), 96, VPC };
	struct vpcsnat_cidr6 mapped128 = { IP6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 1), 128, VPC };
	struct vpcsnat_cidr6 around_mapped = { IP6(0, 0, 0, 0, 0, 0, 0, 0), 80, VPC };
	struct vpcsnat_cidr6 compat = { IP6(0, 0, 0, 0, 0, 0xfffe, 0, 0), 96, VPC };
	struct vpcsnat_cidr v4_long = { 0, 33, VPC }, v4_host = { 1, 31, VPC };
	static const struct vpcsnat_cidr6 dup[] = {
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, VPC },
		{ IP6(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8, VPC },
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, EXCL },
	};
	struct vpcsnat_table6 *t = NULL, *empty = build6(test, NULL, 0);
	struct vpcsnat_cidr6 bad = {}, copy[ARRAY_SIZE(dup)];

	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&host_bits), VPCSNAT_CIDR_HOST_BITS);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&long_plen), VPCSNAT_CIDR_PLEN);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&bad_kind), VPCSNAT_CIDR_KIND);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&mapped), VPCSNAT_CIDR_V4_MAPPED);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&mapped96), VPCSNAT_CIDR_V4_MAPPED);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&mapped128), VPCSNAT_CIDR_V4_MAPPED);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&around_mapped), VPCSNAT_CIDR_OK);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr6_check(&compat), VPCSNAT_CIDR_OK);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr_check(&v4_long), VPCSNAT_CIDR_PLEN);
	KUNIT_EXPECT_EQ(test, vpcsnat_cidr_check(&v4_host), VPCSNAT_CIDR_HOST_BITS);

	KUNIT_EXPECT_EQ(test, vpcsnat_table6_build(&host_bits, 1, &t, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad.addr.lo, 1ull);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_build(&mapped, 1, &t, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_add(empty, &mapped, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_add(empty, &long_plen, &t), -EINVAL);
	memcpy(copy, dup, sizeof(dup));
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_build(copy, ARRAY_SIZE(dup), &t, &bad), -EEXIST);
	KUNIT_EXPECT_EQ(test, bad.addr.hi, dup[0].addr.hi);
	KUNIT_EXPECT_EQ(test, bad.plen, 32);
	KUNIT_EXPECT_NULL(test, t);
	vpcsnat_table6_put(empty);
}

static void table6_add_and_delete(struct kunit *test)
{
	static const struct vpcsnat_cidr6 c[] = {
		{ IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 48, VPC },
	};
	struct vpcsnat_cidr6 add = { IP6(0x2001, 0xdb8, 0, 7, 0, 0, 0, 0), 64, SNAT };
	struct vpcsnat_cidr6 other_kind = { IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 48, EXCL };
	struct vpcsnat_cidr6 other_len = { IP6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 49, VPC };
	struct vpcsnat_table6 *t = build6(test, c, 1), *t2 = NULL, *t3 = NULL;
	struct vpcsnat_in6 in_add = IP6(0x2001, 0xdb8, 0, 7, 0, 0, 0, 9);
	struct vpcsnat_cidr6 e;

	KUNIT_ASSERT_EQ(test, vpcsnat_table6_add(t, &add, &t2), 0);
	KUNIT_EXPECT_EQ(test, t2->nr_entries, 2u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t2, in_add), SNAT);
	/* The old table is untouched: readers may still hold it. */
	KUNIT_EXPECT_EQ(test, t->nr_entries, 1u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t, in_add), VPC);
	vpcsnat_table6_entry(t2, 1, &e);
	KUNIT_EXPECT_EQ(test, e.addr.hi, add.addr.hi);
	KUNIT_EXPECT_EQ(test, e.plen, 64);

	KUNIT_EXPECT_EQ(test, vpcsnat_table6_add(t2, &add, &t3), -EEXIST);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_add(t2, &other_kind, &t3), -EEXIST);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_del(t2, &other_len, &t3), -ENOENT);
	KUNIT_EXPECT_NULL(test, t3);

	KUNIT_ASSERT_EQ(test, vpcsnat_table6_del(t2, &add, &t3), 0);
	KUNIT_EXPECT_EQ(test, t3->nr_entries, 1u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t3, in_add), VPC);
	vpcsnat_table6_put(t);
	vpcsnat_table6_put(t2);
	vpcsnat_table6_put(t3);
}

static void table6_delete_missing(struct kunit *test)
{
	struct vpcsnat_cidr6 missing = { IP6(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8, VPC };
	struct vpcsnat_cidr6 last = { LAST6, 128, VPC };
	struct vpcsnat_table6 *t = build6(test, NULL, 0), *t2 = NULL;

	KUNIT_EXPECT_EQ(test, vpcsnat_table6_del(t, &missing, &t2), -ENOENT);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_del(t, &last, &t2), -ENOENT);
	KUNIT_EXPECT_NULL(test, t2);
	vpcsnat_table6_put(t);
}

/* A replace is a new build; hits carry over to the prefixes it keeps. */
static void table6_replace(struct kunit *test)
{
	static const struct vpcsnat_cidr6 a[] = {
		{ IP6(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8, VPC },
		{ IP6(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0), 32, SNAT },
	};
	static const struct vpcsnat_cidr6 b[] = {
		{ IP6(0x2600, 0x1f00, 0, 0, 0, 0, 0, 0), 24, EXCL },
		{ IP6(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0), 32, SNAT },
	};
	struct vpcsnat_table6 *t = build6(test, a, 2), *t2 = build6(test, b, 2);
	struct vpcsnat_cidr6 e;

	t->hits[1] = 7;
	vpcsnat_table6_carry_hits(t2, t);
	KUNIT_EXPECT_EQ(test, t2->hits[0], 0u);
	KUNIT_EXPECT_EQ(test, t2->hits[1], 7u);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t2, IP6(0xfd00, 1, 0, 0, 0, 0, 0, 0)), NONE);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t2, IP6(0xfd00, 0xec2, 0, 0, 0, 0, 0, 1)), SNAT);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t2, IP6(0x2600, 0x1f12, 0, 0, 0, 0, 0, 1)), EXCL);
	vpcsnat_table6_entry(t2, 0, &e);		/* listed sorted */
	KUNIT_EXPECT_EQ(test, e.addr.hi, b[0].addr.hi);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t, IP6(0xfd00, 1, 0, 0, 0, 0, 0, 0)), VPC);
	vpcsnat_table6_put(t);
	vpcsnat_table6_put(t2);
}

/*
 * The limits: 129 prefixes nested in each other, ::/0 to the /128 at the
 * last address, fill flatten()'s stack; and the memory bound of the header
 * comment holds up to the largest table_limit.
 */
static void table6_limits(struct kunit *test)
{
	const u32 sizes[] = { 0, 1, 10, 1000, 1000000, VPCSNAT_MAX_TABLE_LIMIT };
	struct vpcsnat_cidr6 *c;
	struct vpcsnat_table6 *t;
	unsigned int i;

	c = kunit_kcalloc(test, 129, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 129; i++) {
		c[i].addr = vpcsnat_ref6_end(LAST6, i, false);
		c[i].plen = i;
		c[i].kind = i % 3;
	}
	t = build6(test, c, 129);
	KUNIT_EXPECT_EQ(test, t->nr_ranges, 129u);
	for (i = 0; i < 129; i++)
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_table6_lookup(t, c[i].addr),
				    i % 3, "depth %u", i);
	vpcsnat_table6_put(t);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_EXPECT_LE_MSG(test, vpcsnat_table6_bytes(sizes[i]),
				    53 * (size_t)sizes[i] + 128, "%u prefixes", sizes[i]);
		KUNIT_EXPECT_LE_MSG(test, vpcsnat_table_bytes(sizes[i]),
				    16 * (size_t)sizes[i] + 128, "%u prefixes", sizes[i]);
	}
}

/*
 * A VPC's shape: every prefix but a /0 in one block, so the index covers
 * that block (its span) and an address outside it is the /0's. The /32s
 * and /64s fill the block's buckets; the probes sit at both its edges and
 * just outside them.
 */
static void table_clustered(struct kunit *test)
{
	const struct probe p[] = {
		{ 0, EXCL }, { IP(10, 1, 1, 255), EXCL }, { IP(10, 1, 2, 0), SNAT },
		{ IP(10, 1, 2, 1), VPC }, { IP(10, 1, 2, 254), SNAT },
		{ IP(10, 1, 2, 255), VPC }, { IP(10, 1, 3, 0), EXCL },
		{ IP(10, 1, 4, 0), EXCL }, { ~0u, EXCL },
	};
	struct vpcsnat_cidr *c;
	struct vpcsnat_table *t;
	unsigned int i;

	c = kunit_kcalloc(test, 257, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c[256] = (struct vpcsnat_cidr){ 0, 0, EXCL };
	for (i = 0; i < 256; i++)
		c[i] = (struct vpcsnat_cidr){ IP(10, 1, 2, i), 32, i % 2 ? VPC : SNAT };
	t = build(test, c, 257);
	/* The span: the /23 of the first /32 and of the /0's return. */
	KUNIT_EXPECT_EQ(test, t->base, IP(10, 1, 2, 0));
	KUNIT_EXPECT_EQ(test, t->mask, IP(255, 255, 254, 0));
	expect_kinds(test, t, p, ARRAY_SIZE(p));
	vpcsnat_table_put(t);
}

static void table6_clustered(struct kunit *test)
{
	static const struct probe6 p[] = {
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), VPC },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xddff, ~0, ~0, ~0, ~0), VPC },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xde00, 0, 0, 0, 0), SNAT },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xde01, 0, 0, 0, 5), EXCL },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xde01, 0, 0, 0, 6), SNAT },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xdefe, ~0, ~0, ~0, ~0), SNAT },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xdeff, 0, 0, 0, 0), EXCL },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xdeff, ~0, ~0, ~0, ~0), EXCL },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xdf00, 0, 0, 0, 0), VPC },
		{ IP6(0x2600, 0x1f14, 0xabc, 0xe000, 0, 0, 0, 0), VPC },
		{ LAST6, VPC },
	};
	struct vpcsnat_cidr6 *c;
	struct vpcsnat_table6 *t;
	unsigned int i;

	c = kunit_kcalloc(test, 258, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c[256] = (struct vpcsnat_cidr6){ IP6(0, 0, 0, 0, 0, 0, 0, 0), 0, VPC };
	c[257] = (struct vpcsnat_cidr6){
		IP6(0x2600, 0x1f14, 0xabc, 0xde01, 0, 0, 0, 6), 128, SNAT };
	for (i = 0; i < 256; i++)
		c[i] = (struct vpcsnat_cidr6){
			IP6(0x2600, 0x1f14, 0xabc, 0xde00 | i, 0, 0, 0, 0), 64,
			i % 2 ? EXCL : SNAT };
	t = build6(test, c, 258);
	/* The span: the /55 of the first /64 and of the /0's return. */
	KUNIT_EXPECT_EQ(test, t->mask.hi, ~0ull << 9);
	table6_says(test, c, 258, p, ARRAY_SIZE(p));
	vpcsnat_table6_put(t);
}

/* The two families side by side, as a netns will hold them: independent. */
static void table_both_families(struct kunit *test)
{
	struct vpcsnat_cidr c4[] = { { IP(10, 0, 0, 0), 8, VPC } };
	static const struct vpcsnat_cidr6 c6[] = {
		{ IP6(0, 0, 0, 0, 0, 0, 0, 0), 0, EXCL },
		{ IP6(0, 0, 0, 0, 0, 0, 0x0a00, 0), 104, SNAT },
	};
	struct vpcsnat_table *t4 = build(test, c4, 1);
	struct vpcsnat_table6 *t6 = build6(test, c6, 2);

	/* ::a00:0/104 is an IPv6 prefix (IPv4-compatible, deprecated), not 10/8. */
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t4, IP(10, 1, 2, 3)), VPC);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t6, IP6(0, 0, 0, 0, 0, 0, 0x0a01, 0x0203)), SNAT);
	KUNIT_EXPECT_EQ(test, vpcsnat_table_lookup(t4, IP(11, 0, 0, 0)), NONE);
	KUNIT_EXPECT_EQ(test, vpcsnat_table6_lookup(t6, IP6(0, 0, 0, 0, 0, 0, 0x0b00, 0)), EXCL);
	vpcsnat_table_put(t4);
	vpcsnat_table6_put(t6);
}

/* Whether @c[@n] is one of the @n prefixes before it. */
static bool drawn_before(const struct vpcsnat_cidr6 *c, unsigned int n)
{
	unsigned int j;

	for (j = 0; j < n; j++)
		if (c[j].plen == c[n].plen && vpcsnat_ref6_covers(&c[j], c[n].addr))
			return true;
	return false;
}

/* Random prefix @i of a table: nested in, or next to, an earlier one. */
static void random_cidr6(struct rnd_state *rnd, struct vpcsnat_cidr6 *c,
			 unsigned int i)
{
	const struct vpcsnat_cidr6 *p = i ? &c[prandom_u32_state(rnd) % i] : NULL;
	struct vpcsnat_cidr6 *x = &c[i];
	u32 r = prandom_u32_state(rnd);

	do {
		x->addr.hi = 0xfd00000000000000ull |
			     (u64)prandom_u32_state(rnd) << (r % 32);
		x->addr.lo = (u64)prandom_u32_state(rnd) << 32 |
			     prandom_u32_state(rnd);
		if (p && r % 3 == 0)
			x->addr = vpcsnat_ref6_end(p->addr, p->plen, true);
		if (p && r % 3 == 1) {	/* p's first bits, then x's */
			struct vpcsnat_in6 tail = vpcsnat_ref6_end(p->addr, p->plen, true);

			x->addr.hi = (x->addr.hi & tail.hi & ~p->addr.hi) | p->addr.hi;
			x->addr.lo = (x->addr.lo & tail.lo & ~p->addr.lo) | p->addr.lo;
		}
		x->plen = r % 4 ? 8 + prandom_u32_state(rnd) % 121 :
				  prandom_u32_state(rnd) % 129;
		x->addr = vpcsnat_ref6_end(x->addr, x->plen, false);
		x->kind = prandom_u32_state(rnd) % 3;
		r = prandom_u32_state(rnd);
	} while (vpcsnat_cidr6_check(x) || drawn_before(c, i));
}

/* A random table of @n prefixes against the reference, at 500 addresses. */
static void random_table6(struct kunit *test, struct rnd_state *rnd,
			  struct vpcsnat_cidr6 *c, unsigned int n)
{
	struct vpcsnat_table6 *t;
	unsigned int i;

	for (i = 0; i < n; i++)
		random_cidr6(rnd, c, i);
	t = build6(test, c, n);
	for (i = 0; i < 500; i++) {
		const struct vpcsnat_cidr6 *e = &c[n ? prandom_u32_state(rnd) % n : 0];
		struct vpcsnat_in6 a = {
			0xfd00000000000000ull | prandom_u32_state(rnd),
			prandom_u32_state(rnd)
		};

		if (n && i % 2)	/* at the edges of an entry */
			a = vpcsnat_ref6_end(e->addr, e->plen, i % 4 == 1);
		if (n && i % 8 == 7)	/* just past one */
			a.hi += !++a.lo;
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_table6_lookup(t, a),
				    vpcsnat_ref6_lookup(c, n, a),
				    "%u entries, address %016llx %016llx",
				    n, a.hi, a.lo);
	}
	vpcsnat_table6_put(t);
}

static void table6_random_against_linear_scan(struct kunit *test)
{
	struct vpcsnat_cidr6 *c = kunit_kcalloc(test, 200, sizeof(*c), GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int round;

	KUNIT_ASSERT_NOT_NULL(test, c);
	prandom_seed_state(&rnd, 6);
	for (round = 0; round < 50; round++)
		random_table6(test, &rnd, c, prandom_u32_state(&rnd) % 200);
}

static struct kunit_case table_cases[] = {
	KUNIT_CASE(table_empty),
	KUNIT_CASE(table_longest_prefix_wins),
	KUNIT_CASE(table_snat_inside_vpc),
	KUNIT_CASE(table_slash0_and_slash32),
	KUNIT_CASE(table_adjacent),
	KUNIT_CASE(table_overlapping),
	KUNIT_CASE(table_refuses_bad_prefixes),
	KUNIT_CASE(table_add_and_delete),
	KUNIT_CASE(table_delete_missing),
	KUNIT_CASE(table_replace),
	KUNIT_CASE(table_random_against_linear_scan),
	KUNIT_CASE(table_clustered),
	KUNIT_CASE(table6_empty),
	KUNIT_CASE(table6_longest_prefix_wins),
	KUNIT_CASE(table6_slash0_and_slash128),
	KUNIT_CASE(table6_adjacent),
	KUNIT_CASE(table6_overlapping),
	KUNIT_CASE(table6_refuses_bad_prefixes),
	KUNIT_CASE(table6_add_and_delete),
	KUNIT_CASE(table6_delete_missing),
	KUNIT_CASE(table6_replace),
	KUNIT_CASE(table6_clustered),
	KUNIT_CASE(table6_limits),
	KUNIT_CASE(table_both_families),
	KUNIT_CASE(table6_random_against_linear_scan),
	{}
};

VPCSNAT_SUITE(table);
