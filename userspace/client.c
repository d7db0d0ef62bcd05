// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl's requests to vpcsnat.ko; see client.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <uapi/linux/vpcsnat.h>
#include "client.h"
#include "parse.h"

/* Setting k of c as its attribute. */
static void put_setting(struct nlmsghdr *nlh, const struct conf *c, enum conf_key k)
{
	const struct conf_setting *s = &conf_settings[k];
	const void *p = conf_value_const(c, k);
	const struct iface_list *l;
	unsigned char a6[16];
	struct nlattr *nest;
	unsigned int i;

	switch (s->type) {
	case CONF_T_BOOL:
		mnl_attr_put_u8(nlh, s->attr, *(const bool *)p);
		break;
	case CONF_T_ENUM:
		mnl_attr_put_u8(nlh, s->attr, *(const uint8_t *)p);
		break;
	case CONF_T_ADDR:
		mnl_attr_put_u32(nlh, s->attr, htonl(*(const uint32_t *)p));
		break;
	case CONF_T_ADDR6:
		vpcsnat_in6_to_be(p, a6);
		mnl_attr_put(nlh, s->attr, sizeof(a6), a6);
		break;
	case CONF_T_U32:
	case CONF_T_MARK:
		mnl_attr_put_u32(nlh, s->attr, *(const uint32_t *)p);
		break;
	case CONF_T_IFACES:
		l = p;
		nest = mnl_attr_nest_start(nlh, s->attr);
		for (i = 0; i < l->n; i++)
			mnl_attr_put_strz(nlh, s->nest_attr, l->name[i]);
		mnl_attr_nest_end(nlh, nest);
		break;
	}
}

/* The settings of c in keys; where[k]..where[k + CONF_NKEYS] is where k landed. */
static void put_settings(struct nlmsghdr *nlh, const struct conf *c, unsigned int keys,
			 uint32_t *where)
{
	int k;

	for (k = 0; k < CONF_NKEYS; k++) {
		if (!(keys & 1u << k))
			continue;
		where[k] = nlh->nlmsg_len;
		put_setting(nlh, c, k);
		where[k + CONF_NKEYS] = nlh->nlmsg_len;
	}
}

/*
 * A value that names instance metadata is a word until resolved: sent as
 * it is held (0), snat-ip imds would become auto. Never sent; true, with e
 * filled in, if c has one (that should have been resolved).
 */
static bool unresolved(const struct conf *c, bool table, struct nl_error *e)
{
	if (!c->imds && !(table && c->vpc_cidrs_imds))
		return false;
	memset(e, 0, sizeof(*e));
	e->err = EINVAL;
	e->has_msg = true;
	snprintf(e->msg, sizeof(e->msg), "imds values were not resolved");
	return true;
}

/* The setting whose attribute the kernel blamed, or -1. */
static int blamed_setting(const struct nl_error *e, const uint32_t *where)
{
	int k;

	for (k = 0; e->has_offs && k < CONF_NKEYS; k++)
		if (where[k] && where[k] <= e->offs && e->offs < where[k + CONF_NKEYS])
			return k;
	return -1;
}

