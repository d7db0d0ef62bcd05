// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the generic netlink interface, with real messages sent from a
 * kernel netlink socket in the scratch netns. For every command: a valid
 * message is accepted, and a missing, wrong-typed, over-long or unknown
 * attribute is refused with an extended ACK (a message, or the missing
 * attribute's type) and changes nothing.
 */

#include <kunit/test.h>
#include <linux/file.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <linux/genetlink.h>
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

#define RCVBUF 16384
#define UNKNOWN_ATTR 200	/* above every maxattr */

struct nlc {
	struct socket *sock;
	struct file *file;
	u16 family;
	u32 seq;
	u8 *buf;
};

struct ack {
	int err;
	int replies;		/* messages before the ACK or DONE */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	bool offs;		/* NLMSGERR_ATTR_OFFS present */
	char msg[128];		/* NLMSGERR_ATTR_MSG */
};


static void parse_ack(const struct nlmsghdr *nlh, struct ack *a)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t hlen = sizeof(*e);
	const struct nlattr *attr;
	int rem;

	a->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += nlmsg_len(&e->msg);
	if (hlen > nlmsg_len(nlh))
		return;
	nla_for_each_attr(attr, (void *)e + hlen, nlmsg_len(nlh) - hlen, rem) {
		switch (nla_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			strscpy(a->msg, nla_data(attr),
				min_t(size_t, sizeof(a->msg), nla_len(attr) + 1));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->miss_type = nla_get_u32(attr);
			break;
		case NLMSGERR_ATTR_OFFS:
			a->offs = true;
			break;
		}
	}
}

/* Send @skb (consumed) and collect what comes back up to its ACK. */
static void transact(struct kunit *test, struct nlc *c, struct sk_buff *skb,
		     struct ack *a, void (*reply)(const struct nlmsghdr *, void *),
		     void *arg)
{
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK };
	struct msghdr m = { .msg_name = &dst, .msg_namelen = sizeof(dst) };
	struct nlmsghdr *nlh = nlmsg_hdr(skb);
	u32 seq = nlh->nlmsg_seq;
	struct kvec v;
	int len, tries;

	memset(a, 0, sizeof(*a));
	a->miss_type = -1;
	nlh->nlmsg_len = skb->len;
	v.iov_base = skb->data;
	v.iov_len = skb->len;
	len = kernel_sendmsg(c->sock, &m, &v, 1, skb->len);
	kfree_skb(skb);
	KUNIT_ASSERT_GE_MSG(test, len, 0, "sendmsg");

	/* genl handles the message in sendmsg: everything is queued already. */
	for (tries = 0; tries < 64; tries++) {
		struct msghdr rm = {};

		v.iov_base = c->buf;
		v.iov_len = RCVBUF;
		len = kernel_recvmsg(c->sock, &rm, &v, 1, RCVBUF, MSG_DONTWAIT);
		KUNIT_ASSERT_GT_MSG(test, len, 0, "no ACK for message %u", seq);
		for (nlh = (void *)c->buf; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_ack(nlh, a);
				return;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				a->err = *(int *)nlmsg_data(nlh);
				return;
			}
			a->replies++;
			if (reply)
				reply(nlh, arg);
		}
	}
	KUNIT_FAIL(test, "no ACK for message %u", seq);
}

static struct sk_buff *request(struct kunit *test, struct nlc *c, u16 family,
			       u8 cmd, u8 version, u16 flags, size_t size)
{
	struct sk_buff *skb = nlmsg_new(size, GFP_KERNEL);
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, 0, ++c->seq, family, GENL_HDRLEN,
			NLM_F_REQUEST | flags);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	g = nlmsg_data(nlh);
	g->cmd = cmd;
	g->version = version;
	g->reserved = 0;
	return skb;
}

static struct sk_buff *req(struct kunit *test, u8 cmd)
{
	struct nlc *c = test->priv;

	return request(test, c, c->family, cmd, VPCSNAT_GENL_VERSION,
		       cmd == VPCSNAT_CMD_GET_CIDRS ? NLM_F_DUMP : NLM_F_ACK,
		       NLMSG_DEFAULT_SIZE);
}

static void family_id(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, nlmsg_data(nlh) + GENL_HDRLEN,
			  nlmsg_len(nlh) - GENL_HDRLEN, rem)
		if (nla_type(a) == CTRL_ATTR_FAMILY_ID)
			*(u16 *)arg = nla_get_u16(a);
}

