// SPDX-License-Identifier: GPL-2.0
/*
 * lookup_count N M: builds a table of N random prefixes with module/table.c
 * and does M lookups of random addresses inside bench_lookups(), for
 * callgrind to count (tests/bench/callgrind.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include "../../module/table.h"
#include "../unit/xorshift.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	return xorshift(&state);
}

__attribute__((noinline)) unsigned int
bench_lookups(const struct vpcsnat_table *t, const uint32_t *addrs,
	      unsigned int m)
{
	unsigned int hits = 0;

	for (unsigned int i = 0; i < m; i++)
		hits += vpcsnat_table_lookup(t, addrs[i]) != VPCSNAT_KIND_NONE;
	return hits;
}

static int cmp(const void *a, const void *b)
{
	const struct vpcsnat_cidr *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->plen - y->plen;
}

int main(int argc, char **argv)
{
	static const unsigned char lens[] = { 8, 12, 12, 16, 16, 16, 20, 20,
					      22, 22, 24, 24, 24, 24, 24, 28,
					      32, 32 };
	unsigned int n = argc > 2 ? atoi(argv[1]) : 10;
	unsigned int m = argc > 2 ? atoi(argv[2]) : 1000;
	struct vpcsnat_cidr *c = calloc(n + 1, sizeof(*c)), bad;
	uint32_t *addrs = calloc(m, sizeof(*addrs));
	struct vpcsnat_table *t;
	unsigned int i, k = 0;

	/* Random prefixes, drawn until n distinct ones (short ones repeat). */
	while (k < n) {
		unsigned int plen = lens[rnd() % sizeof(lens)];

		c[k].plen = plen;
		c[k].addr = rnd() & (plen ? ~0u << (32 - plen) : 0);
		c[k].kind = rnd() % 3;
		if (++k == n) {
			qsort(c, k, sizeof(*c), cmp);
			for (i = 1, k = 1; i < n; i++)
				if (cmp(&c[k - 1], &c[i]))
					c[k++] = c[i];
		}
	}
	if (vpcsnat_table_build(c, k, &t, &bad))
		return 1;
	for (i = 0; i < m; i++)
		addrs[i] = rnd();
	printf("entries %u ranges %u index_bits %u hits %u\n", t->nr_entries,
	       t->nr_ranges, 32 - t->shift, bench_lookups(t, addrs, m));
	vpcsnat_table_put(t);
	free(c);
	free(addrs);
	return 0;
}
