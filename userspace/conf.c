// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The configuration model, its one value parser and its printers; see conf.h. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "routerule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const yes_no[] = { "no", "yes" };
static const char *const on_off[] = { "off", "on" };

const struct conf_setting conf_settings[CONF_NKEYS] = {
	[CONF_ENABLED] = {
		.key = "enabled", .json = "enabled", .attr = VPCSNAT_A_ENABLED,
		.type = CONF_T_BOOL, .off = offsetof(struct conf, enabled),
		.names = yes_no, .nnames = 2, .syntax = "yes|no",
	},
	[CONF_IPV6] = {
		.key = "ipv6", .json = "ipv6", .attr = VPCSNAT_A_IPV6,
		.type = CONF_T_BOOL, .off = offsetof(struct conf, ipv6),
		.names = yes_no, .nnames = 2, .syntax = "yes|no",
	},
	[CONF_EXTERNAL_SNAT] = {
		.key = "external-snat", .json = "external_snat", .attr = VPCSNAT_A_EXTERNAL_SNAT,
		.type = CONF_T_BOOL, .off = offsetof(struct conf, external_snat),
		.names = on_off, .nnames = 2, .syntax = "on|off",
	},
	[CONF_SNAT_IP] = {
		.key = "snat-ip", .json = "snat_ip", .attr = VPCSNAT_A_SNAT_IP,
		.type = CONF_T_ADDR, .off = offsetof(struct conf, snat_ip),
		.imds = true, .syntax = "<IPv4>|auto|imds",
	},
	[CONF_SNAT_IP6] = {
		.key = "snat-ip6", .json = "snat_ip6", .attr = VPCSNAT_A_SNAT_IP6,
		.type = CONF_T_ADDR6, .off = offsetof(struct conf, snat_ip6),
		.imds = true, .syntax = "<IPv6>|auto|imds",
	},
	[CONF_RANDOM] = {
		.key = "random", .json = "random", .attr = VPCSNAT_A_RANDOM,
		.type = CONF_T_ENUM, .off = offsetof(struct conf, random),
		.names = vpcsnat_random_names, .nnames = ARRAY_SIZE(vpcsnat_random_names),
		.what = "random mode", .syntax = "none|hashrandom|prng",
	},
	[CONF_SKIP_IFACES] = {
		.key = "skip-ifaces", .json = "skip_ifaces", .attr = VPCSNAT_A_SKIP_IFACES,
		.nest_attr = VPCSNAT_A_IFACE,
		.type = CONF_T_IFACES, .off = offsetof(struct conf, skip),
		.syntax = "<prefix>[,<prefix>]...|none",
	},
	[CONF_POD_IFACES] = {
		.key = "pod-ifaces", .json = "pod_ifaces", .attr = VPCSNAT_A_POD_IFACES,
		.nest_attr = VPCSNAT_A_IFACE,
		.type = CONF_T_IFACES, .off = offsetof(struct conf, pod),
		.syntax = "<prefix>[,<prefix>]...|none",
	},
	[CONF_MARK] = {
		.key = "mark", .json = "mark", .attr = VPCSNAT_A_MARK,
		.type = CONF_T_MARK, .off = offsetof(struct conf, mark),
		.syntax = "<0x1-0xffffffff>|none",
	},
	[CONF_TABLE_LIMIT] = {
		.key = "table-limit", .json = "table_limit", .attr = VPCSNAT_A_TABLE_LIMIT,
		.type = CONF_T_U32, .off = offsetof(struct conf, table_limit),
		.min = 1, .max = VPCSNAT_MAX_TABLE_LIMIT, .syntax = "<1-16000000>",
	},
};

void conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->random = VPCSNAT_DEFAULT_RANDOM;
	c->pod.n = 1;
	strcpy(c->pod.name[0], VPCSNAT_DEFAULT_POD_IFACE);
	c->mark = VPCSNAT_DEFAULT_MARK;
	c->table_limit = VPCSNAT_DEFAULT_TABLE_LIMIT;
}

uint32_t conf_rule_mark(const struct conf *c, bool v6)
{
	return c->enabled && !c->external_snat && (!v6 || c->ipv6) ? c->mark : 0;
}

