// SPDX-License-Identifier: GPL-2.0
/*
 * The data path, two hooks from one configuration, for IPv4 and for IPv6:
 *
 * - a NAT lookup function at POSTROUTING, registered through the NAT core
 *   like iptable_nat and nft_chain_nat register theirs. The core calls it
 *   once per new connection, before the connection has a source binding;
 *   established packets never reach it.
 * - a PREROUTING hook after DNAT (dstnat + 10, where the VPC CNI's own
 *   nftables connmark chain sits: pkg/networkutils/nftables_connmark.go)
 *   that marks the new connections from pods that will be translated, and
 *   copies the mark onto every packet that arrives on a pod interface, so
 *   that policy routing ("fwmark M/M lookup main", which snatctl adds)
 *   sends them out of the primary ENI whose address they get.
 */

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>
#include <net/route.h>

#include "vpcsnat.h"

static const u32 random_flags[] = {
	[VPCSNAT_RANDOM_NONE] = 0,
	[VPCSNAT_RANDOM_HASHRANDOM] = NF_NAT_RANGE_PROTO_RANDOM,
	[VPCSNAT_RANDOM_PRNG] = NF_NAT_RANGE_PROTO_RANDOM_FULLY,
};

/**
 * vpcsnat_addr_local - whether an address is one of a netns's own
 * @net: the netns
 * @v6: @addr is an IPv6 address (16 bytes), else IPv4 (4 bytes)
 * @addr: the address, network byte order
 *
 * What the decision calls "local": inet_addr_type() says RTN_LOCAL, or
 * ipv6_chk_addr() finds the address on any device. The packet path asks
 * only for what its route cannot say; EXPLAIN asks for both ends.
 */
bool vpcsnat_addr_local(struct net *net, bool v6, const void *addr)
{
	if (v6)
		return ipv6_chk_addr(net, addr, NULL, 0);
	return inet_addr_type(net, *(const __be32 *)addr) == RTN_LOCAL;
}

/**
 * vpcsnat_src_local - whether a source address is the node's
 * @net: the netns
 * @v6: @addr is an IPv6 address, else IPv4
 * @addr: the address, network byte order
 *
 * vpcsnat_addr_local(), and the unspecified address (0.0.0.0, ::), which
 * only the node's own packets carry.
 */
bool vpcsnat_src_local(struct net *net, bool v6, const void *addr)
{
	if (v6 ? ipv6_addr_any(addr) : !*(const __be32 *)addr)
		return true;
	return vpcsnat_addr_local(net, v6, addr);
}

/*
 * The facts the decision needs, for a packet, mostly from what the kernel
 * already knows (explain gathers them for a described connection):
 * its route says whether the destination is local, and the source of a
 * forwarded packet is not local (the routing code drops such martians,
 * unless accept_local is set; then the source was checked to be a usable
 * one and translating it is harmless). Only locally generated packets,
 * hostNetwork pods among them, cost a lookup. The addresses are the
 * packet's, after any DNAT (a Kubernetes service's): the destination that
 * is on the wire decides, as iptables' -d does in POSTROUTING.
 */
static void packet_conn(struct sk_buff *skb, struct net *net,
			const struct net_device *out, struct vpcsnat_conn *c)
{
	const struct rtable *rt = skb_rtable(skb);
	const struct iphdr *iph = ip_hdr(skb);

	c->saddr = iph->saddr;
	c->daddr = iph->daddr;
	c->oifname = out->name;
	c->dst_local = rt && rt->rt_type == RTN_LOCAL;
	c->src_local = !(IPCB(skb)->flags & IPSKB_FORWARDED) &&
		       vpcsnat_src_local(net, false, &iph->saddr);
}

/*
 * The same for IPv6: ip6_forward() marks what it forwards, and the route
 * of a local destination is RTF_LOCAL.
 */
static void packet_conn6(struct sk_buff *skb, struct net *net,
			 const struct net_device *out, struct vpcsnat_conn *c)
{
	const struct rt6_info *rt = (const struct rt6_info *)skb_dst(skb);
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	c->v6 = true;
	c->daddr6 = vpcsnat_in6_from_be(&ip6h->daddr);
	c->oifname = out->name;
	c->dst_local = rt && (rt->rt6i_flags & RTF_LOCAL);
	c->src_local = !(IP6CB(skb)->flags & IP6SKB_FORWARDED) &&
		       vpcsnat_src_local(net, true, &ip6h->saddr);
}

/*
 * The address MASQUERADE would pick for @skb on @out, into @a; false if
 * there is none (nf_nat_masquerade_ipv4() and nf_nat_masquerade_ipv6()).
 */
