// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A translation's three forms; see event.h. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <uapi/linux/vpcsnat.h>
#include "event.h"
#include "parse.h"

static int event_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= VPCSNAT_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

int event_from_nlh(const struct nlmsghdr *nlh, struct event *ev)
{
	static const struct {
		uint16_t type;
		enum mnl_attr_data_type t;
	} need[] = {
		{ VPCSNAT_A_PROTO, MNL_TYPE_U8 },
		{ VPCSNAT_A_SRC, MNL_TYPE_U32 }, { VPCSNAT_A_SPORT, MNL_TYPE_U16 },
		{ VPCSNAT_A_NAT_SRC, MNL_TYPE_U32 }, { VPCSNAT_A_NAT_SPORT, MNL_TYPE_U16 },
		{ VPCSNAT_A_DST, MNL_TYPE_U32 }, { VPCSNAT_A_DPORT, MNL_TYPE_U16 },
		{ VPCSNAT_A_NETNS, MNL_TYPE_U32 }, { VPCSNAT_A_CT_ID, MNL_TYPE_U32 },
	};
	const struct nlattr *tb[VPCSNAT_A_MAX + 1] = { 0 };
	size_t i;

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
	    mnl_attr_parse(nlh, GENL_HDRLEN, event_attr_cb, tb) < 0)
		return -1;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!tb[need[i].type] || mnl_attr_validate(tb[need[i].type], need[i].t) < 0)
			return -1;
	memset(ev, 0, sizeof(*ev));
	ev->proto = mnl_attr_get_u8(tb[VPCSNAT_A_PROTO]);
	ev->src = ntohl(mnl_attr_get_u32(tb[VPCSNAT_A_SRC]));
	ev->sport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_SPORT]));
	ev->nat_src = ntohl(mnl_attr_get_u32(tb[VPCSNAT_A_NAT_SRC]));
	ev->nat_sport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_NAT_SPORT]));
	ev->dst = ntohl(mnl_attr_get_u32(tb[VPCSNAT_A_DST]));
	ev->dport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_DPORT]));
	ev->netns = mnl_attr_get_u32(tb[VPCSNAT_A_NETNS]);
	ev->ct_id = mnl_attr_get_u32(tb[VPCSNAT_A_CT_ID]);
	if (tb[VPCSNAT_A_TIMESTAMP]) {
		if (mnl_attr_validate(tb[VPCSNAT_A_TIMESTAMP], MNL_TYPE_U64) < 0)
			return -1;
		ev->timestamp_ns = mnl_attr_get_u64(tb[VPCSNAT_A_TIMESTAMP]);
		ev->has_timestamp = true;
	}
	return 0;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The keys of a record, in the order it is written. */
enum { K_TIME, K_TS, K_PROTO, K_SRC, K_SPORT, K_NAT_SRC, K_NAT_SPORT, K_DST, K_DPORT,
       K_NETNS, K_CT_ID, K_N };
static const char *const keys[K_N] = {
	"time", "timestamp_ns", "proto", "src", "sport", "nat_src", "nat_sport", "dst", "dport",
	"netns", "ct_id",
};

/* The record as a JSON object, after the keys already in o. */
static json_t *record(json_t *o, const struct event *ev)
{
	char t[TIME_STR_LEN], p[PROTO_STR_LEN], a[IPV4_STR_LEN];

	json_object_set_new(o, keys[K_TIME],
			    ev->has_timestamp ? json_string(time_str(ev->timestamp_ns, t)) : json_null());
	json_object_set_new(o, keys[K_TS], ev->has_timestamp ?
			    json_integer((json_int_t)ev->timestamp_ns) : json_null());
	json_object_set_new(o, keys[K_PROTO], json_string(proto_str(ev->proto, p)));
	json_object_set_new(o, keys[K_SRC], json_string(ipv4_str(ev->src, a)));
	json_object_set_new(o, keys[K_SPORT], json_integer(ev->sport));
	json_object_set_new(o, keys[K_NAT_SRC], json_string(ipv4_str(ev->nat_src, a)));
	json_object_set_new(o, keys[K_NAT_SPORT], json_integer(ev->nat_sport));
	json_object_set_new(o, keys[K_DST], json_string(ipv4_str(ev->dst, a)));
	json_object_set_new(o, keys[K_DPORT], json_integer(ev->dport));
	json_object_set_new(o, keys[K_NETNS], json_integer(ev->netns));
	json_object_set_new(o, keys[K_CT_ID], json_integer(ev->ct_id));
	return o;
}