static int nl_init(struct kunit *test)
{
	struct socket *sock;
	struct file *file;
	struct sk_buff *skb;
	struct nlc *c;
	struct ack a;
	int one = 1, err;

	vpcsnat_test_start(test, vpcsnat_test_net);
	test->priv = NULL;
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	test->priv = c;
	c->buf = kunit_kzalloc(test, RCVBUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->buf);
	err = sock_create_kern(vpcsnat_test_net, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC,
			       &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	/* Permission checks look at the opener's credentials: give it a file. */
	file = sock_alloc_file(sock, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	c->sock = sock;
	c->file = file;
	KUNIT_ASSERT_EQ(test, c->sock->ops->setsockopt(c->sock, SOL_NETLINK,
			NETLINK_EXT_ACK, KERNEL_SOCKPTR(&one), sizeof(one)), 0);
	KUNIT_ASSERT_EQ(test, c->sock->ops->setsockopt(c->sock, SOL_NETLINK,
			NETLINK_CAP_ACK, KERNEL_SOCKPTR(&one), sizeof(one)), 0);

	skb = request(test, c, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, NLM_F_ACK,
		      NLMSG_DEFAULT_SIZE);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRL_ATTR_FAMILY_NAME,
					     VPCSNAT_GENL_NAME), 0);
	transact(test, c, skb, &a, family_id, &c->family);
	KUNIT_ASSERT_EQ(test, a.err, 0);
	KUNIT_ASSERT_NE(test, c->family, 0);
	return 0;
}

static void nl_exit(struct kunit *test)
{
	struct nlc *c = test->priv;

	if (!c)
		return;
	if (c->file)
		__fput_sync(c->file);	/* closes the socket now, not later */
	vpcsnat_test_reset(vpcsnat_test_net);
}

static const struct vpcsnat_conf *published(void)
{
	return rcu_access_pointer(vpcsnat_pernet(vpcsnat_test_net)->conf);
}

/* @skb must be refused with an explanation, and change nothing. */
static void refused(struct kunit *test, struct sk_buff *skb, const char *what)
{
	const struct vpcsnat_conf *before = published();
	struct ack a;

	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_LT_MSG(test, a.err, 0, "%s: accepted", what);
	KUNIT_EXPECT_TRUE_MSG(test, a.msg[0] || a.miss_type >= 0,
			      "%s: error %d without an extended ACK", what, a.err);
	KUNIT_EXPECT_PTR_EQ_MSG(test, published(), before, "%s: changed the configuration", what);
}

/* Refused because attribute @type is missing, and the ACK says which. */
static void missing(struct kunit *test, struct sk_buff *skb, int type,
		    const char *what)
{
	struct ack a;

	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -EINVAL, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, a.miss_type, type, "%s: %s", what, a.msg);
}

static void accepted(struct kunit *test, struct sk_buff *skb, int replies,
		     const char *what)
{
	struct ack a;

	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, 0, "%s: %s", what, a.msg);
	KUNIT_EXPECT_EQ_MSG(test, a.replies, replies, "%s", what);
}

/* A CIDR nest; @plen < 0 leaves out the prefix length, @kind < 0 the kind. */
static void put_cidr(struct kunit *test, struct sk_buff *skb, int type,
		     u32 addr, int plen, int kind)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put_be32(skb, VPCSNAT_CIDR_A_ADDR, htonl(addr)), 0);
	if (plen >= 0)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, plen), 0);
	if (kind >= 0)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, VPCSNAT_CIDR_A_KIND, kind), 0);
	nla_nest_end(skb, nest);
}

static struct sk_buff *with_u8(struct kunit *test, u8 cmd, int type, u8 v)
{
	struct sk_buff *skb = req(test, cmd);

	KUNIT_ASSERT_EQ(test, nla_put_u8(skb, type, v), 0);
	return skb;
}

static struct sk_buff *with_u32(struct kunit *test, u8 cmd, int type, u32 v)
{
	struct sk_buff *skb = req(test, cmd);

	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, type, v), 0);
	return skb;
}

static struct sk_buff *with_u64(struct kunit *test, u8 cmd, int type, u64 v)
{
	struct sk_buff *skb = req(test, cmd);

	KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, type, v, 0), 0);
	return skb;
}

static struct sk_buff *with_blob(struct kunit *test, u8 cmd, int type,
				 const void *data, int len)
{
	struct sk_buff *skb = req(test, cmd);

	KUNIT_ASSERT_EQ(test, nla_put(skb, type, len, data), 0);
	return skb;
}

/* A SET_CONFIG whose skip list holds one attribute of @type. */
static struct sk_buff *with_skip(struct kunit *test, int type,
				 const void *data, int len)
{
	struct sk_buff *skb = req(test, VPCSNAT_CMD_SET_CONFIG);
	struct nlattr *nest = nla_nest_start(skb, VPCSNAT_A_SKIP_IFACES);

	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put(skb, type, len, data), 0);
	nla_nest_end(skb, nest);
	return skb;
}

