// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an event and a WHO reply say about a translated connection
 * of each protocol conntrack translates (vpcsnat_put_translation()), and
 * the tuple WHO looks up for a request (vpcsnat_who_tuple()): the reply
 * direction, by conntrack's own inversion, in the zone asked for.
 */

#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netlink.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

#define POD	htonl(0x0a00010a)	/* 10.0.1.10 */
#define NODE	htonl(0x0a00000a)	/* 10.0.0.10 */
#define SERVER	htonl(0xac1f0032)	/* 172.31.0.50 */

/*
 * A connection from the pod to the server, its source translated to the
 * node: for ports, 38512 -> 80 as 41234; for ICMP, an echo request with
 * identifier 4321 as 5678.
 */
static struct nf_conn *translated(struct kunit *test, u8 proto, u16 zone,
				  u8 zone_dir)
{
	struct nf_conn *ct = kunit_kzalloc(test, sizeof(*ct), GFP_KERNEL);
	struct nf_conntrack_tuple *o, *r;
	struct nf_conntrack_zone z;

	KUNIT_ASSERT_NOT_NULL(test, ct);
	o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	o->src.l3num = NFPROTO_IPV4;
	o->src.u3.ip = POD;
	o->dst.u3.ip = SERVER;
	o->dst.protonum = proto;
	r->src.l3num = NFPROTO_IPV4;
	r->src.u3.ip = SERVER;
	r->dst.u3.ip = NODE;
	r->dst.protonum = proto;
	r->dst.dir = IP_CT_DIR_REPLY;
	if (vpcsnat_proto_has_ports(proto)) {
		o->src.u.all = htons(38512);
		o->dst.u.all = htons(80);
		r->src.u.all = htons(80);
		r->dst.u.all = htons(41234);
	} else if (proto == IPPROTO_ICMP) {
		o->src.u.icmp.id = htons(4321);
		o->dst.u.icmp.type = ICMP_ECHO;
		r->src.u.icmp.id = htons(5678);
		r->dst.u.icmp.type = ICMP_ECHOREPLY;
	}
	ct->status = IPS_SRC_NAT;
	nf_ct_zone_add(ct, nf_ct_zone_init(&z, zone, zone_dir, 0));
	return ct;
}

/*
 * The attributes in @skb (freed), parsed into @tb, which points into a
 * copy that lives as long as the test.
 */
static void parse(struct kunit *test, struct sk_buff *skb, struct nlattr **tb)
{
	void *copy = kunit_kzalloc(test, skb->len, GFP_KERNEL);
	int len = skb->len;

	if (copy)
		memcpy(copy, skb->data, len);
	kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, nla_parse_deprecated(tb, VPCSNAT_A_MAX, copy, len,
						   NULL, NULL), 0);
}

/* vpcsnat_put_translation() of @ct, parsed into @tb. */
static void put(struct kunit *test, const struct nf_conn *ct,
		struct nlattr **tb)
{
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = vpcsnat_put_translation(skb, vpcsnat_test_net, ct);
	if (err)
		kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, err, 0);
	parse(test, skb, tb);
}

static void events_ports(struct kunit *test)
{
	static const u8 protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP,
		IPPROTO_DCCP,
	};
	struct nlattr *tb[VPCSNAT_A_MAX + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		put(test, translated(test, protos[i], 0, NF_CT_DEFAULT_ZONE_DIR), tb);
		KUNIT_EXPECT_EQ(test, nla_get_u8(tb[VPCSNAT_A_PROTO]), protos[i]);
		KUNIT_EXPECT_EQ(test, nla_get_be32(tb[VPCSNAT_A_SRC]), POD);
		KUNIT_EXPECT_EQ(test, nla_get_be32(tb[VPCSNAT_A_NAT_SRC]), NODE);
		KUNIT_EXPECT_EQ(test, nla_get_be32(tb[VPCSNAT_A_DST]), SERVER);
		KUNIT_ASSERT_NOT_NULL_MSG(test, tb[VPCSNAT_A_SPORT], "proto %u", protos[i]);
		KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_SPORT]), htons(38512));
		KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_NAT_SPORT]), htons(41234));
		KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_DPORT]), htons(80));
		KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_ICMP_ID]);
		KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_NAT_ICMP_ID]);
		KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_ICMP_TYPE]);
		KUNIT_EXPECT_EQ(test, nla_get_u16(tb[VPCSNAT_A_ZONE]), 0);
		KUNIT_EXPECT_NOT_NULL(test, tb[VPCSNAT_A_CT_ID]);
		KUNIT_EXPECT_NOT_NULL(test, tb[VPCSNAT_A_NETNS]);
	}
}

