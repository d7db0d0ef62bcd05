// SPDX-License-Identifier: GPL-2.0
/*
 * lookup_count FAMILY SHAPE N M: builds a table of N random prefixes with
 * module/table.c (FAMILY 4) or module/table6.c (6) and does M lookups of
 * random addresses inside bench_lookups(), for callgrind to count
 * (tests/bench/callgrind.sh). SHAPE spread draws prefixes and addresses from
 * the whole address space; clustered from one block, as a VPC's tables are
 * (IPv4: 10.0.0.0/8, prefixes /16 to /32; IPv6: one /56, prefixes /60 to
 * /128), and looks up addresses in that block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../module/table_ref.h"
#include "../unit/xorshift.h"

/* How many bits after the span's prefix the index takes. */
#define INDEX_BITS(t) (32 - __builtin_popcount((t)->mask) - (t)->shift)
#define INDEX_BITS6(t) (64 - (__builtin_popcountll((t)->mask.hi) + \
			      __builtin_popcountll((t)->mask.lo) - (t)->wsh) - \
			(t)->shift)

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	return xorshift(&state);
}

static uint64_t rnd64(void)
{
	return (uint64_t)rnd() << 32 | rnd();
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

__attribute__((noinline)) unsigned int
bench_lookups6(const struct vpcsnat_table6 *t,
	       const struct vpcsnat_in6 *addrs, unsigned int m)
{
	unsigned int hits = 0;

	for (unsigned int i = 0; i < m; i++)
		hits += vpcsnat_table6_lookup(t, addrs[i]) != VPCSNAT_KIND_NONE;
	return hits;
}

static uint32_t mask4(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static uint64_t mask64(int plen)
{
	if (plen <= 0)
		return 0;
	return plen >= 64 ? ~0ull : ~0ull << (64 - plen);
}

static int cmp4(const void *a, const void *b)
{
	const struct vpcsnat_cidr *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->plen - y->plen;
}

/* Sorts the n prefixes and drops duplicates: how many are left. */
static unsigned int uniq(void *c, unsigned int n, size_t size,
			 int (*cmp)(const void *, const void *))
{
	char *p = c;
	unsigned int i, k = 1;

	qsort(c, n, size, cmp);
	for (i = 1; i < n; i++)
		if (cmp(p + (k - 1) * size, p + i * size))
			memcpy(p + k++ * size, p + i * size, size);
	return n ? k : 0;
}

static int bench4(int clustered, unsigned int n, unsigned int m)
{
	static const unsigned char lens[] = { 8, 12, 12, 16, 16, 16, 20, 20,
					      22, 22, 24, 24, 24, 24, 24, 28,
					      32, 32 };
	static const unsigned char clens[] = { 16, 20, 22, 24, 24, 24, 26,
					       28, 28, 30, 32, 32, 32 };
	struct vpcsnat_cidr *c = calloc(n + 1, sizeof(*c)), bad;
	uint32_t *addrs = calloc(m, sizeof(*addrs));
	uint32_t block = 0x0a000000, bmask = clustered ? mask4(8) : 0;
	struct vpcsnat_table *t;
	unsigned int i, k = 0;

	/* Random prefixes, drawn until n distinct ones (short ones repeat). */
	while (k < n) {
		unsigned int plen = clustered ? clens[rnd() % sizeof(clens)] :
						lens[rnd() % sizeof(lens)];

		c[k].plen = plen;
		c[k].addr = ((rnd() & ~bmask) | (block & bmask)) & mask4(plen);
		c[k].kind = rnd() % 3;
		if (++k == n)
			k = uniq(c, n, sizeof(*c), cmp4);
	}
	if (vpcsnat_table_build(c, k, &t, &bad))
		return 1;
	for (i = 0; i < m; i++)
		addrs[i] = (rnd() & ~bmask) | (block & bmask);
	printf("family 4 shape %s entries %u ranges %u index_bits %u hits %u\n",
	       clustered ? "clustered" : "spread", t->nr_entries, t->nr_ranges,
	       INDEX_BITS(t), bench_lookups(t, addrs, m));
	vpcsnat_table_put(t);
	free(c);
	free(addrs);
	return 0;
}

static int bench6(int clustered, unsigned int n, unsigned int m)
{
	static const unsigned char lens[] = { 16, 24, 32, 32, 40, 48, 48, 48,
					      56, 56, 56, 64, 64, 64, 64, 80,
					      96, 128 };
	static const unsigned char clens[] = { 60, 64, 64, 64, 72, 80, 96,
					       112, 120, 124, 128, 128 };
	/* 2600:1f14:abc:de00::/56 */
	const struct vpcsnat_in6 block = { 0x26001f140abcde00ull, 0 };
	uint64_t bmask = clustered ? mask64(56) : 0;
	struct vpcsnat_cidr6 *c = calloc(n + 1, sizeof(*c)), bad;
	struct vpcsnat_in6 *addrs = calloc(m, sizeof(*addrs));
	struct vpcsnat_table6 *t;
	unsigned int i, k = 0;

	while (k < n) {
		unsigned int plen = clustered ? clens[rnd() % sizeof(clens)] :
						lens[rnd() % sizeof(lens)];

		c[k].plen = plen;
		c[k].addr.hi = ((rnd64() & ~bmask) | (block.hi & bmask)) &
			       mask64(plen);
		c[k].addr.lo = rnd64() & mask64(plen - 64);
		c[k].kind = rnd() % 3;
		if (++k == n)
			k = uniq(c, n, sizeof(*c), vpcsnat_ref6_cmp);
	}
	if (vpcsnat_table6_build(c, k, &t, &bad))
		return 1;
	for (i = 0; i < m; i++) {
		addrs[i].hi = (rnd64() & ~bmask) | (block.hi & bmask);
		addrs[i].lo = rnd64();
	}
	printf("family 6 shape %s entries %u ranges %u index_bits %u hits %u\n",
	       clustered ? "clustered" : "spread", t->nr_entries, t->nr_ranges,
	       INDEX_BITS6(t), bench_lookups6(t, addrs, m));
	vpcsnat_table6_put(t);
	free(c);
	free(addrs);
	return 0;
}

int main(int argc, char **argv)
{
	int v6 = argc > 1 && !strcmp(argv[1], "6");
	int clustered = argc > 2 && !strcmp(argv[2], "clustered");
	unsigned int n = argc > 3 ? atoi(argv[3]) : 10;
	unsigned int m = argc > 4 ? atoi(argv[4]) : 1000;

	return v6 ? bench6(clustered, n, m) : bench4(clustered, n, m);
}
