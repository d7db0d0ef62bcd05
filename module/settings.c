// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of a network namespace, one row each: which attribute
 * carries it and with what policy, which sysfs file shows it, where it
 * sits in struct vpcsnat_settings and what values it takes. The code
 * below the rows does the rest for every setting alike: parse it from
 * netlink attributes, put it in a reply, show and store it in sysfs,
 * merge it into a change and check it.
 */

#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>

#include "vpcsnat.h"

static const struct nla_policy iface_policy[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_IFACE] = { .type = NLA_NUL_STRING,
			      .len = VPCSNAT_IFACE_PREFIX_MAX },
};

static struct netlink_range_validation table_limit_range = {
	.min = 1,
	.max = VPCSNAT_MAX_TABLE_LIMIT,
};

/* The attribute policy of each setting, by the type of its row below. */
#define SETTINGS_POLICY							\
	[VPCSNAT_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),		\
	[VPCSNAT_A_IPV6] = NLA_POLICY_MAX(NLA_U8, 1),			\
	[VPCSNAT_A_EXTERNAL_SNAT] = NLA_POLICY_MAX(NLA_U8, 1),		\
	[VPCSNAT_A_SNAT_IP] = { .type = NLA_BE32 },			\
	[VPCSNAT_A_SNAT_IP6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[VPCSNAT_A_RANDOM] = NLA_POLICY_MAX(NLA_U8, VPCSNAT_RANDOM_MAX), \
	[VPCSNAT_A_SKIP_IFACES] = NLA_POLICY_NESTED(iface_policy),	\
	[VPCSNAT_A_POD_IFACES] = NLA_POLICY_NESTED(iface_policy),	\
	[VPCSNAT_A_MARK] = { .type = NLA_U32 },				\
	[VPCSNAT_A_TABLE_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U32,	\
							&table_limit_range)

/* The two commands that carry settings; a replace carries its table too. */
const struct nla_policy vpcsnat_set_config_policy[VPCSNAT_A_MAX + 1] = {
	SETTINGS_POLICY,
};
EXPORT_FOR_KUNIT(vpcsnat_set_config_policy);

const struct nla_policy vpcsnat_replace_policy[VPCSNAT_A_MAX + 1] = {
	SETTINGS_POLICY,
	[VPCSNAT_A_CIDRS] = NLA_POLICY_NESTED(vpcsnat_cidr_list_policy),
	[VPCSNAT_A_MORE] = { .type = NLA_FLAG },
};
EXPORT_FOR_KUNIT(vpcsnat_replace_policy);

const struct vpcsnat_setting vpcsnat_settings[] = {
	{
		.name = "enabled",
		.attr = VPCSNAT_A_ENABLED,
		.type = VPCSNAT_SETTING_BOOL,
		.offset = offsetof(struct vpcsnat_settings, enabled),
	},
	{
		.name = "ipv6",
		.attr = VPCSNAT_A_IPV6,
		.type = VPCSNAT_SETTING_BOOL,
		.offset = offsetof(struct vpcsnat_settings, ipv6),
	},
	{
		.name = "external_snat",
		.attr = VPCSNAT_A_EXTERNAL_SNAT,
		.type = VPCSNAT_SETTING_BOOL,
		.offset = offsetof(struct vpcsnat_settings, external_snat),
	},
	{
		.name = "snat_ip",
		.attr = VPCSNAT_A_SNAT_IP,
		.type = VPCSNAT_SETTING_ADDR,
		.offset = offsetof(struct vpcsnat_settings, snat_ip),
	},
	{
		.name = "snat_ip6",
		.attr = VPCSNAT_A_SNAT_IP6,
		.type = VPCSNAT_SETTING_ADDR6,
		.offset = offsetof(struct vpcsnat_settings, snat_ip6),
	},
	{
		.name = "random",
		.attr = VPCSNAT_A_RANDOM,
		.type = VPCSNAT_SETTING_ENUM,
		.offset = offsetof(struct vpcsnat_settings, random),
		.dflt = VPCSNAT_DEFAULT_RANDOM,
		.names = vpcsnat_random_names,
		.nr_names = ARRAY_SIZE(vpcsnat_random_names),
		.invalid = "unknown random mode",
	},
	{
		.name = "skip_ifaces",
		.attr = VPCSNAT_A_SKIP_IFACES,
		.type = VPCSNAT_SETTING_IFACES,
		.offset = offsetof(struct vpcsnat_settings, skip),
	},
	{
		.name = "pod_ifaces",
		.attr = VPCSNAT_A_POD_IFACES,
		.type = VPCSNAT_SETTING_IFACES,
		.offset = offsetof(struct vpcsnat_settings, pod),
		.dflt_iface = VPCSNAT_DEFAULT_POD_IFACE,
	},
	{
		.name = "mark",
		.attr = VPCSNAT_A_MARK,
		.type = VPCSNAT_SETTING_MARK,
		.offset = offsetof(struct vpcsnat_settings, mark),
		.dflt = VPCSNAT_HAVE_CT_MARK ? VPCSNAT_DEFAULT_MARK : 0,
		.invalid = "this kernel has no conntrack marks (CONFIG_NF_CONNTRACK_MARK)",
	},
	{
		.name = "table_limit",
		.attr = VPCSNAT_A_TABLE_LIMIT,
		.type = VPCSNAT_SETTING_U32,
		.offset = offsetof(struct vpcsnat_settings, table_limit),
		.dflt = VPCSNAT_DEFAULT_TABLE_LIMIT,
		.invalid = "table_limit must be 1 to "
			   __stringify(VPCSNAT_MAX_TABLE_LIMIT),
	},
};
EXPORT_FOR_KUNIT(vpcsnat_settings);

const unsigned int vpcsnat_nr_settings = ARRAY_SIZE(vpcsnat_settings);
EXPORT_FOR_KUNIT(vpcsnat_nr_settings);

#define for_each_setting(set) \
	for (set = vpcsnat_settings; \
	     set < vpcsnat_settings + ARRAY_SIZE(vpcsnat_settings); set++)

static void *field(const struct vpcsnat_setting *set,
		   struct vpcsnat_settings *s)
{
	return (u8 *)s + set->offset;
}

static const void *cfield(const struct vpcsnat_setting *set,
			  const struct vpcsnat_settings *s)
{
	return (const u8 *)s + set->offset;
}

static size_t field_size(const struct vpcsnat_setting *set)
{
	switch (set->type) {
	case VPCSNAT_SETTING_BOOL:
		return sizeof(bool);
	case VPCSNAT_SETTING_ADDR:
		return sizeof(__be32);
	case VPCSNAT_SETTING_ADDR6:
		return sizeof(struct in6_addr);
	case VPCSNAT_SETTING_ENUM:
		return sizeof(u8);
	case VPCSNAT_SETTING_U32:
	case VPCSNAT_SETTING_MARK:
		return sizeof(u32);
	case VPCSNAT_SETTING_IFACES:
		return sizeof(struct vpcsnat_ifaces);
	}
	return 0;
}

void vpcsnat_settings_default(struct vpcsnat_settings *s)
{
	const struct vpcsnat_setting *set;

	memset(s, 0, sizeof(*s));
	for_each_setting(set) {
		switch (set->type) {
		case VPCSNAT_SETTING_BOOL:
			*(bool *)field(set, s) = set->dflt;
			break;
		case VPCSNAT_SETTING_ENUM:
			*(u8 *)field(set, s) = set->dflt;
			break;
		case VPCSNAT_SETTING_U32:
		case VPCSNAT_SETTING_MARK:
			*(u32 *)field(set, s) = set->dflt;
			break;
		case VPCSNAT_SETTING_IFACES:
			if (set->dflt_iface)
				vpcsnat_ifaces_add(field(set, s), set->dflt_iface,
						   NULL);
			break;
		default:
			break;
		}
	}
}
EXPORT_FOR_KUNIT(vpcsnat_settings_default);

/* Add @name to @l: shared.h's rule, each prefix once, at most 16. */
int vpcsnat_ifaces_add(struct vpcsnat_ifaces *l, const char *name,
		       struct netlink_ext_ack *extack)
{
	unsigned int i;

	switch (vpcsnat_iface_prefix_check(name, strnlen(name, IFNAMSIZ))) {
	case VPCSNAT_IFACE_OK:
		break;
	case VPCSNAT_IFACE_EMPTY:
	case VPCSNAT_IFACE_TOO_LONG:
		NL_SET_ERR_MSG(extack, "interface prefix must be 1 to "
			       __stringify(VPCSNAT_IFACE_PREFIX_MAX) " characters");
		return -EINVAL;
	case VPCSNAT_IFACE_BAD_CHAR:
		NL_SET_ERR_MSG(extack, "interface prefix holds a character no interface name can");
		return -EINVAL;
	}
	for (i = 0; i < l->nr; i++) {
		if (!strcmp(l->name[i], name)) {
			NL_SET_ERR_MSG(extack, "interface prefix listed twice");
			return -EINVAL;
		}
	}
	if (l->nr >= VPCSNAT_MAX_SKIP_IFACES) {
		NL_SET_ERR_MSG(extack, "too many interface prefixes (at most "
			       __stringify(VPCSNAT_MAX_SKIP_IFACES) ")");
		return -E2BIG;
	}
	strscpy(l->name[l->nr++], name, IFNAMSIZ);
	return 0;
}
EXPORT_FOR_KUNIT(vpcsnat_ifaces_add);

/* The settings among @attrs (checked against the policy) into @chg. */
int vpcsnat_settings_parse(struct nlattr **attrs, struct vpcsnat_change *chg,
			   struct netlink_ext_ack *extack)
{
	const struct vpcsnat_setting *set;
	struct vpcsnat_ifaces *l;
	const struct nlattr *a;
	void *f;
	int rem, err;

	for_each_setting(set) {
		const struct nlattr *attr = attrs[set->attr];

		if (!attr)
			continue;
		chg->set |= VPCSNAT_SET(set->attr);
		f = field(set, &chg->s);
		switch (set->type) {
		case VPCSNAT_SETTING_BOOL:
			*(bool *)f = nla_get_u8(attr);
			break;
		case VPCSNAT_SETTING_ADDR:
			*(__be32 *)f = nla_get_be32(attr);
			break;
		case VPCSNAT_SETTING_ADDR6:
			*(struct in6_addr *)f = nla_get_in6_addr(attr);
			break;
		case VPCSNAT_SETTING_ENUM:
			*(u8 *)f = nla_get_u8(attr);
			break;
		case VPCSNAT_SETTING_U32:
		case VPCSNAT_SETTING_MARK:
			*(u32 *)f = nla_get_u32(attr);
			break;
		case VPCSNAT_SETTING_IFACES:
			l = f;
			l->nr = 0;
			nla_for_each_nested(a, attr, rem) {
				err = vpcsnat_ifaces_add(l, nla_data(a), extack);
				if (err) {
					NL_SET_BAD_ATTR(extack, a);
					return err;
				}
			}
			break;
		}
	}
	return 0;
}
EXPORT_FOR_KUNIT(vpcsnat_settings_parse);

/* Every setting of @s, as GET_CONFIG replies. */
int vpcsnat_settings_put(struct sk_buff *skb, const struct vpcsnat_settings *s)
{
	const struct vpcsnat_setting *set;
	const struct vpcsnat_ifaces *l;
	struct nlattr *nest;
	const void *f;
	unsigned int i;
	int err = 0;

	for_each_setting(set) {
		f = cfield(set, s);
		switch (set->type) {
		case VPCSNAT_SETTING_BOOL:
			err = nla_put_u8(skb, set->attr, *(const bool *)f);
			break;
		case VPCSNAT_SETTING_ADDR:
			err = nla_put_be32(skb, set->attr, *(const __be32 *)f);
			break;
		case VPCSNAT_SETTING_ADDR6:
			err = nla_put_in6_addr(skb, set->attr, f);
			break;
		case VPCSNAT_SETTING_ENUM:
			err = nla_put_u8(skb, set->attr, *(const u8 *)f);
			break;
		case VPCSNAT_SETTING_U32:
		case VPCSNAT_SETTING_MARK:
			err = nla_put_u32(skb, set->attr, *(const u32 *)f);
			break;
		case VPCSNAT_SETTING_IFACES:
			l = f;
			nest = nla_nest_start(skb, set->attr);
			if (!nest)
				return -EMSGSIZE;
			for (i = 0; i < l->nr && !err; i++)
				err = nla_put_string(skb, VPCSNAT_A_IFACE,
						     l->name[i]);
			nla_nest_end(skb, nest);
			break;
		}
		if (err)
			return err;
	}
	return 0;
}
EXPORT_FOR_KUNIT(vpcsnat_settings_put);

/* Take the settings that @chg sets from it. */
void vpcsnat_settings_merge(struct vpcsnat_settings *s,
			    const struct vpcsnat_change *chg)
{
	const struct vpcsnat_setting *set;

	for_each_setting(set)
		if (chg->set & VPCSNAT_SET(set->attr))
			memcpy(field(set, s), cfield(set, &chg->s),
			       field_size(set));
}
EXPORT_FOR_KUNIT(vpcsnat_settings_merge);

/* The row's message: a string from a table, as lib/nlattr.c sets a policy's. */
static void invalid(struct netlink_ext_ack *extack,
		    const struct vpcsnat_setting *set)
{
	if (extack)
		extack->_msg = set->invalid;
}

/*
 * What the policy cannot say, or what comes another way than netlink:
 * sysfs, or a struct vpcsnat_change built in the kernel.
 */
int vpcsnat_settings_check(const struct vpcsnat_settings *s,
			   struct netlink_ext_ack *extack)
{
	const struct vpcsnat_setting *set;
	const struct netlink_range_validation *range;
	enum vpcsnat_snat_err bad_addr;
	struct vpcsnat_in6 a6;
	const void *f;
	u32 v;

	for_each_setting(set) {
		f = cfield(set, s);
		bad_addr = VPCSNAT_SNAT_OK;
		switch (set->type) {
		case VPCSNAT_SETTING_ADDR:
			bad_addr = vpcsnat_snat_ip_check(be32_to_cpup(f));
			break;
		case VPCSNAT_SETTING_ADDR6:
			a6 = vpcsnat_in6_from_be(f);
			bad_addr = vpcsnat_snat_ip6_check(&a6);
			break;
		case VPCSNAT_SETTING_ENUM:
			if (*(const u8 *)f >= set->nr_names)
				goto bad;
			break;
		case VPCSNAT_SETTING_U32:
			range = vpcsnat_set_config_policy[set->attr].range;
			v = *(const u32 *)f;
			if (v < range->min || v > range->max) {
				invalid(extack, set);
				return -ERANGE;
			}
			break;
		case VPCSNAT_SETTING_MARK:
			if (*(const u32 *)f && !VPCSNAT_HAVE_CT_MARK)
				goto bad;
			break;
		default:
			break;
		}
		/* shared.h's rule and words, as snatctl refuses the address. */
		if (bad_addr) {
			if (extack)
				extack->_msg = vpcsnat_snat_err_msg[bad_addr];
			return -EINVAL;
		}
	}
	return 0;

bad:
	invalid(extack, set);
	return -EINVAL;
}
EXPORT_FOR_KUNIT(vpcsnat_settings_check);

/* The sysfs file of @set: one line. */
ssize_t vpcsnat_setting_show(const struct vpcsnat_setting *set,
			     const struct vpcsnat_settings *s, char *buf)
{
	const void *f = cfield(set, s);
	const struct vpcsnat_ifaces *l;
	unsigned int i, v;
	ssize_t len = 0;

	switch (set->type) {
	case VPCSNAT_SETTING_BOOL:
		return sysfs_emit(buf, "%d\n", *(const bool *)f);
	case VPCSNAT_SETTING_ADDR:
		if (!*(const __be32 *)f)
			return sysfs_emit(buf, "auto\n");
		return sysfs_emit(buf, "%pI4\n", f);
	case VPCSNAT_SETTING_ADDR6:
		if (ipv6_addr_any(f))
			return sysfs_emit(buf, "auto\n");
		return sysfs_emit(buf, "%pI6c\n", f);
	case VPCSNAT_SETTING_ENUM:
		v = *(const u8 *)f;
		if (v >= set->nr_names)
			return -EIO;
		return sysfs_emit(buf, "%s\n", set->names[v]);
	case VPCSNAT_SETTING_U32:
		return sysfs_emit(buf, "%u\n", *(const u32 *)f);
	case VPCSNAT_SETTING_MARK:
		if (!*(const u32 *)f)
			return sysfs_emit(buf, "none\n");
		return sysfs_emit(buf, "%#x\n", *(const u32 *)f);
	case VPCSNAT_SETTING_IFACES:
		l = f;
		for (i = 0; i < l->nr; i++)
			len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
					     l->name[i]);
		return len + sysfs_emit_at(buf, len, "\n");
	}
	return -EIO;
}
EXPORT_FOR_KUNIT(vpcsnat_setting_show);

