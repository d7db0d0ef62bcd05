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

struct need {
	uint16_t type;
	enum mnl_attr_data_type t;
};

static bool have(const struct nlattr **tb, const struct need *need, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tb[need[i].type] || mnl_attr_validate(tb[need[i].type], need[i].t) < 0)
			return false;
	return true;
}

#define HAVE(tb, need) have(tb, need, sizeof(need) / sizeof(need[0]))

bool event_icmp(const struct event *ev)
{
	return ev->proto == (ev->dst.v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

/* The address of attribute v4 or, in an IPv6 event, of v6 (16 bytes); false if malformed. */
static bool get_nl_addr(const struct nlattr **tb, bool v6, uint16_t v4_type, uint16_t v6_type,
			struct ipaddr *a)
{
	const struct nlattr *attr = tb[v6 ? v6_type : v4_type];

	memset(a, 0, sizeof(*a));
	a->v6 = v6;
	if (!attr || tb[v6 ? v4_type : v6_type])
		return false;
	if (v6) {
		if (mnl_attr_get_payload_len(attr) != 16)
			return false;
		a->in6 = vpcsnat_in6_from_be(mnl_attr_get_payload(attr));
		return true;
	}
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return false;
	a->v4 = ntohl(mnl_attr_get_u32(attr));
	return true;
}

int event_from_nlh(const struct nlmsghdr *nlh, struct event *ev)
{
	static const struct need always[] = {
		{ VPCSNAT_A_PROTO, MNL_TYPE_U8 },
		{ VPCSNAT_A_NETNS, MNL_TYPE_U32 }, { VPCSNAT_A_CT_ID, MNL_TYPE_U32 },
	}, ports[] = {
		{ VPCSNAT_A_SPORT, MNL_TYPE_U16 }, { VPCSNAT_A_NAT_SPORT, MNL_TYPE_U16 },
		{ VPCSNAT_A_DPORT, MNL_TYPE_U16 },
	}, icmp[] = {
		{ VPCSNAT_A_ICMP_TYPE, MNL_TYPE_U8 }, { VPCSNAT_A_ICMP_CODE, MNL_TYPE_U8 },
		{ VPCSNAT_A_ICMP_ID, MNL_TYPE_U16 }, { VPCSNAT_A_NAT_ICMP_ID, MNL_TYPE_U16 },
	};
	const struct nlattr *tb[VPCSNAT_A_MAX + 1] = { 0 };
	bool v6;

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
	    mnl_attr_parse(nlh, GENL_HDRLEN, event_attr_cb, tb) < 0 || !HAVE(tb, always))
		return -1;
	memset(ev, 0, sizeof(*ev));
	v6 = tb[VPCSNAT_A_SRC6] != NULL;
	if (!get_nl_addr(tb, v6, VPCSNAT_A_SRC, VPCSNAT_A_SRC6, &ev->src) ||
	    !get_nl_addr(tb, v6, VPCSNAT_A_NAT_SRC, VPCSNAT_A_NAT_SRC6, &ev->nat_src) ||
	    !get_nl_addr(tb, v6, VPCSNAT_A_DST, VPCSNAT_A_DST6, &ev->dst))
		return -1;
	ev->proto = mnl_attr_get_u8(tb[VPCSNAT_A_PROTO]);
	ev->netns = mnl_attr_get_u32(tb[VPCSNAT_A_NETNS]);
	ev->ct_id = mnl_attr_get_u32(tb[VPCSNAT_A_CT_ID]);
	if (proto_has_ports(ev->proto)) {
		if (!HAVE(tb, ports))
			return -1;
		ev->sport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_SPORT]));
		ev->nat_sport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_NAT_SPORT]));
		ev->dport = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_DPORT]));
	} else if (event_icmp(ev)) {
		if (!HAVE(tb, icmp))
			return -1;
		ev->icmp_type = mnl_attr_get_u8(tb[VPCSNAT_A_ICMP_TYPE]);
		ev->icmp_code = mnl_attr_get_u8(tb[VPCSNAT_A_ICMP_CODE]);
		ev->icmp_id = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_ICMP_ID]));
		ev->nat_icmp_id = ntohs(mnl_attr_get_u16(tb[VPCSNAT_A_NAT_ICMP_ID]));
	}
	/* A module older than zones sends none: all was zone 0 to it. */
	if (tb[VPCSNAT_A_ZONE]) {
		if (mnl_attr_validate(tb[VPCSNAT_A_ZONE], MNL_TYPE_U16) < 0)
			return -1;
		ev->zone = mnl_attr_get_u16(tb[VPCSNAT_A_ZONE]);
	}
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

