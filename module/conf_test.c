// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: vpcsnat_apply(), the one setter. Bad values are refused with a
 * message and the published configuration stays the very same object; the
 * table limit holds for every way of growing the table.
 *
 * Runs on the network namespace of the task that loads the test module
 * (tests/kernel/kunit.sh loads it in a scratch netns); never on init_net.
 */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

#define IP(a, b, c, d) ((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static int conf_init(struct kunit *test)
{
	vpcsnat_test_start(test, vpcsnat_test_net);
	return 0;
}

static void conf_exit(struct kunit *test)
{
	if (test->priv)
		vpcsnat_test_reset(test->priv);
}

static const struct vpcsnat_conf *published(struct net *net)
{
	/* Only compared, never dereferenced after the lock is dropped. */
	return rcu_access_pointer(vpcsnat_pernet(net)->conf);
}

static u32 table_size(struct net *net)
{
	u32 n;

	rcu_read_lock();
	n = vpcsnat_conf_entries(rcu_dereference(vpcsnat_pernet(net)->conf));
	rcu_read_unlock();
	return n;
}

/* Apply @chg, expect @err and a message, and nothing published. */
static void expect_refused(struct kunit *test, struct vpcsnat_change *chg,
			   int err, const char *what)
{
	struct net *net = test->priv;
	const struct vpcsnat_conf *before = published(net);
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ_MSG(test, vpcsnat_apply(net, chg, &extack), err, "%s", what);
	KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "%s: no message", what);
	KUNIT_EXPECT_PTR_EQ_MSG(test, published(net), before,
				"%s: a new configuration was published", what);
}

static void apply_ok(struct kunit *test, struct vpcsnat_change *chg)
{
	struct netlink_ext_ack extack = {};
	int err = vpcsnat_apply(test->priv, chg, &extack);

	KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s", extack._msg ?: "");
}

static void add_ok(struct kunit *test, u32 addr, u8 plen)
{
	struct vpcsnat_change chg = {
		.op = VPCSNAT_TABLE_ADD,
		.cidr.c4 = { addr, plen, VPCSNAT_KIND_VPC },
	};

	apply_ok(test, &chg);
}

static void conf_bad_random(struct kunit *test)
{
	struct vpcsnat_change chg = {
		.set = VPCSNAT_SET(VPCSNAT_A_RANDOM), .s.random = VPCSNAT_RANDOM_MAX + 1,
	};

	expect_refused(test, &chg, -EINVAL, "random 3");
}

static void conf_bad_table_limit(struct kunit *test)
{
	struct vpcsnat_change chg = { .set = VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT) };

	expect_refused(test, &chg, -ERANGE, "table_limit 0");
	chg.s.table_limit = VPCSNAT_MAX_TABLE_LIMIT + 1;
	expect_refused(test, &chg, -ERANGE, "table_limit 16000001");
}

/* One bad field spoils the whole change: the good ones are not applied. */
static void conf_all_or_nothing(struct kunit *test)
{
	struct vpcsnat_change chg = {
		.set = VPCSNAT_SET(VPCSNAT_A_SNAT_IP) | VPCSNAT_SET(VPCSNAT_A_ENABLED) |
		       VPCSNAT_SET(VPCSNAT_A_RANDOM),
		.s = { .snat_ip = htonl(IP(10, 0, 0, 10)), .enabled = true,
		       .random = 7 },
		.op = VPCSNAT_TABLE_ADD,
		.cidr.c4 = { IP(10, 0, 0, 0), 16, VPCSNAT_KIND_VPC },
	};
	struct vpcsnat_net *vn = vpcsnat_pernet(test->priv);

	expect_refused(test, &chg, -EINVAL, "good snat_ip, enable and add with a bad random");
	KUNIT_EXPECT_EQ(test, table_size(test->priv), 0u);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(vn->hooked));
}

static struct vpcsnat_change *change(struct kunit *test, u64 set,
				     enum vpcsnat_table_op op)
{
	struct vpcsnat_change *chg = kunit_kzalloc(test, sizeof(*chg), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, chg);
	chg->set = set;
	chg->op = op;
	return chg;
}