/* The commands that take no attribute take none. */
static void nl_no_attribute_commands(struct kunit *test)
{
	static const u8 cmds[] = {
		VPCSNAT_CMD_GET_CONFIG, VPCSNAT_CMD_GET_CIDRS,
		VPCSNAT_CMD_FLUSH_CIDRS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		accepted(test, req(test, cmds[i]), cmds[i] == VPCSNAT_CMD_GET_CONFIG,
			 "a valid request");
		refused(test, with_u8(test, cmds[i], UNKNOWN_ATTR, 1),
			"an unknown attribute");
		refused(test, with_u8(test, cmds[i], VPCSNAT_A_ENABLED, 1),
			"an attribute the command does not take");
	}
}

static void nl_set_config(struct kunit *test)
{
	const u8 C = VPCSNAT_CMD_SET_CONFIG;

	refused(test, req(test, C), "no attribute");
	refused(test, with_u32(test, C, VPCSNAT_A_ENABLED, 1), "enabled as u32");
	refused(test, with_u8(test, C, VPCSNAT_A_ENABLED, 2), "enabled 2");
	refused(test, with_u8(test, C, VPCSNAT_A_EXTERNAL_SNAT, 2), "external_snat 2");
	refused(test, with_u8(test, C, VPCSNAT_A_SNAT_IP, 10), "snat_ip as u8");
	refused(test, with_u64(test, C, VPCSNAT_A_SNAT_IP, 10), "snat_ip as u64");
	refused(test, with_u8(test, C, VPCSNAT_A_RANDOM, VPCSNAT_RANDOM_MAX + 1), "random 3");
	refused(test, with_u32(test, C, VPCSNAT_A_TABLE_LIMIT, 0), "table_limit 0");
	refused(test, with_u32(test, C, VPCSNAT_A_TABLE_LIMIT, VPCSNAT_MAX_TABLE_LIMIT + 1),
		"table_limit 16000001");
	refused(test, with_u8(test, C, VPCSNAT_A_TABLE_LIMIT, 1), "table_limit as u8");
	refused(test, with_u32(test, C, VPCSNAT_A_SKIP_IFACES, 1), "skip_ifaces not nested");
	refused(test, with_u32(test, C, VPCSNAT_A_SNAT_IP, htonl(0xe0000001)),
		"a multicast snat_ip");
	refused(test, with_u8(test, C, UNKNOWN_ATTR, 1), "an unknown attribute");
	refused(test, with_u8(test, C, VPCSNAT_A_REASON, 1), "an attribute of another command");

	refused(test, with_skip(test, VPCSNAT_A_IFACE, "vlan-and-then-some", 19),
		"an over-long skip prefix");
	refused(test, with_skip(test, VPCSNAT_A_IFACE, "vlan", 4),	/* no NUL */
		"a skip prefix without its NUL");
	refused(test, with_skip(test, VPCSNAT_A_ENABLED, "vlan", 5),
		"a skip prefix of the wrong attribute type");
	refused(test, with_skip(test, VPCSNAT_A_IFACE, "a/b", 4),
		"a skip prefix with a slash");

	accepted(test, with_u8(test, C, VPCSNAT_A_RANDOM, VPCSNAT_RANDOM_NONE), 0,
		 "random none");
}

/*
 * The rule of include/vpcsnat/shared.h, which snatctl follows too: a list
 * names a prefix once, and a prefix is printable ASCII.
 */
static void nl_skip_prefix_rule(struct kunit *test)
{
	const struct vpcsnat_conf *before = published();
	struct sk_buff *skb;
	struct nlattr *nest;
	struct ack a;

	skb = req(test, VPCSNAT_CMD_SET_CONFIG);
	nest = nla_nest_start(skb, VPCSNAT_A_SKIP_IFACES);
	nla_put_string(skb, VPCSNAT_A_IFACE, "vlan");
	nla_put_string(skb, VPCSNAT_A_IFACE, "eni");
	nla_put_string(skb, VPCSNAT_A_IFACE, "vlan");
	nla_nest_end(skb, nest);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ(test, a.err, -EINVAL);
	KUNIT_EXPECT_STREQ(test, a.msg, "interface prefix listed twice");
	KUNIT_EXPECT_TRUE_MSG(test, a.offs, "the repeated prefix is not named");
	KUNIT_EXPECT_PTR_EQ(test, published(), before);

	refused(test, with_skip(test, VPCSNAT_A_IFACE, "\xe9th", 4),
		"a skip prefix with a Latin-1 letter");
	refused(test, with_skip(test, VPCSNAT_A_IFACE, "eth\x7f", 5),
		"a skip prefix with DEL");
}

