// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rows of settings.c. Each row is whole (a policy entry of its
 * type, a distinct attribute and file), and for every row a value written
 * to its sysfs file, put in a GET_CONFIG reply and parsed back as
 * SET_CONFIG parses it, is the same value, read back the same way.
 */

#include <kunit/test.h>
#include <linux/gfp.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

static const struct nla_policy *policy_of(const struct vpcsnat_setting *set)
{
	return &vpcsnat_set_config_policy[set->attr];
}

static void settings_rows_are_whole(struct kunit *test)
{
	static const u8 nla_type[] = {
		[VPCSNAT_SETTING_BOOL] = NLA_U8,
		[VPCSNAT_SETTING_ADDR] = NLA_BE32,
		[VPCSNAT_SETTING_ADDR6] = NLA_BINARY,
		[VPCSNAT_SETTING_ENUM] = NLA_U8,
		[VPCSNAT_SETTING_U32] = NLA_U32,
		[VPCSNAT_SETTING_IFACES] = NLA_NESTED,
		[VPCSNAT_SETTING_MARK] = NLA_U32,
	};
	unsigned int i, j, rows = 0;

	for (i = 0; i < vpcsnat_nr_settings; i++) {
		const struct vpcsnat_setting *set = &vpcsnat_settings[i];
		const struct nla_policy *p = policy_of(set);

		KUNIT_ASSERT_LT(test, set->attr, 64);	/* VPCSNAT_SET() */
		KUNIT_ASSERT_LE(test, set->attr, VPCSNAT_A_MAX);
		KUNIT_ASSERT_LT(test, set->type, ARRAY_SIZE(nla_type));
		KUNIT_EXPECT_EQ_MSG(test, p->type, nla_type[set->type],
				    "%s: policy type", set->name);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(p, &vpcsnat_replace_policy[set->attr],
						 sizeof(*p)), 0,
				    "%s: REPLACE_CIDRS's policy differs", set->name);
		if (set->type == VPCSNAT_SETTING_BOOL)
			KUNIT_EXPECT_EQ_MSG(test, p->max, 1, "%s", set->name);
		if (set->type == VPCSNAT_SETTING_ENUM) {
			KUNIT_EXPECT_EQ_MSG(test, p->max, set->nr_names - 1,
					    "%s: policy max", set->name);
			for (j = 0; j < set->nr_names; j++)
				KUNIT_EXPECT_NOT_NULL_MSG(test, set->names[j],
							  "%s: value %u has no name",
							  set->name, j);
		}
		if (set->type == VPCSNAT_SETTING_U32) {
			KUNIT_ASSERT_EQ_MSG(test, p->validation_type,
					    NLA_VALIDATE_RANGE_PTR, "%s", set->name);
			KUNIT_EXPECT_GE(test, (u64)set->dflt, p->range->min);
			KUNIT_EXPECT_LE(test, (u64)set->dflt, p->range->max);
		}
		if (set->type == VPCSNAT_SETTING_ENUM ||
		    set->type == VPCSNAT_SETTING_U32 ||
		    set->type == VPCSNAT_SETTING_MARK)
			KUNIT_EXPECT_NOT_NULL_MSG(test, set->invalid, "%s", set->name);
		for (j = 0; j < i; j++) {
			KUNIT_EXPECT_NE(test, set->attr, vpcsnat_settings[j].attr);
			KUNIT_EXPECT_STRNEQ(test, set->name, vpcsnat_settings[j].name);
		}
	}
	/* No policy entry without its row. */
	for (i = 0; i <= VPCSNAT_A_MAX; i++)
		rows += vpcsnat_set_config_policy[i].type != NLA_UNSPEC;
	KUNIT_EXPECT_EQ(test, rows, vpcsnat_nr_settings);
}

/* The defaults pass the checks a change must pass. */
static void settings_defaults_are_valid(struct kunit *test)
{
	struct vpcsnat_settings s;

	vpcsnat_settings_default(&s);
	KUNIT_EXPECT_EQ(test, vpcsnat_settings_check(&s, NULL), 0);
	KUNIT_EXPECT_EQ(test, s.random, VPCSNAT_DEFAULT_RANDOM);
	KUNIT_EXPECT_EQ(test, s.table_limit, (u32)VPCSNAT_DEFAULT_TABLE_LIMIT);
}