static void conf_bad_table_ops(struct kunit *test)
{
	struct vpcsnat_cidr dup[] = {
		{ IP(10, 1, 0, 0), 16, VPCSNAT_KIND_VPC },
		{ IP(10, 1, 0, 0), 16, VPCSNAT_KIND_SNAT },
	};
	struct vpcsnat_cidr host_bits[] = { { IP(10, 1, 0, 1), 16, VPCSNAT_KIND_VPC } };
	struct vpcsnat_change *chg;

	add_ok(test, IP(10, 0, 0, 0), 16);
	chg = change(test, 0, VPCSNAT_TABLE_ADD);
	chg->cidr.c4 = (struct vpcsnat_cidr){ IP(10, 0, 0, 0), 16, VPCSNAT_KIND_SNAT };
	expect_refused(test, chg, -EEXIST, "add of a prefix already there");
	chg = change(test, 0, VPCSNAT_TABLE_DEL);
	chg->cidr.c4 = (struct vpcsnat_cidr){ IP(10, 9, 0, 0), 16 };
	expect_refused(test, chg, -ENOENT, "delete of a missing prefix");
	chg = change(test, 0, VPCSNAT_TABLE_ADD);
	chg->cidr.c4 = (struct vpcsnat_cidr){ IP(10, 9, 0, 1), 16 };
	expect_refused(test, chg, -EINVAL, "add with host bits set");
	chg = change(test, 0, VPCSNAT_TABLE_REPLACE);
	chg->cidrs = dup;
	chg->nr_cidrs = 2;
	expect_refused(test, chg, -EEXIST, "replace with a duplicate");
	KUNIT_EXPECT_EQ(test, chg->bad.c4.addr, IP(10, 1, 0, 0));
	chg = change(test, 0, VPCSNAT_TABLE_REPLACE);
	chg->cidrs = host_bits;
	chg->nr_cidrs = 1;
	expect_refused(test, chg, -EINVAL, "replace with host bits set");
	KUNIT_EXPECT_EQ(test, table_size(test->priv), 1u);
}

static void conf_table_limit(struct kunit *test)
{
	struct vpcsnat_cidr three[] = {
		{ IP(10, 0, 0, 0), 8 }, { IP(172, 16, 0, 0), 12 },
		{ IP(192, 168, 0, 0), 16 },
	};
	struct vpcsnat_cidr two[] = { { IP(10, 0, 0, 0), 8 }, { IP(11, 0, 0, 0), 8 } };
	struct vpcsnat_change *limit2, *limit1, *add_third, *replace3, *replace2;
	struct vpcsnat_change *replace3_limit3;

	limit2 = change(test, VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT), VPCSNAT_TABLE_KEEP);
	limit2->s.table_limit = 2;
	limit1 = change(test, VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT), VPCSNAT_TABLE_KEEP);
	limit1->s.table_limit = 1;
	add_third = change(test, 0, VPCSNAT_TABLE_ADD);
	add_third->cidr.c4.addr = IP(12, 0, 0, 0);
	add_third->cidr.c4.plen = 8;
	replace3 = change(test, 0, VPCSNAT_TABLE_REPLACE);
	replace3->cidrs = three;
	replace3->nr_cidrs = 3;
	replace2 = change(test, 0, VPCSNAT_TABLE_REPLACE);
	replace2->cidrs = two;
	replace2->nr_cidrs = 2;
	replace3_limit3 = change(test, VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT), VPCSNAT_TABLE_REPLACE);
	replace3_limit3->s.table_limit = 3;
	replace3_limit3->cidrs = three;
	replace3_limit3->nr_cidrs = 3;

	apply_ok(test, limit2);
	add_ok(test, IP(1, 0, 0, 0), 8);
	add_ok(test, IP(2, 0, 0, 0), 8);
	expect_refused(test, add_third, -ENOSPC, "a third add with table_limit 2");
	expect_refused(test, replace3, -ENOSPC, "a replace with 3 entries, table_limit 2");
	expect_refused(test, limit1, -ENOSPC, "table_limit 1 below the table's 2 entries");
	apply_ok(test, replace2);
	KUNIT_EXPECT_EQ(test, table_size(test->priv), 2u);
	/* A replace that raises the limit in the same change is judged by it. */
	apply_ok(test, replace3_limit3);
	KUNIT_EXPECT_EQ(test, table_size(test->priv), 3u);
}

