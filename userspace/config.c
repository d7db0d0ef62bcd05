// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/linux/vpcsnat.h>
#include "config.h"
#include "json.h"

#define SEPARATORS " \t\r\v\f"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *const conf_key_names[CONF_NKEYS] = {
	[CONF_ENABLED] = "enabled",
	[CONF_EXTERNAL_SNAT] = "external-snat",
	[CONF_SNAT_IP] = "snat-ip",
	[CONF_RANDOM] = "random",
	[CONF_SKIP_IFACES] = "skip-ifaces",
	[CONF_TABLE_LIMIT] = "table-limit",
};

void conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->random = VPCSNAT_RANDOM_PRNG;
	c->table_limit = VPCSNAT_DEFAULT_TABLE_LIMIT;
}

void conf_free(struct conf *c)
{
	cidr_file_free(&c->cidrs);
	cidr_seen_free(&c->seen);
}

/* Tokens end up in messages: keep them short and printable. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t i, n = strlen(s);

	if (!n)
		return "''";
	if (n > size - 4)
		n = size - 4;
	for (i = 0; i < n; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (n < strlen(s))
		memcpy(buf + n, "...", 3), n += 3;
	buf[n] = '\0';
	return buf;
}

static bool parse_yesno(const char *key, const char *s, bool *on, char *err)
{
	char t[72];

	if (!strcmp(s, "yes") || !strcmp(s, "on")) {
		*on = true;
		return true;
	}
	if (!strcmp(s, "no") || !strcmp(s, "off")) {
		*on = false;
		return true;
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid %s %s; expected yes or no (or on or off)", key,
		 shown(s, t, sizeof(t)));
	return false;
}

/* Parses value v of setting key into c; returns false with err filled. */
static bool set_key(struct conf *c, enum conf_key key, const char *v, char *err)
{
	switch (key) {
	case CONF_ENABLED:
		return parse_yesno("enabled", v, &c->enabled, err);
	case CONF_EXTERNAL_SNAT:
		return parse_yesno("external-snat", v, &c->external_snat, err);
	case CONF_SNAT_IP:
		if (!strcmp(v, "auto")) {
			c->snat_ip = 0;
			return true;
		}
		if (!parse_ipv4(v, &c->snat_ip, err))
			return false;
		if (!c->snat_ip) {
			snprintf(err, PARSE_ERR_LEN, "Invalid snat-ip 0.0.0.0; write auto instead");
			return false;
		}
		return true;
	case CONF_RANDOM:
		return parse_random(v, &c->random, err);
	case CONF_SKIP_IFACES:
		return parse_iface_list(v, &c->skip, err);
	case CONF_TABLE_LIMIT:
		return parse_u32("table-limit", v, 1, VPCSNAT_MAX_TABLE_LIMIT, &c->table_limit, err);
	case CONF_NKEYS:
		break;
	}
	return false;
}

static int find_key(const char *s)
{
	int i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (!strcmp(conf_key_names[i], s))
			return i;
	return -1;
}

