// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VPC CNI's environment (aws-node's variables) as a configuration, read
 * the way the CNI reads it, so that a node gets the behaviour it had: the
 * same values accepted, the same defaults, and where the CNI logs a bad
 * value and falls back, a warning and the same fallback. The CNI's code:
 * pkg/networkutils/network.go (useExternalSNAT, parseCIDRString,
 * typeOfSNAT, getConnmark, getVethPrefixName), cmd/aws-vpc-cni/main.go
 * (validateEnvVars, generateJSON), utils/utils.go (GetBoolAsStringEnvVar),
 * and for IPv6 cmd/egress-cni-plugin/snat/snat.go (iptRules, Add) and
 * cni/cni6.go (CmdAddEgressV6) in aws/amazon-vpc-cni-k8s. The two flags that stand for instance metadata
 * (--vpc-cidrs, --snat-ip) are snatctl's own and strict; "imds" as their
 * value reads instance metadata as aws-node does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "env.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void conf_env_read(struct conf_env *env)
{
	env->external_snat = getenv(ENV_EXTERNAL_SNAT);
	env->exclude_cidrs = getenv(ENV_EXCLUDE_CIDRS);
	env->randomize = getenv(ENV_RANDOMIZE);
	env->connmark = getenv(ENV_CONNMARK);
	env->veth_prefix = getenv(ENV_VETH_PREFIX);
	env->enable_ipv6 = getenv(ENV_ENABLE_IPV6);
	env->v6_egress = getenv(ENV_ENABLE_V6_EGRESS);
}

/* strconv.ParseBool: 1 or 0, -1 for anything else. */
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
 * A boolean as the CNI reads it: unset (or, unless set_empty_is_bad, empty)
 * is the default; anything ParseBool refuses is logged and the default.
 */
static bool env_bool(const char *var, const char *s, bool def, bool set_empty_is_bad, FILE *errs)
{
	char t[TOKEN_LEN];
	int b;

	if (!s || (!*s && !set_empty_is_bad))
		return def;
	b = go_bool(s);
	if (b >= 0)
		return b;
	fprintf(errs, "Warning: %s: Invalid value %s; expected true or false; using %s, as the "
		"VPC CNI does\n", var, token(s, t), def ? "true" : "false");
	return def;
}

/* Go's strings.TrimSpace, for the ASCII white space. */
static const char *trim(const char *s, size_t *len)
{
	while (*len && strchr(" \t\n\v\f\r", *s))
		s++, --*len;
	while (*len && strchr(" \t\n\v\f\r", s[*len - 1]))
		--*len;
	return s;
}

/*
 * The exclusion CIDRs as parseCIDRString reads them: split on ',', each item
 * trimmed, net.ParseCIDR (a prefix length is required), IPv4 only, host
 * bits cleared; an item it cannot take is logged and skipped. A prefix
 * given twice (the CNI adds a second RETURN rule) is listed once.
 */
static void env_exclusions(const char *list, struct conf *c, FILE *errs, bool *oom)
{
	const char *p = list;
	unsigned long n = 0;

	for (;;) {
		size_t len = strcspn(p, ","), tlen = len;
		const char *item = trim(p, &tlen);
		char entry[64], err[PARSE_ERR_LEN], s[CIDR_STR_LEN];
		const struct cidr_entry *dup;
		struct cidr cidr;
		bool masked = false;

		n++;
		snprintf(entry, sizeof(entry), "%.*s", (int)(tlen < sizeof(entry) ? tlen : 63), item);
		if (!tlen)
			snprintf(err, sizeof(err), "Empty CIDR");
		else if (tlen >= sizeof(entry))
			snprintf(err, sizeof(err), "Invalid CIDR %s...: too long", entry);
		else if (!parse_cidr_as(entry, AF_INET, &cidr, &masked, err))
			;
		else if (!strchr(entry, '/'))
			snprintf(err, sizeof(err), "Invalid CIDR %s: missing /prefix length", entry);
		else
			err[0] = '\0';
		if (err[0]) {
			fprintf(errs, "Warning: %s: entry %lu: %s; skipped, as the VPC CNI does\n",
				ENV_EXCLUDE_CIDRS, n, err);
		} else {
			cidr.kind = VPCSNAT_KIND_EXCLUDE;
			if (masked)
				fprintf(errs, "Warning: %s: entry %lu: %s has host bits set; using %s, "
					"as the VPC CNI does\n", ENV_EXCLUDE_CIDRS, n, entry,
					cidr_str(&cidr, s));
			dup = cidr_list_add(&c->cidrs, &cidr, 0, oom);
			if (*oom)
				return;
			if (dup)
				fprintf(errs, "Warning: %s: entry %lu: %s is already listed (as %s); "
					"listed once\n", ENV_EXCLUDE_CIDRS, n, cidr_str(&cidr, s),
					kind_name(dup->cidr.kind));
		}
		if (!p[len])
			return;
		p += len + 1;
	}
}