static bool auto_addr(struct nf_conn *ct, struct sk_buff *skb, bool v6,
		      const struct net_device *out, union nf_inet_addr *a)
{
	struct nf_conn_nat *nat;

	if (v6) {
		if (ipv6_dev_get_saddr(nf_ct_net(ct), out,
				       &ipv6_hdr(skb)->daddr, 0, &a->in6) < 0)
			return false;
	} else {
		a->ip = inet_select_addr(out, rt_nexthop(skb_rtable(skb),
							 ip_hdr(skb)->daddr),
					 RT_SCOPE_UNIVERSE);
		if (!a->ip)
			return false;
	}
	/* Lets the masquerade notifiers flush it with the address. */
	nat = nf_ct_nat_ext_add(ct);
	if (nat)
		nat->masq_index = out->ifindex;
	return true;
}

/* Bind the source to the node address, as SNAT or MASQUERADE would. */
static unsigned int translate(struct nf_conn *ct, struct sk_buff *skb,
			      bool v6, const struct net_device *out,
			      const struct vpcsnat_settings *s)
{
	struct nf_nat_range2 range = {};
	union nf_inet_addr addr = {};

	if (v6)
		addr.in6 = s->snat_ip6;
	else
		addr.ip = s->snat_ip;
	if (nf_inet_addr_cmp(&addr, &(union nf_inet_addr){}) &&
	    !auto_addr(ct, skb, v6, out, &addr))
		return NF_DROP;

	range.flags = NF_NAT_RANGE_MAP_IPS | random_flags[s->random];
	range.min_addr = addr;
	range.max_addr = addr;
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC) != NF_ACCEPT)
		return NF_DROP;
	/*
	 * With every source port taken the NAT core still accepts, with a
	 * tuple that another connection holds, and conntrack would drop the
	 * packet at confirm. Drop it here and count it, before an event
	 * names a node port that belongs to another pod.
	 */
	if (nf_conntrack_tuple_taken(&ct->tuplehash[IP_CT_DIR_REPLY].tuple, ct))
		return NF_DROP;
	return NF_ACCEPT;
}

/*
 * Naming the entry that decided costs a search per prefix length, so only
 * a sample of decisions pays it; the counts are estimates, and racy
 * increments only lose a little more precision.
 */
static void count_hit(struct vpcsnat_net *vn, const struct vpcsnat_conf *conf,
		      const struct vpcsnat_conn *c)
{
	u32 *hits;
	int at;

	if (this_cpu_inc_return(vn->stats->sample) % VPCSNAT_HIT_SAMPLE)
		return;
	if (c->v6) {
		at = vpcsnat_table6_match_index(conf->table6, c->daddr6);
		hits = conf->table6->hits;
	} else {
		at = vpcsnat_table_match_index(conf->table,
					       be32_to_cpu(c->daddr));
		hits = conf->table->hits;
	}
	if (at < 0)
		return;
	/* Lost increments between CPUs are tolerated: it is an estimate. */
	data_race(hits[at]++);
}

static unsigned int vpcsnat_nat_fn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(state->net);
	bool v6 = state->pf == NFPROTO_IPV6;
	const struct vpcsnat_conf *conf;
	enum ip_conntrack_info ctinfo;
	enum vpcsnat_reason reason;
	struct vpcsnat_conn c = {};
	struct nf_conn *ct;
	unsigned int verdict;

	ct = nf_ct_get(skb, &ctinfo);
	/*
	 * Only new connections. ICMP errors never get here (the NAT core
	 * translates them with their master). A connection a conntrack
	 * helper expected (IP_CT_RELATED) follows its master's translation
	 * if a NAT helper set it up, and is left alone otherwise (README).
	 */
	if (!ct || ctinfo != IP_CT_NEW)
		return NF_ACCEPT;

	/* Disabled too is the decision's: counted, like every reason. */
	conf = rcu_dereference(vn->conf);
	if (v6)
		packet_conn6(skb, state->net, state->out, &c);
	else
		packet_conn(skb, state->net, state->out, &c);

	reason = vpcsnat_decide(&conf->s, conf->table, conf->table6, &c);
	if (reason >= VPCSNAT_REASON_VPC && reason <= VPCSNAT_REASON_SNAT_ENTRY)
		count_hit(vn, conf, &c);
	if (!vpcsnat_translates(reason)) {
		vpcsnat_count(vn, v6, VPCSNAT_CTR_A_REASON(reason));
		return NF_ACCEPT;
	}

	verdict = translate(ct, skb, v6, state->out, &conf->s);
	if (verdict != NF_ACCEPT) {
		vpcsnat_count(vn, v6, VPCSNAT_CTR_A_FAILED);
		return verdict;
	}
	vpcsnat_count(vn, v6, VPCSNAT_CTR_A_REASON(reason));
	vpcsnat_nl_event(state->net, ct);
	return NF_ACCEPT;
}