/* The identifier is what NAT rewrites: the pod's and the translated one. */
static void events_icmp(struct kunit *test)
{
	struct nlattr *tb[VPCSNAT_A_MAX + 1];

	put(test, translated(test, IPPROTO_ICMP, 0, NF_CT_DEFAULT_ZONE_DIR), tb);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[VPCSNAT_A_ICMP_TYPE]), ICMP_ECHO);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[VPCSNAT_A_ICMP_CODE]), 0);
	KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_ICMP_ID]), htons(4321));
	KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_NAT_ICMP_ID]), htons(5678));
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_SPORT]);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_NAT_SPORT]);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_DPORT]);
}

/* GRE without PPTP's keys and the like: addresses only. */
static void events_other(struct kunit *test)
{
	struct nlattr *tb[VPCSNAT_A_MAX + 1];

	put(test, translated(test, IPPROTO_GRE, 0, NF_CT_DEFAULT_ZONE_DIR), tb);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[VPCSNAT_A_PROTO]), IPPROTO_GRE);
	KUNIT_EXPECT_EQ(test, nla_get_be32(tb[VPCSNAT_A_NAT_SRC]), NODE);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_SPORT]);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_ICMP_ID]);
}

static const char *const addrs6[] = {	/* pod, node, server */
	"fd00::ac:2", "2600:1f14:aa::10", "2600:1f28:bb::50",
};

static struct in6_addr in6(struct kunit *test, const char *text)
{
	struct in6_addr a;

	KUNIT_EXPECT_EQ(test, in6_pton(text, -1, a.s6_addr, '\0', NULL), 1);
	return a;
}

/* translated(), over IPv6: ICMP becomes ICMPv6 with its echo types. */
static struct nf_conn *translated6(struct kunit *test, u8 proto)
{
	struct nf_conn *ct = translated(test, proto, 0, NF_CT_DEFAULT_ZONE_DIR);
	struct nf_conntrack_tuple *o, *r;

	o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	o->src.l3num = NFPROTO_IPV6;
	r->src.l3num = NFPROTO_IPV6;
	o->src.u3.in6 = in6(test, addrs6[0]);
	o->dst.u3.in6 = in6(test, addrs6[2]);
	r->src.u3.in6 = in6(test, addrs6[2]);
	r->dst.u3.in6 = in6(test, addrs6[1]);
	if (proto == IPPROTO_ICMPV6) {
		o->src.u.icmp.id = htons(4321);
		o->dst.u.icmp.type = ICMPV6_ECHO_REQUEST;
		r->src.u.icmp.id = htons(5678);
		r->dst.u.icmp.type = ICMPV6_ECHO_REPLY;
	}
	return ct;
}

/* An IPv6 connection: its addresses as IPv6 attributes, none as IPv4. */
static void events_v6(struct kunit *test)
{
	struct nlattr *tb[VPCSNAT_A_MAX + 1];
	struct in6_addr pod = in6(test, addrs6[0]), node = in6(test, addrs6[1]);
	struct in6_addr server = in6(test, addrs6[2]);

	put(test, translated6(test, IPPROTO_TCP), tb);
	KUNIT_ASSERT_NOT_NULL(test, tb[VPCSNAT_A_SRC6]);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(nla_data(tb[VPCSNAT_A_SRC6]), &pod));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(nla_data(tb[VPCSNAT_A_NAT_SRC6]), &node));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(nla_data(tb[VPCSNAT_A_DST6]), &server));
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_SRC]);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_NAT_SRC]);
	KUNIT_EXPECT_NULL(test, tb[VPCSNAT_A_DST]);
	KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_NAT_SPORT]), htons(41234));

	put(test, translated6(test, IPPROTO_ICMPV6), tb);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[VPCSNAT_A_ICMP_TYPE]), ICMPV6_ECHO_REQUEST);
	KUNIT_EXPECT_EQ(test, nla_get_be16(tb[VPCSNAT_A_NAT_ICMP_ID]), htons(5678));
}

