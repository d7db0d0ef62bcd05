// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vpcsnat": its policies and commands. Every
 * handler turns its message into a struct vpcsnat_change for
 * vpcsnat_apply(), or reads the published configuration; see
 * include/uapi/linux/vpcsnat.h for the messages. The settings' attributes
 * are settings.c's business, the events and WHO events.c's.
 */

#include <linux/netlink.h>
#include <linux/stringify.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/sock.h>

#include "vpcsnat.h"

static const struct nla_policy cidr_policy[VPCSNAT_CIDR_A_MAX + 1] = {
	[VPCSNAT_CIDR_A_ADDR] = { .type = NLA_BE32 },
	[VPCSNAT_CIDR_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VPCSNAT_CIDR_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VPCSNAT_CIDR_A_KIND] = NLA_POLICY_MAX(NLA_U8, VPCSNAT_KIND_MAX),
};

const struct nla_policy vpcsnat_cidr_list_policy[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_CIDR] = NLA_POLICY_NESTED(cidr_policy),
};

/*
 * SET_CONFIG's and REPLACE_CIDRS's policies are vpcsnat_set_config_policy
 * and vpcsnat_replace_policy, in settings.c next to the settings' rows.
 */

static const struct nla_policy cidr_op_policy[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_CIDR] = NLA_POLICY_NESTED(cidr_policy),
};

static const struct nla_policy explain_policy[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_SRC] = { .type = NLA_BE32 },
	[VPCSNAT_A_DST] = { .type = NLA_BE32 },
	[VPCSNAT_A_SRC6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VPCSNAT_A_DST6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VPCSNAT_A_OIFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VPCSNAT_A_IIFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy who_policy[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_PROTO] = { .type = NLA_U8 },
	[VPCSNAT_A_NAT_SRC] = { .type = NLA_BE32 },
	[VPCSNAT_A_NAT_SPORT] = { .type = NLA_BE16 },
	[VPCSNAT_A_DST] = { .type = NLA_BE32 },
	[VPCSNAT_A_NAT_SRC6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VPCSNAT_A_DST6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VPCSNAT_A_DPORT] = { .type = NLA_BE16 },
	[VPCSNAT_A_ZONE] = { .type = NLA_U16 },
	[VPCSNAT_A_ICMP_TYPE] = { .type = NLA_U8 },
	[VPCSNAT_A_ICMP_CODE] = { .type = NLA_U8 },
	[VPCSNAT_A_NAT_ICMP_ID] = { .type = NLA_BE16 },
};

/* A CIDR nest of either family, already checked against cidr_policy. */
static int parse_cidr(const struct nlattr *nest, bool want_kind,
		      struct vpcsnat_prefix *p, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VPCSNAT_CIDR_A_MAX + 1];
	enum vpcsnat_cidr_err bad;
	u8 plen, kind = VPCSNAT_KIND_VPC;
	int err;

	err = nla_parse_nested(tb, VPCSNAT_CIDR_A_MAX, nest, cidr_policy,
			       extack);
	if (err)
		return err;
	if (tb[VPCSNAT_CIDR_A_ADDR] && tb[VPCSNAT_CIDR_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "an IPv4 and an IPv6 address in one prefix");
		return -EINVAL;
	}
	if ((!tb[VPCSNAT_CIDR_A_ADDR6] &&
	     NL_REQ_ATTR_CHECK(extack, nest, tb, VPCSNAT_CIDR_A_ADDR)) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, VPCSNAT_CIDR_A_PREFIXLEN))
		return -EINVAL;
	plen = nla_get_u8(tb[VPCSNAT_CIDR_A_PREFIXLEN]);
	if (tb[VPCSNAT_CIDR_A_KIND]) {
		if (!want_kind) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VPCSNAT_CIDR_A_KIND],
					    "a kind is not expected here");
			return -EINVAL;
		}
		kind = nla_get_u8(tb[VPCSNAT_CIDR_A_KIND]);
	}
	p->v6 = tb[VPCSNAT_CIDR_A_ADDR6];
	if (p->v6) {
		p->c6.addr = vpcsnat_in6_from_be(nla_data(tb[VPCSNAT_CIDR_A_ADDR6]));
		p->c6.plen = plen;
		p->c6.kind = kind;
		bad = vpcsnat_cidr6_check(&p->c6);
	} else {
		p->c4.addr = be32_to_cpu(nla_get_be32(tb[VPCSNAT_CIDR_A_ADDR]));
		p->c4.plen = plen;
		p->c4.kind = kind;
		bad = vpcsnat_cidr_check(&p->c4);
	}
	if (bad) {
		/* A string from a table, as lib/nlattr.c sets a policy's. */
		if (extack) {
			extack->_msg = vpcsnat_cidr_err_msg[bad];
			extack->bad_attr = nest;
		}
		return -EINVAL;
	}
	return 0;
}

