// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vpcsnat/: the scalar settings and counters of the initial
 * network namespace, for scripts and for a node that has no snatctl. Writes
 * go through vpcsnat_apply() like netlink's; the errno is the only message
 * sysfs can carry.
 */

#include <linux/inet.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vpcsnat.h"

static struct kobject *vpcsnat_kobj;

static void read_conf(struct vpcsnat_settings *s, u32 *table_size)
{
	const struct vpcsnat_conf *conf;

	rcu_read_lock();
	conf = rcu_dereference(vpcsnat_pernet(&init_net)->conf);
	*s = conf->s;
	*table_size = conf->table->nr_entries;
	rcu_read_unlock();
}

static ssize_t show(struct kobject *kobj, struct kobj_attribute *attr,
		    char *buf)
{
	const char *name = attr->attr.name;
	struct vpcsnat_settings s;
	u32 table_size;
	ssize_t len = 0;
	int i;

	read_conf(&s, &table_size);
	if (!strcmp(name, "enabled"))
		return sysfs_emit(buf, "%d\n", s.enabled);
	if (!strcmp(name, "external_snat"))
		return sysfs_emit(buf, "%d\n", s.external_snat);
	if (!strcmp(name, "snat_ip"))
		return s.snat_ip ? sysfs_emit(buf, "%pI4\n", &s.snat_ip) :
				   sysfs_emit(buf, "auto\n");
	if (!strcmp(name, "random"))
		return sysfs_emit(buf, "%s\n", vpcsnat_random_names[s.random]);
	if (!strcmp(name, "table_limit"))
		return sysfs_emit(buf, "%u\n", s.table_limit);
	if (!strcmp(name, "table_size"))
		return sysfs_emit(buf, "%u\n", table_size);
	if (!strcmp(name, "skip_ifaces")) {
		for (i = 0; i < s.nr_skip; i++)
			len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
					     s.skip[i]);
		return len + sysfs_emit_at(buf, len, "\n");
	}
	if (!strcmp(name, "counters")) {
		u64 ctr[__VPCSNAT_CTR_A_LAST];

		vpcsnat_read_counters(vpcsnat_pernet(&init_net), ctr);
		for (i = 1; i < __VPCSNAT_CTR_A_LAST; i++)
			len += sysfs_emit_at(buf, len, "%s %llu\n",
					     vpcsnat_ctr_names[i], ctr[i]);
		return len;
	}
	return -EIO;
}

static int parse_skip_list(struct vpcsnat_settings *s, char *list)
{
	char *word;
	int err;

	s->nr_skip = 0;
	while ((word = strsep(&list, " ,\t\n"))) {
		if (!*word)
			continue;
		err = vpcsnat_parse_skip(s, word, NULL);
		if (err)
			return err;
	}
	return 0;
}

static ssize_t store(struct kobject *kobj, struct kobj_attribute *attr,
		     const char *buf, size_t count)
{
	const char *name = attr->attr.name;
	struct vpcsnat_change chg = {};
	size_t len = count;
	char word[128];
	int err = 0;

	if (len >= sizeof(word))
		return -EINVAL;
	memcpy(word, buf, len);
	word[len] = '\0';
	if (len && word[len - 1] == '\n')
		word[--len] = '\0';
	/* "0\0garbage" is not "0": the parsers below stop at a NUL. */
	if (strlen(word) != len)
		return -EINVAL;

	if (!strcmp(name, "enabled")) {
		chg.set = VPCSNAT_SET_ENABLED;
		err = kstrtobool(word, &chg.s.enabled);
	} else if (!strcmp(name, "external_snat")) {
		chg.set = VPCSNAT_SET_EXTERNAL_SNAT;
		err = kstrtobool(word, &chg.s.external_snat);
	} else if (!strcmp(name, "snat_ip")) {
		chg.set = VPCSNAT_SET_SNAT_IP;
		if (strcmp(word, "auto") &&
		    !in4_pton(word, -1, (u8 *)&chg.s.snat_ip, '\0', NULL))
			err = -EINVAL;
	} else if (!strcmp(name, "random")) {
		chg.set = VPCSNAT_SET_RANDOM;
		err = match_string(vpcsnat_random_names,
				   ARRAY_SIZE(vpcsnat_random_names), word);
		chg.s.random = err;
	} else if (!strcmp(name, "table_limit")) {
		chg.set = VPCSNAT_SET_TABLE_LIMIT;
		err = kstrtou32(word, 10, &chg.s.table_limit);
	} else if (!strcmp(name, "skip_ifaces")) {
		chg.set = VPCSNAT_SET_SKIP;
		err = parse_skip_list(&chg.s, word);
	} else {
		return -EIO;
	}
	if (err < 0)
		return err;
	err = vpcsnat_apply(&init_net, &chg, NULL);
	return err ? err : count;
}

#define RW(_name) static struct kobj_attribute _name##_attr = __ATTR(_name, 0644, show, store)
#define RO(_name) static struct kobj_attribute _name##_attr = __ATTR(_name, 0444, show, NULL)

RW(enabled);
RW(external_snat);
RW(snat_ip);
RW(random);
RW(skip_ifaces);
RW(table_limit);
RO(table_size);
RO(counters);

static struct attribute *vpcsnat_attrs[] = {
	&enabled_attr.attr,
	&external_snat_attr.attr,
	&snat_ip_attr.attr,
	&random_attr.attr,
	&skip_ifaces_attr.attr,
	&table_limit_attr.attr,
	&table_size_attr.attr,
	&counters_attr.attr,
	NULL,
};

static const struct attribute_group vpcsnat_attr_group = {
	.attrs = vpcsnat_attrs,
};

int __init vpcsnat_sysfs_init(void)
{
	int err;

	vpcsnat_kobj = kobject_create_and_add("vpcsnat", kernel_kobj);
	if (!vpcsnat_kobj)
		return -ENOMEM;
	err = sysfs_create_group(vpcsnat_kobj, &vpcsnat_attr_group);
	if (err)
		kobject_put(vpcsnat_kobj);
	return err;
}

void vpcsnat_sysfs_exit(void)
{
	kobject_put(vpcsnat_kobj);
}
