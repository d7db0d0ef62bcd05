// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the CIDR table. Hand-picked shapes (nesting, adjacency, the ends
 * of the address space), then random tables against a linear scan. The
 * entry limit is conf.c's business: see conf_test.c.
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
	{}
};

VPCSNAT_SUITE(table);
