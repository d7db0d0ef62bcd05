// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VPC CNI's environment (aws-node's AWS_VPC_K8S_CNI_* variables) as a
 * configuration: what `snatctl apply --from-env` applies; see env.h.
 */
#include <stdlib.h>
#include <string.h>

#include "env.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
		char entry[64], err[PARSE_ERR_LEN], t[TOKEN_LEN];
		const struct cidr_entry *dup;
		struct vpcsnat_cidr cidr;
		bool masked = false, ok;

		n++;
		if (len >= sizeof(entry)) {
			memcpy(entry, p, sizeof(entry) - 1);
			entry[sizeof(entry) - 1] = '\0';
			snprintf(err, sizeof(err), "Invalid CIDR %s: too long",
				 token(entry, t));
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
						 token(entry, t));
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
			dup = cidr_list_add(&c->cidrs, &cidr, 0, oom);
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
	char err[PARSE_ERR_LEN], t[TOKEN_LEN];
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
				ENV_EXTERNAL_SNAT, token(env->external_snat, t));
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
	} else if (!conf_set(c, CONF_SNAT_IP, env->snat_ip, err)) {
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