/* Each refused snat_ip and snat_ip6 with shared.h's words for its reason. */
static void conf_bad_snat_ip(struct kunit *test)
{
	static const struct {
		const char *addr;
		enum vpcsnat_snat_err err;
	} bad[] = {
		{ "224.0.0.1", VPCSNAT_SNAT_MULTICAST },
		{ "239.255.255.255", VPCSNAT_SNAT_MULTICAST },
		{ "127.0.0.1", VPCSNAT_SNAT_LOOPBACK },
		{ "127.1.2.3", VPCSNAT_SNAT_LOOPBACK },
		{ "255.255.255.255", VPCSNAT_SNAT_BROADCAST },
		{ "ff02::1", VPCSNAT_SNAT_MULTICAST },
		{ "::1", VPCSNAT_SNAT_LOOPBACK },
		{ "fe80::1", VPCSNAT_SNAT_LINK_LOCAL },
		{ "febf::1", VPCSNAT_SNAT_LINK_LOCAL },
		{ "::ffff:10.0.0.1", VPCSNAT_SNAT_V4_MAPPED },
	};
	struct net *net = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct vpcsnat_conf *before = published(net);
		struct netlink_ext_ack extack = {};
		struct vpcsnat_change chg = {};
		bool v6 = strchr(bad[i].addr, ':');

		if (v6) {
			chg.set = VPCSNAT_SET(VPCSNAT_A_SNAT_IP6);
			KUNIT_ASSERT_EQ(test, in6_pton(bad[i].addr, -1,
						       chg.s.snat_ip6.s6_addr,
						       '\0', NULL), 1);
		} else {
			chg.set = VPCSNAT_SET(VPCSNAT_A_SNAT_IP);
			KUNIT_ASSERT_EQ(test, in4_pton(bad[i].addr, -1,
						       (u8 *)&chg.s.snat_ip,
						       '\0', NULL), 1);
		}
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_apply(net, &chg, &extack),
				    -EINVAL, "%s", bad[i].addr);
		KUNIT_EXPECT_STREQ_MSG(test, extack._msg ?: "(none)",
				       vpcsnat_snat_err_msg[bad[i].err],
				       "%s", bad[i].addr);
		KUNIT_EXPECT_PTR_EQ_MSG(test, published(net), before, "%s",
					bad[i].addr);
	}
}

/* table_limit bounds both families together. */
static void conf_table_limit_both_families(struct kunit *test)
{
	struct vpcsnat_change *limit2, *add6;

	limit2 = change(test, VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT), VPCSNAT_TABLE_KEEP);
	limit2->s.table_limit = 2;
	apply_ok(test, limit2);
	add_ok(test, IP(10, 0, 0, 0), 8);
	add6 = change(test, 0, VPCSNAT_TABLE_ADD);
	add6->cidr.v6 = true;
	add6->cidr.c6 = (struct vpcsnat_cidr6){ { 0x26001f1400aa0000ull, 0 }, 56 };
	apply_ok(test, add6);
	KUNIT_EXPECT_EQ(test, table_size(test->priv), 2u);
	add6 = change(test, 0, VPCSNAT_TABLE_ADD);
	add6->cidr.v6 = true;
	add6->cidr.c6 = (struct vpcsnat_cidr6){ { 0x26001f1400bb0000ull, 0 }, 56 };
	expect_refused(test, add6, -ENOSPC, "a third prefix, IPv6, with table_limit 2");
}