/* @hits: the entry's sampled hits, or U64_MAX for none. */
static int put_cidr(struct sk_buff *skb, const struct vpcsnat_prefix *p,
		    u64 hits)
{
	struct nlattr *nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	u8 addr6[16];

	if (!nest)
		return -EMSGSIZE;
	if (p->v6) {
		vpcsnat_in6_to_be(&p->c6.addr, addr6);
		if (nla_put(skb, VPCSNAT_CIDR_A_ADDR6, sizeof(addr6), addr6) ||
		    nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, p->c6.plen) ||
		    nla_put_u8(skb, VPCSNAT_CIDR_A_KIND, p->c6.kind))
			goto cancel;
	} else {
		if (nla_put_be32(skb, VPCSNAT_CIDR_A_ADDR, cpu_to_be32(p->c4.addr)) ||
		    nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, p->c4.plen) ||
		    nla_put_u8(skb, VPCSNAT_CIDR_A_KIND, p->c4.kind))
			goto cancel;
	}
	if (hits != U64_MAX &&
	    nla_put_u64_64bit(skb, VPCSNAT_CIDR_A_HITS, hits,
			      VPCSNAT_CIDR_A_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One family's counters, as one nest: @v6 has no events_dropped of its own. */
static int put_counters(struct sk_buff *msg, struct vpcsnat_net *vn, bool v6)
{
	u64 ctr[__VPCSNAT_CTR_A_LAST];
	struct nlattr *nest;
	int i;

	vpcsnat_read_counters(vn, v6, ctr);
	nest = nla_nest_start(msg, v6 ? VPCSNAT_A_COUNTERS6 : VPCSNAT_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < __VPCSNAT_CTR_A_LAST; i++) {
		if (v6 && i == VPCSNAT_CTR_A_EVENTS_DROPPED)
			continue;
		if (nla_put_u64_64bit(msg, i, ctr[i], VPCSNAT_CTR_A_UNSPEC))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int vpcsnat_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(genl_info_net(info));
	const struct vpcsnat_conf *conf;
	struct vpcsnat_settings s;
	u32 table_size, table6_size;
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	conf = rcu_dereference(vn->conf);
	s = conf->s;
	table_size = vpcsnat_conf_entries(conf);
	table6_size = conf->table6->nr_entries;
	rcu_read_unlock();

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vpcsnat_genl_family, 0,
				VPCSNAT_CMD_GET_CONFIG);
	if (!hdr)
		goto nla_put_failure;
	if (vpcsnat_settings_put(msg, &s) ||
	    nla_put_u32(msg, VPCSNAT_A_TABLE_SIZE, table_size) ||
	    nla_put_u32(msg, VPCSNAT_A_TABLE6_SIZE, table6_size) ||
	    put_counters(msg, vn, false) || put_counters(msg, vn, true))
		goto nla_put_failure;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int vpcsnat_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct vpcsnat_change chg = {};
	int err;

	err = vpcsnat_settings_parse(info->attrs, &chg, info->extack);
	if (err)
		return err;
	if (!chg.set) {
		NL_SET_ERR_MSG(info->extack, "no setting given");
		return -EINVAL;
	}
	return vpcsnat_apply(genl_info_net(info), &chg, info->extack);
}

static int cidr_op(struct genl_info *info, enum vpcsnat_table_op op)
{
	struct vpcsnat_change chg = { .op = op };
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_CIDR))
		return -EINVAL;
	err = parse_cidr(info->attrs[VPCSNAT_A_CIDR], op == VPCSNAT_TABLE_ADD,
			 &chg.cidr, info->extack);
	if (err)
		return err;
	err = vpcsnat_apply(genl_info_net(info), &chg, info->extack);
	if (err == -EEXIST || err == -ENOENT)
		NL_SET_BAD_ATTR(info->extack, info->attrs[VPCSNAT_A_CIDR]);
	return err;
}

static int vpcsnat_nl_add_cidr(struct sk_buff *skb, struct genl_info *info)
{
	return cidr_op(info, VPCSNAT_TABLE_ADD);
}

