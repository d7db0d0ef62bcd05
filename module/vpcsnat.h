/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VPCSNAT_H
#define _VPCSNAT_H

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "decision.h"
#include "settings.h"
#include "table.h"

/*
 * The whole state that the packet path reads, published as one object so
 * that a change to settings and table together is seen all or nothing.
 * Never modified once published; tables are shared between successive
 * configurations by reference.
 */
struct vpcsnat_conf {
	struct vpcsnat_settings s;
	struct vpcsnat_table *table;
	struct vpcsnat_table6 *table6;
	struct rcu_head rcu;
};

/* Every table entry of @conf, both families: what table_limit bounds. */
static inline u32 vpcsnat_conf_entries(const struct vpcsnat_conf *conf)
{
	return conf->table->nr_entries + conf->table6->nr_entries;
}

/* Per family: [0] IPv4, [1] IPv6; indexed by enum vpcsnat_ctr_attr. */
struct vpcsnat_stats {
	u64 ctr[2][__VPCSNAT_CTR_A_LAST];
	u32 sample;			/* table decisions, for hit sampling */
};

/* One table decision in this many finds its entry and counts a hit. */
#define VPCSNAT_HIT_SAMPLE 32

/* A replace sent in several messages, gathered until the last one. */
struct vpcsnat_staging {
	bool active;
	u32 portid;
	u32 nr, cap;
	struct vpcsnat_cidr *cidrs;
	u32 nr6, cap6;
	struct vpcsnat_cidr6 *cidrs6;
};

/*
 * @lock serializes the writers of @conf, and is held while a new table is
 * built: seconds for millions of prefixes. @staging has a lock of its own,
 * never held for long, because closing any generic netlink socket in the
 * netns takes it (vpcsnat_nl_release()).
 */
struct vpcsnat_net {
	struct mutex lock;
	struct vpcsnat_conf __rcu *conf;
	struct vpcsnat_stats __percpu *stats;
	bool hooked;		/* under lock */
	bool hooked6;		/* under lock: the IPv6 hooks too */
	struct mutex staging_lock;
	struct vpcsnat_staging staging;	/* under staging_lock; cidrs NULL if none */
};

extern unsigned int vpcsnat_net_id;

static inline struct vpcsnat_net *vpcsnat_pernet(const struct net *net)
{
	return net_generic(net, vpcsnat_net_id);
}

static inline void vpcsnat_count(struct vpcsnat_net *vn, bool v6,
				 unsigned int ctr)
{
	this_cpu_inc(vn->stats->ctr[v6][ctr]);
}

/* One change to a netns: any settings, and at most one table operation. */
enum vpcsnat_table_op {
	VPCSNAT_TABLE_KEEP,
	VPCSNAT_TABLE_ADD,
	VPCSNAT_TABLE_DEL,
	VPCSNAT_TABLE_FLUSH,
	VPCSNAT_TABLE_REPLACE,
};

/* A prefix of either family, as one message names it. */
struct vpcsnat_prefix {
	bool v6;
	union {
		struct vpcsnat_cidr c4;
		struct vpcsnat_cidr6 c6;
	};
};

struct vpcsnat_change {
	u64 set;			/* VPCSNAT_SET() of each setting */
	struct vpcsnat_settings s;	/* the values of the fields in @set */
	enum vpcsnat_table_op op;
	struct vpcsnat_prefix cidr;	/* ADD, DEL */
	struct vpcsnat_cidr *cidrs;	/* REPLACE; sorted in place */
	u32 nr_cidrs;
	struct vpcsnat_cidr6 *cidrs6;	/* REPLACE, the IPv6 entries */
	u32 nr_cidrs6;
	struct vpcsnat_prefix bad;	/* out: the prefix a REPLACE refused */
};

extern const struct nla_policy vpcsnat_cidr_list_policy[VPCSNAT_A_MAX + 1];

int vpcsnat_apply(struct net *net, struct vpcsnat_change *chg,
		  struct netlink_ext_ack *extack);
void vpcsnat_read_counters(struct vpcsnat_net *vn, bool v6,
			   u64 ctr[__VPCSNAT_CTR_A_LAST]);
void vpcsnat_staging_drop(struct vpcsnat_staging *st);
int vpcsnat_too_many(struct netlink_ext_ack *extack);

int vpcsnat_hook_register(struct net *net, bool v6);
void vpcsnat_hook_unregister(struct net *net, bool v6);
bool vpcsnat_addr_local(struct net *net, bool v6, const void *addr);
bool vpcsnat_src_local(struct net *net, bool v6, const void *addr);

int vpcsnat_pernet_init(void);
void vpcsnat_pernet_exit(void);
struct nf_conn;
struct nf_conntrack_tuple;
struct nf_conntrack_zone;
struct genl_info;
extern struct genl_family vpcsnat_genl_family;
void vpcsnat_nl_event(struct net *net, const struct nf_conn *ct);
int vpcsnat_nl_who(struct sk_buff *skb, struct genl_info *info);
bool vpcsnat_proto_has_ports(u8 proto);
int vpcsnat_put_translation(struct sk_buff *skb, struct net *net,
			    const struct nf_conn *ct);
int vpcsnat_who_tuple(struct nlattr **attrs, struct nf_conntrack_tuple *t,
		      struct nf_conntrack_zone *zone,
		      struct netlink_ext_ack *extack);
void vpcsnat_events_stop(void);
int vpcsnat_genl_init(void);
void vpcsnat_genl_exit(void);
int vpcsnat_sysfs_init(void);
void vpcsnat_sysfs_exit(void);

/* The lookup benchmark, in test builds only (Kbuild). */
#ifdef VPCSNAT_BENCH
void vpcsnat_bench_init(void);
void vpcsnat_bench_exit(void);
#else
static inline void vpcsnat_bench_init(void)
{
}

static inline void vpcsnat_bench_exit(void)
{
}
#endif

#endif /* _VPCSNAT_H */
