// SPDX-License-Identifier: GPL-2.0
/*
 * What connections were translated, for snatctl monitor and who: an event
 * multicast to the "events" group for each translation, and WHO, which
 * finds a translated connection in the conntrack table. Both describe the
 * connection with the same attributes (include/uapi/linux/vpcsnat.h): the
 * fields conntrack keeps for its protocol (ports, or ICMP's type, code and
 * identifier, as nf_conntrack_proto_*.c and ctnetlink name them) and its
 * zone.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netlink.h>

#include "vpcsnat.h"

/*
 * The protocols whose conntrack tuple holds ports (nf_ct_port_tuple_to_nlattr
 * in ctnetlink) and whose ports NAT rewrites (nf_nat_proto.c).
 */
bool vpcsnat_proto_has_ports(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	}
	return false;
}
EXPORT_FOR_KUNIT(vpcsnat_proto_has_ports);

/*
 * The fields of @ct's protocol. In the reply tuple the server is the source
 * and the node the destination; ICMP keeps its identifier in src.u.icmp.id
 * in both directions (nf_conntrack_invert_icmp_tuple()).
 */
static int put_proto(struct sk_buff *skb, const struct nf_conntrack_tuple *orig,
		     const struct nf_conntrack_tuple *reply)
{
	u8 proto = orig->dst.protonum;

	if (vpcsnat_proto_has_ports(proto))
		return nla_put_be16(skb, VPCSNAT_A_SPORT, orig->src.u.all) ||
		       nla_put_be16(skb, VPCSNAT_A_NAT_SPORT, reply->dst.u.all) ||
		       nla_put_be16(skb, VPCSNAT_A_DPORT, reply->src.u.all);
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		return nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, orig->dst.u.icmp.type) ||
		       nla_put_u8(skb, VPCSNAT_A_ICMP_CODE, orig->dst.u.icmp.code) ||
		       nla_put_be16(skb, VPCSNAT_A_ICMP_ID, orig->src.u.icmp.id) ||
		       nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, reply->src.u.icmp.id);
	return 0;
}

/* The attributes of an event: who was translated to what, where. */
int vpcsnat_put_translation(struct sk_buff *skb, struct net *net,
			    const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *orig, *reply;

	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (nla_put_u8(skb, VPCSNAT_A_PROTO, orig->dst.protonum))
		return -EMSGSIZE;
	if (nf_ct_l3num(ct) == NFPROTO_IPV6) {
		if (nla_put_in6_addr(skb, VPCSNAT_A_SRC6, &orig->src.u3.in6) ||
		    nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &reply->dst.u3.in6) ||
		    nla_put_in6_addr(skb, VPCSNAT_A_DST6, &reply->src.u3.in6))
			return -EMSGSIZE;
	} else if (nla_put_be32(skb, VPCSNAT_A_SRC, orig->src.u3.ip) ||
		   nla_put_be32(skb, VPCSNAT_A_NAT_SRC, reply->dst.u3.ip) ||
		   nla_put_be32(skb, VPCSNAT_A_DST, reply->src.u3.ip)) {
		return -EMSGSIZE;
	}
	if (put_proto(skb, orig, reply) ||
	    nla_put_u16(skb, VPCSNAT_A_ZONE,
			nf_ct_zone_id(nf_ct_zone(ct), IP_CT_DIR_REPLY)) ||
	    nla_put_u32(skb, VPCSNAT_A_NETNS, net->ns.inum) ||
	    nla_put_u32(skb, VPCSNAT_A_CT_ID, nf_ct_get_id(ct)))
		return -EMSGSIZE;
	return 0;
}
EXPORT_FOR_KUNIT(vpcsnat_put_translation);

/*
 * Room for the most attributes an event has: ICMP's, with IPv6 addresses,
 * and the timestamp.
 */
#define EVENT_SIZE (NLMSG_ALIGN(GENL_HDRLEN) + 8 * nla_total_size(4) + \
		    3 * nla_total_size(16) + nla_total_size_64bit(8))

/* Set before the family goes; the hooks outlive it until pernet exit. */
static bool vpcsnat_events_off;

/*
 * Stop the events and wait out those being sent, before the family's group
 * id is freed for another family to take.
 */