/*
 * A value written to the sysfs file of @set, as one NUL-terminated @word
 * without its newline, into @chg. A list is split at spaces, commas, tabs
 * and newlines (and @word with it).
 */
int vpcsnat_setting_store(const struct vpcsnat_setting *set, char *word,
			  struct vpcsnat_change *chg)
{
	void *f = field(set, &chg->s);
	struct vpcsnat_ifaces *l;
	char *name;
	int err = 0;

	switch (set->type) {
	case VPCSNAT_SETTING_BOOL:
		err = kstrtobool(word, f);
		break;
	case VPCSNAT_SETTING_ADDR:
		*(__be32 *)f = 0;
		if (strcmp(word, "auto") &&
		    !in4_pton(word, -1, f, '\0', NULL))
			err = -EINVAL;
		break;
	case VPCSNAT_SETTING_ADDR6:
		memset(f, 0, sizeof(struct in6_addr));
		if (strcmp(word, "auto") &&
		    !in6_pton(word, -1, f, '\0', NULL))
			err = -EINVAL;
		break;
	case VPCSNAT_SETTING_ENUM:
		err = match_string(set->names, set->nr_names, word);
		if (err >= 0) {
			*(u8 *)f = err;
			err = 0;
		}
		break;
	case VPCSNAT_SETTING_U32:
		err = kstrtou32(word, 10, f);
		break;
	case VPCSNAT_SETTING_MARK:
		*(u32 *)f = 0;
		if (strcmp(word, "none"))
			err = kstrtou32(word, 0, f);
		break;
	case VPCSNAT_SETTING_IFACES:
		l = f;
		l->nr = 0;
		while (!err && (name = strsep(&word, " ,\t\n")))
			if (*name)
				err = vpcsnat_ifaces_add(l, name, NULL);
		break;
	}
	if (err)
		return err;
	chg->set |= VPCSNAT_SET(set->attr);
	return 0;
}
EXPORT_FOR_KUNIT(vpcsnat_setting_store);