void conf_free(struct conf *c)
{
	cidr_list_free(&c->cidrs);
}

void *conf_value(struct conf *c, enum conf_key k)
{
	return (char *)c + conf_settings[k].off;
}

const void *conf_value_const(const struct conf *c, enum conf_key k)
{
	return (const char *)c + conf_settings[k].off;
}

int conf_find(const char *s)
{
	int k;

	for (k = 0; k < CONF_NKEYS; k++)
		if (!strcmp(conf_settings[k].key, s))
			return k;
	return -1;
}

char *conf_key_list(char *buf, size_t size, const char *const *extra)
{
	int n = CONF_NKEYS, k;
	size_t len = 0;

	while (extra && extra[n - CONF_NKEYS])
		n++;
	buf[0] = '\0';
	for (k = 0; k < n && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					!k ? "" : k + 1 < n ? ", " : " or ",
					k < CONF_NKEYS ? conf_settings[k].key : extra[k - CONF_NKEYS]);
	return buf;
}

/* "Invalid snat-ip6 fe80::1: a link-local address is never translated to": shared.h's words. */
static bool snat_addr_ok(const char *key, const char *v, enum vpcsnat_snat_err bad, char *err)
{
	char t[TOKEN_LEN];

	if (bad)
		snprintf(err, PARSE_ERR_LEN, "Invalid %s %s: %s", key, token(v, t),
			 vpcsnat_snat_err_msg[bad]);
	return !bad;
}

static bool parse_addr(const char *key, const char *v, uint32_t *addr, char *err)
{
	char t[TOKEN_LEN];
	uint32_t a;

	if (!strcmp(v, "auto")) {
		*addr = 0;
		return true;
	}
	if (strchr(v, ':')) {
		snprintf(err, PARSE_ERR_LEN, "Invalid %s %s: an IPv6 address; IPv6 connections are "
			 "translated to %s6", key, token(v, t), key);
		return false;
	}
	if (!parse_ipv4(v, &a, err))
		return false;
	/* 0.0.0.0 is how the kernel says auto: the text says it in words. */
	if (!a) {
		snprintf(err, PARSE_ERR_LEN, "Invalid %s 0.0.0.0; write auto instead", key);
		return false;
	}
	if (!snat_addr_ok(key, v, vpcsnat_snat_ip_check(a), err))
		return false;
	*addr = a;
	return true;
}

/* The IPv6 twin of parse_addr(); what may be translated to is shared.h's rule. */
static bool parse_addr6(const char *key, const char *v, struct vpcsnat_in6 *addr, char *err)
{
	struct vpcsnat_in6 a;
	char t[TOKEN_LEN];

	if (!strcmp(v, "auto")) {
		memset(addr, 0, sizeof(*addr));
		return true;
	}
	if (!parse_ipv6(v, &a, err))
		return false;
	if (!a.hi && !a.lo) {
		snprintf(err, PARSE_ERR_LEN, "Invalid %s %s; write auto instead", key, token(v, t));
		return false;
	}
	if (!snat_addr_ok(key, v, vpcsnat_snat_ip6_check(&a), err))
		return false;
	*addr = a;
	return true;
}

bool conf_set(struct conf *c, enum conf_key k, const char *v, char *err)
{
	const struct conf_setting *s = &conf_settings[k];
	void *p = conf_value(c, k);
	bool ok;

	/* A value that names instance metadata is kept as a word until resolved. */
	if (s->imds && !strcmp(v, "imds")) {
		memset(p, 0, s->type == CONF_T_ADDR6 ? sizeof(struct vpcsnat_in6) : sizeof(uint32_t));
		c->imds |= 1u << k;
		return true;
	}
	switch (s->type) {
	case CONF_T_BOOL:
		return parse_bool(s->key, v, p, err);
	case CONF_T_ADDR:
		ok = parse_addr(s->key, v, p, err);
		if (ok)
			c->imds &= ~(1u << k);
		return ok;
	case CONF_T_ADDR6:
		ok = parse_addr6(s->key, v, p, err);
		if (ok)
			c->imds &= ~(1u << k);
		return ok;
	case CONF_T_ENUM:
		return parse_word(s->what, s->names, s->nnames, v, p, err);
	case CONF_T_U32:
		return parse_u32(s->key, v, s->min, s->max, p, err);
	case CONF_T_MARK:
		return parse_mark(s->key, v, p, err);
	case CONF_T_IFACES: {
		struct iface_list l;

		if (!parse_iface_list(v, &l, err))
			return false;
		*(struct iface_list *)p = l;
		return true;
	}
	}
	return false;
}