void vpcsnat_events_stop(void)
{
	WRITE_ONCE(vpcsnat_events_off, true);
	synchronize_rcu();
}

/* Called by the data path for each translation; never blocks. */
void vpcsnat_nl_event(struct net *net, const struct nf_conn *ct)
{
	struct sk_buff *skb;
	void *hdr;

	if (!VPCSNAT_HAVE_EVENTS || READ_ONCE(vpcsnat_events_off) ||
	    !genl_has_listeners(&vpcsnat_genl_family, net,
				VPCSNAT_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(EVENT_SIZE, GFP_ATOMIC);
	if (!skb)
		goto dropped;
	hdr = genlmsg_put(skb, 0, 0, &vpcsnat_genl_family, 0,
			  VPCSNAT_CMD_EVENT_TRANSLATED);
	if (!hdr || vpcsnat_put_translation(skb, net, ct) ||
	    nla_put_u64_64bit(skb, VPCSNAT_A_TIMESTAMP, ktime_get_real_ns(),
			      VPCSNAT_A_PAD)) {
		nlmsg_free(skb);
		goto dropped;
	}
	genlmsg_end(skb, hdr);
	if (genlmsg_multicast_netns(&vpcsnat_genl_family, net, skb, 0,
				    VPCSNAT_MCGRP_EVENTS, GFP_ATOMIC) != -ENOBUFS)
		return;
dropped:
	vpcsnat_count(vpcsnat_pernet(net), false, VPCSNAT_CTR_A_EVENTS_DROPPED);
}

/* Whether @attrs has exactly the attributes of @types that @want says. */
static int want_attrs(struct nlattr **attrs, const int *types, int n,
		      bool want, struct netlink_ext_ack *extack)
{
	int i;

	for (i = 0; i < n; i++) {
		if (want && !attrs[types[i]]) {
			NL_SET_ERR_ATTR_MISS(extack, NULL, types[i]);
			NL_SET_ERR_MSG(extack, "the protocol needs this attribute");
			return -EINVAL;
		}
		if (!want && attrs[types[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[types[i]],
					    "the protocol has no use for this attribute");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The ICMP types that start a connection (nf_conntrack_icmp_packet(), and
 * for ICMPv6 nf_conntrack_icmpv6_packet()'s valid_new[]).
 */
static bool icmp_starts_connection(u8 proto, u8 type)
{
	if (proto == IPPROTO_ICMPV6)
		return type == ICMPV6_ECHO_REQUEST || type == ICMPV6_NI_QUERY;
	return type == ICMP_ECHO || type == ICMP_TIMESTAMP ||
	       type == ICMP_INFO_REQUEST || type == ICMP_ADDRESS;
}

/*
 * The tuple WHO looks up, from a request (already checked against the
 * policy): the connection as the server saw it, from the node to the
 * server, inverted by conntrack's own rules into its reply direction.
 */
int vpcsnat_who_tuple(struct nlattr **attrs, struct nf_conntrack_tuple *t,
		      struct nf_conntrack_zone *zone,
		      struct netlink_ext_ack *extack)
{
	static const int ports[] = { VPCSNAT_A_NAT_SPORT, VPCSNAT_A_DPORT };
	static const int icmp[] = { VPCSNAT_A_NAT_ICMP_ID, VPCSNAT_A_ICMP_TYPE };
	static const int icmp_code[] = { VPCSNAT_A_ICMP_CODE };
	static const int addrs4[] = { VPCSNAT_A_NAT_SRC, VPCSNAT_A_DST };
	static const int addrs6[] = { VPCSNAT_A_NAT_SRC6, VPCSNAT_A_DST6 };
	struct nf_conntrack_tuple seen = {};
	bool v6, is_icmp;
	u16 id = 0;
	u8 proto;
	int err;

	if (NL_REQ_ATTR_CHECK(extack, NULL, attrs, VPCSNAT_A_PROTO))
		return -EINVAL;
	proto = nla_get_u8(attrs[VPCSNAT_A_PROTO]);
	/* The family is the one of the translated source. */
	v6 = attrs[VPCSNAT_A_NAT_SRC6];
	is_icmp = proto == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	err = want_attrs(attrs, v6 ? addrs6 : addrs4, 2, true, extack) ?:
	      want_attrs(attrs, v6 ? addrs4 : addrs6, 2, false, extack) ?:
	      want_attrs(attrs, ports, ARRAY_SIZE(ports),
			 vpcsnat_proto_has_ports(proto), extack) ?:
	      want_attrs(attrs, icmp, ARRAY_SIZE(icmp), is_icmp, extack);
	if (!err && !is_icmp)
		err = want_attrs(attrs, icmp_code, 1, false, extack);
	if (err)
		return err;
	if (attrs[VPCSNAT_A_ZONE])
		id = nla_get_u16(attrs[VPCSNAT_A_ZONE]);
	if (id && !VPCSNAT_HAVE_CT_ZONES) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[VPCSNAT_A_ZONE],
				    "this kernel has no conntrack zones");
		return -EOPNOTSUPP;
	}
	nf_ct_zone_init(zone, id, NF_CT_DEFAULT_ZONE_DIR, 0);

	if (v6) {
		seen.src.l3num = NFPROTO_IPV6;
		seen.src.u3.in6 = nla_get_in6_addr(attrs[VPCSNAT_A_NAT_SRC6]);
		seen.dst.u3.in6 = nla_get_in6_addr(attrs[VPCSNAT_A_DST6]);
	} else {
		seen.src.l3num = NFPROTO_IPV4;
		seen.src.u3.ip = nla_get_be32(attrs[VPCSNAT_A_NAT_SRC]);
		seen.dst.u3.ip = nla_get_be32(attrs[VPCSNAT_A_DST]);
	}
	seen.dst.protonum = proto;
	seen.dst.dir = IP_CT_DIR_ORIGINAL;
	if (vpcsnat_proto_has_ports(proto)) {
		seen.src.u.all = nla_get_be16(attrs[VPCSNAT_A_NAT_SPORT]);
		seen.dst.u.all = nla_get_be16(attrs[VPCSNAT_A_DPORT]);
	} else if (is_icmp) {
		seen.src.u.icmp.id = nla_get_be16(attrs[VPCSNAT_A_NAT_ICMP_ID]);
		seen.dst.u.icmp.type = nla_get_u8(attrs[VPCSNAT_A_ICMP_TYPE]);
		if (!icmp_starts_connection(proto, seen.dst.u.icmp.type))
			goto no_connection;
		if (attrs[VPCSNAT_A_ICMP_CODE])
			seen.dst.u.icmp.code =
				nla_get_u8(attrs[VPCSNAT_A_ICMP_CODE]);
	}
	if (nf_ct_invert_tuple(t, &seen))
		return 0;
no_connection:
	NL_SET_ERR_MSG_ATTR(extack, attrs[VPCSNAT_A_ICMP_TYPE],
			    "conntrack tracks no connection that starts with this ICMP type");
	return -EINVAL;
}
EXPORT_FOR_KUNIT(vpcsnat_who_tuple);

/* WHO: which pod was behind a translated connection still in conntrack. */
int vpcsnat_nl_who(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple;
	struct nf_conntrack_zone zone;
	struct sk_buff *msg;
	struct nf_conn *ct;
	void *hdr;
	int err;

	err = vpcsnat_who_tuple(info->attrs, &tuple, &zone, info->extack);
	if (err)
		return err;
	h = nf_conntrack_find_get(net, &zone, &tuple);
	if (!h) {
		NL_SET_ERR_MSG(info->extack, "no connection in the conntrack table matches");
		return -ENOENT;
	}
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (NF_CT_DIRECTION(h) != IP_CT_DIR_REPLY ||
	    !(ct->status & IPS_SRC_NAT)) {
		NL_SET_ERR_MSG(info->extack, "that connection's source was not translated");
		err = -ENXIO;
		goto out;
	}

	err = -ENOMEM;
	msg = genlmsg_new(EVENT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &vpcsnat_genl_family, 0,
				VPCSNAT_CMD_WHO);
	if (!hdr || vpcsnat_put_translation(msg, net, ct)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	nf_ct_put(ct);
	return err;
}