long conf_parse(const char *name, const char *buf, size_t len, struct conf *c, FILE *errs)
{
	unsigned long lineno = 0;
	size_t pos = 0;
	long bad = 0;
	bool oom = false;

	conf_init(c);
	while (pos < len && !oom) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char line[CIDRFILE_MAX_LINE + 1], err[PARSE_ERR_LEN], t[72], *save;
		char *word, *val, *kind, *extra;
		const struct cidr_entry *dup;
		struct cidr cidr;
		int key;

		++lineno;
		err[0] = '\0';
		if (llen > CIDRFILE_MAX_LINE) {
			snprintf(err, sizeof(err), "Line is too long (%zu characters; at most %d)",
				 llen, CIDRFILE_MAX_LINE);
			goto bad;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		if (strlen(line) != llen) {
			snprintf(err, sizeof(err), "Line contains a NUL byte");
			goto bad;
		}
		line[strcspn(line, "#")] = '\0';
		word = strtok_r(line, SEPARATORS, &save);
		if (!word)
			goto next;
		val = strtok_r(NULL, SEPARATORS, &save);
		if (!strcmp(word, "cidr")) {
			kind = val ? strtok_r(NULL, SEPARATORS, &save) : NULL;
			extra = kind ? strtok_r(NULL, SEPARATORS, &save) : NULL;
			if (!val) {
				snprintf(err, sizeof(err), "cidr needs a CIDR and an optional kind");
				goto bad;
			}
			if (!parse_cidr(val, &cidr, err) ||
			    (kind && !parse_kind(kind, &cidr.kind, err)))
				goto bad;
			if (extra) {
				snprintf(err, sizeof(err), "Unexpected text %s after cidr %s %s",
					 shown(extra, t, sizeof(t)), val, kind);
				goto bad;
			}
			dup = cidr_file_add(&c->cidrs, &c->seen, &cidr, lineno, &oom);
			if (dup) {
				snprintf(err, sizeof(err),
					 "Duplicate prefix %s, first given on line %lu", val, dup->line);
				goto bad;
			}
			goto next;
		}
		key = find_key(word);
		if (key < 0) {
			snprintf(err, sizeof(err), "Unknown setting %s; expected enabled, "
				 "external-snat, snat-ip, random, skip-ifaces, table-limit or cidr",
				 shown(word, t, sizeof(t)));
			goto bad;
		}
		if (!val) {
			snprintf(err, sizeof(err), "Missing value for %s", word);
			goto bad;
		}
		extra = strtok_r(NULL, SEPARATORS, &save);
		if (extra) {
			snprintf(err, sizeof(err), "Unexpected text %s after %s %s",
				 shown(extra, t, sizeof(t)), word, val);
			goto bad;
		}
		if (c->line[key]) {
			snprintf(err, sizeof(err), "Setting %s is given twice, first on line %lu",
				 word, c->line[key]);
			goto bad;
		}
		if (!set_key(c, (enum conf_key)key, val, err))
			goto bad;
		c->line[key] = lineno;
		goto next;
bad:
		fprintf(errs, "%s:%lu: %s\n", name, lineno, err);
		bad++;
next:
		pos += llen + 1;
	}
	if (oom)
		return -1;
	if (c->cidrs.n > c->table_limit) {
		if (c->line[CONF_TABLE_LIMIT])
			fprintf(errs, "%s:%lu: table-limit %u is below the %zu CIDRs of the file\n",
				name, c->line[CONF_TABLE_LIMIT], c->table_limit, c->cidrs.n);
		else
			fprintf(errs, "%s:%lu: CIDR number %u is over the default table-limit %u; "
				"raise it with a table-limit line\n", name,
				c->cidrs.entries[c->table_limit].line, c->table_limit + 1,
				c->table_limit);
		bad++;
	}
	return bad;
}

/* strconv.ParseBool, which the VPC CNI uses for its booleans. */
static int go_bool(const char *s)
{
	static const char *const words[] = { "1", "t", "T", "TRUE", "true", "True",
					     "0", "f", "F", "FALSE", "false", "False" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(words[i], s))
			return i < 6;
	return -1;
}

/*
 * Adds the comma-separated CIDRs of list as kind. The exclusion list follows
 * the VPC CNI (net.ParseCIDR): a prefix length is required and host bits
 * are cleared, with a warning; an invalid entry is an error, or a warning
 * when skip is set. A prefix given twice is listed once, with a warning: the
 * VPC CNI just adds a second RETURN rule.
 */
static long env_cidrs(const char *var, const char *list, uint8_t kind, bool cni, bool skip,
		      struct conf *c, FILE *errs, unsigned long *invalid, bool *oom)
{
	const char *p = list;
	unsigned long n = 0;
	long bad = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		char entry[64], err[PARSE_ERR_LEN], t[72];
		const struct cidr_entry *dup;
		struct cidr cidr;
		bool masked = false, ok;