/* An optional attribute: absent leaves *v, well-formed sets it; false if malformed. */
static bool opt_u8(const struct nlattr *a, uint8_t *v)
{
	if (a && mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return false;
	if (a)
		*v = mnl_attr_get_u8(a);
	return true;
}

static bool opt_u32(const struct nlattr *a, uint32_t *v)
{
	if (a && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	if (a)
		*v = mnl_attr_get_u32(a);
	return true;
}

/* Attribute a into setting k of c; false if malformed. */
static bool get_setting(struct conf *c, enum conf_key k, const struct nlattr *a)
{
	const struct conf_setting *s = &conf_settings[k];
	void *p = conf_value(c, k);
	struct iface_list *l;
	const struct nlattr *n;

	switch (s->type) {
	case CONF_T_BOOL:
	case CONF_T_ENUM:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return false;
		if (s->type == CONF_T_BOOL)
			*(bool *)p = mnl_attr_get_u8(a);
		else
			*(uint8_t *)p = mnl_attr_get_u8(a);
		return true;
	case CONF_T_ADDR:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return false;
		*(uint32_t *)p = ntohl(mnl_attr_get_u32(a));
		return true;
	case CONF_T_ADDR6:
		if (mnl_attr_get_payload_len(a) != 16)
			return false;
		*(struct vpcsnat_in6 *)p = vpcsnat_in6_from_be(mnl_attr_get_payload(a));
		return true;
	case CONF_T_U32:
	case CONF_T_MARK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return false;
		*(uint32_t *)p = mnl_attr_get_u32(a);
		return true;
	case CONF_T_IFACES:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return false;
		l = p;
		l->n = 0;
		mnl_attr_for_each_nested(n, a) {
			if (mnl_attr_get_type(n) != s->nest_attr)
				continue;
			if (mnl_attr_validate(n, MNL_TYPE_NUL_STRING) < 0 ||
			    l->n == VPCSNAT_MAX_SKIP_IFACES)
				return false;
			snprintf(l->name[l->n++], sizeof(l->name[0]), "%s", mnl_attr_get_str(n));
		}
		return true;
	}
	return false;
}

/* A counters nest (VPCSNAT_A_COUNTERS or COUNTERS6) into ctr; false if malformed. */
static bool get_counters(const struct nlattr *nest, uint64_t *ctr)
{
	const struct nlattr *tb[VPCSNAT_CTR_A_MAX + 1];
	unsigned int i;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return false;
	nl_parse_nested(nest, tb, VPCSNAT_CTR_A_MAX);
	for (i = 1; i <= VPCSNAT_CTR_A_MAX; i++) {
		if (!tb[i])
			continue;
		if (mnl_attr_validate(tb[i], MNL_TYPE_U64) < 0)
			return false;
		ctr[i] = mnl_attr_get_u64(tb[i]);
	}
	return true;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1];
	struct conf *c = data;
	int k;

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	for (k = 0; k < CONF_NKEYS; k++) {
		const struct nlattr *a = tb[conf_settings[k].attr];

		if (!a)
			continue;
		if (!get_setting(c, k, a))
			goto bad;
		c->line[k] = 1;
	}
	if (!opt_u32(tb[VPCSNAT_A_TABLE_SIZE], &c->table_size) ||
	    !opt_u32(tb[VPCSNAT_A_TABLE6_SIZE], &c->table6_size) ||
	    (tb[VPCSNAT_A_COUNTERS] && !get_counters(tb[VPCSNAT_A_COUNTERS], c->ctr)) ||
	    (tb[VPCSNAT_A_COUNTERS6] && !get_counters(tb[VPCSNAT_A_COUNTERS6], c->ctr6)))
		goto bad;
	c->has_ctr6 = tb[VPCSNAT_A_COUNTERS6] != NULL;
	c->has_stats = true;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int client_get(struct nl *nl, struct conf *c, struct nl_error *e)
{
	char buf[NL_TX_SIZE];

	return nl_talk(nl, nl_request(nl, buf, VPCSNAT_CMD_GET_CONFIG, 0), get_cb, c, e);
}

int client_set(struct nl *nl, const struct conf *c, unsigned int keys, int *blamed,
	       struct nl_error *e)
{
	uint32_t where[2 * CONF_NKEYS] = { 0 };
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_SET_CONFIG, 0);

	*blamed = -1;
	if (unresolved(c, false, e))
		return -1;
	put_settings(nlh, c, keys, where);
	if (!nl_talk(nl, nlh, NULL, NULL, e))
		return 0;
	*blamed = blamed_setting(e, where);
	return -1;
}

static void put_cidr(struct nlmsghdr *nlh, const struct cidr *c, bool kind)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDR);
	unsigned char a6[16];

	if (c->v6) {
		vpcsnat_in6_to_be(&c->addr6, a6);
		mnl_attr_put(nlh, VPCSNAT_CIDR_A_ADDR6, sizeof(a6), a6);
	} else {
		mnl_attr_put_u32(nlh, VPCSNAT_CIDR_A_ADDR, htonl(c->addr));
	}
	mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_PREFIXLEN, c->plen);
	if (kind)
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_KIND, c->kind);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * A VPCSNAT_A_CIDR nest (an IPv4 or an IPv6 address, not both) into c and
 * its hits (0 if absent); false if malformed.
 */