static const char *const pod_sources[] = {
	[POD_FROM_IPAM] = "ipam", [POD_FROM_CNI_CACHE] = "cni-cache",
};

/* A string, or null when empty (unknown). */
static json_t *str_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

/* The record as a JSON object, after the keys already in o. */
static json_t *record(json_t *o, const struct event *ev)
{
	char t[TIME_STR_LEN], p[PROTO_STR_LEN], a[IPV6_STR_LEN];
	bool ports = proto_has_ports(ev->proto), icmp = event_icmp(ev);

	json_object_set_new(o, "time",
			    ev->has_timestamp ? json_string(time_str(ev->timestamp_ns, t)) : json_null());
	json_object_set_new(o, "timestamp_ns", ev->has_timestamp ?
			    json_integer((json_int_t)ev->timestamp_ns) : json_null());
	json_object_set_new(o, "proto", json_string(proto_str(ev->proto, p)));
	json_object_set_new(o, "src", json_string(ipaddr_str(&ev->src, a)));
	if (ports)
		json_object_set_new(o, "sport", json_integer(ev->sport));
	if (icmp)
		json_object_set_new(o, "icmp_id", json_integer(ev->icmp_id));
	json_object_set_new(o, "nat_src", json_string(ipaddr_str(&ev->nat_src, a)));
	if (ports)
		json_object_set_new(o, "nat_sport", json_integer(ev->nat_sport));
	if (icmp)
		json_object_set_new(o, "nat_icmp_id", json_integer(ev->nat_icmp_id));
	json_object_set_new(o, "dst", json_string(ipaddr_str(&ev->dst, a)));
	if (ports)
		json_object_set_new(o, "dport", json_integer(ev->dport));
	if (icmp) {
		json_object_set_new(o, "icmp_type", json_integer(ev->icmp_type));
		json_object_set_new(o, "icmp_code", json_integer(ev->icmp_code));
	}
	json_object_set_new(o, "zone", json_integer(ev->zone));
	json_object_set_new(o, "netns", json_integer(ev->netns));
	json_object_set_new(o, "ct_id", json_integer(ev->ct_id));
	json_object_set_new(o, "pod_namespace", str_or_null(ev->pod.ns));
	json_object_set_new(o, "pod_name", str_or_null(ev->pod.name));
	json_object_set_new(o, "pod_uid", str_or_null(ev->pod.uid));
	json_object_set_new(o, "container_id", str_or_null(ev->pod.container_id));
	json_object_set_new(o, "pod_source", ev->pod.source == POD_UNKNOWN ? json_null() :
			    json_string(pod_sources[ev->pod.source]));
	json_object_set_new(o, "hostname", str_or_null(ev->node.hostname));
	json_object_set_new(o, "boot_id", str_or_null(ev->node.boot_id));
	json_object_set_new(o, "instance_id", str_or_null(ev->node.instance_id));
	return o;
}

/* One compact JSON line; takes o. */
static int print_line(FILE *f, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int n = s ? fprintf(f, "%s\n", s) : -1;

	free(s);
	json_decref(o);
	return n;
}

/* ADDR:PORT ([ADDR]:PORT for IPv6), ADDR ICMP (what identifies an ICMP end), or ADDR alone. */
static const char *endpoint(const struct event *ev, const struct ipaddr *addr, uint16_t port,
			    const char *icmp, char *buf)
{
	char a[IPV6_STR_LEN];

	if (proto_has_ports(ev->proto))
		snprintf(buf, ENDPOINT_STR_LEN, addr->v6 ? "[%s]:%u" : "%s:%u", ipaddr_str(addr, a),
			 port);
	else if (event_icmp(ev))
		snprintf(buf, ENDPOINT_STR_LEN, "%s %s", ipaddr_str(addr, a), icmp);
	else
		ipaddr_str(addr, buf);
	return buf;
}

