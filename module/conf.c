// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns state and the one function that changes it. sysfs and netlink
 * both describe what they want as a struct vpcsnat_change and call
 * vpcsnat_apply(): it validates everything, builds the new configuration
 * aside, and publishes it with one pointer swap, or changes nothing.
 */

#include <linux/export.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "vpcsnat.h"

unsigned int vpcsnat_net_id __read_mostly;

static void conf_free(struct vpcsnat_conf *conf)
{
	if (conf->table)
		vpcsnat_table_put(conf->table);
	if (conf->table6)
		vpcsnat_table6_put(conf->table6);
	kfree(conf);
}

static void conf_free_rcu(struct rcu_head *rcu)
{
	conf_free(container_of(rcu, struct vpcsnat_conf, rcu));
}

void vpcsnat_staging_drop(struct vpcsnat_staging *st)
{
	kvfree(st->cidrs);
	kvfree(st->cidrs6);
	memset(st, 0, sizeof(*st));
}

/* -ENOSPC, and why: every path that would outgrow table_limit says it so. */
int vpcsnat_too_many(struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "the table would hold more entries than table_limit");
	return -ENOSPC;
}

/* Why the table refused @p (-EINVAL): the rule it breaks. */
static void refused(struct netlink_ext_ack *extack,
		    const struct vpcsnat_prefix *p)
{
	enum vpcsnat_cidr_err bad = p->v6 ? vpcsnat_cidr6_check(&p->c6) :
					    vpcsnat_cidr_check(&p->c4);

	/* A string from a table, as lib/nlattr.c sets a policy's. */
	if (extack)
		extack->_msg = vpcsnat_cidr_err_msg[bad];
}

/* ADD or DEL of @chg's one prefix, to the table of its family. */
static int table_op(const struct vpcsnat_conf *old, struct vpcsnat_change *chg,
		    u32 limit, struct vpcsnat_conf *new,
		    struct netlink_ext_ack *extack)
{
	const struct vpcsnat_prefix *p = &chg->cidr;
	bool add = chg->op == VPCSNAT_TABLE_ADD;
	int err;

	if (add && vpcsnat_conf_entries(old) >= limit)
		return vpcsnat_too_many(extack);
	if (p->v6) {
		new->table = vpcsnat_table_get(old->table);
		err = add ? vpcsnat_table6_add(old->table6, &p->c6, &new->table6) :
			    vpcsnat_table6_del(old->table6, &p->c6, &new->table6);
		if (!err)
			vpcsnat_table6_carry_hits(new->table6, old->table6);
	} else {
		new->table6 = vpcsnat_table6_get(old->table6);
		err = add ? vpcsnat_table_add(old->table, &p->c4, &new->table) :
			    vpcsnat_table_del(old->table, &p->c4, &new->table);
		if (!err)
			vpcsnat_table_carry_hits(new->table, old->table);
	}
	if (err == -EEXIST)
		NL_SET_ERR_MSG(extack, "prefix is already in the table");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG(extack, "prefix is not in the table");
	else if (err == -EINVAL)
		refused(extack, p);
	return err;
}

/* The tables of @new: @old's, or @chg's operation on them. */
static int build_tables(const struct vpcsnat_conf *old,
			struct vpcsnat_change *chg, u32 limit,
			struct vpcsnat_conf *new,
			struct netlink_ext_ack *extack)
{
	int err;