static bool get_cidr(const struct nlattr *nest, struct cidr *c, uint64_t *hits)
{
	const struct nlattr *tb[VPCSNAT_CIDR_A_MAX + 1], *a4, *a6;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    nl_parse_nested(nest, tb, VPCSNAT_CIDR_A_MAX) < 0)
		return false;
	a4 = tb[VPCSNAT_CIDR_A_ADDR];
	a6 = tb[VPCSNAT_CIDR_A_ADDR6];
	if (!a4 == !a6 || !tb[VPCSNAT_CIDR_A_PREFIXLEN] ||
	    (a4 && mnl_attr_validate(a4, MNL_TYPE_U32) < 0) ||
	    (a6 && mnl_attr_get_payload_len(a6) != 16) ||
	    mnl_attr_validate(tb[VPCSNAT_CIDR_A_PREFIXLEN], MNL_TYPE_U8) < 0 ||
	    (tb[VPCSNAT_CIDR_A_KIND] && mnl_attr_validate(tb[VPCSNAT_CIDR_A_KIND], MNL_TYPE_U8) < 0) ||
	    (tb[VPCSNAT_CIDR_A_HITS] && mnl_attr_validate(tb[VPCSNAT_CIDR_A_HITS], MNL_TYPE_U64) < 0))
		return false;
	memset(c, 0, sizeof(*c));
	c->v6 = a6 != NULL;
	if (a6)
		c->addr6 = vpcsnat_in6_from_be(mnl_attr_get_payload(a6));
	else
		c->addr = ntohl(mnl_attr_get_u32(a4));
	c->plen = mnl_attr_get_u8(tb[VPCSNAT_CIDR_A_PREFIXLEN]);
	c->kind = tb[VPCSNAT_CIDR_A_KIND] ? mnl_attr_get_u8(tb[VPCSNAT_CIDR_A_KIND]) : 0;
	if (hits)
		*hits = tb[VPCSNAT_CIDR_A_HITS] ? mnl_attr_get_u64(tb[VPCSNAT_CIDR_A_HITS]) : 0;
	return true;
}