static void nl_add_cidr(struct kunit *test)
{
	const u8 C = VPCSNAT_CMD_ADD_CIDR;
	struct sk_buff *skb;
	struct nlattr *nest;

	missing(test, req(test, C), VPCSNAT_A_CIDR, "no cidr");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, -1, -1);
	missing(test, skb, VPCSNAT_CIDR_A_PREFIXLEN, "no prefix length");
	skb = req(test, C);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 8);
	nla_nest_end(skb, nest);
	missing(test, skb, VPCSNAT_CIDR_A_ADDR, "no address");

	refused(test, with_u32(test, C, VPCSNAT_A_CIDR, 1), "cidr not nested");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 33, -1);
	refused(test, skb, "prefix length 33");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, VPCSNAT_KIND_MAX + 1);
	refused(test, skb, "kind 3");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000001, 8, -1);
	refused(test, skb, "host bits set");
	skb = req(test, C);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put_u64_64bit(skb, VPCSNAT_CIDR_A_ADDR, 0x0a000000, 0);
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 8);
	nla_nest_end(skb, nest);
	refused(test, skb, "an over-long address");
	skb = req(test, C);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put_u8(skb, VPCSNAT_CIDR_A_ADDR, 10);
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 8);
	nla_nest_end(skb, nest);
	refused(test, skb, "an address as u8");
	skb = req(test, C);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put_be32(skb, VPCSNAT_CIDR_A_ADDR, htonl(0x0a000000));
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 8);
	nla_put_u8(skb, 9, 1);
	nla_nest_end(skb, nest);
	refused(test, skb, "an unknown attribute in the cidr");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	nla_put_u8(skb, UNKNOWN_ATTR, 1);
	refused(test, skb, "an unknown attribute");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	nla_put_u8(skb, VPCSNAT_A_ENABLED, 1);
	refused(test, skb, "an attribute of another command");

	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, VPCSNAT_KIND_SNAT);
	accepted(test, skb, 0, "10.0.0.0/8 snat");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	refused(test, skb, "a prefix already in the table");
}

static void nl_del_cidr(struct kunit *test)
{
	const u8 C = VPCSNAT_CMD_DEL_CIDR;
	struct sk_buff *skb;

	skb = req(test, VPCSNAT_CMD_ADD_CIDR);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	accepted(test, skb, 0, "add 10.0.0.0/8");

	missing(test, req(test, C), VPCSNAT_A_CIDR, "no cidr");
	refused(test, with_u8(test, C, VPCSNAT_A_CIDR, 1), "cidr not nested");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, VPCSNAT_KIND_VPC);
	refused(test, skb, "a kind");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0b000000, 8, -1);
	refused(test, skb, "a prefix not in the table");
	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	nla_put_u8(skb, UNKNOWN_ATTR, 1);
	refused(test, skb, "an unknown attribute");

	skb = req(test, C);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	accepted(test, skb, 0, "del 10.0.0.0/8");
}

static u32 nr_entries(void)
{
	u32 n;

	rcu_read_lock();
	n = rcu_dereference(vpcsnat_pernet(vpcsnat_test_net)->conf)->table->nr_entries;
	rcu_read_unlock();
	return n;
}

static struct sk_buff *replace(struct kunit *test, bool more)
{
	struct sk_buff *skb = req(test, VPCSNAT_CMD_REPLACE_CIDRS);

	if (more)
		KUNIT_ASSERT_EQ(test, nla_put_flag(skb, VPCSNAT_A_MORE), 0);
	return skb;
}

/* An IPv6 CIDR nest: @addr's 16 bytes, and @plen, @kind as put_cidr()'s. */
static void put_cidr6(struct kunit *test, struct sk_buff *skb,
		      const char *addr, int plen, int kind)
{
	struct nlattr *nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	struct in6_addr a;

	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, in6_pton(addr, -1, a.s6_addr, '\0', NULL), 1);
	KUNIT_ASSERT_EQ(test, nla_put_in6_addr(skb, VPCSNAT_CIDR_A_ADDR6, &a), 0);
	if (plen >= 0)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, plen), 0);
	if (kind >= 0)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, VPCSNAT_CIDR_A_KIND, kind), 0);
	nla_nest_end(skb, nest);
}

/* Refused with the message shared.h words reason @err with. */
static void refused_for(struct kunit *test, struct sk_buff *skb,
			enum vpcsnat_cidr_err err, const char *what)
{
	const struct vpcsnat_conf *before = published();
	struct ack a;

	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -EINVAL, "%s", what);
	KUNIT_EXPECT_STREQ_MSG(test, a.msg, vpcsnat_cidr_err_msg[err], "%s", what);
	KUNIT_EXPECT_PTR_EQ_MSG(test, published(), before, "%s: changed the configuration", what);
}

static u32 entries6(void)
{
	return rcu_access_pointer(vpcsnat_pernet(vpcsnat_test_net)->conf)->table6->nr_entries;
}