static void conf_good_change_applies(struct kunit *test)
{
	struct vpcsnat_change *chg, *off;
	struct net *net = test->priv;
	const struct vpcsnat_conf *before = published(net);
	struct vpcsnat_settings s;

	chg = change(test, VPCSNAT_SET(VPCSNAT_A_SNAT_IP) | VPCSNAT_SET(VPCSNAT_A_ENABLED),
		     VPCSNAT_TABLE_KEEP);
	chg->s.snat_ip = htonl(IP(10, 0, 0, 10));
	chg->s.enabled = true;
	off = change(test, VPCSNAT_SET(VPCSNAT_A_ENABLED), VPCSNAT_TABLE_KEEP);
	apply_ok(test, chg);
	KUNIT_EXPECT_PTR_NE(test, published(net), before);
	rcu_read_lock();
	s = rcu_dereference(vpcsnat_pernet(net)->conf)->s;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, s.snat_ip, htonl(IP(10, 0, 0, 10)));
	KUNIT_EXPECT_TRUE(test, s.enabled);
	KUNIT_EXPECT_EQ(test, s.random, VPCSNAT_RANDOM_PRNG);	/* untouched */
	KUNIT_EXPECT_TRUE(test, READ_ONCE(vpcsnat_pernet(net)->hooked));
	apply_ok(test, off);
	/* Translated connections keep their NAT hooks (see vpcsnat_apply). */
	KUNIT_EXPECT_TRUE(test, READ_ONCE(vpcsnat_pernet(net)->hooked));
}

/* IPv6's hooks (and IPv6 conntrack) come only with ipv6 on, and enabled. */
static void conf_ipv6_hooks_on_demand(struct kunit *test)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(test->priv);
	struct vpcsnat_change *v6, *on;

	if (READ_ONCE(vn->hooked6))
		kunit_skip(test, "an earlier case of this netns turned IPv6 on");
	v6 = change(test, VPCSNAT_SET(VPCSNAT_A_IPV6), VPCSNAT_TABLE_KEEP);
	v6->s.ipv6 = true;
	on = change(test, VPCSNAT_SET(VPCSNAT_A_ENABLED), VPCSNAT_TABLE_KEEP);
	on->s.enabled = true;
	apply_ok(test, v6);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(vn->hooked6));	/* not enabled */
	apply_ok(test, on);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(vn->hooked));
	KUNIT_EXPECT_TRUE(test, READ_ONCE(vn->hooked6));
}

static void conf_bad_skip_prefixes(struct kunit *test)
{
	static const char * const bad[] = {
		"", "0123456789abcdef", "a/b", "a:b", " x", "x\ty", "\x7f",
	};
	struct vpcsnat_settings s = {};
	struct netlink_ext_ack extack;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&extack, 0, sizeof(extack));
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_ifaces_add(&s.skip, bad[i], &extack),
				    -EINVAL, "prefix '%s'", bad[i]);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	}
	KUNIT_EXPECT_EQ(test, s.skip.nr, 0);
	for (i = 0; i < VPCSNAT_MAX_SKIP_IFACES; i++) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "vlan%u", i);
		KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, name, NULL), 0);
	}
	memset(&extack, 0, sizeof(extack));
	KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, "eth", &extack), -E2BIG);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, s.skip.nr, VPCSNAT_MAX_SKIP_IFACES);
}

/* A list names a prefix once: snatctl refuses a repeat, so does the kernel. */
static void conf_skip_prefix_listed_twice(struct kunit *test)
{
	struct vpcsnat_settings s = {};
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, "vlan", NULL), 0);
	KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, "eni", NULL), 0);
	KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, "vlan", &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg ?: "", "interface prefix listed twice");
	KUNIT_EXPECT_EQ(test, s.skip.nr, 2);
	/* A prefix of another prefix is another prefix. */
	KUNIT_EXPECT_EQ(test, vpcsnat_ifaces_add(&s.skip, "vla", NULL), 0);
}

/*
 * Printable ASCII only: the kernel's isgraph() took Latin-1 letters too;
 * and neither a list's separator nor a comment's start (shared.h).
 */
static void conf_skip_prefix_latin1(struct kunit *test)
{
	static const char * const bad[] = { "\xe9th", "eth\xa0", "\xff", "eni#1", "a,b" };
	struct vpcsnat_settings s = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_ifaces_add(&s.skip, bad[i], NULL),
				    -EINVAL, "prefix %*ph", (int)strlen(bad[i]), bad[i]);
	KUNIT_EXPECT_EQ(test, s.skip.nr, 0);
}