char *conf_value_str(const struct conf *c, enum conf_key k, char *buf, size_t size)
{
	const struct conf_setting *s = &conf_settings[k];
	const void *p = conf_value_const(c, k);
	char ip[IPV6_STR_LEN];
	size_t n = 0;
	unsigned int i;

	switch (s->type) {
	case CONF_T_BOOL:
		snprintf(buf, size, "%s", s->names[*(const bool *)p]);
		break;
	case CONF_T_ADDR:
		snprintf(buf, size, "%s", c->imds & 1u << k ? "imds" :
			 *(const uint32_t *)p ? ipv4_str(*(const uint32_t *)p, ip) : "auto");
		break;
	case CONF_T_ADDR6: {
		const struct vpcsnat_in6 *a = p;

		snprintf(buf, size, "%s", c->imds & 1u << k ? "imds" :
			 a->hi || a->lo ? ipv6_str(a, ip) : "auto");
		break;
	}
	case CONF_T_ENUM: {
		uint8_t v = *(const uint8_t *)p;

		snprintf(buf, size, "%s", v < s->nnames ? s->names[v] : "unknown");
		break;
	}
	case CONF_T_U32:
		snprintf(buf, size, "%" PRIu32, *(const uint32_t *)p);
		break;
	case CONF_T_MARK:
		if (*(const uint32_t *)p)
			snprintf(buf, size, "%#" PRIx32, *(const uint32_t *)p);
		else
			snprintf(buf, size, "none");
		break;
	case CONF_T_IFACES: {
		const struct iface_list *l = p;

		snprintf(buf, size, "%s", l->n ? "" : "none");
		for (i = 0; i < l->n && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "", l->name[i]);
		break;
	}
	}
	return buf;
}

static bool settings_same(const struct conf *a, const struct conf *b)
{
	char x[256], y[256];
	int k;

	for (k = 0; k < CONF_NKEYS; k++)
		if (strcmp(conf_value_str(a, k, x, sizeof(x)), conf_value_str(b, k, y, sizeof(y))))
			return false;
	return true;
}

int conf_same(const struct conf *want, const struct conf *got, bool settings)
{
	if (settings && !settings_same(want, got))
		return 0;
	if (!want->vpc_cidrs_imds != !got->vpc_cidrs_imds ||
	    (want->vpc_cidrs_imds && want->vpc_cidrs_ipv4 != got->vpc_cidrs_ipv4))
		return 0;
	return cidr_list_same(&want->cidrs, &got->cidrs);
}

bool conf_needs_imds(const struct conf *c)
{
	return c->imds || c->vpc_cidrs_imds;
}

/* Whether setting k names an IPv6 address (its imds value is instance metadata's ipv6). */
static bool is_addr6(int k)
{
	return conf_settings[k].type == CONF_T_ADDR6;
}

