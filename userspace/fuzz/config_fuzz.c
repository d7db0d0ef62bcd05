// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for the configuration of `snatctl apply`: the file
 * parser and, for inputs starting "ENV\n", the VPC CNI environment mapping
 * (lines: EXTERNALSNAT, EXCLUDE_SNAT_CIDRS, RANDOMIZESNAT, --vpc-cidrs,
 * --snat-ip, CONNMARK, VETHPREFIX, ENABLE_IPv6, ENABLE_V6_EGRESS, --snat-ip6;
 * a missing line is unset),
 * and for inputs starting "IMDS\n" ("IMD6\n"), the parser of instance
 * metadata's VPC IPv4 (IPv6) CIDR list. Besides memory safety it checks that an accepted configuration
 * holds only canonical, distinct prefixes within its table-limit, that
 * printing it parses back to the same configuration, and that one with
 * imds values resolves (with a fixed answer) into one that does too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conffile.h"
#include "env.h"
#include "imds.h"
#include "fuzz/canonical.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct conf *c, FILE *null);

/* A configuration with imds values, resolved with a fixed answer: still a good one. */
static void check_resolved(const struct conf *c, FILE *null)
{
	static const struct cidr vpc[] = { { .addr = 0x0a000000, .plen = 16 },
					   { .addr = 0x64400000, .plen = 16 },
					   { .addr6 = { 0x26001f140abcde00ULL, 0 }, .plen = 56,
					     .v6 = true } };
	static const struct vpcsnat_in6 ip6 = { 0x26001f140abcde00ULL, 0x10 };
	char err[PARSE_ERR_LEN], *text = NULL;
	struct cidr_list meta = { 0 };
	struct conf r;
	size_t len = 0, i;
	bool oom = false;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	conf_print(f, c, NULL);
	fclose(f);
	if (conf_parse("copy", text, len, &r, null) != 0)
		abort();
	free(text);
	for (i = 0; i < sizeof(vpc) / sizeof(vpc[0]); i++)
		cidr_list_add(&meta, &vpc[i], 0, &oom);
	if (oom)
		abort();
	if (conf_resolve(&r, 0x0a00000a, &ip6, &meta, err)) {
		if (conf_needs_imds(&r) ||
		    (c->imds & 1u << CONF_SNAT_IP && r.snat_ip != 0x0a00000a) ||
		    (c->imds & 1u << CONF_SNAT_IP6 && r.snat_ip6.lo != ip6.lo))
			abort();
		check(&r, null);
	} else if (conf_same(c, &r, true) != 1) {
		abort();	/* a refusal leaves it unchanged */
	}
	conf_free(&r);
	cidr_list_free(&meta);
}

static void check(const struct conf *c, FILE *null)
{
	struct conf again;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	if (c->cidrs.n > c->table_limit || c->random > VPCSNAT_RANDOM_MAX ||
	    c->skip.n > VPCSNAT_MAX_SKIP_IFACES)
		abort();
	for (i = 0; i < c->cidrs.n; i++)
		if (!canonical(&c->cidrs.entries[i].cidr))
			abort();
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	conf_print(f, c, "fuzz");
	fclose(f);
	if (conf_parse("again", text, len, &again, null) != 0 || conf_same(c, &again, true) != 1)
		abort();
	conf_free(&again);
	free(text);
	if (conf_needs_imds(c))
		check_resolved(c, null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct conf c;
	long bad;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (size >= 5 && (!memcmp(data, "IMDS\n", 5) || !memcmp(data, "IMD6\n", 5))) {
		char *copy = malloc(size - 4), err[PARSE_ERR_LEN];
		int af = data[3] == '6' ? AF_INET6 : AF_INET;
		struct cidr_list l;
		size_t i;

		if (!copy)
			abort();
		memcpy(copy, data + 5, size - 5);
		copy[size - 5] = '\0';
		if (imds_parse_cidrs(copy, af, &l, err)) {
			for (i = 0; i < l.n; i++) {
				const struct cidr *p = &l.entries[i].cidr;

				if (!canonical(p) || p->kind != VPCSNAT_KIND_VPC ||
				    p->v6 != (af == AF_INET6))
					abort();
			}
			cidr_list_free(&l);
		}
		free(copy);
		return 0;
	}
	if (size >= 4 && !memcmp(data, "ENV\n", 4)) {
		char *copy = malloc(size - 3), *line[10] = { 0 }, *p;
		struct conf_env env = { 0 };
		int i;

		if (!copy)
			abort();
		memcpy(copy, data + 4, size - 4);
		copy[size - 4] = '\0';
		for (i = 0, p = copy; i < 10 && p; i++) {
			line[i] = p;
			p = strchr(p, '\n');
			if (p)
				*p++ = '\0';
		}
		env.external_snat = line[0];
		env.exclude_cidrs = line[1];
		env.randomize = line[2];
		env.vpc_cidrs = line[3];
		env.snat_ip = line[4];
		env.connmark = line[5];
		env.veth_prefix = line[6];
		env.enable_ipv6 = line[7];
		env.v6_egress = line[8];
		env.snat_ip6 = line[9];
		bad = conf_from_env(&env, &c, null);
		free(copy);
	} else {
		bad = conf_parse("fuzz", (const char *)data, size, &c, null);
	}
	if (bad < 0)
		abort();
	if (!bad)
		check(&c, null);
	conf_free(&c);
	return 0;
}