static unsigned int vpcsnat_mark_fn(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(state->net);
	bool v6 = state->pf == NFPROTO_IPV6;
	const struct vpcsnat_conf *conf;
	enum ip_conntrack_info ctinfo;
	struct vpcsnat_conn c = {};
	struct nf_conn *ct;
	const void *d;
	u32 mark;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo == IP_CT_UNTRACKED)
		return NF_ACCEPT;
	conf = rcu_dereference(vn->conf);
	mark = conf->s.mark;
	if (!mark || !vpcsnat_ifaces_match(&conf->s.pod, state->in->name))
		return NF_ACCEPT;

	if (ctinfo == IP_CT_NEW) {
		/* From a pod: not a node address (a martian otherwise). */
		c.iifname = state->in->name;
		if (v6) {
			d = &ipv6_hdr(skb)->daddr;
			c.v6 = true;
			c.daddr6 = vpcsnat_in6_from_be(d);
		} else {
			d = &ip_hdr(skb)->daddr;
			c.saddr = ip_hdr(skb)->saddr;
			c.daddr = ip_hdr(skb)->daddr;
		}
		c.dst_local = vpcsnat_addr_local(state->net, v6, d);
		if (vpcsnat_decide_mark(&conf->s, conf->table, conf->table6,
					&c) == VPCSNAT_MARK_SET) {
			vpcsnat_ct_mark_or(ct, mark);
			vpcsnat_count(vn, v6, VPCSNAT_CTR_A_MARKED);
		}
	}
	/* The CNI's restore: the packet's bits of @mark become the entry's. */
	skb->mark = (skb->mark & ~mark) | (vpcsnat_ct_mark(ct) & mark);
	return NF_ACCEPT;
}

/*
 * After every NAT lookup function at the standard priority: the NAT rules
 * of iptables and nftables (srcnat, 100) decide before vpcsnat, whatever
 * the order they were loaded in. Among equal priorities the NAT core runs
 * the one registered last first (nf_hook_entries_grow()).
 */
static const struct nf_hook_ops vpcsnat_nat_ops[] = {
	{
		.hook = vpcsnat_nat_fn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_NAT_SRC + 1,
	},
	{
		.hook = vpcsnat_nat_fn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP6_PRI_NAT_SRC + 1,
	},
};

static const struct nf_hook_ops vpcsnat_mark_ops[] = {
	{
		.hook = vpcsnat_mark_fn,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_NAT_DST + 10,
	},
	{
		.hook = vpcsnat_mark_fn,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_NAT_DST + 10,
	},
};

/*
 * The hooks of one family. IPv6's are registered only once asked for
 * (ipv6 on): they turn IPv6 conntrack on in the netns, which a node that
 * never translates IPv6 should not pay for.
 */
int vpcsnat_hook_register(struct net *net, bool v6)
{
	u8 pf = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	int err;

	if (v6 && !ipv6_mod_enabled())
		return -EAFNOSUPPORT;
	err = nf_ct_netns_get(net, pf);
	if (err)
		return err;
	err = v6 ? nf_nat_ipv6_register_fn(net, &vpcsnat_nat_ops[v6]) :
		   nf_nat_ipv4_register_fn(net, &vpcsnat_nat_ops[v6]);
	if (err)
		goto err_ct;
	err = nf_register_net_hook(net, &vpcsnat_mark_ops[v6]);
	if (err)
		goto err_nat;
	return 0;

err_nat:
	if (v6)
		nf_nat_ipv6_unregister_fn(net, &vpcsnat_nat_ops[v6]);
	else
		nf_nat_ipv4_unregister_fn(net, &vpcsnat_nat_ops[v6]);
err_ct:
	nf_ct_netns_put(net, pf);
	return err;
}

void vpcsnat_hook_unregister(struct net *net, bool v6)
{
	nf_unregister_net_hook(net, &vpcsnat_mark_ops[v6]);
	if (v6)
		nf_nat_ipv6_unregister_fn(net, &vpcsnat_nat_ops[v6]);
	else
		nf_nat_ipv4_unregister_fn(net, &vpcsnat_nat_ops[v6]);
	nf_ct_netns_put(net, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
}