static int vpcsnat_nl_del_cidr(struct sk_buff *skb, struct genl_info *info)
{
	return cidr_op(info, VPCSNAT_TABLE_DEL);
}

static int vpcsnat_nl_flush_cidrs(struct sk_buff *skb, struct genl_info *info)
{
	struct vpcsnat_change chg = { .op = VPCSNAT_TABLE_FLUSH };

	return vpcsnat_apply(genl_info_net(info), &chg, info->extack);
}

/* Room in @*arr (@*cap elements of @size) for @need; false if none. */
static bool grow(void **arr, u32 *cap, u32 need, size_t size)
{
	u32 n = max3(need, 2 * *cap, 64u);
	void *p;

	if (need <= *cap)
		return true;
	p = vpcsnat_kvrealloc(*arr, *cap * size, n * size,
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!p)
		return false;
	*arr = p;
	*cap = n;
	return true;
}

/* Append the CIDRs of one REPLACE message to @st, growing it as needed. */
static int stage_cidrs(struct vpcsnat_staging *st, const struct nlattr *list,
		       u32 limit, struct netlink_ext_ack *extack)
{
	struct vpcsnat_prefix p;
	const struct nlattr *a;
	u32 n = 0, staged = st->nr + st->nr6;
	int rem, err;

	nla_for_each_nested(a, list, rem)
		n++;
	if (n > VPCSNAT_MAX_CIDRS_PER_MSG) {
		NL_SET_ERR_MSG_ATTR(extack, list, "more than "
				    __stringify(VPCSNAT_MAX_CIDRS_PER_MSG)
				    " CIDRs in one message");
		return -E2BIG;
	}
	if (n > limit || staged > limit - n)
		return vpcsnat_too_many(extack);
	nla_for_each_nested(a, list, rem) {
		err = parse_cidr(a, true, &p, extack);
		if (err)
			return err;
		if (p.v6) {
			if (!grow((void **)&st->cidrs6, &st->cap6, st->nr6 + 1,
				  sizeof(*st->cidrs6)))
				return -ENOMEM;
			st->cidrs6[st->nr6++] = p.c6;
		} else {
			if (!grow((void **)&st->cidrs, &st->cap, st->nr + 1,
				  sizeof(*st->cidrs)))
				return -ENOMEM;
			st->cidrs[st->nr++] = p.c4;
		}
	}
	st->active = true;
	return 0;
}

/* Point the extack at the CIDR of this message equal to @bad, if any. */
static void blame_cidr(const struct nlattr *list,
		       const struct vpcsnat_prefix *bad,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *a, *found = NULL;
	struct vpcsnat_prefix p;
	int rem;

	nla_for_each_nested(a, list, rem) {
		if (parse_cidr(a, true, &p, NULL) || p.v6 != bad->v6)
			continue;
		if (p.v6 ? !vpcsnat_cidr6_same_prefix(&p.c6, &bad->c6) :
			   !vpcsnat_cidr_same_prefix(&p.c4, &bad->c4))
			continue;
		found = a;	/* the last one: the duplicate, not the first */
	}
	if (found)
		NL_SET_BAD_ATTR(extack, found);
}