	switch (chg->op) {
	case VPCSNAT_TABLE_ADD:
	case VPCSNAT_TABLE_DEL:
		return table_op(old, chg, limit, new, extack);
	case VPCSNAT_TABLE_FLUSH:
		err = vpcsnat_table_build(NULL, 0, &new->table, &chg->bad.c4);
		return err ?: vpcsnat_table6_build(NULL, 0, &new->table6,
						   &chg->bad.c6);
	case VPCSNAT_TABLE_REPLACE:
		if (chg->nr_cidrs > limit || chg->nr_cidrs6 > limit - chg->nr_cidrs)
			return vpcsnat_too_many(extack);
		err = vpcsnat_table_build(chg->cidrs, chg->nr_cidrs,
					  &new->table, &chg->bad.c4);
		if (!err) {
			vpcsnat_table_carry_hits(new->table, old->table);
			chg->bad.v6 = true;
			err = vpcsnat_table6_build(chg->cidrs6, chg->nr_cidrs6,
						   &new->table6, &chg->bad.c6);
		}
		if (!err)
			vpcsnat_table6_carry_hits(new->table6, old->table6);
		else if (err == -EEXIST)
			NL_SET_ERR_MSG(extack, "prefix is listed twice");
		else if (err == -EINVAL)
			refused(extack, &chg->bad);
		return err;
	case VPCSNAT_TABLE_KEEP:
		break;
	}
	new->table = vpcsnat_table_get(old->table);
	new->table6 = vpcsnat_table6_get(old->table6);
	return 0;
}

int vpcsnat_apply(struct net *net, struct vpcsnat_change *chg,
		  struct netlink_ext_ack *extack)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(net);
	struct vpcsnat_conf *old, *new;
	int err;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;

	mutex_lock(&vn->lock);
	old = rcu_dereference_protected(vn->conf, lockdep_is_held(&vn->lock));
	new->s = old->s;
	vpcsnat_settings_merge(&new->s, chg);
	err = vpcsnat_settings_check(&new->s, extack);
	if (err)
		goto err_unlock;
	err = build_tables(old, chg, new->s.table_limit, new, extack);
	if (err)
		goto err_unlock;
	if (vpcsnat_conf_entries(new) > new->s.table_limit) {
		NL_SET_ERR_MSG(extack, "the table holds more entries than the new table_limit");
		err = -ENOSPC;
		goto err_unlock;
	}
	if (new->s.enabled && !vn->hooked) {
		err = vpcsnat_hook_register(net, false);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot register the NAT hook");
			goto err_unlock;
		}
		vn->hooked = true;
	}
	if (new->s.enabled && new->s.ipv6 && !vn->hooked6) {
		err = vpcsnat_hook_register(net, true);
		if (err == -EAFNOSUPPORT)
			NL_SET_ERR_MSG(extack, "IPv6 is disabled on this kernel (ipv6.disable=1)");
		else if (err)
			NL_SET_ERR_MSG(extack, "cannot register the IPv6 NAT hook");
		if (err)
			goto err_unlock;
		vn->hooked6 = true;
	}

	/*
	 * Disabling keeps the hook: the NAT core's hooks leave the netns with
	 * their last user, and connections already translated would then go
	 * out with the pod's address and their replies be refused. Like any
	 * other change, disabling only concerns new connections; the hook
	 * goes with the netns (pre_exit) or the module.
	 */
	rcu_assign_pointer(vn->conf, new);
	mutex_unlock(&vn->lock);
	call_rcu(&old->rcu, conf_free_rcu);
	return 0;

err_unlock:
	mutex_unlock(&vn->lock);
	conf_free(new);
	return err;
}

/* The counters of one family's connections (and the events'). */
void vpcsnat_read_counters(struct vpcsnat_net *vn, bool v6,
			   u64 ctr[__VPCSNAT_CTR_A_LAST])
{
	int cpu, i;

	memset(ctr, 0, sizeof(u64) * __VPCSNAT_CTR_A_LAST);
	for_each_possible_cpu(cpu) {
		const struct vpcsnat_stats *st = per_cpu_ptr(vn->stats, cpu);

		for (i = 0; i < __VPCSNAT_CTR_A_LAST; i++)
			ctr[i] += READ_ONCE(st->ctr[v6][i]);
	}
}