const char *event_pod_end(const struct event *ev, char *buf)
{
	char icmp[32];

	snprintf(icmp, sizeof(icmp), "id %u", ev->icmp_id);
	return endpoint(ev, &ev->src, ev->sport, icmp, buf);
}

const char *event_node_end(const struct event *ev, char *buf)
{
	char icmp[32];

	snprintf(icmp, sizeof(icmp), "id %u", ev->nat_icmp_id);
	return endpoint(ev, &ev->nat_src, ev->nat_sport, icmp, buf);
}

const char *event_server_end(const struct event *ev, char *buf)
{
	char icmp[32];

	snprintf(icmp, sizeof(icmp), "type %u code %u", ev->icmp_type, ev->icmp_code);
	return endpoint(ev, &ev->dst, ev->dport, icmp, buf);
}

int event_print(FILE *f, const struct event *ev, bool json)
{
	char t[TIME_STR_LEN], p[PROTO_STR_LEN], s[ENDPOINT_STR_LEN], n[ENDPOINT_STR_LEN],
	     d[ENDPOINT_STR_LEN];

	if (json)
		return print_line(f, record(json_object(), ev));
	return fprintf(f, "%s %s %s -> %s as %s zone %u netns %" PRIu32 " ct %" PRIu32 " pod %s%s%s\n",
		       ev->has_timestamp ? time_str(ev->timestamp_ns, t) : "-",
		       proto_str(ev->proto, p), event_pod_end(ev, s), event_server_end(ev, d),
		       event_node_end(ev, n), ev->zone, ev->netns, ev->ct_id,
		       ev->pod.source == POD_UNKNOWN ? "unknown" : ev->pod.ns,
		       ev->pod.source == POD_UNKNOWN ? "" : "/", ev->pod.name);
}

int event_print_sourced(FILE *f, const struct event *ev, const char *source)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(source));
	return print_line(f, record(o, ev));
}

int event_print_lost(FILE *f, uint64_t now, int64_t lost, bool json, const char *why)
{
	char t[TIME_STR_LEN];

	if (json)
		return print_line(f, json_pack("{s:s,s:I,s:o,s:s}", "time", time_str(now, t),
					       "timestamp_ns", (json_int_t)now, "lost",
					       lost < 0 ? json_null() : json_integer(lost),
					       "reason", why));
	if (lost < 0)
		return fprintf(f, "%s lost an unknown number of events (%s)\n", time_str(now, t),
			       why);
	return fprintf(f, "%s lost %" PRId64 " event%s (%s)\n", time_str(now, t), lost,
		       lost == 1 ? "" : "s", why);
}

/* Key k of o as an unsigned number up to max into *v; false if absent or not one. */
static bool get_uint(json_t *o, const char *k, uint64_t max, uint64_t *v)
{
	json_t *j = json_object_get(o, k);

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    (uint64_t)json_integer_value(j) > max)
		return false;
	*v = (uint64_t)json_integer_value(j);
	return true;
}

/* The same, absent or null leaving *v alone. */
static bool get_opt_uint(json_t *o, const char *k, uint64_t max, uint64_t *v)
{
	json_t *j = json_object_get(o, k);

	return !j || json_is_null(j) || get_uint(o, k, max, v);
}

static bool get_u16(json_t *o, const char *k, uint16_t *v)
{
	uint64_t u;

	if (!get_uint(o, k, UINT16_MAX, &u))
		return false;
	*v = (uint16_t)u;
	return true;
}

static bool get_addr(json_t *o, const char *k, struct ipaddr *addr)
{
	char err[PARSE_ERR_LEN];
	json_t *j = json_object_get(o, k);

	return json_is_string(j) && parse_ipaddr(json_string_value(j), addr, err);
}

/* An optional string into buf of len bytes: absent or null is "". */
static bool get_str(json_t *o, const char *k, char *buf, size_t len)
{
	json_t *j = json_object_get(o, k);

	buf[0] = '\0';
	if (!j || json_is_null(j))
		return true;
	if (!json_is_string(j) || json_string_length(j) >= len ||
	    strlen(json_string_value(j)) != json_string_length(j))
		return false;
	memcpy(buf, json_string_value(j), json_string_length(j) + 1);
	return true;
}