bool conf_resolve(struct conf *c, uint32_t local_ipv4, const struct vpcsnat_in6 *ipv6,
		  const struct cidr_list *vpc_cidrs, char *err)
{
	struct cidr_list merged = { 0 };
	bool oom = false;
	size_t i;
	int k;

	for (k = 0; k < CONF_NKEYS; k++)
		if (c->imds & 1u << k &&
		    (is_addr6(k) ? !ipv6 || (!ipv6->hi && !ipv6->lo) : !local_ipv4)) {
			snprintf(err, PARSE_ERR_LEN, "%s imds: no %s to use", conf_settings[k].key,
				 is_addr6(k) ? "ipv6" : "local-ipv4");
			return false;
		}
	if (c->vpc_cidrs_imds) {
		if (!vpc_cidrs || vpc_cidrs->n == vpc_cidrs->n6) {
			snprintf(err, PARSE_ERR_LEN, "vpc-cidrs imds: the VPC CIDR list is empty; "
				 "an empty list is never applied");
			return false;
		}
		/* The configuration's own entries first: a prefix it lists keeps its kind. */
		for (i = 0; i < c->cidrs.n && !oom; i++)
			cidr_list_add(&merged, &c->cidrs.entries[i].cidr, c->cidrs.entries[i].line,
				      &oom);
		for (i = 0; i < vpc_cidrs->n && !oom; i++) {
			struct cidr v = vpc_cidrs->entries[i].cidr;

			if (v.v6 && c->vpc_cidrs_ipv4)
				continue;
			v.kind = VPCSNAT_KIND_VPC;
			cidr_list_add(&merged, &v, 0, &oom);
		}
		if (oom || merged.n > c->table_limit) {
			if (oom)
				snprintf(err, PARSE_ERR_LEN, "Out of memory");
			else
				snprintf(err, PARSE_ERR_LEN, "vpc-cidrs imds: %zu CIDRs are more than "
					 "the table-limit %u", merged.n, c->table_limit);
			cidr_list_free(&merged);
			return false;
		}
		cidr_list_free(&c->cidrs);
		c->cidrs = merged;
	}
	for (k = 0; k < CONF_NKEYS; k++) {
		if (!(c->imds & 1u << k))
			continue;
		if (is_addr6(k))
			*(struct vpcsnat_in6 *)conf_value(c, k) = *ipv6;
		else
			*(uint32_t *)conf_value(c, k) = local_ipv4;
	}
	c->imds = 0;
	c->vpc_cidrs_imds = 0;
	c->vpc_cidrs_ipv4 = false;
	return true;
}

/* The statement that names the VPC's CIDRs in instance metadata. */
static const char *vpc_cidrs_line(const struct conf *c)
{
	return c->vpc_cidrs_ipv4 ? "vpc-cidrs imds ipv4" : "vpc-cidrs imds";
}

/* FNV-1a, 64 bits: a digest to notice a change by, not to resist one. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

uint64_t conf_digest(const struct conf *c)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct cidr *sorted = cidr_list_sorted(&c->cidrs);
	char v[256], s[CIDR_STR_LEN];
	size_t i;
	int k;

	if (!sorted)
		return 0;
	for (k = 0; k < CONF_NKEYS; k++) {
		conf_value_str(c, k, v, sizeof(v));
		h = fnv(h, v, strlen(v) + 1);
	}
	if (c->vpc_cidrs_imds)
		h = fnv(h, vpc_cidrs_line(c), strlen(vpc_cidrs_line(c)) + 1);
	for (i = 0; i < c->cidrs.n; i++) {
		snprintf(v, sizeof(v), "%s %s", cidr_str(&sorted[i], s), kind_name(sorted[i].kind));
		h = fnv(h, v, strlen(v) + 1);
	}
	free(sorted);
	return h;
}

void conf_print(FILE *out, const struct conf *c, const char *header)
{
	char v[256], s[CIDR_STR_LEN];
	size_t i;
	int k;

	if (header)
		fprintf(out, "# %s\n", header);
	for (k = 0; k < CONF_NKEYS; k++)
		fprintf(out, "%s %s\n", conf_settings[k].key, conf_value_str(c, k, v, sizeof(v)));
	if (c->vpc_cidrs_imds)
		fprintf(out, "%s\n", vpc_cidrs_line(c));
	for (i = 0; i < c->cidrs.n; i++)
		fprintf(out, "cidr %s %s\n", cidr_str(&c->cidrs.entries[i].cidr, s),
			kind_name(c->cidrs.entries[i].cidr.kind));
}

/* The reasons that leave a connection alone, in the order status lists them. */
static const uint8_t left_alone[] = {
	VPCSNAT_REASON_VPC, VPCSNAT_REASON_EXCLUDE, VPCSNAT_REASON_SRC_LOCAL,
	VPCSNAT_REASON_DST_LOCAL, VPCSNAT_REASON_SKIP_IFACE,
	VPCSNAT_REASON_EXTERNAL_SNAT, VPCSNAT_REASON_DISABLED,
};