struct writer {
	struct net *net;
	struct vpcsnat_change *chg;
	int go, done, err;
};

static int writer_fn(void *data)
{
	struct writer *w = data;

	while (!READ_ONCE(w->go) && !kthread_should_stop())
		usleep_range(500, 1000);
	if (READ_ONCE(w->go)) {
		w->err = vpcsnat_apply(w->net, w->chg, NULL);
		/* Pairs with the reader's acquire: err is visible before done. */
		smp_store_release(&w->done, 1);
	}
	while (!kthread_should_stop())
		usleep_range(500, 1000);
	return 0;
}

/*
 * A reader inside rcu_read_lock() keeps using the configuration (and table)
 * it found while a writer on another CPU replaces both: they are freed only
 * after a grace period. A writer that freed them at once would make the
 * reads below a use-after-free, which KASAN reports.
 */
static void conf_readers_keep_old_conf(struct kunit *test)
{
	struct vpcsnat_cidr two[] = { { IP(10, 0, 0, 0), 8 }, { IP(11, 0, 0, 0), 8 } };
	struct writer w = { .net = test->priv };
	const struct vpcsnat_conf *conf;
	struct task_struct *task;
	unsigned long until;
	u32 limit = 0, entries = 0;
	int done, me, other;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	add_ok(test, IP(1, 0, 0, 0), 8);
	w.chg = change(test, VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT), VPCSNAT_TABLE_REPLACE);
	w.chg->s.table_limit = 77;
	w.chg->cidrs = two;
	w.chg->nr_cidrs = 2;
	/* The reader spins without preemption: the writer needs its own CPU. */
	me = cpumask_first(cpu_online_mask);
	other = cpumask_next(me, cpu_online_mask);
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(me)), 0);
	task = kthread_create(writer_fn, &w, "vpcsnat_test_writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, other);
	wake_up_process(task);

	rcu_read_lock();
	conf = rcu_dereference(vpcsnat_pernet(w.net)->conf);
	WRITE_ONCE(w.go, 1);
	until = jiffies + 10 * HZ;
	/* Pairs with the writer's release. */
	while (!(done = smp_load_acquire(&w.done)) && time_before(jiffies, until))
		cpu_relax();
	if (done) {
		limit = READ_ONCE(conf->s.table_limit);
		entries = READ_ONCE(conf->table->nr_entries);
	}
	rcu_read_unlock();
	kthread_stop(task);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	KUNIT_ASSERT_TRUE_MSG(test, done, "the writer did not finish within 10 s");
	KUNIT_EXPECT_EQ(test, w.err, 0);
	KUNIT_EXPECT_EQ(test, limit, (u32)VPCSNAT_DEFAULT_TABLE_LIMIT);
	KUNIT_EXPECT_EQ(test, entries, 1u);
	KUNIT_EXPECT_EQ(test, table_size(w.net), 2u);
}

static struct kunit_case conf_cases[] = {
	KUNIT_CASE(conf_bad_random),
	KUNIT_CASE(conf_bad_table_limit),
	KUNIT_CASE(conf_bad_snat_ip),
	KUNIT_CASE(conf_table_limit_both_families),
	KUNIT_CASE(conf_all_or_nothing),
	KUNIT_CASE(conf_bad_table_ops),
	KUNIT_CASE(conf_table_limit),
	KUNIT_CASE(conf_good_change_applies),
	KUNIT_CASE(conf_ipv6_hooks_on_demand),
	KUNIT_CASE(conf_bad_skip_prefixes),
	KUNIT_CASE(conf_skip_prefix_listed_twice),
	KUNIT_CASE(conf_skip_prefix_latin1),
	KUNIT_CASE(conf_readers_keep_old_conf),
	{}
};

VPCSNAT_SUITE(conf,
	      .suite_init = vpcsnat_test_suite_init,
	      .suite_exit = vpcsnat_test_suite_exit,
	      .init = conf_init, .exit = conf_exit);