struct dump {
	client_cidr_cb cb;
	void *data;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1];
	struct dump *d = data;
	struct cidr c;
	uint64_t hits;

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	if (!tb[VPCSNAT_A_CIDR] || !get_cidr(tb[VPCSNAT_A_CIDR], &c, &hits)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return d->cb(&c, hits, d->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int client_dump(struct nl *nl, client_cidr_cb cb, void *data, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct dump d = { cb, data };

	return nl_talk(nl, nl_request(nl, buf, VPCSNAT_CMD_GET_CIDRS, NLM_F_DUMP), dump_cb, &d, e);
}

static int collect_cb(const struct cidr *c, uint64_t hits, void *data)
{
	bool oom = false;

	(void)hits;
	cidr_list_add(data, c, 0, &oom);
	if (oom) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int client_get_conf(struct nl *nl, struct conf *c, struct nl_error *e)
{
	int k;

	if (client_get(nl, c, e) < 0 || client_dump(nl, collect_cb, &c->cidrs, e) < 0)
		return -1;
	for (k = 0; k < CONF_NKEYS; k++) {
		if (!c->line[k]) {
			memset(e, 0, sizeof(*e));
			e->err = EPROTO;
			snprintf(e->msg, sizeof(e->msg), "the kernel left out %s", conf_settings[k].key);
			e->has_msg = true;
			return -1;
		}
	}
	return 0;
}

int client_cidr(struct nl *nl, uint8_t cmd, const struct cidr *c, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, cmd, 0);

	if (c)
		put_cidr(nlh, c, cmd == VPCSNAT_CMD_ADD_CIDR);
	return nl_talk(nl, nlh, NULL, NULL, e);
}

/*
 * The last message's answer was lost: the replace is atomic, so it is in
 * force whole or not at all. Read back on a new socket (this process is in
 * the netns already) and say which. A concurrent writer could blur this;
 * then what was read back is still what is reported.
 */
static int read_back(const struct cidr_list *l, const struct conf *settings)
{
	struct conf got, want;
	struct nl_error e;
	struct nl nl;
	int same = -1;

	conf_init(&got);
	conf_init(&want);
	want.cidrs = *l;	/* borrowed: want is never freed */
	if (!nl_open(&nl, NULL)) {
		if (!client_get_conf(&nl, &got, &e))
			same = conf_same(settings ? settings : &want, &got, settings != NULL);
		nl_close(&nl);
	}
	conf_free(&got);
	return same;
}

int client_replace(struct nl *nl, const struct cidr_list *l, const struct conf *settings,
		   struct replace_result *r)
{
	static char buf[NL_TX_SIZE];
	static uint32_t offs[VPCSNAT_MAX_CIDRS_PER_MSG + 1];
	uint32_t where[2 * CONF_NKEYS] = { 0 };
	size_t first = 0;

	memset(r, 0, sizeof(*r));
	r->bad_key = -1;
	if (settings && unresolved(settings, true, &r->e))
		return -1;
	/* Staged entries survive only on this socket: one socket for every chunk. */
	do {
		size_t n = cidr_list_chunk(l, first), i;
		struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_REPLACE_CIDRS, 0);
		struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDRS);
		bool more = first + n < l->n;
		for (i = 0; i < n; i++) {
			offs[i] = nlh->nlmsg_len;
			put_cidr(nlh, &l->entries[first + i].cidr, true);
		}
		offs[n] = nlh->nlmsg_len;
		mnl_attr_nest_end(nlh, nest);
		if (more)
			mnl_attr_put(nlh, VPCSNAT_A_MORE, 0, NULL);
		else if (settings)
			put_settings(nlh, settings, (1u << CONF_NKEYS) - 1, where);
		if (nl_talk(nl, nlh, NULL, NULL, &r->e) < 0) {
			/* Earlier chunks were only staged, and go with the socket. */
			if (r->e.lost && !more) {
				r->lost = true;
				r->in_force = read_back(l, settings);
				return r->in_force == 1 ? 0 : -1;
			}
			for (i = 0; r->e.has_offs && i < n; i++)
				if (offs[i] <= r->e.offs && r->e.offs < offs[i + 1])
					r->bad_cidr = &l->entries[first + i];
			if (!more && settings)
				r->bad_key = blamed_setting(&r->e, where);
			return -1;
		}
		first += n;
	} while (first < l->n);
	return 0;
}

/* a as attribute v4 or, if IPv6, as v6 (a struct in6_addr). */
static void put_addr(struct nlmsghdr *nlh, uint16_t v4, uint16_t v6, const struct ipaddr *a)
{
	unsigned char b[16];

	if (!a->v6) {
		mnl_attr_put_u32(nlh, v4, htonl(a->v4));
		return;
	}
	vpcsnat_in6_to_be(&a->in6, b);
	mnl_attr_put(nlh, v6, sizeof(b), b);
}