static int vpcsnat_nl_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct vpcsnat_net *vn = vpcsnat_pernet(net);
	struct vpcsnat_change chg = { .op = VPCSNAT_TABLE_REPLACE };
	struct vpcsnat_staging st = {};
	bool more, busy;
	u32 limit;
	int err;

	/*
	 * Take over what this socket staged before anything can fail, so
	 * that every error of ours discards it and a retried replace never
	 * merges with a failed one. (A message the attribute policy refuses
	 * never gets here; the uAPI header says so.)
	 */
	mutex_lock(&vn->staging_lock);
	if (vn->staging.active && vn->staging.portid == info->snd_portid) {
		st = vn->staging;
		memset(&vn->staging, 0, sizeof(vn->staging));
	}
	busy = vn->staging.active;
	mutex_unlock(&vn->staging_lock);
	rcu_read_lock();
	limit = rcu_dereference(vn->conf)->s.table_limit;
	rcu_read_unlock();

	if (GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_CIDRS)) {
		err = -EINVAL;
		goto out;
	}
	err = vpcsnat_settings_parse(info->attrs, &chg, info->extack);
	if (err)
		goto out;
	more = nla_get_flag(info->attrs[VPCSNAT_A_MORE]);
	if (more && chg.set) {
		NL_SET_ERR_MSG(info->extack, "settings belong in the last message of a replace");
		err = -EINVAL;
		goto out;
	}
	if (more && busy) {
		NL_SET_ERR_MSG(info->extack, "another replace is in progress in this netns");
		err = -EBUSY;
		goto out;
	}
	if (chg.set & VPCSNAT_SET(VPCSNAT_A_TABLE_LIMIT))
		limit = chg.s.table_limit;
	/*
	 * The last message may raise the limit: until it comes, what is
	 * staged is bounded by the largest limit there can be, and the last
	 * one holds the whole table to the limit it will run with.
	 */
	if (more)
		limit = VPCSNAT_MAX_TABLE_LIMIT;

	err = stage_cidrs(&st, info->attrs[VPCSNAT_A_CIDRS], limit,
			  info->extack);
	if (err)
		goto out;

	if (more) {
		mutex_lock(&vn->staging_lock);
		if (vn->staging.active) {
			NL_SET_ERR_MSG(info->extack, "another replace is in progress in this netns");
			err = -EBUSY;
		} else {
			st.portid = info->snd_portid;
			vn->staging = st;
			memset(&st, 0, sizeof(st));
		}
		mutex_unlock(&vn->staging_lock);
		goto out;
	}

	chg.cidrs = st.cidrs;
	chg.nr_cidrs = st.nr;
	chg.cidrs6 = st.cidrs6;
	chg.nr_cidrs6 = st.nr6;
	err = vpcsnat_apply(net, &chg, info->extack);
	if (err == -EEXIST)
		blame_cidr(info->attrs[VPCSNAT_A_CIDRS], &chg.bad,
			   info->extack);
out:
	vpcsnat_staging_drop(&st);
	return err;
}

/* A dump holds both tables of one configuration until it is done. */
struct cidrs_dump {
	struct vpcsnat_table *t;
	struct vpcsnat_table6 *t6;
};

static int vpcsnat_nl_cidrs_start(struct netlink_callback *cb)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(sock_net(cb->skb->sk));
	const struct vpcsnat_conf *conf;
	struct cidrs_dump *d;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	rcu_read_lock();
	conf = rcu_dereference(vn->conf);
	d->t = vpcsnat_table_get(conf->table);
	d->t6 = vpcsnat_table6_get(conf->table6);
	rcu_read_unlock();
	cb->args[0] = (long)d;
	cb->args[1] = 0;
	return 0;
}

/* The IPv4 entries, then the IPv6 ones: entry @i of both. */
static int vpcsnat_nl_cidrs_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct cidrs_dump *d = (void *)cb->args[0];
	u32 n4 = d->t->nr_entries, i;

	for (i = cb->args[1]; i < n4 + d->t6->nr_entries; i++) {
		struct vpcsnat_prefix p = { .v6 = i >= n4 };
		void *hdr;
		u32 hits;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vpcsnat_genl_family,
				  NLM_F_MULTI, VPCSNAT_CMD_GET_CIDRS);
		if (!hdr)
			break;
		if (p.v6) {
			vpcsnat_table6_entry(d->t6, i - n4, &p.c6);
			hits = READ_ONCE(d->t6->hits[i - n4]);
		} else {
			vpcsnat_table_entry(d->t, i, &p.c4);
			hits = READ_ONCE(d->t->hits[i]);
		}
		if (put_cidr(skb, &p, (u64)hits * VPCSNAT_HIT_SAMPLE)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[1] = i;
	return skb->len;
}

static int vpcsnat_nl_cidrs_done(struct netlink_callback *cb)
{
	struct cidrs_dump *d = (void *)cb->args[0];

	if (d) {
		vpcsnat_table_put(d->t);
		vpcsnat_table6_put(d->t6);
		kfree(d);
	}
	return 0;
}

/*
 * The connection EXPLAIN describes, of either family (SRC and DST, or
 * SRC6 and DST6), with the facts the data path learns from the packet
 * (hook.c) found from this netns's addresses instead.
 */
static int explain_conn(struct net *net, struct nlattr **attrs,
			struct vpcsnat_conn *c, struct netlink_ext_ack *extack)
{
	struct in6_addr saddr6, daddr6;