/*
 * The digits of s in base into *v; false if one is not a digit, an
 * underscore is not between digits (a base prefix counts as one, as in Go's
 * underscoreOK), or v overflows.
 */
static bool go_digits(const char *s, unsigned int base, bool prefix, uint64_t *v)
{
	bool digit_before = prefix, any = false;

	*v = 0;
	for (; *s; s++) {
		unsigned int d;

		if (*s == '_') {
			if (!digit_before || !s[1] || s[1] == '_')
				return false;
			digit_before = false;
			continue;
		}
		d = *s >= '0' && *s <= '9' ? (unsigned int)(*s - '0') :
		    *s >= 'a' && *s <= 'z' ? (unsigned int)(*s - 'a' + 10) :
		    *s >= 'A' && *s <= 'Z' ? (unsigned int)(*s - 'A' + 10) : 36;
		if (d >= base || *v > (UINT64_MAX - d) / base)
			return false;
		*v = *v * base + d;
		digit_before = any = true;
	}
	return any;
}

/*
 * strconv.ParseInt(s, 0, 64): an optional sign, then 0x, 0o, 0b or a leading
 * 0 for hex, octal, binary or octal, else decimal; '_' between digits (base
 * 0 allows it). Whether it parsed; *neg and *v as read.
 */
static bool go_int(const char *s, bool *neg, uint64_t *v)
{
	unsigned int base = 10;

	*neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8, s += 1;
	if (!go_digits(s, base, base != 10, v))
		return false;
	return *v <= (uint64_t)INT64_MAX + *neg;
}

/* getConnmark: 1..0xffffffff, else logged and 0x80. */
static uint32_t env_connmark(const char *s, FILE *errs)
{
	char t[TOKEN_LEN];
	uint64_t v;
	bool neg;

	if (!s || !*s)
		return VPCSNAT_DEFAULT_MARK;
	if (!go_int(s, &neg, &v))
		fprintf(errs, "Warning: %s: Invalid value %s; using %#x, as the VPC CNI does\n",
			ENV_CONNMARK, token(s, t), VPCSNAT_DEFAULT_MARK);
	else if (neg || !v || v > UINT32_MAX)
		fprintf(errs, "Warning: %s: %s is out of range (1 to 0xffffffff); using %#x, as the "
			"VPC CNI does\n", ENV_CONNMARK, token(s, t), VPCSNAT_DEFAULT_MARK);
	else
		return (uint32_t)v;
	return VPCSNAT_DEFAULT_MARK;
}

/*
 * getVethPrefixName, and what the aws-node entrypoint refuses to start with
 * (validateEnvVars): longer than 4 characters, eth, lo or vlan. An empty
 * value would match every interface in the CNI's -i "+": refused here.
 */