static uint64_t translated(const uint64_t *ctr)
{
	return ctr[VPCSNAT_CTR_A_REASON(VPCSNAT_REASON_SNAT_ENTRY)] +
	       ctr[VPCSNAT_CTR_A_REASON(VPCSNAT_REASON_NO_MATCH)];
}

static const char *const rule_states[] = {
	[CONF_RULE_UNKNOWN] = "unknown",
	[CONF_RULE_NOT_WANTED] = "not wanted",
	[CONF_RULE_MISSING] = "missing",
	[CONF_RULE_OURS] = "in place",
	[CONF_RULE_OTHERS] = "in place, another's",
	[CONF_RULE_NO_POLICY_ROUTING] = "no policy routing",
};

/* "fwmark 0x80/0x80 lookup main priority 1024: in place", or why none is wanted. */
static const char *rule_text(const struct conf *c, bool v6, char *buf, size_t size)
{
	char r[RULE_STR_LEN];

	if (c->rule[v6] == CONF_RULE_NOT_WANTED)
		snprintf(buf, size, "none wanted (%s)", !c->mark ? "mark none" :
			 v6 && !c->ipv6 ? "ipv6 off" : "translation off");
	else if (c->rule[v6] == CONF_RULE_NO_POLICY_ROUTING)
		snprintf(buf, size, "none (this kernel has no policy routing: the main table "
			 "routes every packet)");
	else
		snprintf(buf, size, "%s: %s", rule_str(conf_rule_mark(c, v6), r),
			 rule_states[c->rule[v6]]);
	return buf;
}

/* One family's counters, each key after family ("ipv6 ", or "" for IPv4's). */
static void print_counters(FILE *out, const char *family, const uint64_t *ctr)
{
	char r[REASON_NAME_LEN];
	uint64_t alone = 0;
	unsigned int i;

	fprintf(out, "%stranslated: %" PRIu64 " (snat-entry %" PRIu64 ", no-match %" PRIu64 ")\n",
		family, translated(ctr), ctr[VPCSNAT_CTR_A_REASON(VPCSNAT_REASON_SNAT_ENTRY)],
		ctr[VPCSNAT_CTR_A_REASON(VPCSNAT_REASON_NO_MATCH)]);
	for (i = 0; i < ARRAY_SIZE(left_alone); i++)
		alone += ctr[VPCSNAT_CTR_A_REASON(left_alone[i])];
	fprintf(out, "%sleft alone: %" PRIu64 " (", family, alone);
	for (i = 0; i < ARRAY_SIZE(left_alone); i++)
		fprintf(out, "%s%s %" PRIu64, i ? ", " : "", reason_name(left_alone[i], r),
			ctr[VPCSNAT_CTR_A_REASON(left_alone[i])]);
	fprintf(out, ")\n%sfailed: %" PRIu64 "\n", family, ctr[VPCSNAT_CTR_A_FAILED]);
	fprintf(out, "%smarked: %" PRIu64 "\n", family, ctr[VPCSNAT_CTR_A_MARKED]);
}

void conf_print_text(FILE *out, const struct conf *c)
{
	char v[256];
	int k;

	for (k = 0; k < CONF_NKEYS; k++) {
		if (k == CONF_TABLE_LIMIT)	/* on the table's line */
			continue;
		fprintf(out, "%s: %s\n", conf_settings[k].key,
			c->line[k] ? conf_value_str(c, k, v, sizeof(v)) : "unknown");
	}
	if (!c->has_stats)
		return;
	fprintf(out, "table: %" PRIu32 " %s", c->table_size, c->table_size == 1 ? "entry" : "entries");
	if (c->table6_size)
		fprintf(out, ", %" PRIu32 " IPv6", c->table6_size);
	fprintf(out, " (limit %" PRIu32 ")\n", c->table_limit);
	print_counters(out, "", c->ctr);
	fprintf(out, "events-dropped: %" PRIu64 "\n", c->ctr[VPCSNAT_CTR_A_EVENTS_DROPPED]);
	if (c->has_ctr6)
		print_counters(out, "ipv6 ", c->ctr6);
	if (c->rule[0] != CONF_RULE_UNKNOWN)
		fprintf(out, "rule: %s\n", rule_text(c, false, v, sizeof(v)));
	if (c->rule[1] != CONF_RULE_UNKNOWN)
		fprintf(out, "ipv6 rule: %s\n", rule_text(c, true, v, sizeof(v)));
}