/* IPv6 prefixes: added, deleted, refused for each rule, beside IPv4 ones. */
static void nl_cidr6(struct kunit *test)
{
	const u8 A = VPCSNAT_CMD_ADD_CIDR, D = VPCSNAT_CMD_DEL_CIDR;
	struct sk_buff *skb;
	struct nlattr *nest;
	u8 short_addr[15] = {};

	skb = req(test, A);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, VPCSNAT_KIND_VPC);
	accepted(test, skb, 0, "add 2600:1f14:aa::/56");
	skb = req(test, A);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	accepted(test, skb, 0, "add 10.0.0.0/8 beside it");
	KUNIT_EXPECT_EQ(test, entries6(), 1u);
	KUNIT_EXPECT_EQ(test, vpcsnat_conf_entries(published()), 2u);
	skb = req(test, A);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, VPCSNAT_KIND_SNAT);
	refused(test, skb, "the same IPv6 prefix again");

	skb = req(test, A);
	put_cidr6(test, skb, "2600:1f14:aa::1", 56, -1);
	refused_for(test, skb, VPCSNAT_CIDR_HOST_BITS, "2600:1f14:aa::1/56");
	skb = req(test, A);
	put_cidr6(test, skb, "::ffff:10.0.0.0", 104, -1);
	refused_for(test, skb, VPCSNAT_CIDR_V4_MAPPED, "::ffff:10.0.0.0/104");
	skb = req(test, A);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 33, -1);
	refused_for(test, skb, VPCSNAT_CIDR_PLEN, "10.0.0.0/33");
	skb = req(test, A);
	put_cidr6(test, skb, "2600::", 129, -1);
	refused(test, skb, "prefix length 129");
	skb = req(test, A);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put(skb, VPCSNAT_CIDR_A_ADDR6, sizeof(short_addr), short_addr);
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 0);
	nla_nest_end(skb, nest);
	refused(test, skb, "a 15-byte IPv6 address");
	skb = req(test, A);
	nest = nla_nest_start(skb, VPCSNAT_A_CIDR);
	nla_put_be32(skb, VPCSNAT_CIDR_A_ADDR, 0);
	nla_put_in6_addr(skb, VPCSNAT_CIDR_A_ADDR6, &in6addr_any);
	nla_put_u8(skb, VPCSNAT_CIDR_A_PREFIXLEN, 0);
	nla_nest_end(skb, nest);
	refused(test, skb, "an IPv4 and an IPv6 address in one prefix");

	skb = req(test, D);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, -1);
	accepted(test, skb, 0, "delete 2600:1f14:aa::/56");
	KUNIT_EXPECT_EQ(test, entries6(), 0u);
	KUNIT_EXPECT_EQ(test, vpcsnat_conf_entries(published()), 1u);
}

/* A replace of both families, and the limit counting both. */
static void nl_replace_cidrs6(struct kunit *test)
{
	struct sk_buff *skb;
	struct nlattr *list;

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, VPCSNAT_KIND_VPC);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	put_cidr6(test, skb, "2600:1f14:aa:1::", 64, VPCSNAT_KIND_SNAT);
	nla_nest_end(skb, list);
	accepted(test, skb, 0, "a replace with IPv6 and IPv4 prefixes");
	KUNIT_EXPECT_EQ(test, entries6(), 2u);
	KUNIT_EXPECT_EQ(test, vpcsnat_conf_entries(published()), 3u);

	skb = replace(test, false);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, VPCSNAT_A_TABLE_LIMIT, 2), 0);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, -1);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	put_cidr6(test, skb, "2600:1f14:bb::", 56, -1);
	nla_nest_end(skb, list);
	refused(test, skb, "3 prefixes of two families, table_limit 2");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, -1);
	put_cidr6(test, skb, "2600:1f14:aa::", 56, VPCSNAT_KIND_SNAT);
	nla_nest_end(skb, list);
	refused(test, skb, "an IPv6 prefix listed twice");
	KUNIT_EXPECT_EQ(test, entries6(), 2u);
}