static void events_zone(struct kunit *test)
{
	struct nlattr *tb[VPCSNAT_A_MAX + 1];

	if (!VPCSNAT_HAVE_CT_ZONES)
		kunit_skip(test, "this kernel has no conntrack zones");
	put(test, translated(test, IPPROTO_TCP, 7, NF_CT_DEFAULT_ZONE_DIR), tb);
	KUNIT_EXPECT_EQ(test, nla_get_u16(tb[VPCSNAT_A_ZONE]), 7);
	/* Set for the original direction only: replies are in zone 0. */
	put(test, translated(test, IPPROTO_TCP, 7, NF_CT_ZONE_DIR_ORIG), tb);
	KUNIT_EXPECT_EQ(test, nla_get_u16(tb[VPCSNAT_A_ZONE]), 0);
}

/* A WHO request for what the server saw from the node. */
struct who_req {
	struct nlattr *tb[VPCSNAT_A_MAX + 1];
	struct sk_buff *skb;
};

static struct who_req *who_req(struct kunit *test, u8 proto)
{
	struct who_req *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->skb);
	nla_put_u8(r->skb, VPCSNAT_A_PROTO, proto);
	nla_put_be32(r->skb, VPCSNAT_A_NAT_SRC, NODE);
	nla_put_be32(r->skb, VPCSNAT_A_DST, SERVER);
	return r;
}

/* vpcsnat_who_tuple() of the request (its skb freed). */
static int who_parse(struct kunit *test, struct who_req *r,
		     struct nf_conntrack_tuple *t, struct nf_conntrack_zone *z)
{
	struct netlink_ext_ack extack = {};

	parse(test, r->skb, r->tb);
	return vpcsnat_who_tuple(r->tb, t, z, &extack);
}

/* The reply direction of a translated connection is what WHO finds. */
static void who_tuple_ports(struct kunit *test)
{
	const struct nf_conntrack_tuple *want;
	struct nf_conntrack_tuple t;
	struct nf_conntrack_zone z;
	struct who_req *r = who_req(test, IPPROTO_SCTP);

	nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
	nla_put_be16(r->skb, VPCSNAT_A_DPORT, htons(80));
	KUNIT_ASSERT_EQ(test, who_parse(test, r, &t, &z), 0);
	want = &translated(test, IPPROTO_SCTP, 0, 0)->tuplehash[IP_CT_DIR_REPLY].tuple;
	KUNIT_EXPECT_TRUE(test, nf_ct_tuple_equal(&t, want));
	KUNIT_EXPECT_EQ(test, t.dst.dir, IP_CT_DIR_REPLY);
	KUNIT_EXPECT_EQ(test, z.id, 0);
}

