// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: vpcsnat_decide(), every reason and the order they are checked in;
 * vpcsnat_decide_mark(), the same for the mark.
 */

#include <kunit/test.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

struct decision_ctx {
	struct vpcsnat_settings s;
	struct vpcsnat_table *t;
	struct vpcsnat_table6 *t6;
	struct vpcsnat_conn c;
};

/* 10.0.0.0/16 vpc, 10.0.5.0/24 snat, 192.168.0.0/16 exclude */
static int decision_init(struct kunit *test)
{
	struct vpcsnat_cidr cidrs[] = {
		{ .addr = 0x0a000000, .plen = 16, .kind = VPCSNAT_KIND_VPC },
		{ .addr = 0x0a000500, .plen = 24, .kind = VPCSNAT_KIND_SNAT },
		{ .addr = 0xc0a80000, .plen = 16, .kind = VPCSNAT_KIND_EXCLUDE },
	};
	/* 2600:1f14:aa::/56 vpc, 2600:1f14:aa:5::/64 snat, fd00::/8 exclude */
	struct vpcsnat_cidr6 cidrs6[] = {
		{ { 0x26001f1400aa0000ull, 0 }, 56, VPCSNAT_KIND_VPC },
		{ { 0x26001f1400aa0005ull, 0 }, 64, VPCSNAT_KIND_SNAT },
		{ { 0xfd00000000000000ull, 0 }, 8, VPCSNAT_KIND_EXCLUDE },
	};
	struct decision_ctx *x;
	struct vpcsnat_cidr6 bad6;
	struct vpcsnat_cidr bad;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_EQ(test, vpcsnat_table_build(cidrs, ARRAY_SIZE(cidrs),
						  &x->t, &bad), 0);
	KUNIT_ASSERT_EQ(test, vpcsnat_table6_build(cidrs6, ARRAY_SIZE(cidrs6),
						   &x->t6, &bad6), 0);
	x->s.enabled = true;
	x->s.ipv6 = true;
	x->s.table_limit = VPCSNAT_DEFAULT_TABLE_LIMIT;
	x->s.skip.nr = 1;
	strscpy(x->s.skip.name[0], "vlan", IFNAMSIZ);
	x->c.saddr = htonl(0x0a000063);		/* a pod, 10.0.0.99 */
	x->c.daddr = htonl(0xcb007101);		/* the internet, 203.0.113.1 */
	x->c.oifname = "eth0";
	x->s.pod.nr = 1;
	strscpy(x->s.pod.name[0], "eni", IFNAMSIZ);
	x->s.mark = 0x80;
	x->c.iifname = "eni1a2b3c";
	test->priv = x;
	return 0;
}

static void decision_exit(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	if (x) {
		vpcsnat_table_put(x->t);
		vpcsnat_table6_put(x->t6);
	}
}

static enum vpcsnat_reason decide(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	return vpcsnat_decide(&x->s, x->t, x->t6, &x->c);
}

static void decision_disabled(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->s.enabled = false;
	x->s.external_snat = true;
	x->c.src_local = true;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_DISABLED);
}

static void decision_external_snat(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->s.external_snat = true;
	x->c.src_local = true;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_EXTERNAL_SNAT);
}

static void decision_src_local(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.src_local = true;
	x->c.dst_local = true;
	x->c.oifname = "vlan.eth.1";
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SRC_LOCAL);
}

static void decision_dst_local(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.dst_local = true;
	x->c.oifname = "vlan.eth.1";
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_DST_LOCAL);
}

static void decision_skip_iface(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.oifname = "vlan.eth.1";
	x->c.daddr = htonl(0x0a000501);		/* even inside a snat entry */
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SKIP_IFACE);
	x->c.oifname = "vla";			/* shorter than the prefix */
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SNAT_ENTRY);
	x->c.oifname = NULL;			/* unknown egress device */
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SNAT_ENTRY);
}

static void decision_vpc(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.daddr = htonl(0x0a00ffff);
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_VPC);
	KUNIT_EXPECT_FALSE(test, vpcsnat_translates(decide(test)));
}

static void decision_exclude(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.daddr = htonl(0xc0a80101);
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_EXCLUDE);
	KUNIT_EXPECT_FALSE(test, vpcsnat_translates(decide(test)));
}