/* One compact JSON line; takes o. */
static int print_line(FILE *f, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	int n = s ? fprintf(f, "%s\n", s) : -1;

	free(s);
	json_decref(o);
	return n;
}

int event_print(FILE *f, const struct event *ev, bool json)
{
	char t[TIME_STR_LEN], p[PROTO_STR_LEN], s[IPV4_STR_LEN], n[IPV4_STR_LEN], d[IPV4_STR_LEN];

	if (json)
		return print_line(f, record(json_object(), ev));
	return fprintf(f, "%s %s %s:%u -> %s:%u as %s:%u netns %" PRIu32 " ct %" PRIu32 "\n",
		       ev->has_timestamp ? time_str(ev->timestamp_ns, t) : "-",
		       proto_str(ev->proto, p), ipv4_str(ev->src, s), ev->sport,
		       ipv4_str(ev->dst, d), ev->dport, ipv4_str(ev->nat_src, n), ev->nat_sport,
		       ev->netns, ev->ct_id);
}

int event_print_sourced(FILE *f, const struct event *ev, const char *source)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(source));
	return print_line(f, record(o, ev));
}

int event_print_lost(FILE *f, uint64_t now, int64_t lost, bool json)
{
	char t[TIME_STR_LEN];

	if (json)
		return print_line(f, json_pack("{s:s,s:I,s:o}", "time", time_str(now, t),
					       "timestamp_ns", (json_int_t)now, "lost",
					       lost < 0 ? json_null() : json_integer(lost)));
	if (lost < 0)
		return fprintf(f, "%s lost an unknown number of events (receive buffer overflowed)\n",
			       time_str(now, t));
	return fprintf(f, "%s lost %" PRId64 " event%s (receive buffer overflowed)\n",
		       time_str(now, t), lost, lost == 1 ? "" : "s");
}

/* Field k of o as an unsigned number up to max into *v; false if absent or not one. */
static bool get_uint(json_t *o, int k, uint64_t max, uint64_t *v)
{
	json_t *j = json_object_get(o, keys[k]);

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    (uint64_t)json_integer_value(j) > max)
		return false;
	*v = (uint64_t)json_integer_value(j);
	return true;
}

static bool get_addr(json_t *o, int k, uint32_t *addr)
{
	char err[PARSE_ERR_LEN];
	json_t *j = json_object_get(o, keys[k]);

	return json_is_string(j) && parse_ipv4(json_string_value(j), addr, err);
}

bool event_parse_json(const char *line, struct event *ev)
{
	uint64_t sport, nat_sport, dport, netns = 0, ct_id = 0, ts = 0;
	char err[PARSE_ERR_LEN];
	struct event e = { 0 };
	json_t *o, *j;
	bool ok;

	o = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	j = json_object_get(o, keys[K_PROTO]);
	ok = json_is_string(j) && parse_proto(json_string_value(j), &e.proto, err) &&
	     get_addr(o, K_SRC, &e.src) && get_addr(o, K_NAT_SRC, &e.nat_src) &&
	     get_addr(o, K_DST, &e.dst) && get_uint(o, K_SPORT, 65535, &sport) &&
	     get_uint(o, K_NAT_SPORT, 65535, &nat_sport) && get_uint(o, K_DPORT, 65535, &dport);
	/* Optional: absent or null. */
	j = json_object_get(o, keys[K_NETNS]);
	ok = ok && (json_is_null(j) || !j || get_uint(o, K_NETNS, UINT32_MAX, &netns));
	j = json_object_get(o, keys[K_CT_ID]);
	ok = ok && (json_is_null(j) || !j || get_uint(o, K_CT_ID, UINT32_MAX, &ct_id));
	j = json_object_get(o, keys[K_TS]);
	e.has_timestamp = j && !json_is_null(j);
	ok = ok && (!e.has_timestamp || get_uint(o, K_TS, INT64_MAX, &ts));
	json_decref(o);
	if (!ok)
		return false;
	e.sport = (uint16_t)sport;
	e.nat_sport = (uint16_t)nat_sport;
	e.dport = (uint16_t)dport;
	e.netns = (uint32_t)netns;
	e.ct_id = (uint32_t)ct_id;
	e.timestamp_ns = ts;
	*ev = e;
	return true;
}