	c->v6 = attrs[VPCSNAT_A_SRC6] || attrs[VPCSNAT_A_DST6];
	if (c->v6 && (attrs[VPCSNAT_A_SRC] || attrs[VPCSNAT_A_DST])) {
		NL_SET_ERR_MSG(extack, "an IPv4 and an IPv6 address in one connection");
		return -EINVAL;
	}
	if (c->v6) {
		if (NL_REQ_ATTR_CHECK(extack, NULL, attrs, VPCSNAT_A_SRC6) ||
		    NL_REQ_ATTR_CHECK(extack, NULL, attrs, VPCSNAT_A_DST6))
			return -EINVAL;
		saddr6 = nla_get_in6_addr(attrs[VPCSNAT_A_SRC6]);
		daddr6 = nla_get_in6_addr(attrs[VPCSNAT_A_DST6]);
		c->daddr6 = vpcsnat_in6_from_be(&daddr6);
		c->src_local = vpcsnat_src_local(net, true, &saddr6);
		c->dst_local = vpcsnat_addr_local(net, true, &daddr6);
	} else {
		if (NL_REQ_ATTR_CHECK(extack, NULL, attrs, VPCSNAT_A_SRC) ||
		    NL_REQ_ATTR_CHECK(extack, NULL, attrs, VPCSNAT_A_DST))
			return -EINVAL;
		c->saddr = nla_get_be32(attrs[VPCSNAT_A_SRC]);
		c->daddr = nla_get_be32(attrs[VPCSNAT_A_DST]);
		c->src_local = vpcsnat_src_local(net, false, &c->saddr);
		c->dst_local = vpcsnat_addr_local(net, false, &c->daddr);
	}
	if (attrs[VPCSNAT_A_OIFNAME])
		c->oifname = nla_data(attrs[VPCSNAT_A_OIFNAME]);
	if (attrs[VPCSNAT_A_IIFNAME])
		c->iifname = nla_data(attrs[VPCSNAT_A_IIFNAME]);
	return 0;
}

/* The entry of @conf that decides for @c, if one does. */
static bool explain_match(const struct vpcsnat_conf *conf,
			  const struct vpcsnat_conn *c,
			  struct vpcsnat_prefix *m)
{
	m->v6 = c->v6;
	if (c->v6)
		return vpcsnat_table6_match(conf->table6, c->daddr6, &m->c6);
	return vpcsnat_table_match(conf->table, be32_to_cpu(c->daddr), &m->c4);
}

/* The address it would be translated to, unless auto. */
static int put_snat_ip(struct sk_buff *msg, bool v6, __be32 snat_ip,
		       const struct in6_addr *snat_ip6)
{
	if (v6)
		return ipv6_addr_any(snat_ip6) ? 0 :
		       nla_put_in6_addr(msg, VPCSNAT_A_SNAT_IP6, snat_ip6);
	return snat_ip ? nla_put_be32(msg, VPCSNAT_A_SNAT_IP, snat_ip) : 0;
}

static int vpcsnat_nl_explain(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct vpcsnat_net *vn = vpcsnat_pernet(net);
	const struct vpcsnat_conf *conf;
	enum vpcsnat_mark_reason marked;
	enum vpcsnat_reason reason;
	struct vpcsnat_conn c = {};
	struct in6_addr snat_ip6;
	struct vpcsnat_prefix m;
	struct sk_buff *msg;
	__be32 snat_ip;
	bool matched;
	u32 mark;
	void *hdr;
	int err;

	err = explain_conn(net, info->attrs, &c, info->extack);
	if (err)
		return err;

	rcu_read_lock();
	conf = rcu_dereference(vn->conf);
	reason = vpcsnat_decide(&conf->s, conf->table, conf->table6, &c);
	matched = reason >= VPCSNAT_REASON_VPC && explain_match(conf, &c, &m);
	marked = vpcsnat_decide_mark(&conf->s, conf->table, conf->table6, &c);
	snat_ip = conf->s.snat_ip;
	snat_ip6 = conf->s.snat_ip6;
	mark = conf->s.mark;
	rcu_read_unlock();

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vpcsnat_genl_family, 0,
				VPCSNAT_CMD_EXPLAIN);
	if (!hdr || nla_put_u8(msg, VPCSNAT_A_REASON, reason) ||
	    (matched && put_cidr(msg, &m, U64_MAX)) ||
	    (vpcsnat_translates(reason) &&
	     put_snat_ip(msg, c.v6, snat_ip, &snat_ip6)) ||
	    nla_put_u8(msg, VPCSNAT_A_MARK_REASON, marked) ||
	    (marked == VPCSNAT_MARK_SET &&
	     nla_put_u32(msg, VPCSNAT_A_MARK, mark))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

#define OP(_cmd, _fn, _policy, _flags) {				\
	.cmd = (_cmd),							\
	.doit = (_fn),							\
	.policy = (_policy),						\
	.maxattr = VPCSNAT_A_MAX,					\
	.flags = (_flags),						\
}