static void decision_snat_entry(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.daddr = htonl(0x0a0005ff);
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SNAT_ENTRY);
	KUNIT_EXPECT_TRUE(test, vpcsnat_translates(decide(test)));
}

static void decision_no_match(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_NO_MATCH);
	KUNIT_EXPECT_TRUE(test, vpcsnat_translates(decide(test)));
}

/* An IPv6 connection is decided by the IPv6 table, the same way. */
static void decision_v6(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.v6 = true;
	x->c.daddr = htonl(0x0a000001);	/* in the IPv4 vpc entry: not read */
	x->c.daddr6 = (struct vpcsnat_in6){ 0x26001f1400aa0002ull, 0x20 };
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_VPC);
	x->c.daddr6.hi = 0x26001f1400aa0005ull;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SNAT_ENTRY);
	x->c.daddr6 = (struct vpcsnat_in6){ 0xfd00000000000000ull | 0xac, 1 };
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_EXCLUDE);
	x->c.daddr6 = (struct vpcsnat_in6){ 0x26001f2800bb0000ull, 0x50 };
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_NO_MATCH);
	x->c.src_local = true;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SRC_LOCAL);
	/* Off by default: an IPv6 connection is left alone, IPv4 is not. */
	x->s.ipv6 = false;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_DISABLED);
	x->c.v6 = false;
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SRC_LOCAL);
}

static void decision_only_two_reasons_translate(struct kunit *test)
{
	int r;

	for (r = 0; r <= VPCSNAT_REASON_MAX; r++)
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_translates(r),
				    r == VPCSNAT_REASON_SNAT_ENTRY ||
				    r == VPCSNAT_REASON_NO_MATCH,
				    "reason %d", r);
}

static enum vpcsnat_mark_reason decide_mark(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	return vpcsnat_decide_mark(&x->s, x->t, x->t6, &x->c);
}

static void decision_mark_set(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_SET);
}

static void decision_mark_off(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->s.mark = 0;
	x->c.iifname = "vlan.eth.1";
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_OFF);
}

static void decision_mark_not_pod(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.iifname = "eth0";
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_NOT_POD);
	x->c.iifname = NULL;			/* locally generated */
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_NOT_POD);
}

static void decision_mark_follows_translation(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.daddr = htonl(0x0a00ffff);		/* the VPC */
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_NOT_TRANSLATED);
	x->c.daddr = htonl(0x0a000501);		/* a snat entry inside it */
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_SET);
	x->c.dst_local = true;
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_NOT_TRANSLATED);
	x->c.dst_local = false;
	x->s.external_snat = true;
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_NOT_TRANSLATED);
}

/* Decided before routing: a skip prefix on the egress device does not apply. */
static void decision_mark_before_routing(struct kunit *test)
{
	struct decision_ctx *x = test->priv;

	x->c.oifname = "vlan.eth.1";
	KUNIT_EXPECT_EQ(test, decide(test), VPCSNAT_REASON_SKIP_IFACE);
	KUNIT_EXPECT_EQ(test, decide_mark(test), VPCSNAT_MARK_SET);
}

static struct kunit_case decision_cases[] = {
	KUNIT_CASE(decision_disabled),
	KUNIT_CASE(decision_external_snat),
	KUNIT_CASE(decision_src_local),
	KUNIT_CASE(decision_dst_local),
	KUNIT_CASE(decision_skip_iface),
	KUNIT_CASE(decision_vpc),
	KUNIT_CASE(decision_exclude),
	KUNIT_CASE(decision_snat_entry),
	KUNIT_CASE(decision_no_match),
	KUNIT_CASE(decision_v6),
	KUNIT_CASE(decision_only_two_reasons_translate),
	KUNIT_CASE(decision_mark_set),
	KUNIT_CASE(decision_mark_off),
	KUNIT_CASE(decision_mark_not_pod),
	KUNIT_CASE(decision_mark_follows_translation),
	KUNIT_CASE(decision_mark_before_routing),
	{}
};

VPCSNAT_SUITE(decision,
	      .init = decision_init, .exit = decision_exit);