static void who_tuple_icmp(struct kunit *test)
{
	const struct nf_conntrack_tuple *want;
	struct nf_conntrack_tuple t;
	struct nf_conntrack_zone z;
	struct who_req *r = who_req(test, IPPROTO_ICMP);

	nla_put_be16(r->skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	nla_put_u8(r->skb, VPCSNAT_A_ICMP_TYPE, ICMP_ECHO);
	nla_put_u16(r->skb, VPCSNAT_A_ZONE, 0);
	KUNIT_ASSERT_EQ(test, who_parse(test, r, &t, &z), 0);
	want = &translated(test, IPPROTO_ICMP, 0, 0)->tuplehash[IP_CT_DIR_REPLY].tuple;
	KUNIT_EXPECT_TRUE(test, nf_ct_tuple_equal(&t, want));
	KUNIT_EXPECT_EQ(test, t.dst.u.icmp.type, ICMP_ECHOREPLY);

	/* An echo reply starts no connection. */
	r = who_req(test, IPPROTO_ICMP);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	nla_put_u8(r->skb, VPCSNAT_A_ICMP_TYPE, ICMP_ECHOREPLY);
	KUNIT_EXPECT_EQ(test, who_parse(test, r, &t, &z), -EINVAL);
}

/* WHO of an IPv6 connection: its reply tuple, by the same inversion. */
static void who_tuple_v6(struct kunit *test)
{
	struct in6_addr node = in6(test, addrs6[1]), server = in6(test, addrs6[2]);
	const struct nf_conntrack_tuple *want;
	struct nf_conntrack_tuple t;
	struct nf_conntrack_zone z;
	struct who_req *r;
	u8 proto;

	for (proto = 0; proto < 2; proto++) {
		r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->skb);
		nla_put_u8(r->skb, VPCSNAT_A_PROTO, proto ? IPPROTO_ICMPV6 : IPPROTO_TCP);
		nla_put_in6_addr(r->skb, VPCSNAT_A_NAT_SRC6, &node);
		nla_put_in6_addr(r->skb, VPCSNAT_A_DST6, &server);
		if (proto) {
			nla_put_be16(r->skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
			nla_put_u8(r->skb, VPCSNAT_A_ICMP_TYPE, ICMPV6_ECHO_REQUEST);
		} else {
			nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
			nla_put_be16(r->skb, VPCSNAT_A_DPORT, htons(80));
		}
		KUNIT_ASSERT_EQ(test, who_parse(test, r, &t, &z), 0);
		want = &translated6(test, proto ? IPPROTO_ICMPV6 : IPPROTO_TCP)
				->tuplehash[IP_CT_DIR_REPLY].tuple;
		KUNIT_EXPECT_TRUE_MSG(test, nf_ct_tuple_equal(&t, want), "proto %u", proto);
	}
}

/* Each protocol's attributes, no more and no fewer. */
static void who_tuple_strict(struct kunit *test)
{
	struct nf_conntrack_tuple t;
	struct nf_conntrack_zone z;
	struct who_req *r;

	r = who_req(test, IPPROTO_TCP);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), -EINVAL, "tcp without dport");
	r = who_req(test, IPPROTO_TCP);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
	nla_put_be16(r->skb, VPCSNAT_A_DPORT, htons(80));
	nla_put_u8(r->skb, VPCSNAT_A_ICMP_CODE, 0);
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), -EINVAL, "tcp with an icmp code");
	r = who_req(test, IPPROTO_ICMP);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), -EINVAL, "icmp without a type");
	r = who_req(test, IPPROTO_ICMP);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	nla_put_u8(r->skb, VPCSNAT_A_ICMP_TYPE, ICMP_ECHO);
	nla_put_be16(r->skb, VPCSNAT_A_DPORT, htons(80));
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), -EINVAL, "icmp with a port");
	r = who_req(test, IPPROTO_GRE);
	nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), -EINVAL, "gre with a port");
	r = who_req(test, IPPROTO_GRE);
	KUNIT_EXPECT_EQ_MSG(test, who_parse(test, r, &t, &z), 0, "gre by address");
	KUNIT_EXPECT_EQ(test, t.src.u.all, 0);
	KUNIT_EXPECT_EQ(test, t.src.u3.ip, SERVER);
}

static void who_tuple_zone(struct kunit *test)
{
	struct nf_conntrack_tuple t;
	struct nf_conntrack_zone z;
	struct who_req *r = who_req(test, IPPROTO_UDP);

	nla_put_be16(r->skb, VPCSNAT_A_NAT_SPORT, htons(41234));
	nla_put_be16(r->skb, VPCSNAT_A_DPORT, htons(7));
	nla_put_u16(r->skb, VPCSNAT_A_ZONE, 5);
	if (!VPCSNAT_HAVE_CT_ZONES) {
		KUNIT_EXPECT_EQ(test, who_parse(test, r, &t, &z), -EOPNOTSUPP);
		return;
	}
	KUNIT_ASSERT_EQ(test, who_parse(test, r, &t, &z), 0);
	KUNIT_EXPECT_EQ(test, nf_ct_zone_id(&z, IP_CT_DIR_REPLY), 5);
}

static struct kunit_case events_cases[] = {
	KUNIT_CASE(events_ports),
	KUNIT_CASE(events_icmp),
	KUNIT_CASE(events_other),
	KUNIT_CASE(events_zone),
	KUNIT_CASE(events_v6),
	KUNIT_CASE(who_tuple_v6),
	KUNIT_CASE(who_tuple_ports),
	KUNIT_CASE(who_tuple_icmp),
	KUNIT_CASE(who_tuple_strict),
	KUNIT_CASE(who_tuple_zone),
	{}
};

VPCSNAT_SUITE(events,
	      .suite_init = vpcsnat_test_suite_init,
	      .suite_exit = vpcsnat_test_suite_exit);
