// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
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

char *time_str(uint64_t ns, char *buf)
{
	time_t sec = (time_t)(ns / 1000000000ull);
	struct tm tm;

	if (!gmtime_r(&sec, &tm) ||
	    !strftime(buf, TIME_STR_LEN - 6, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, TIME_STR_LEN, "?");
	else
		snprintf(buf + strlen(buf), 6, ".%03uZ",
			 (unsigned int)(ns % 1000000000ull / 1000000));
	return buf;
}

const char *proto_str(uint8_t proto, char *buf)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	}
	snprintf(buf, PROTO_STR_LEN, "%u", proto);
	return buf;
}

int event_print(FILE *f, const struct event *ev, bool json)
{
	char t[TIME_STR_LEN], p[PROTO_STR_LEN], s[16], n[16], d[16], ts[24] = "null";

	ipv4_str(ev->src, s);
	ipv4_str(ev->nat_src, n);
	ipv4_str(ev->dst, d);
	if (!json)
		return fprintf(f, "%s %s %s:%u -> %s:%u as %s:%u netns %" PRIu32 " ct %" PRIu32 "\n",
			       ev->has_timestamp ? time_str(ev->timestamp_ns, t) : "-",
			       proto_str(ev->proto, p), s, ev->sport, d, ev->dport, n,
			       ev->nat_sport, ev->netns, ev->ct_id);
	if (ev->has_timestamp)
		snprintf(ts, sizeof(ts), "%" PRIu64, ev->timestamp_ns);
	return fprintf(f, "{\"time\":%s%s%s,\"timestamp_ns\":%s,\"proto\":\"%s\",\"src\":\"%s\","
		       "\"sport\":%u,\"nat_src\":\"%s\",\"nat_sport\":%u,\"dst\":\"%s\",\"dport\":%u,"
		       "\"netns\":%" PRIu32 ",\"ct_id\":%" PRIu32 "}\n",
		       ev->has_timestamp ? "\"" : "",
		       ev->has_timestamp ? time_str(ev->timestamp_ns, t) : "null",
		       ev->has_timestamp ? "\"" : "", ts, proto_str(ev->proto, p), s, ev->sport, n,
		       ev->nat_sport, d, ev->dport, ev->netns, ev->ct_id);
}

int event_print_lost(FILE *f, uint64_t now, int64_t lost, bool json)
{
	char t[TIME_STR_LEN], n[24];

	if (lost < 0)
		snprintf(n, sizeof(n), json ? "null" : "an unknown number of");
	else
		snprintf(n, sizeof(n), "%" PRId64, lost);
	if (json)
		return fprintf(f, "{\"time\":\"%s\",\"timestamp_ns\":%" PRIu64 ",\"lost\":%s}\n",
			       time_str(now, t), now, n);
	return fprintf(f, "%s lost %s event%s (receive buffer overflowed)\n", time_str(now, t), n,
		       lost == 1 ? "" : "s");
}

/*
 * A reader for the flat objects event_print writes: string, unsigned
 * integer and null values, any key order, unknown keys skipped.
 */