static void nl_replace_cidrs(struct kunit *test)
{
	struct sk_buff *skb;
	struct nlattr *list;
	struct ack a;

	missing(test, replace(test, false), VPCSNAT_A_CIDRS, "no cidr list");
	refused(test, with_u32(test, VPCSNAT_CMD_REPLACE_CIDRS, VPCSNAT_A_CIDRS, 1),
		"cidr list not nested");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	nla_put_u32(skb, VPCSNAT_A_CIDR, 1);
	nla_nest_end(skb, list);
	refused(test, skb, "a cidr not nested");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, -1, -1);
	nla_nest_end(skb, list);
	refused(test, skb, "a cidr without its prefix length");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr(test, skb, UNKNOWN_ATTR, 0x0a000000, 8, -1);
	nla_nest_end(skb, list);
	refused(test, skb, "an unknown attribute in the list");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	nla_nest_end(skb, list);
	nla_put_u8(skb, UNKNOWN_ATTR, 1);
	refused(test, skb, "an unknown attribute");

	skb = replace(test, false);
	nla_put(skb, VPCSNAT_A_MORE, 4, "more");
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	nla_nest_end(skb, list);
	refused(test, skb, "a flag with a payload");

	skb = replace(test, true);
	nla_put_u8(skb, VPCSNAT_A_ENABLED, 1);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	nla_nest_end(skb, list);
	refused(test, skb, "settings in a message that is not the last");

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0xc0a80000, 16, -1);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, VPCSNAT_KIND_SNAT);
	nla_nest_end(skb, list);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ(test, a.err, -EEXIST);
	KUNIT_EXPECT_TRUE_MSG(test, a.msg[0] && a.offs,
			      "a duplicate is named: '%s', offset %d", a.msg, a.offs);

	skb = replace(test, false);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
	put_cidr(test, skb, VPCSNAT_A_CIDR, 0xc0a80000, 16, VPCSNAT_KIND_EXCLUDE);
	nla_nest_end(skb, list);
	nla_put_u8(skb, VPCSNAT_A_ENABLED, 0);
	accepted(test, skb, 0, "a valid replace");
	KUNIT_EXPECT_EQ(test, nr_entries(), 2u);
}

/* A REPLACE_CIDRS message of @n CIDRs 10.0.i.0/24, no kind: 20 bytes each. */
static struct sk_buff *replace_of(struct kunit *test, u32 n)
{
	struct nlc *c = test->priv;
	struct sk_buff *skb;
	struct nlattr *list;
	u32 i;

	skb = request(test, c, c->family, VPCSNAT_CMD_REPLACE_CIDRS,
		      VPCSNAT_GENL_VERSION, NLM_F_ACK, n * 20 + 64);
	list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
	KUNIT_ASSERT_NOT_NULL(test, list);
	for (i = 0; i < n; i++)
		put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000 | i << 8, 24, -1);
	nla_nest_end(skb, list);
	return skb;
}

/* One message carries at most VPCSNAT_MAX_CIDRS_PER_MSG, though more fit. */
static void nl_replace_cidrs_per_message(struct kunit *test)
{
	struct ack a;

	accepted(test, replace_of(test, VPCSNAT_MAX_CIDRS_PER_MSG), 0,
		 "as many CIDRs as one message may carry");
	KUNIT_EXPECT_EQ(test, nr_entries(), (u32)VPCSNAT_MAX_CIDRS_PER_MSG);

	transact(test, test->priv, replace_of(test, VPCSNAT_MAX_CIDRS_PER_MSG + 1),
		 &a, NULL, NULL);
	KUNIT_EXPECT_EQ(test, a.err, -E2BIG);
	KUNIT_EXPECT_TRUE_MSG(test, a.msg[0], "E2BIG without a message");
	KUNIT_EXPECT_EQ(test, nr_entries(), (u32)VPCSNAT_MAX_CIDRS_PER_MSG);
}

/*
 * A staged replace one of whose messages vpcsnat refuses (settings before
 * the last message; no CIDR list) leaves nothing staged: the socket's next
 * replace starts afresh instead of merging with the failed one.
 */
static void nl_replace_refusal_discards_staged(struct kunit *test)
{
	struct sk_buff *skb;
	struct nlattr *list;
	int i;

	for (i = 0; i < 2; i++) {
		skb = replace(test, true);
		list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
		put_cidr(test, skb, VPCSNAT_A_CIDR, 0x0a000000, 8, -1);
		nla_nest_end(skb, list);
		accepted(test, skb, 0, "a first message, staged");

		skb = replace(test, true);
		if (i == 0) {
			nla_put_u8(skb, VPCSNAT_A_ENABLED, 1);
			list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
			put_cidr(test, skb, VPCSNAT_A_CIDR, 0xac100000, 12, -1);
			nla_nest_end(skb, list);
			refused(test, skb, "settings before the last message");
		} else {
			missing(test, skb, VPCSNAT_A_CIDRS, "a message without a cidr list");
		}

		skb = replace(test, false);
		list = nla_nest_start(skb, VPCSNAT_A_CIDRS);
		put_cidr(test, skb, VPCSNAT_A_CIDR, 0xc0a80000, 16, -1);
		nla_nest_end(skb, list);
		accepted(test, skb, 0, "a one-message replace after the refusal");
		KUNIT_EXPECT_EQ_MSG(test, nr_entries(), 1u, "refusal %d: merged", i);
	}
}