/* A value for @set other than its default, as its sysfs file takes it. */
static void sample(const struct vpcsnat_setting *set, char *word, size_t size)
{
	const struct nla_policy *p = policy_of(set);

	switch (set->type) {
	case VPCSNAT_SETTING_BOOL:
		snprintf(word, size, "%d", !set->dflt);
		break;
	case VPCSNAT_SETTING_ADDR:
		snprintf(word, size, "192.0.2.7");
		break;
	case VPCSNAT_SETTING_ADDR6:
		snprintf(word, size, "2001:db8::7");
		break;
	case VPCSNAT_SETTING_ENUM:
		snprintf(word, size, "%s", set->names[(set->dflt + 1) % set->nr_names]);
		break;
	case VPCSNAT_SETTING_U32:
		snprintf(word, size, "%llu", set->dflt == p->range->max ?
			 p->range->min : p->range->max);
		break;
	case VPCSNAT_SETTING_IFACES:
		snprintf(word, size, "vlan eni");
		break;
	case VPCSNAT_SETTING_MARK:
		snprintf(word, size, "%#x", set->dflt ? set->dflt << 1 : 0x80);
		break;
	}
}

static void settings_sysfs_and_netlink_agree(struct kunit *test)
{
	struct nlattr *tb[VPCSNAT_A_MAX + 1];
	/* Large for a stack frame under KASAN: from the heap. */
	struct vpcsnat_settings *s1 = kunit_kzalloc(test, sizeof(*s1), GFP_KERNEL);
	struct vpcsnat_settings *s2 = kunit_kzalloc(test, sizeof(*s2), GFP_KERNEL);
	struct vpcsnat_change *sysfs = kunit_kzalloc(test, sizeof(*sysfs), GFP_KERNEL);
	struct vpcsnat_change *nl = kunit_kzalloc(test, sizeof(*nl), GFP_KERNEL);
	char word[64], want[64];
	struct sk_buff *skb;
	struct nlmsghdr *nlh;
	char *buf;
	unsigned int i;

	/* sysfs_emit() wants a page. */
	buf = (char *)__get_free_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < vpcsnat_nr_settings; i++) {
		const struct vpcsnat_setting *set = &vpcsnat_settings[i];
		u64 all = 0;
		unsigned int j;

		for (j = 0; j < vpcsnat_nr_settings; j++)
			all |= VPCSNAT_SET(vpcsnat_settings[j].attr);
		sample(set, word, sizeof(word));
		snprintf(want, sizeof(want), "%s\n", word);

		KUNIT_ASSERT_TRUE(test, s1 && s2 && sysfs && nl);
		memset(sysfs, 0, sizeof(*sysfs));
		memset(nl, 0, sizeof(*nl));
		/* Written to its sysfs file... */
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_setting_store(set, word, sysfs), 0,
				    "%s: store '%s'", set->name, want);
		KUNIT_EXPECT_EQ(test, sysfs->set, VPCSNAT_SET(set->attr));
		vpcsnat_settings_default(s1);
		vpcsnat_settings_merge(s1, sysfs);
		KUNIT_EXPECT_EQ_MSG(test, vpcsnat_settings_check(s1, NULL), 0,
				    "%s", set->name);
		KUNIT_EXPECT_GT(test, vpcsnat_setting_show(set, s1, buf), 0);
		KUNIT_EXPECT_STREQ_MSG(test, buf, want, "%s: sysfs reads back", set->name);

		/* ...sent in a GET_CONFIG reply, parsed as SET_CONFIG parses it... */
		skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		nlh = nlmsg_put(skb, 0, 0, 0, 0, 0);
		KUNIT_ASSERT_NOT_NULL(test, nlh);
		KUNIT_EXPECT_EQ(test, vpcsnat_settings_put(skb, s1), 0);
		nlmsg_end(skb, nlh);
		KUNIT_EXPECT_EQ_MSG(test, nlmsg_parse(nlh, 0, tb, VPCSNAT_A_MAX,
						      vpcsnat_set_config_policy, NULL),
				    0, "%s: the reply fails SET_CONFIG's policy", set->name);
		KUNIT_EXPECT_EQ(test, vpcsnat_settings_parse(tb, nl, NULL), 0);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ(test, nl->set, all);

		/* ...is the same setting, and reads back the same. */
		vpcsnat_settings_default(s2);
		vpcsnat_settings_merge(s2, nl);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(s1, s2, sizeof(*s1)), 0,
				    "%s: netlink and sysfs disagree", set->name);
		KUNIT_EXPECT_GT(test, vpcsnat_setting_show(set, s2, buf), 0);
		KUNIT_EXPECT_STREQ_MSG(test, buf, want, "%s: after netlink", set->name);
	}
	free_page((unsigned long)buf);
}

static struct kunit_case settings_cases[] = {
	KUNIT_CASE(settings_rows_are_whole),
	KUNIT_CASE(settings_defaults_are_valid),
	KUNIT_CASE(settings_sysfs_and_netlink_agree),
	{}
};

VPCSNAT_SUITE(settings);