/* {"state": "in place", "mark": 128}: the rule of a family (v6: IPv6's); mark null if none. */
static json_t *rule_json(const struct conf *c, bool v6)
{
	uint32_t m = conf_rule_mark(c, v6);

	return json_pack("{s:s,s:o}", "state", rule_states[c->rule[v6]],
			 "mark", m ? json_integer(m) : json_null());
}

static json_t *value_json(const struct conf *c, enum conf_key k)
{
	const struct conf_setting *s = &conf_settings[k];
	const void *p = conf_value_const(c, k);
	char v[256];
	json_t *a;
	unsigned int i;

	switch (s->type) {
	case CONF_T_BOOL:
		return json_boolean(*(const bool *)p);
	case CONF_T_U32:
		return json_integer(*(const uint32_t *)p);
	case CONF_T_IFACES:
		a = json_array();
		for (i = 0; i < ((const struct iface_list *)p)->n; i++)
			json_array_append_new(a, json_string(((const struct iface_list *)p)->name[i]));
		return a;
	case CONF_T_ADDR:
	case CONF_T_ADDR6:
	case CONF_T_ENUM:
	case CONF_T_MARK:
		break;
	}
	return json_string(conf_value_str(c, k, v, sizeof(v)));
}

/* Writes o compactly (",", ":" and no spaces) and a newline; takes o. */
static void dump(FILE *out, json_t *o)
{
	json_dumpf(o, out, JSON_COMPACT);
	fputc('\n', out);
	json_decref(o);
}

/* One family's counters as a JSON object: by reason, failed, marked, translated. */
static json_t *counters_json(const uint64_t *ctr)
{
	json_t *v = json_object();
	unsigned int i;

	for (i = 0; i <= VPCSNAT_REASON_MAX; i++)
		json_object_set_new(v, reason_key((uint8_t)i),
				    json_integer((json_int_t)ctr[VPCSNAT_CTR_A_REASON(i)]));
	json_object_set_new(v, "failed", json_integer((json_int_t)ctr[VPCSNAT_CTR_A_FAILED]));
	json_object_set_new(v, "marked", json_integer((json_int_t)ctr[VPCSNAT_CTR_A_MARKED]));
	json_object_set_new(v, "translated", json_integer((json_int_t)translated(ctr)));
	return v;
}

void conf_print_json(FILE *out, const struct conf *c, unsigned int flags)
{
	json_t *o = json_object(), *v;
	char s[CIDR_STR_LEN];
	unsigned int i;
	int k;

	for (k = 0; k < CONF_NKEYS; k++)
		json_object_set_new(o, conf_settings[k].json,
				    c->line[k] || !(flags & CONF_JSON_STATS) ? value_json(c, k) :
				    json_null());
	if (flags & CONF_JSON_STATS) {
		json_object_set_new(o, "table_size", json_integer(c->table_size));
		v = counters_json(c->ctr);
		json_object_set_new(v, "events_dropped",
				    json_integer((json_int_t)c->ctr[VPCSNAT_CTR_A_EVENTS_DROPPED]));
		json_object_set_new(o, "counters", v);
		json_object_set_new(o, "table6_size", json_integer(c->table6_size));
		json_object_set_new(o, "counters6", c->has_ctr6 ? counters_json(c->ctr6) : json_null());
		for (i = 0; i < 2; i++) {
			if (c->rule[i] != CONF_RULE_UNKNOWN)
				json_object_set_new(o, i ? "rule6" : "rule", rule_json(c, i));
		}
	}
	if (flags & CONF_JSON_TABLE) {
		v = json_array();
		for (i = 0; i < c->cidrs.n; i++)
			json_array_append_new(v, json_pack("{s:s,s:s}",
				"cidr", cidr_str(&c->cidrs.entries[i].cidr, s),
				"kind", kind_name(c->cidrs.entries[i].cidr.kind)));
		json_object_set_new(o, "cidrs", v);
	}
	dump(out, o);
}
