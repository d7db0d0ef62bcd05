// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The routing half of the VPC CNI's SNAT: the policy rule that sends the
 * packets vpcsnat.ko marks to the main table, out of the primary ENI whose
 * address they are translated to; see routerule.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "routerule.h"

/* One rule as a dump gives it. */
struct rule {
	uint32_t priority, mark, mask, table;
	uint8_t action, protocol;
	bool has_mark;
};

static int rule_attr_cb(const struct nlattr *a, void *data)
{
	struct rule *r = data;

	switch (mnl_attr_get_type(a)) {
	case FRA_PRIORITY:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->priority = mnl_attr_get_u32(a);
		break;
	case FRA_FWMARK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
			r->mark = mnl_attr_get_u32(a);
			r->has_mark = true;
		}
		break;
	case FRA_FWMASK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->mask = mnl_attr_get_u32(a);
		break;
	case FRA_TABLE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->table = mnl_attr_get_u32(a);
		break;
	case FRA_PROTOCOL:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			r->protocol = mnl_attr_get_u8(a);
		break;
	}
	return MNL_CB_OK;
}

struct scan {
	bool v6;			/* the family looked at */
	uint32_t mark;			/* the rule looked for; 0: none */
	struct rule_state *st;
	unsigned int stale;		/* ours at RULE_PRIORITY for another mark */
	uint32_t stale_mark;
};

/* Whether r is "fwmark M/M lookup main" at RULE_PRIORITY, for some M. */
static bool main_by_mark(const struct rule *r)
{
	return r->priority == RULE_PRIORITY && r->has_mark && r->mark && r->mask == r->mark &&
	       r->table == RT_TABLE_MAIN && r->action == FR_ACT_TO_TBL;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct scan *sc = data;
	struct rule r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWRULE || frh->family != (sc->v6 ? AF_INET6 : AF_INET))
		return MNL_CB_OK;
	r.table = frh->table;
	r.action = frh->action;
	mnl_attr_parse(nlh, sizeof(*frh), rule_attr_cb, &r);
	if (!main_by_mark(&r))
		return MNL_CB_OK;
	if (r.mark == sc->mark) {
		if (r.protocol == RULE_PROTOCOL)
			sc->st->ours++;
		else
			sc->st->others++;
	} else if (r.protocol == RULE_PROTOCOL) {
		sc->stale++;
		sc->stale_mark = r.mark;
	}
	return MNL_CB_OK;
}

/* An RTM_*RULE request for "fwmark mark/mark lookup main priority RULE_PRIORITY". */
static struct nlmsghdr *rule_msg(char *buf, bool v6, uint16_t type, uint16_t flags,
				 uint32_t mark)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = v6 ? AF_INET6 : AF_INET;
	if (type == RTM_GETRULE)
		return nlh;
	frh->table = RT_TABLE_MAIN;
	frh->action = FR_ACT_TO_TBL;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, RULE_PRIORITY);
	mnl_attr_put_u32(nlh, FRA_FWMARK, mark);
	mnl_attr_put_u32(nlh, FRA_FWMASK, mark);
	mnl_attr_put_u32(nlh, FRA_TABLE, RT_TABLE_MAIN);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RULE_PROTOCOL);
	return nlh;
}

static int scan(struct nl *nl, struct scan *sc, struct nl_error *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(sc->st, 0, sizeof(*sc->st));
	sc->stale = 0;
	return nl_talk(nl, rule_msg(buf, sc->v6, RTM_GETRULE, NLM_F_DUMP, 0), rule_cb, sc, e);
}

static int del_ours(struct nl *nl, bool v6, uint32_t mark, struct nl_error *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	/* The kernel's rule_find() matches FRA_PROTOCOL: this deletes one of ours only. */
	return nl_talk(nl, rule_msg(buf, v6, RTM_DELRULE, 0, mark), NULL, NULL, e);
}

static int open_route(struct nl *nl, struct nl_error *e)
{
	if (!nl_open_bus(nl, NETLINK_ROUTE))
		return 0;
	memset(e, 0, sizeof(*e));
	e->err = errno;
	return -1;
}

int rule_get(bool v6, uint32_t mark, struct rule_state *st, struct nl_error *e)
{
	struct scan sc = { .v6 = v6, .mark = mark, .st = st };
	struct nl nl;
	int ret;

	memset(st, 0, sizeof(*st));
	if (open_route(&nl, e) < 0)
		return -1;
	ret = scan(&nl, &sc, e);
	nl_close(&nl);
	return ret;
}

int rule_sync(bool v6, uint32_t want, bool remove_stale, bool *added, struct nl_error *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct rule_state st;
	struct scan sc = { .v6 = v6, .mark = want, .st = &st };
	struct nl nl;
	int ret = -1;

	*added = false;
	if (open_route(&nl, e) < 0)
		return -1;
	if (scan(&nl, &sc, e) < 0) {
		/* fib_nl_dumprule(): no rules of a family the kernel lacks. */
		if (!want && e->err == EAFNOSUPPORT)
			ret = 0;
		goto out;
	}
	/* Another's (the VPC CNI's) is reused; ours beside it, or a second of ours, goes. */
	while (want && (st.ours > 1 || (st.ours && st.others))) {
		if (del_ours(&nl, v6, want, e) < 0 || scan(&nl, &sc, e) < 0)
			goto out;
	}
	/* Ours for another mark (the setting changed): gone. */
	while (remove_stale && sc.stale) {
		if (del_ours(&nl, v6, sc.stale_mark, e) < 0 || scan(&nl, &sc, e) < 0)
			goto out;
	}
	if (want && !st.ours && !st.others) {
		if (nl_talk(&nl, rule_msg(buf, v6, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, want),
			    NULL, NULL, e) < 0)
			goto out;
		*added = true;
	}
	ret = 0;
out:
	nl_close(&nl);
	return ret;
}

int rule_del(bool v6, uint32_t mark, struct nl_error *e)
{
	struct nl nl;
	int ret;

	if (open_route(&nl, e) < 0)
		return -1;
	ret = del_ours(&nl, v6, mark, e);
	nl_close(&nl);
	return ret;
}