static bool env_veth_prefix(const char *s, struct iface_list *l, FILE *errs)
{
	static const char *const reserved[] = { "eth", "lo", "vlan" };
	char t[TOKEN_LEN];
	size_t i;

	if (!s)
		s = VPCSNAT_DEFAULT_POD_IFACE;
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		if (!strcmp(s, reserved[i])) {
			fprintf(errs, "%s: %s is reserved; the VPC CNI refuses to start with eth, lo "
				"or vlan\n", ENV_VETH_PREFIX, s);
			return false;
		}
	}
	if (strlen(s) > 4) {
		fprintf(errs, "%s: %s is longer than 4 characters; the VPC CNI refuses to start "
			"with it\n", ENV_VETH_PREFIX, token(s, t));
		return false;
	}
	if (!*s || vpcsnat_iface_prefix_check(s, (uint32_t)strlen(s)) != VPCSNAT_IFACE_OK) {
		fprintf(errs, "%s: Invalid interface prefix %s%s\n", ENV_VETH_PREFIX, token(s, t),
			*s ? "" : " (the VPC CNI would mark the traffic of every interface)");
		return false;
	}
	memset(l, 0, sizeof(*l));
	l->n = 1;
	strcpy(l->name[0], s);
	return true;
}

/* --vpc-cidrs: snatctl's own flag, strict: every entry valid, kind vpc. */
static long flag_vpc_cidrs(const char *list, struct conf *c, FILE *errs, bool *oom)
{
	const char *p = list;
	unsigned long n = 0;
	long bad = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		char entry[64], err[PARSE_ERR_LEN], s[CIDR_STR_LEN];
		struct cidr cidr;

		n++;
		snprintf(entry, sizeof(entry), "%.*s", (int)(len < sizeof(entry) ? len : 63), p);
		if (!len) {
			fprintf(errs, "--vpc-cidrs: entry %lu: Empty CIDR (a stray comma?)\n", n);
			bad++;
		} else if (len >= sizeof(entry) || !parse_cidr_as(entry, AF_INET, &cidr, NULL, err)) {
			if (len >= sizeof(entry))
				snprintf(err, sizeof(err), "Invalid CIDR %s...: too long", entry);
			fprintf(errs, "--vpc-cidrs: entry %lu: %s\n", n, err);
			bad++;
		} else if (cidr_list_add(&c->cidrs, &cidr, 0, oom)) {
			fprintf(errs, "Warning: --vpc-cidrs: entry %lu: %s is listed twice; listed "
				"once\n", n, cidr_str(&cidr, s));
		}
		if (*oom || !p[len])
			return bad;
		p += len + 1;
	}
}

/*
 * IPv6 in an IPv4 cluster, as the VPC CNI leaves it. Without
 * ENABLE_V6_EGRESS pods have no IPv6 address and the CNI translates no
 * IPv6 connection: ipv6 no. With it, aws-node's entrypoint chains the
 * egress plugin (generateJSON), which gives each pod an address of
 * fd00::ac:0/118 and translates its connections to the node's primary IPv6
 * address (instance metadata's "ipv6", --snat-ip6 imds here; the flag
 * counts only then) but those to multicast (iptRules: -d ff00::/8 -j
 * ACCEPT): ipv6 yes, ff00::/8 exclude, and nothing else in the IPv6 table
 * (a pod's unique-local source is no VPC address: the egress plugin
 * translates traffic to the VPC too).
 */
static long env_v6_egress(const struct conf_env *env, struct conf *c, FILE *errs, bool *oom)
{
	static const char *const multicast = "ff00::/8";
	bool egress = env_bool(ENV_ENABLE_V6_EGRESS, env->v6_egress, false, true, errs), ok;
	char err[PARSE_ERR_LEN];
	struct conf scratch;
	struct cidr cidr;

	if (egress && !env->snat_ip6) {
		fprintf(errs, "--snat-ip6: Missing; %s=true: give the node's primary IPv6 address, "
			"auto, or imds (instance metadata's ipv6, as aws-node reads it)\n",
			ENV_ENABLE_V6_EGRESS);
		return 1;
	}
	/* Checked always; taken only with egress (snat-ip6 imds needs a node with IPv6). */
	conf_init(&scratch);
	ok = !env->snat_ip6 || conf_set(egress ? c : &scratch, CONF_SNAT_IP6, env->snat_ip6, err);
	conf_free(&scratch);
	if (!ok) {
		fprintf(errs, "--snat-ip6: %s\n", err);
		return 1;
	}
	if (!egress)
		return 0;
	c->ipv6 = true;
	if (!parse_cidr(multicast, &cidr, err))
		return 1;
	cidr.kind = VPCSNAT_KIND_EXCLUDE;
	if (cidr_list_add(&c->cidrs, &cidr, 0, oom) && !*oom)
		fprintf(errs, "Warning: %s is already listed; the VPC CNI never translates "
			"multicast\n", multicast);
	return 0;
}

