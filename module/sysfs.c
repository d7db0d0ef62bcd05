// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vpcsnat/: the settings and counters of the initial network
 * namespace, for scripts and for a node that has no snatctl. One file per
 * row of settings.c, and table_size (both families), counters (IPv4
 * connections, and events) and counters6 (IPv6 connections). Writes go through
 * vpcsnat_apply() like netlink's; the errno is the only message sysfs can
 * carry.
 */

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vpcsnat.h"

/* The file of one setting. */
struct setting_attr {
	struct kobj_attribute attr;
	const struct vpcsnat_setting *set;
};

static struct kobject *vpcsnat_kobj;
static struct setting_attr *setting_attrs;
static struct attribute **group_attrs;

static void read_conf(struct vpcsnat_settings *s, u32 *table_size)
{
	const struct vpcsnat_conf *conf;

	rcu_read_lock();
	conf = rcu_dereference(vpcsnat_pernet(&init_net)->conf);
	*s = conf->s;
	*table_size = vpcsnat_conf_entries(conf);
	rcu_read_unlock();
}

static ssize_t setting_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct vpcsnat_settings s;
	u32 table_size;

	read_conf(&s, &table_size);
	return vpcsnat_setting_show(container_of(attr, struct setting_attr,
						 attr)->set, &s, buf);
}

static ssize_t setting_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	const struct vpcsnat_setting *set =
		container_of(attr, struct setting_attr, attr)->set;
	struct vpcsnat_change chg = {};
	size_t len = count;
	char word[128];
	int err;

	if (len >= sizeof(word))
		return -EINVAL;
	memcpy(word, buf, len);
	word[len] = '\0';
	if (len && word[len - 1] == '\n')
		word[--len] = '\0';
	/* "0\0garbage" is not "0": the parsers stop at a NUL. */
	if (strlen(word) != len)
		return -EINVAL;

	err = vpcsnat_setting_store(set, word, &chg);
	if (err)
		return err;
	err = vpcsnat_apply(&init_net, &chg, NULL);
	return err ? err : count;
}

static ssize_t table_size_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct vpcsnat_settings s;
	u32 table_size;

	read_conf(&s, &table_size);
	return sysfs_emit(buf, "%u\n", table_size);
}

static ssize_t show_counters(char *buf, bool v6)
{
	u64 ctr[__VPCSNAT_CTR_A_LAST];
	ssize_t len = 0;
	int i;

	vpcsnat_read_counters(vpcsnat_pernet(&init_net), v6, ctr);
	for (i = 1; i < __VPCSNAT_CTR_A_LAST; i++)
		if (!v6 || i != VPCSNAT_CTR_A_EVENTS_DROPPED)
			len += sysfs_emit_at(buf, len, "%s %llu\n",
					     vpcsnat_ctr_names[i], ctr[i]);
	return len;
}

static ssize_t counters_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return show_counters(buf, false);
}

static ssize_t counters6_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return show_counters(buf, true);
}

static struct kobj_attribute table_size_attr = __ATTR_RO(table_size);
static struct kobj_attribute counters_attr = __ATTR_RO(counters);
static struct kobj_attribute counters6_attr = __ATTR_RO(counters6);

/* Its .attrs: a file per row of settings.c, then those above. */
static struct attribute_group vpcsnat_attr_group;

int __init vpcsnat_sysfs_init(void)
{
	unsigned int i, n = vpcsnat_nr_settings;
	int err = -ENOMEM;

	setting_attrs = kcalloc(n, sizeof(*setting_attrs), GFP_KERNEL);
	group_attrs = kcalloc(n + 4, sizeof(*group_attrs), GFP_KERNEL);
	if (!setting_attrs || !group_attrs)
		goto err_free;
	for (i = 0; i < n; i++) {
		struct setting_attr *sa = &setting_attrs[i];

		sysfs_attr_init(&sa->attr.attr);
		sa->attr.attr.name = vpcsnat_settings[i].name;
		sa->attr.attr.mode = 0644;
		sa->attr.show = setting_show;
		sa->attr.store = setting_store;
		sa->set = &vpcsnat_settings[i];
		group_attrs[i] = &sa->attr.attr;
	}
	group_attrs[n] = &table_size_attr.attr;
	group_attrs[n + 1] = &counters_attr.attr;
	group_attrs[n + 2] = &counters6_attr.attr;
	vpcsnat_attr_group.attrs = group_attrs;

	vpcsnat_kobj = kobject_create_and_add("vpcsnat", kernel_kobj);
	if (!vpcsnat_kobj)
		goto err_free;
	err = sysfs_create_group(vpcsnat_kobj, &vpcsnat_attr_group);
	if (err)
		goto err_put;
	return 0;

err_put:
	kobject_put(vpcsnat_kobj);
err_free:
	kfree(group_attrs);
	kfree(setting_attrs);
	return err;
}

void vpcsnat_sysfs_exit(void)
{
	/* Gone, and no show() or store() running, before their attrs go. */
	sysfs_remove_group(vpcsnat_kobj, &vpcsnat_attr_group);
	kobject_put(vpcsnat_kobj);
	kfree(group_attrs);
	kfree(setting_attrs);
}