		n++;
		if (len >= sizeof(entry)) {
			memcpy(entry, p, sizeof(entry) - 1);
			entry[sizeof(entry) - 1] = '\0';
			snprintf(err, sizeof(err), "Invalid CIDR %s: too long",
				 shown(entry, t, sizeof(t)));
			ok = false;
		} else {
			memcpy(entry, p, len);
			entry[len] = '\0';
			if (!len) {
				snprintf(err, sizeof(err), "Empty CIDR (a stray comma?)");
				ok = false;
			} else {
				ok = cni ? parse_cidr_masked(entry, &cidr, &masked, err) :
					   parse_cidr(entry, &cidr, err);
				if (ok && cni && !strchr(entry, '/')) {
					snprintf(err, sizeof(err),
						 "Invalid CIDR %s: missing /prefix length",
						 shown(entry, t, sizeof(t)));
					ok = false;
				}
			}
		}
		if (!ok) {
			++*invalid;
			fprintf(errs, "%s: entry %lu: %s%s\n", var, n, err,
				cni && skip ? " (skipped)" : "");
			if (!(cni && skip))
				bad++;
		} else {
			char s[CIDR_STR_LEN];

			cidr.kind = kind;
			if (masked)
				fprintf(errs, "%s: entry %lu: %s has host bits set; using %s, "
					"as the VPC CNI does\n", var, n, entry, cidr_str(&cidr, s));
			dup = cidr_file_add(&c->cidrs, &c->seen, &cidr, 0, oom);
			if (*oom)
				return bad;
			if (dup)
				fprintf(errs, "%s: entry %lu: %s is already listed (as %s); "
					"listed once\n", var, n, cidr_str(&cidr, s),
					kind_name(dup->cidr.kind));
		}
		if (!p[len])
			return bad;
		p += len + 1;
	}
}

long conf_from_env(struct conf_env *env, struct conf *c, FILE *errs)
{
	char err[PARSE_ERR_LEN], t[72];
	unsigned long invalid = 0;
	bool oom = false;
	long bad = 0;
	int b;

	conf_init(c);
	c->enabled = true;
	c->skip.n = 1;
	strcpy(c->skip.name[0], "vlan");	/* the VPC CNI's "! -o vlan+" */

	if (env->external_snat && *env->external_snat) {
		b = go_bool(env->external_snat);
		if (b < 0) {
			fprintf(errs, "%s: Invalid value %s; expected true or false\n",
				ENV_EXTERNAL_SNAT, shown(env->external_snat, t, sizeof(t)));
			bad++;
		} else {
			c->external_snat = b;
		}
	}
	if (env->randomize && *env->randomize &&
	    !parse_random(env->randomize, &c->random, err)) {
		fprintf(errs, "%s: %s\n", ENV_RANDOMIZE, err);
		bad++;
	}
	if (!env->snat_ip) {
		fprintf(errs, "--snat-ip: Missing; give the node's primary IPv4 address or auto\n");
		bad++;
	} else if (!set_key(c, CONF_SNAT_IP, env->snat_ip, err)) {
		fprintf(errs, "--snat-ip: %s\n", err);
		bad++;
	}
	if (!env->vpc_cidrs || !*env->vpc_cidrs) {
		fprintf(errs, "--vpc-cidrs: Missing; give the VPC's IPv4 CIDRs, comma separated\n");
		bad++;
	} else {
		bad += env_cidrs("--vpc-cidrs", env->vpc_cidrs, VPCSNAT_KIND_VPC, false, false,
				 c, errs, &invalid, &oom);
	invalid = 0;
	}
	if (!oom && env->exclude_cidrs && *env->exclude_cidrs)
		bad += env_cidrs(ENV_EXCLUDE_CIDRS, env->exclude_cidrs, VPCSNAT_KIND_EXCLUDE, true,
				 env->skip_invalid, c, errs, &invalid, &oom);
	env->invalid_entries = invalid;
	if (oom)
		return -1;
	if (c->cidrs.n > c->table_limit) {
		fprintf(errs, "%zu CIDRs are more than the table-limit %u\n", c->cidrs.n,
			c->table_limit);
		bad++;
	}
	return bad;
}

