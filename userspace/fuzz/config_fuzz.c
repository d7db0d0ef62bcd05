// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for the configuration of `snatctl apply`: the file
 * parser and, for inputs starting "ENV\n", the VPC CNI environment mapping
 * (lines: EXTERNALSNAT, EXCLUDE_SNAT_CIDRS, RANDOMIZESNAT, --vpc-cidrs,
 * --snat-ip, CONNMARK, VETHPREFIX, ENABLE_IPv6; a missing line is unset).
 * Besides memory safety it checks that an accepted configuration holds only
 * canonical, distinct prefixes within its table-limit, and that printing it
 * parses back to the same configuration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct conf *c, FILE *null)
{
	struct conf again;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	if (c->cidrs.n > c->table_limit || c->random > VPCSNAT_RANDOM_MAX ||
	    c->skip.n > VPCSNAT_MAX_SKIP_IFACES)
		abort();
	for (i = 0; i < c->cidrs.n; i++) {
		const struct vpcsnat_cidr *p = &c->cidrs.entries[i].cidr;
		uint32_t mask = p->plen ? ~0U << (32 - p->plen) : 0;

		if (p->plen > 32 || (p->addr & ~mask) || p->kind > VPCSNAT_KIND_MAX)
			abort();
	}
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	conf_print(f, c, "fuzz");
	fclose(f);
	if (conf_parse("again", text, len, &again, null) != 0 || conf_same(c, &again, true) != 1)
		abort();
	conf_free(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct conf c;
	long bad;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (size >= 4 && !memcmp(data, "ENV\n", 4)) {
		char *copy = malloc(size - 3), *line[8] = { 0 }, *p;
		struct conf_env env = { 0 };
		int i;

		if (!copy)
			abort();
		memcpy(copy, data + 4, size - 4);
		copy[size - 4] = '\0';
		for (i = 0, p = copy; i < 8 && p; i++) {
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