static const struct genl_ops vpcsnat_genl_ops[] = {
	{
		.cmd = VPCSNAT_CMD_GET_CONFIG,
		.doit = vpcsnat_nl_get_config,
	},
	OP(VPCSNAT_CMD_SET_CONFIG, vpcsnat_nl_set_config, vpcsnat_set_config_policy,
	   GENL_UNS_ADMIN_PERM),
	OP(VPCSNAT_CMD_ADD_CIDR, vpcsnat_nl_add_cidr, cidr_op_policy,
	   GENL_UNS_ADMIN_PERM),
	OP(VPCSNAT_CMD_DEL_CIDR, vpcsnat_nl_del_cidr, cidr_op_policy,
	   GENL_UNS_ADMIN_PERM),
	{
		/*
		 * A dump holds its table until done; were anyone allowed
		 * to, unread dumps could pin every version of the table.
		 * Listing iptables rules needs CAP_NET_ADMIN too.
		 */
		.cmd = VPCSNAT_CMD_GET_CIDRS,
		.start = vpcsnat_nl_cidrs_start,
		.dumpit = vpcsnat_nl_cidrs_dump,
		.done = vpcsnat_nl_cidrs_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VPCSNAT_CMD_FLUSH_CIDRS,
		.doit = vpcsnat_nl_flush_cidrs,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	OP(VPCSNAT_CMD_REPLACE_CIDRS, vpcsnat_nl_replace, vpcsnat_replace_policy,
	   GENL_UNS_ADMIN_PERM),
	OP(VPCSNAT_CMD_EXPLAIN, vpcsnat_nl_explain, explain_policy, 0),
	OP(VPCSNAT_CMD_WHO, vpcsnat_nl_who, who_policy, GENL_UNS_ADMIN_PERM),
};

static const struct genl_multicast_group vpcsnat_mcgrps[] = {
	[VPCSNAT_MCGRP_EVENTS] = {
		.name = VPCSNAT_MCGRP_EVENTS_NAME,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/*
 * Without parallel_ops, every handler runs under genl_mutex, the lock of
 * all generic netlink families: a replace of millions of prefixes would
 * stall every other family (nl80211, ethtool, wireguard, ...) of every
 * netns for the seconds of its build, and a user namespace's root can
 * start one. vpcsnat needs none of it: its writers take vn->lock,
 * staging_lock guards a staged replace, readers use RCU, and the core
 * still serializes a socket's dump (start, dumpit, done).
 */
struct genl_family vpcsnat_genl_family __ro_after_init = {
	.ops = vpcsnat_genl_ops,
	.n_ops = ARRAY_SIZE(vpcsnat_genl_ops),
	.name = VPCSNAT_GENL_NAME,
	.version = VPCSNAT_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	.mcgrps = vpcsnat_mcgrps,
	.n_mcgrps = VPCSNAT_HAVE_EVENTS ? ARRAY_SIZE(vpcsnat_mcgrps) : 0,
};

/*
 * A replace whose socket closes before its last message is dropped. Runs
 * as every generic netlink socket of the netns closes: it must not wait
 * for a table build, hence staging_lock and not lock.
 */
static int vpcsnat_nl_release(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct vpcsnat_net *vn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	vn = vpcsnat_pernet(n->net);
	mutex_lock(&vn->staging_lock);
	if (vn->staging.active && vn->staging.portid == n->portid)
		vpcsnat_staging_drop(&vn->staging);
	mutex_unlock(&vn->staging_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vpcsnat_nl_notifier = {
	.notifier_call = vpcsnat_nl_release,
};

int __init vpcsnat_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&vpcsnat_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&vpcsnat_genl_family);
	if (err)
		netlink_unregister_notifier(&vpcsnat_nl_notifier);
	return err;
}

void vpcsnat_genl_exit(void)
{
	/* The NAT hooks stay in each netns until pernet exit, after this. */
	vpcsnat_events_stop();
	genl_unregister_family(&vpcsnat_genl_family);
	netlink_unregister_notifier(&vpcsnat_nl_notifier);
}