static void nl_explain(struct kunit *test)
{
	const u8 C = VPCSNAT_CMD_EXPLAIN;
	struct sk_buff *skb;

	skb = with_u32(test, C, VPCSNAT_A_DST, htonl(0x08080808));
	missing(test, skb, VPCSNAT_A_SRC, "no source");
	skb = with_u32(test, C, VPCSNAT_A_SRC, htonl(0x0a000001));
	missing(test, skb, VPCSNAT_A_DST, "no destination");

	skb = with_u8(test, C, VPCSNAT_A_SRC, 10);
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	refused(test, skb, "a source as u8");
	skb = with_u32(test, C, VPCSNAT_A_SRC, htonl(0x0a000001));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	nla_put_string(skb, VPCSNAT_A_OIFNAME, "eth0-and-a-lot-more");
	refused(test, skb, "an over-long interface name");
	skb = with_u32(test, C, VPCSNAT_A_SRC, htonl(0x0a000001));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	nla_put(skb, VPCSNAT_A_OIFNAME, 4, "eth0");
	refused(test, skb, "an interface name without its NUL");
	skb = with_u32(test, C, VPCSNAT_A_SRC, htonl(0x0a000001));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	nla_put_u8(skb, UNKNOWN_ATTR, 1);
	refused(test, skb, "an unknown attribute");
	skb = with_blob(test, C, VPCSNAT_A_SRC, "\x0a\0\0\x01\0", 5);
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	refused(test, skb, "an over-long source");

	skb = with_u32(test, C, VPCSNAT_A_SRC, htonl(0x0a000001));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	nla_put_string(skb, VPCSNAT_A_OIFNAME, "eth0");
	accepted(test, skb, 1, "a valid explain");
}

/* EXPLAIN of an IPv6 connection: both addresses IPv6, or refused. */
static void nl_explain6(struct kunit *test)
{
	const u8 C = VPCSNAT_CMD_EXPLAIN;
	struct in6_addr pod, server;
	struct sk_buff *skb;

	KUNIT_ASSERT_EQ(test, in6_pton("fd00::ac:2", -1, pod.s6_addr, '\0', NULL), 1);
	KUNIT_ASSERT_EQ(test, in6_pton("2600:1f28:bb::50", -1, server.s6_addr, '\0',
				       NULL), 1);
	skb = req(test, C);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	missing(test, skb, VPCSNAT_A_SRC6, "no IPv6 source");
	skb = req(test, C);
	nla_put_in6_addr(skb, VPCSNAT_A_SRC6, &pod);
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0x08080808));
	refused(test, skb, "an IPv6 source and an IPv4 destination");
	skb = with_blob(test, C, VPCSNAT_A_SRC6, "\xfd\0\0\0", 4);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	refused(test, skb, "a 4-byte IPv6 source");
	skb = req(test, C);
	nla_put_in6_addr(skb, VPCSNAT_A_SRC6, &pod);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	accepted(test, skb, 1, "a valid IPv6 explain");
}

/* Which pod was behind a translated connection (there is none here). */
static struct sk_buff *who(struct kunit *test, int leave_out)
{
	struct sk_buff *skb = req(test, VPCSNAT_CMD_WHO);

	if (leave_out != VPCSNAT_A_PROTO)
		nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_UDP);
	if (leave_out != VPCSNAT_A_NAT_SRC)
		nla_put_be32(skb, VPCSNAT_A_NAT_SRC, htonl(0xc0000201));
	if (leave_out != VPCSNAT_A_NAT_SPORT)
		nla_put_be16(skb, VPCSNAT_A_NAT_SPORT, htons(40000));
	if (leave_out != VPCSNAT_A_DST)
		nla_put_be32(skb, VPCSNAT_A_DST, htonl(0xcb007101));
	if (leave_out != VPCSNAT_A_DPORT)
		nla_put_be16(skb, VPCSNAT_A_DPORT, htons(7777));
	return skb;
}

static void nl_who(struct kunit *test)
{
	static const int attrs[] = {
		VPCSNAT_A_PROTO, VPCSNAT_A_NAT_SRC, VPCSNAT_A_NAT_SPORT,
		VPCSNAT_A_DST, VPCSNAT_A_DPORT,
	};
	struct sk_buff *skb;
	struct ack a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		missing(test, who(test, attrs[i]), attrs[i], "an attribute left out");
	skb = who(test, VPCSNAT_A_PROTO);
	nla_put_u32(skb, VPCSNAT_A_PROTO, IPPROTO_UDP);
	refused(test, skb, "proto as u32");
	skb = who(test, VPCSNAT_A_NAT_SPORT);
	nla_put_u32(skb, VPCSNAT_A_NAT_SPORT, 40000);
	refused(test, skb, "a port as u32");
	skb = who(test, -1);
	nla_put_u8(skb, UNKNOWN_ATTR, 1);
	refused(test, skb, "an unknown attribute");
	skb = who(test, -1);
	nla_put_u8(skb, VPCSNAT_A_ENABLED, 1);
	refused(test, skb, "an attribute of another command");

	skb = who(test, -1);
	nla_put_u32(skb, VPCSNAT_A_ZONE, 1);
	refused(test, skb, "a zone as u32");
	skb = who(test, -1);
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(1));
	refused(test, skb, "udp with an icmp id");

	transact(test, test->priv, who(test, -1), &a, NULL, NULL);
	KUNIT_EXPECT_EQ(test, a.err, -ENOENT);
	KUNIT_EXPECT_TRUE_MSG(test, a.msg[0], "no connection, and no message");
	skb = who(test, -1);
	nla_put_u16(skb, VPCSNAT_A_ZONE, 0);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -ENOENT, "zone 0: %s", a.msg);
}