static int explain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1];
	struct verdict *v = data;

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	if (!tb[VPCSNAT_A_REASON] || !opt_u8(tb[VPCSNAT_A_REASON], &v->reason))
		goto bad;
	if (tb[VPCSNAT_A_SNAT_IP]) {
		if (mnl_attr_validate(tb[VPCSNAT_A_SNAT_IP], MNL_TYPE_U32) < 0)
			goto bad;
		v->has_snat_ip = true;
		v->snat_ip.v4 = ntohl(mnl_attr_get_u32(tb[VPCSNAT_A_SNAT_IP]));
	}
	if (tb[VPCSNAT_A_SNAT_IP6]) {
		if (tb[VPCSNAT_A_SNAT_IP] || mnl_attr_get_payload_len(tb[VPCSNAT_A_SNAT_IP6]) != 16)
			goto bad;
		v->has_snat_ip = v->snat_ip.v6 = true;
		v->snat_ip.in6 = vpcsnat_in6_from_be(mnl_attr_get_payload(tb[VPCSNAT_A_SNAT_IP6]));
	}
	if (tb[VPCSNAT_A_CIDR]) {
		if (!get_cidr(tb[VPCSNAT_A_CIDR], &v->cidr, NULL))
			goto bad;
		v->has_cidr = true;
	}
	if (!opt_u8(tb[VPCSNAT_A_MARK_REASON], &v->mark_reason) ||
	    !opt_u32(tb[VPCSNAT_A_MARK], &v->mark))
		goto bad;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int client_explain(struct nl *nl, const struct ipaddr *src, const struct ipaddr *dst,
		   const char *iif, const char *oif, struct verdict *v, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_EXPLAIN, 0);

	memset(v, 0, sizeof(*v));
	v->reason = 0xff;
	v->mark_reason = 0xff;
	put_addr(nlh, VPCSNAT_A_SRC, VPCSNAT_A_SRC6, src);
	put_addr(nlh, VPCSNAT_A_DST, VPCSNAT_A_DST6, dst);
	if (oif)
		mnl_attr_put_strz(nlh, VPCSNAT_A_OIFNAME, oif);
	if (iif)
		mnl_attr_put_strz(nlh, VPCSNAT_A_IIFNAME, iif);
	if (nl_talk(nl, nlh, explain_cb, v, e) < 0)
		return -1;
	if (v->reason == 0xff) {
		e->err = EBADMSG;
		return -1;
	}
	return 0;
}

static int who_cb(const struct nlmsghdr *nlh, void *data)
{
	if (event_from_nlh(nlh, data) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int client_who(struct nl *nl, const struct event *key, struct event *found, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_WHO, 0);

	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, key->proto);
	put_addr(nlh, VPCSNAT_A_NAT_SRC, VPCSNAT_A_NAT_SRC6, &key->nat_src);
	put_addr(nlh, VPCSNAT_A_DST, VPCSNAT_A_DST6, &key->dst);
	if (proto_has_ports(key->proto)) {
		mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, htons(key->nat_sport));
		mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, htons(key->dport));
	} else if (event_icmp(key)) {
		mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_ICMP_ID, htons(key->nat_icmp_id));
		mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_TYPE, key->icmp_type);
		if (key->icmp_code)
			mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_CODE, key->icmp_code);
	}
	/* Zone 0 is the default: a module older than zones still answers. */
	if (key->zone)
		mnl_attr_put_u16(nlh, VPCSNAT_A_ZONE, key->zone);
	memset(found, 0, sizeof(*found));
	found->proto = 0xff;
	if (nl_talk(nl, nlh, who_cb, found, e) < 0)
		return e->err == ENOENT || e->err == ENXIO ? 0 : -1;
	return found->proto == 0xff ? 0 : 1;
}

int client_join_events(const struct nl *nl, int rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t group = nl->events_group;
	int fd, one = 1;

	if (!group) {
		fprintf(stderr, "Error: The loaded vpcsnat module has no \"%s\" group; "
			"it is older than this snatctl\n", VPCSNAT_MCGRP_EVENTS_NAME);
		return -1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		fprintf(stderr, "Error: Cannot open a generic netlink socket: %s\n", strerror(errno));
		return -1;
	}
	/* Unbound, our port id would be 0, the kernel's own: broadcasts skip it. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "Error: Cannot bind a generic netlink socket: %s\n", strerror(errno));
		goto fail;
	}
	/*
	 * Without it the kernel cannot tell that our copy was dropped, and
	 * events_dropped would not count what we lose.
	 */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one, sizeof(one)) < 0) {
		fprintf(stderr, "Error: Cannot set NETLINK_BROADCAST_ERROR: %s\n", strerror(errno));
		goto fail;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
		fprintf(stderr, "Error: Cannot join the vpcsnat events group: %s%s\n", strerror(errno),
			errno == EPERM ? "; this needs CAP_NET_ADMIN (run as root)" : "");
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int64_t client_events_dropped(struct nl *nl)
{
	struct nl_error e;
	struct conf c;

	conf_init(&c);
	if (client_get(nl, &c, &e) < 0)
		return -1;
	return (int64_t)c.ctr[VPCSNAT_CTR_A_EVENTS_DROPPED];
}
