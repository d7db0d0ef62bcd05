// SPDX-License-Identifier: GPL-2.0
/*
 * What connections were translated, for snatctl monitor and who: an event
 * multicast to the "events" group for each translation, and WHO, which
 * finds a translated connection in the conntrack table. Both describe the
 * connection with the same attributes (include/uapi/linux/vpcsnat.h).
 */

#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netlink.h>

#include "vpcsnat.h"

/* The attributes of an event: who was translated to what, where, when. */
static int put_translation(struct sk_buff *skb, struct net *net,
			   const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *orig, *reply;

	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (nla_put_u8(skb, VPCSNAT_A_PROTO, orig->dst.protonum) ||
	    nla_put_be32(skb, VPCSNAT_A_SRC, orig->src.u3.ip) ||
	    nla_put_be16(skb, VPCSNAT_A_SPORT, orig->src.u.all) ||
	    nla_put_be32(skb, VPCSNAT_A_NAT_SRC, reply->dst.u3.ip) ||
	    nla_put_be16(skb, VPCSNAT_A_NAT_SPORT, reply->dst.u.all) ||
	    nla_put_be32(skb, VPCSNAT_A_DST, reply->src.u3.ip) ||
	    nla_put_be16(skb, VPCSNAT_A_DPORT, reply->src.u.all) ||
	    nla_put_u32(skb, VPCSNAT_A_NETNS, net->ns.inum) ||
	    nla_put_u32(skb, VPCSNAT_A_CT_ID, nf_ct_get_id(ct)))
		return -EMSGSIZE;
	return 0;
}

#define EVENT_SIZE (NLMSG_ALIGN(GENL_HDRLEN) + 9 * nla_total_size(4) + \
		    nla_total_size_64bit(8))

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
	if (!hdr || put_translation(skb, net, ct) ||
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
	vpcsnat_count(vpcsnat_pernet(net), VPCSNAT_CTR_A_EVENTS_DROPPED);
}

/* WHO: which pod was behind a translated connection still in conntrack. */
int vpcsnat_nl_who(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple = {};
	struct sk_buff *msg;
	struct nf_conn *ct;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_PROTO) ||
	    GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_NAT_SRC) ||
	    GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_NAT_SPORT) ||
	    GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_DST) ||
	    GENL_REQ_ATTR_CHECK(info, VPCSNAT_A_DPORT))
		return -EINVAL;

	/* The reply direction: from the server to the translated source. */
	tuple.src.l3num = NFPROTO_IPV4;
	tuple.src.u3.ip = nla_get_be32(info->attrs[VPCSNAT_A_DST]);
	tuple.src.u.all = nla_get_be16(info->attrs[VPCSNAT_A_DPORT]);
	tuple.dst.u3.ip = nla_get_be32(info->attrs[VPCSNAT_A_NAT_SRC]);
	tuple.dst.u.all = nla_get_be16(info->attrs[VPCSNAT_A_NAT_SPORT]);
	tuple.dst.protonum = nla_get_u8(info->attrs[VPCSNAT_A_PROTO]);
	tuple.dst.dir = IP_CT_DIR_REPLY;

	h = nf_conntrack_find_get(net, &nf_ct_zone_dflt, &tuple);
	if (!h) {
		NL_SET_ERR_MSG(info->extack, "no translated connection in the conntrack table matches");
		return -ENOENT;
	}
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (NF_CT_DIRECTION(h) != IP_CT_DIR_REPLY ||
	    !(ct->status & IPS_SRC_NAT)) {
		NL_SET_ERR_MSG(info->extack, "that connection was not translated");
		err = -ENOENT;
		goto out;
	}

	err = -ENOMEM;
	msg = genlmsg_new(EVENT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &vpcsnat_genl_family, 0,
				VPCSNAT_CMD_WHO);
	if (!hdr || put_translation(msg, net, ct)) {
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