/* The same for IPv6: both addresses of its family, ICMPv6 for ICMP. */
static void nl_who6(struct kunit *test)
{
	struct in6_addr node, server;
	struct sk_buff *skb;
	struct ack a;

	KUNIT_ASSERT_EQ(test, in6_pton("2600:1f14:aa::10", -1, node.s6_addr, '\0', NULL), 1);
	KUNIT_ASSERT_EQ(test, in6_pton("2600:1f28:bb::50", -1, server.s6_addr, '\0',
				       NULL), 1);
	skb = who(test, VPCSNAT_A_NAT_SRC);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	refused(test, skb, "an IPv6 node address and an IPv4 server");
	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_TCP);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	nla_put_be16(skb, VPCSNAT_A_NAT_SPORT, htons(40000));
	nla_put_be16(skb, VPCSNAT_A_DPORT, htons(80));
	missing(test, skb, VPCSNAT_A_DST6, "no IPv6 server address");

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(7));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, 8);
	refused(test, skb, "ICMP (not ICMPv6) over IPv6 with an identifier");

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMPV6);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(7));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, ICMPV6_ECHO_REPLY);
	refused(test, skb, "an ICMPv6 echo reply: no connection starts with it");

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMPV6);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(7));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, ICMPV6_ECHO_REQUEST);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -ENOENT, "an ICMPv6 echo: %s", a.msg);

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_TCP);
	nla_put_in6_addr(skb, VPCSNAT_A_NAT_SRC6, &node);
	nla_put_in6_addr(skb, VPCSNAT_A_DST6, &server);
	nla_put_be16(skb, VPCSNAT_A_NAT_SPORT, htons(40000));
	nla_put_be16(skb, VPCSNAT_A_DPORT, htons(80));
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -ENOENT, "TCP over IPv6: %s", a.msg);
}

/* An ICMP request names the identifier and the type, not ports. */
static void nl_who_icmp(struct kunit *test)
{
	struct sk_buff *skb;
	struct ack a;

	skb = who(test, VPCSNAT_A_NAT_SPORT);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	refused(test, skb, "icmp with ports");

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	nla_put_be32(skb, VPCSNAT_A_NAT_SRC, htonl(0xc0000201));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0xcb007101));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, 8);
	missing(test, skb, VPCSNAT_A_NAT_ICMP_ID, "icmp without an identifier");

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	nla_put_be32(skb, VPCSNAT_A_NAT_SRC, htonl(0xc0000201));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0xcb007101));
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, 0);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -EINVAL, "icmp echo reply: %s", a.msg);

	skb = req(test, VPCSNAT_CMD_WHO);
	nla_put_u8(skb, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	nla_put_be32(skb, VPCSNAT_A_NAT_SRC, htonl(0xc0000201));
	nla_put_be32(skb, VPCSNAT_A_DST, htonl(0xcb007101));
	nla_put_be16(skb, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	nla_put_u8(skb, VPCSNAT_A_ICMP_TYPE, 8);
	nla_put_u8(skb, VPCSNAT_A_ICMP_CODE, 0);
	transact(test, test->priv, skb, &a, NULL, NULL);
	KUNIT_EXPECT_EQ_MSG(test, a.err, -ENOENT, "icmp echo: %s", a.msg);
}

static struct kunit_case netlink_cases[] = {
	KUNIT_CASE(nl_no_attribute_commands),
	KUNIT_CASE(nl_set_config),
	KUNIT_CASE(nl_skip_prefix_rule),
	KUNIT_CASE(nl_add_cidr),
	KUNIT_CASE(nl_del_cidr),
	KUNIT_CASE(nl_replace_cidrs),
	KUNIT_CASE(nl_cidr6),
	KUNIT_CASE(nl_replace_cidrs6),
	KUNIT_CASE(nl_replace_refusal_discards_staged),
	KUNIT_CASE(nl_replace_cidrs_per_message),
	KUNIT_CASE(nl_explain),
	KUNIT_CASE(nl_explain6),
	KUNIT_CASE(nl_who),
	KUNIT_CASE(nl_who_icmp),
	KUNIT_CASE(nl_who6),
	{}
};

VPCSNAT_SUITE(netlink,
	      .suite_init = vpcsnat_test_suite_init,
	      .suite_exit = vpcsnat_test_suite_exit,
	      .init = nl_init, .exit = nl_exit);