static int cidr_cmp(const void *a, const void *b)
{
	const struct cidr *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->prefixlen != y->prefixlen)
		return x->prefixlen < y->prefixlen ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* f's CIDRs, sorted, in a malloc()ed array; NULL if memory ran out. */
static struct cidr *sorted_cidrs(const struct cidr_file *f)
{
	struct cidr *v = malloc((f->n ? f->n : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < f->n; i++)
		v[i] = f->entries[i].cidr;
	qsort(v, f->n, sizeof(*v), cidr_cmp);
	return v;
}

static bool settings_same(const struct conf *a, const struct conf *b)
{
	unsigned int i;

	if (a->enabled != b->enabled || a->external_snat != b->external_snat ||
	    a->snat_ip != b->snat_ip || a->random != b->random ||
	    a->table_limit != b->table_limit || a->skip.n != b->skip.n)
		return false;
	for (i = 0; i < a->skip.n; i++)
		if (strcmp(a->skip.name[i], b->skip.name[i]))
			return false;
	return true;
}

int conf_same(const struct conf *want, const struct conf *got, bool settings)
{
	struct cidr *a, *b;
	size_t i;
	int same;

	if ((settings && !settings_same(want, got)) || want->cidrs.n != got->cidrs.n)
		return 0;
	a = sorted_cidrs(&want->cidrs);
	b = sorted_cidrs(&got->cidrs);
	same = a && b ? 1 : -1;
	for (i = 0; same == 1 && i < want->cidrs.n; i++)
		if (!cidr_equal(&a[i], &b[i]))
			same = 0;
	free(a);
	free(b);
	return same;
}

static void print_skip(FILE *out, const struct iface_list *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		fprintf(out, "%s%s", i ? "," : "", l->name[i]);
	if (!l->n)
		fputs("none", out);
}

void conf_print(FILE *out, const struct conf *c, const char *header)
{
	char s[CIDR_STR_LEN];
	size_t i;

	if (header)
		fprintf(out, "# %s\n", header);
	fprintf(out, "enabled %s\n", c->enabled ? "yes" : "no");
	fprintf(out, "external-snat %s\n", c->external_snat ? "on" : "off");
	fprintf(out, "snat-ip %s\n", c->snat_ip ? ipv4_str(c->snat_ip, s) : "auto");
	fprintf(out, "random %s\n", random_name(c->random));
	fputs("skip-ifaces ", out);
	print_skip(out, &c->skip);
	fprintf(out, "\ntable-limit %u\n", c->table_limit);
	for (i = 0; i < c->cidrs.n; i++)
		fprintf(out, "cidr %s %s\n", cidr_str(&c->cidrs.entries[i].cidr, s),
			kind_name(c->cidrs.entries[i].cidr.kind));
}

void conf_print_json(FILE *out, const struct conf *c)
{
	char s[CIDR_STR_LEN];
	unsigned int j;
	size_t i;

	fprintf(out, "{\"enabled\":%s,\"external_snat\":%s,\"snat_ip\":\"%s\",\"random\":\"%s\","
		"\"skip_ifaces\":[", c->enabled ? "true" : "false",
		c->external_snat ? "true" : "false",
		c->snat_ip ? ipv4_str(c->snat_ip, s) : "auto", random_name(c->random));
	for (j = 0; j < c->skip.n; j++) {
		if (j)
			fputc(',', out);
		json_string(out, c->skip.name[j]);
	}
	fprintf(out, "],\"table_limit\":%u,\"cidrs\":[", c->table_limit);
	for (i = 0; i < c->cidrs.n; i++)
		fprintf(out, "%s{\"cidr\":\"%s\",\"kind\":\"%s\"}", i ? "," : "",
			cidr_str(&c->cidrs.entries[i].cidr, s),
			kind_name(c->cidrs.entries[i].cidr.kind));
	fputs("]}\n", out);
}