static int __net_init vpcsnat_net_init(struct net *net)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(net);
	struct vpcsnat_conf *conf;
	struct vpcsnat_prefix none;
	int err;

	mutex_init(&vn->lock);
	mutex_init(&vn->staging_lock);
	vn->stats = alloc_percpu_gfp(struct vpcsnat_stats, GFP_KERNEL_ACCOUNT);
	if (!vn->stats)
		return -ENOMEM;
	conf = kzalloc(sizeof(*conf), GFP_KERNEL_ACCOUNT);
	if (!conf) {
		err = -ENOMEM;
		goto err_stats;
	}
	vpcsnat_settings_default(&conf->s);
	err = vpcsnat_table_build(NULL, 0, &conf->table, &none.c4) ?:
	      vpcsnat_table6_build(NULL, 0, &conf->table6, &none.c6);
	if (err)
		goto err_conf;
	RCU_INIT_POINTER(vn->conf, conf);
	return 0;

err_conf:
	conf_free(conf);
err_stats:
	free_percpu(vn->stats);
	return err;
}

static void __net_exit vpcsnat_net_pre_exit(struct net *net)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(net);

	mutex_lock(&vn->lock);
	if (vn->hooked6) {
		vpcsnat_hook_unregister(net, true);
		vn->hooked6 = false;
	}
	if (vn->hooked) {
		vpcsnat_hook_unregister(net, false);
		vn->hooked = false;
	}
	mutex_unlock(&vn->lock);
	mutex_lock(&vn->staging_lock);
	vpcsnat_staging_drop(&vn->staging);
	mutex_unlock(&vn->staging_lock);
}

/* Runs after a grace period that followed pre_exit: no reader is left. */
static void __net_exit vpcsnat_net_exit(struct net *net)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(net);

	conf_free(rcu_dereference_protected(vn->conf, true));
	free_percpu(vn->stats);
}

static struct pernet_operations vpcsnat_net_ops = {
	.init = vpcsnat_net_init,
	.pre_exit = vpcsnat_net_pre_exit,
	.exit = vpcsnat_net_exit,
	.id = &vpcsnat_net_id,
	.size = sizeof(struct vpcsnat_net),
};

int vpcsnat_pernet_init(void)
{
	return register_pernet_subsys(&vpcsnat_net_ops);
}

void vpcsnat_pernet_exit(void)
{
	unregister_pernet_subsys(&vpcsnat_net_ops);
}

/* For the KUnit suites in vpcsnat_test.ko (module/ *_test.c). */
EXPORT_FOR_KUNIT(vpcsnat_net_id);
EXPORT_FOR_KUNIT(vpcsnat_apply);
EXPORT_FOR_KUNIT(vpcsnat_decide);
EXPORT_FOR_KUNIT(vpcsnat_decide_mark);
EXPORT_FOR_KUNIT(vpcsnat_table_build);
EXPORT_FOR_KUNIT(vpcsnat_table_add);
EXPORT_FOR_KUNIT(vpcsnat_table_del);
EXPORT_FOR_KUNIT(vpcsnat_table_entry);
EXPORT_FOR_KUNIT(vpcsnat_table_match);
EXPORT_FOR_KUNIT(vpcsnat_table_put);
EXPORT_FOR_KUNIT(vpcsnat_cidr_check);
EXPORT_FOR_KUNIT(vpcsnat_table_bytes);
EXPORT_FOR_KUNIT(vpcsnat_cidr6_check);
EXPORT_FOR_KUNIT(vpcsnat_table6_bytes);
EXPORT_FOR_KUNIT(vpcsnat_table6_build);
EXPORT_FOR_KUNIT(vpcsnat_table6_add);
EXPORT_FOR_KUNIT(vpcsnat_table6_del);
EXPORT_FOR_KUNIT(vpcsnat_table6_entry);
EXPORT_FOR_KUNIT(vpcsnat_table6_match);
EXPORT_FOR_KUNIT(vpcsnat_table6_carry_hits);
EXPORT_FOR_KUNIT(vpcsnat_table6_put);