static bool get_pod(json_t *o, struct pod_id *pod)
{
	json_t *j = json_object_get(o, "pod_source");
	size_t i;

	pod->source = POD_UNKNOWN;
	if (!get_str(o, "pod_namespace", pod->ns, sizeof(pod->ns)) ||
	    !get_str(o, "pod_name", pod->name, sizeof(pod->name)) ||
	    !get_str(o, "pod_uid", pod->uid, sizeof(pod->uid)) ||
	    !get_str(o, "container_id", pod->container_id, sizeof(pod->container_id)))
		return false;
	if (!j || json_is_null(j))
		return !pod->ns[0] && !pod->name[0];
	for (i = 1; i < sizeof(pod_sources) / sizeof(pod_sources[0]); i++)
		if (json_is_string(j) && !strcmp(json_string_value(j), pod_sources[i]))
			pod->source = (enum pod_source)i;
	/* Named or not, and never half. */
	return pod->source != POD_UNKNOWN && pod->ns[0] && pod->name[0];
}

bool event_parse_json(const char *line, struct event *ev)
{
	uint64_t zone = 0, netns = 0, ct_id = 0, ts = 0, u = 0;
	char err[PARSE_ERR_LEN];
	struct event e = { 0 };
	json_t *o, *j;
	bool ok;

	o = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	j = json_object_get(o, "proto");
	ok = json_is_string(j) && parse_proto(json_string_value(j), &e.proto, err) &&
	     get_addr(o, "src", &e.src) && get_addr(o, "nat_src", &e.nat_src) &&
	     get_addr(o, "dst", &e.dst) && e.src.v6 == e.nat_src.v6 && e.src.v6 == e.dst.v6;
	if (ok && proto_has_ports(e.proto))
		ok = get_u16(o, "sport", &e.sport) && get_u16(o, "nat_sport", &e.nat_sport) &&
		     get_u16(o, "dport", &e.dport);
	if (ok && event_icmp(&e)) {
		ok = get_u16(o, "icmp_id", &e.icmp_id) && get_u16(o, "nat_icmp_id", &e.nat_icmp_id) &&
		     get_uint(o, "icmp_type", 255, &u);
		e.icmp_type = (uint8_t)u;
		ok = ok && get_uint(o, "icmp_code", 255, &u);
		e.icmp_code = (uint8_t)u;
	}
	/* Optional: absent or null. */
	ok = ok && get_opt_uint(o, "zone", UINT16_MAX, &zone) &&
	     get_opt_uint(o, "netns", UINT32_MAX, &netns) &&
	     get_opt_uint(o, "ct_id", UINT32_MAX, &ct_id);
	j = json_object_get(o, "timestamp_ns");
	e.has_timestamp = j && !json_is_null(j);
	ok = ok && (!e.has_timestamp || get_uint(o, "timestamp_ns", INT64_MAX, &ts));
	ok = ok && get_pod(o, &e.pod) &&
	     get_str(o, "hostname", e.node.hostname, sizeof(e.node.hostname)) &&
	     get_str(o, "boot_id", e.node.boot_id, sizeof(e.node.boot_id)) &&
	     get_str(o, "instance_id", e.node.instance_id, sizeof(e.node.instance_id));
	json_decref(o);
	if (!ok)
		return false;
	e.zone = (uint16_t)zone;
	e.netns = (uint32_t)netns;
	e.ct_id = (uint32_t)ct_id;
	e.timestamp_ns = ts;
	*ev = e;
	return true;
}

bool event_matches(const struct event *key, const struct event *ev)
{
	if (ev->proto != key->proto || !ipaddr_equal(&ev->nat_src, &key->nat_src) ||
	    !ipaddr_equal(&ev->dst, &key->dst) || ev->zone != key->zone)
		return false;
	if (proto_has_ports(key->proto))
		return ev->nat_sport == key->nat_sport && ev->dport == key->dport;
	if (event_icmp(key))
		return ev->nat_icmp_id == key->nat_icmp_id && ev->icmp_type == key->icmp_type &&
		       ev->icmp_code == key->icmp_code;
	return true;
}