enum { K_TS, K_PROTO, K_SRC, K_SPORT, K_NAT_SRC, K_NAT_SPORT, K_DST, K_DPORT, K_NETNS, K_CT_ID, K_N };
static const char *const keys[K_N] = {
	"timestamp_ns", "proto", "src", "sport", "nat_src", "nat_sport", "dst", "dport",
	"netns", "ct_id",
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* A string without escapes into buf (len bytes); NULL if not one. */
static const char *json_str(const char *p, char *buf, size_t len)
{
	size_t n = 0;

	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (!*p || *p == '\\' || n + 1 >= len)
			return NULL;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return p + 1;
}

bool event_parse_json(const char *line, struct event *ev)
{
	char key[32], str[40], err[PARSE_ERR_LEN];
	uint64_t num[K_N] = { 0 };
	bool have[K_N] = { 0 };
	const char *p = skip_ws(line);
	uint32_t addr;
	int k;

	if (*p++ != '{')
		return false;
	p = skip_ws(p);
	if (*p == '}')
		return false;
	for (;;) {
		bool is_str = false, is_null = false;
		uint64_t v = 0;

		if (!(p = json_str(p, key, sizeof(key))) ||
		    (p = skip_ws(p), *p++ != ':'))
			return false;
		p = skip_ws(p);
		if (*p == '"') {
			if (!(p = json_str(p, str, sizeof(str))))
				return false;
			is_str = true;
		} else if (!strncmp(p, "null", 4)) {
			p += 4;
			is_null = true;
		} else if (*p >= '0' && *p <= '9') {
			for (; *p >= '0' && *p <= '9'; p++) {
				if (v > (UINT64_MAX - 9) / 10)
					return false;
				v = v * 10 + (uint64_t)(*p - '0');
			}
		} else {
			return false;
		}
		for (k = 0; k < K_N; k++)
			if (!strcmp(key, keys[k]))
				break;
		if (k < K_N && !is_null) {
			bool want_str = k == K_PROTO || k == K_SRC || k == K_NAT_SRC || k == K_DST;

			if (want_str != is_str || have[k])
				return false;
			if (k == K_PROTO) {
				uint8_t proto;

				if (!parse_proto(str, &proto, err))
					return false;
				v = proto;
			} else if (want_str) {
				if (!parse_ipv4(str, &addr, err))
					return false;
				v = addr;
			}
			have[k] = true;
			num[k] = v;
		}
		p = skip_ws(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return false;
		p = skip_ws(p);
	}
	if (*skip_ws(p + 1))
		return false;
	for (k = K_PROTO; k <= K_DPORT; k++)
		if (!have[k])
			return false;
	if (num[K_SPORT] > 65535 || num[K_NAT_SPORT] > 65535 || num[K_DPORT] > 65535 ||
	    num[K_NETNS] > UINT32_MAX || num[K_CT_ID] > UINT32_MAX)
		return false;
	memset(ev, 0, sizeof(*ev));
	ev->proto = (uint8_t)num[K_PROTO];
	ev->src = (uint32_t)num[K_SRC];
	ev->sport = (uint16_t)num[K_SPORT];
	ev->nat_src = (uint32_t)num[K_NAT_SRC];
	ev->nat_sport = (uint16_t)num[K_NAT_SPORT];
	ev->dst = (uint32_t)num[K_DST];
	ev->dport = (uint16_t)num[K_DPORT];
	ev->netns = (uint32_t)num[K_NETNS];
	ev->ct_id = (uint32_t)num[K_CT_ID];
	ev->timestamp_ns = num[K_TS];
	ev->has_timestamp = have[K_TS];
	return true;
}

bool parse_proto(const char *s, uint8_t *proto, char *err)
{
	uint32_t v;

	if (!strcmp(s, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(s, "udp"))
		*proto = IPPROTO_UDP;
	else if (!strcmp(s, "icmp"))
		*proto = IPPROTO_ICMP;
	else if (parse_u32("protocol", s, 0, 255, &v, err))
		*proto = (uint8_t)v;
	else {
		snprintf(err, PARSE_ERR_LEN, "Invalid protocol %.64s; expected tcp or udp", s);
		return false;
	}
	return true;
}

bool parse_endpoint(const char *s, uint32_t *addr, uint16_t *port, char *err)
{
	const char *colon = strrchr(s, ':');
	char ip[32];
	uint32_t v;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(ip) || strchr(s, ':') != colon) {
		snprintf(err, PARSE_ERR_LEN, "Invalid address and port %.64s; expected IPv4:PORT", s);
		return false;
	}
	memcpy(ip, s, (size_t)(colon - s));
	ip[colon - s] = '\0';
	if (!parse_ipv4(ip, addr, err) || !parse_u32("port", colon + 1, 0, 65535, &v, err))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* n digits at p into *v; false if not all digits. */
static bool digits(const char *p, int n, int *v)
{
	*v = 0;
	while (n--) {
		if (*p < '0' || *p > '9')
			return false;
		*v = *v * 10 + (*p++ - '0');
	}
	return true;
}

bool parse_time(const char *s, uint64_t *ns, char *err)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	uint64_t frac = 0, scale = 1000000000ull;
	const char *p = s;
	struct tm tm = { 0 };
	time_t t;

	/* Epoch seconds, with an optional fraction. */
	if (*p >= '0' && *p <= '9' && (p[strspn(p, "0123456789")] == '\0' ||
				       p[strspn(p, "0123456789")] == '.')) {
		uint64_t v = 0;

		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > UINT64_MAX / 10 / 1000000000ull)
				goto bad;
			v = v * 10 + (uint64_t)(*p - '0');
		}
		if (*p == '.' && !*++p)
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale /= 10)
				frac += (uint64_t)(*p - '0') * scale;
		if (*p)
			goto bad;
		*ns = v * 1000000000ull + frac;
		return true;
	}
	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    !digits(p + 11, 2, &h) || p[13] != ':' || !digits(p + 14, 2, &mi) || p[16] != ':' ||
	    !digits(p + 17, 2, &sec))
		goto bad;
	p += 19;
	if (*p == '.' || *p == ',') {
		if (*++p < '0' || *p > '9')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale /= 10)
				frac += (uint64_t)(*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
			goto bad;
		p += 6;
	} else {
		goto bad;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - sign * (oh * 3600 + om * 60);
	if (t < 0)
		goto bad;
	*ns = (uint64_t)t * 1000000000ull + frac;
	return true;
bad:
	snprintf(err, PARSE_ERR_LEN, "Invalid time %.64s; expected RFC 3339 "
		 "(2026-11-26T14:23:11Z) or seconds since the epoch", s);
	return false;
}

static bool better(const struct event *cand, const struct event *best, bool have, uint64_t before)
{
	if (before && cand->timestamp_ns > before)
		return false;
	return !have || cand->timestamp_ns >= best->timestamp_ns;
}

/* 1 found, 0 none, -1 cannot open. */
static int search_file(const char *path, const struct event *key, uint64_t before,
		       struct event *best, bool *have)
{
	char *line = NULL, port[8];
	size_t cap = 0;
	struct event ev;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	snprintf(port, sizeof(port), "%u", key->nat_sport);
	while (getline(&line, &cap, f) > 0) {
		/* Most lines are other connections: skip them before parsing. */
		if (!strstr(line, port) || !event_parse_json(line, &ev))
			continue;
		if (ev.proto != key->proto || ev.nat_src != key->nat_src ||
		    ev.nat_sport != key->nat_sport || ev.dst != key->dst || ev.dport != key->dport)
			continue;
		if (better(&ev, best, *have, before)) {
			*best = ev;
			*have = true;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

int log_search(const char *path, const struct event *key, uint64_t before, struct event *found)
{
	size_t len = strlen(path) + 16;
	char *name = malloc(len);
	bool have = false, readable;
	unsigned int i;
	int err;

	if (!name)
		return -1;
	readable = search_file(path, key, before, found, &have) == 0;
	err = errno;
	/* A rotation in progress leaves a gap for a moment: look at every number. */
	for (i = 1; i <= LOG_KEEP_MAX; i++) {
		snprintf(name, len, "%s.%u", path, i);
		if (search_file(name, key, before, found, &have) == 0)
			readable = true;
	}
	free(name);
	if (!readable) {
		errno = err;
		return -1;
	}
	return have;
}