long conf_from_env(const struct conf_env *env, struct conf *c, FILE *errs)
{
	char err[PARSE_ERR_LEN], t[TOKEN_LEN];
	bool oom = false, ipv6;
	long bad = 0;

	conf_init(c);
	c->enabled = true;		/* the CNI's chain exists */
	c->skip.n = 1;
	strcpy(c->skip.name[0], "vlan");	/* its "! -o vlan+" */

	c->external_snat = env_bool(ENV_EXTERNAL_SNAT, env->external_snat, false, false, errs);
	if (env->randomize && *env->randomize &&
	    !parse_random(env->randomize, &c->random, err)) {
		fprintf(errs, "Warning: %s: Invalid value %s; expected none, hashrandom or prng; "
			"using prng, as the VPC CNI does\n", ENV_RANDOMIZE, token(env->randomize, t));
		c->random = VPCSNAT_RANDOM_PRNG;
	}
	c->mark = env_connmark(env->connmark, errs);
	if (!env_veth_prefix(env->veth_prefix, &c->pod, errs))
		bad++;
	/*
	 * In an IPv6 cluster the CNI installs no IPv4 SNAT (UpdateHostSNATRules)
	 * and translates no pod's IPv6 (a VPC address); ENABLE_V6_EGRESS is not
	 * read there (generateJSON).
	 */
	ipv6 = env_bool(ENV_ENABLE_IPV6, env->enable_ipv6, false, true, errs);
	if (ipv6) {
		fprintf(errs, "Note: %s=true: the VPC CNI translates no IPv4 pod traffic in an "
			"IPv6 cluster; enabled no\n", ENV_ENABLE_IPV6);
		c->enabled = false;
	}

	if (!env->snat_ip) {
		fprintf(errs, "--snat-ip: Missing; give the node's primary IPv4 address, auto or "
			"imds\n");
		bad++;
	} else if (!conf_set(c, CONF_SNAT_IP, env->snat_ip, err)) {
		fprintf(errs, "--snat-ip: %s\n", err);
		bad++;
	}
	if (!env->vpc_cidrs || !*env->vpc_cidrs) {
		fprintf(errs, "--vpc-cidrs: Missing; give the VPC's IPv4 CIDRs, comma separated, or "
			"imds\n");
		bad++;
	} else if (!strcmp(env->vpc_cidrs, "imds")) {
		/*
		 * Resolved later (conf_resolve()), as aws-node reads them: from
		 * metadata, the IPv4 ones (GetVPCIPv4CIDRs); the IPv6 table is
		 * env_v6_egress()'s.
		 */
		c->vpc_cidrs_imds = 1;
		c->vpc_cidrs_ipv4 = true;
	} else {
		bad += flag_vpc_cidrs(env->vpc_cidrs, c, errs, &oom);
	}
	if (!oom && env->exclude_cidrs && *env->exclude_cidrs)
		env_exclusions(env->exclude_cidrs, c, errs, &oom);
	if (!oom && !ipv6)
		bad += env_v6_egress(env, c, errs, &oom);
	if (oom)
		return -1;
	if (c->cidrs.n > c->table_limit) {
		fprintf(errs, "%zu CIDRs are more than the table-limit %u\n", c->cidrs.n,
			c->table_limit);
		bad++;
	}
	return bad;
}
