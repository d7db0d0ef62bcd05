// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for the `cidr replace -f` file parser. Besides memory
 * safety it checks that an accepted file holds only canonical, distinct
 * prefixes and that printing them back parses to the same table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "fuzz/canonical.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct cidr_list f, g;
	char *text, *p, s[CIDR_STR_LEN];
	size_t i, j;
	long bad;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	bad = cidr_file_parse("fuzz", (const char *)data, size, &f, null);
	if (bad < 0)
		abort();
	if (bad) {
		cidr_list_free(&f);
		return 0;
	}
	text = malloc(f.n * (CIDR_STR_LEN + 10) + 1);
	if (!text)
		abort();
	for (p = text, i = 0; i < f.n; i++) {
		const struct cidr *c = &f.entries[i].cidr;

		if (!canonical(c) || (i && f.entries[i].line <= f.entries[i - 1].line))
			abort();
		for (j = 0; j < i && f.n < 512; j++)
			if (cidr_same_prefix(&f.entries[j].cidr, c))
				abort();
		p += sprintf(p, "%s %s\n", cidr_str(c, s), kind_name(c->kind));
	}
	if (cidr_file_parse("again", text, (size_t)(p - text), &g, null) != 0 || g.n != f.n)
		abort();
	for (i = 0; i < f.n; i++)
		if (!cidr_same_prefix(&f.entries[i].cidr, &g.entries[i].cidr) ||
		    f.entries[i].cidr.kind != g.entries[i].cidr.kind)
			abort();
	free(text);
	cidr_list_free(&g);
	cidr_list_free(&f);
	return 0;
}
