// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of module/table.c, built for userspace: random tables
 * and addresses, every answer compared with a linear longest-prefix scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include "../../module/decision.h"
#include "../../module/table_ref.h"
#include "xorshift.h"
#include <linux/vpcsnat.h>

static int failed, passed;
static bool named;	/* print a PASS line for each check, not a summary */

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
		if (named) {						\
			printf("PASS: " __VA_ARGS__);			\
			printf("\n");					\
		}							\
	} else {							\
		failed++;						\
		printf("FAIL: " __VA_ARGS__);				\
		printf("\n");						\
	}								\
} while (0)

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(void)
{
	return xorshift(&rng_state);
}

/* Prefixes clustered so that they nest and overlap often. */
static struct vpcsnat_cidr random_cidr(void)
{
	static const uint32_t bases[] = { 0x0a000000, 0xac100000, 0xc0a80000,
					  0x00000000, 0xffffff00 };
	struct vpcsnat_cidr c;
	uint32_t addr = rnd() % 4 ? bases[rnd() % 5] ^ (rnd() & 0x00ffffff)
				  : rnd();

	c.plen = rnd() % 8 ? 8 + rnd() % 25 : rnd() % 33;
	c.addr = addr & vpcsnat_ref_mask(c.plen);
	c.kind = rnd() % 3;
	return c;
}

static uint32_t probe_addr(const struct vpcsnat_cidr *c, unsigned int n)
{
	const struct vpcsnat_cidr *e;

	switch (rnd() % 4) {
	case 0:
		return rnd();
	case 1:
		if (!n)
			return rnd();
		e = &c[rnd() % n];
		return e->addr;
	case 2:
		if (!n)
			return 0;
		e = &c[rnd() % n];
		return e->addr | ~vpcsnat_ref_mask(e->plen);	/* last address */
	default:
		if (!n)
			return ~0u;
		e = &c[rnd() % n];
		return (e->addr | ~vpcsnat_ref_mask(e->plen)) + 1;	/* just past it */
	}
}

static int cmp_cidr(const void *a, const void *b)
{
	const struct vpcsnat_cidr *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->plen - y->plen;
}

/* Drop repeated prefixes, then shuffle so that build has to sort. */
static unsigned int dedup(struct vpcsnat_cidr *c, unsigned int n)
{
	unsigned int out = 0;

	qsort(c, n, sizeof(*c), cmp_cidr);
	for (unsigned int i = 0; i < n; i++)
		if (!out || cmp_cidr(&c[out - 1], &c[i]))
			c[out++] = c[i];
	for (unsigned int i = out; i > 1; i--) {
		unsigned int j = rnd() % i;
		struct vpcsnat_cidr tmp = c[i - 1];

		c[i - 1] = c[j];
		c[j] = tmp;
	}
	return out;
}

static void compare(const struct vpcsnat_table *t,
		    const struct vpcsnat_cidr *c, unsigned int n,
		    const char *what, int round)
{
	int probes = n > 10000 ? 300 : 2000;
	int bad = 0;

	for (int k = 0; k < probes && !bad; k++) {
		uint32_t a = probe_addr(c, n);
		int r = vpcsnat_ref_match_index(c, n, a);
		uint8_t want = r < 0 ? VPCSNAT_KIND_NONE : c[r].kind;
		uint8_t got = vpcsnat_table_lookup(t, a);
		struct vpcsnat_cidr m;
		bool found = vpcsnat_table_match(t, a, &m);

		if (got != want || found != (r >= 0) ||
		    (found && (m.addr != c[r].addr || m.plen != c[r].plen ||
			       m.kind != c[r].kind))) {
			printf("FAIL: %s round %d: addr %08" PRIx32
			       " kind %u want %u\n", what, round, a, got, want);
			bad = 1;
		}
	}
	CHECK(!bad, "%s round %d", what, round);
	CHECK(t->nr_ranges <= 2 * (uint64_t)t->nr_entries + 1,
	      "%s round %d: %u ranges for %u entries", what, round,
	      t->nr_ranges, t->nr_entries);
	CHECK(vpcsnat_table_bytes(n) <= 16 * (uint64_t)n + 128,
	      "%s round %d: %zu bytes for %u prefixes", what, round,
	      vpcsnat_table_bytes(n), n);
}

static void test_fixed(void)
{
	struct vpcsnat_cidr c[] = {
		{ 0x0a000000, 16, VPCSNAT_KIND_VPC },	/* 10.0.0.0/16 */
		{ 0x0a000200, 24, VPCSNAT_KIND_SNAT },	/* 10.0.2.0/24 */
		{ 0x0a000280, 32, VPCSNAT_KIND_EXCLUDE },
		{ 0x00000000, 0, VPCSNAT_KIND_EXCLUDE },
	};
	struct vpcsnat_cidr bad, dup[2] = { c[0], c[0] };
	struct vpcsnat_cidr hostbits = { 0x0a000001, 16, VPCSNAT_KIND_VPC };
	struct vpcsnat_table *t, *t2;

	CHECK(!vpcsnat_table_build(c, 4, &t, &bad), "build fixed table");
	CHECK(vpcsnat_table_lookup(t, 0x0a000101) == VPCSNAT_KIND_VPC,
	      "10.0.1.1 is vpc");
	CHECK(vpcsnat_table_lookup(t, 0x0a000201) == VPCSNAT_KIND_SNAT,
	      "snat inside vpc wins");
	CHECK(vpcsnat_table_lookup(t, 0x0a000280) == VPCSNAT_KIND_EXCLUDE,
	      "/32 inside snat wins");
	CHECK(vpcsnat_table_lookup(t, 0x0a000281) == VPCSNAT_KIND_SNAT,
	      "address after /32 back to snat");
	CHECK(vpcsnat_table_lookup(t, 0xffffffff) == VPCSNAT_KIND_EXCLUDE,
	      "/0 covers 255.255.255.255");
	CHECK(vpcsnat_table_add(t, &c[0], &t2) == -EEXIST,
	      "add of an existing prefix is EEXIST");
	CHECK(vpcsnat_table_del(t, &hostbits, &t2) == -ENOENT,
	      "del of a missing prefix is ENOENT");
	CHECK(vpcsnat_table_add(t, &hostbits, &t2) == -EINVAL,
	      "add with host bits set is EINVAL");
	CHECK(vpcsnat_table_build(dup, 2, &t2, &bad) == -EEXIST &&
	      bad.addr == 0x0a000000, "build with a duplicate is EEXIST");
	vpcsnat_table_put(t);
}

/* Each reason, in the order the decision checks them. */
static void test_decide(void)
{
	struct vpcsnat_cidr c[] = {
		{ 0x0a000000, 16, VPCSNAT_KIND_VPC },
		{ 0x0a000200, 24, VPCSNAT_KIND_SNAT },
		{ 0xac1f0000, 16, VPCSNAT_KIND_EXCLUDE },
	};
	struct vpcsnat_settings s = { .enabled = true,
				      .skip = { .nr = 1, .name = { "vlan" } } };
	struct vpcsnat_conn conn = { .oifname = "eth0" };
	struct vpcsnat_table *t;
	struct vpcsnat_cidr bad;
	static const struct {
		const char *what;
		uint32_t dst;
		bool enabled, external, src_local, dst_local;
		const char *oif;
		enum vpcsnat_reason want;
	} cases[] = {
		{ "disabled", 0x08080808, false, false, false, false, "eth0", VPCSNAT_REASON_DISABLED },
		{ "external snat", 0x08080808, true, true, true, true, "vlan1", VPCSNAT_REASON_EXTERNAL_SNAT },
		{ "source local", 0x08080808, true, false, true, true, "vlan1", VPCSNAT_REASON_SRC_LOCAL },
		{ "destination local", 0x0a000101, true, false, false, true, "vlan1", VPCSNAT_REASON_DST_LOCAL },
		{ "skip iface prefix", 0x08080808, true, false, false, false, "vlan.7", VPCSNAT_REASON_SKIP_IFACE },
		{ "iface only shares a prefix with vlan", 0x08080808, true, false, false, false, "vla",
		  VPCSNAT_REASON_NO_MATCH },
		{ "vpc", 0x0a000101, true, false, false, false, "eth0", VPCSNAT_REASON_VPC },
		{ "exclude", 0xac1f0032, true, false, false, false, "eth0", VPCSNAT_REASON_EXCLUDE },
		{ "snat inside vpc", 0x0a000203, true, false, false, false, "eth0", VPCSNAT_REASON_SNAT_ENTRY },
		{ "no match", 0x08080808, true, false, false, false, NULL, VPCSNAT_REASON_NO_MATCH },
	};

	vpcsnat_table_build(c, 3, &t, &bad);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum vpcsnat_reason r;

		s.enabled = cases[i].enabled;
		s.external_snat = cases[i].external;
		conn.daddr = htonl(cases[i].dst);
		conn.src_local = cases[i].src_local;
		conn.dst_local = cases[i].dst_local;
		conn.oifname = cases[i].oif;
		r = vpcsnat_decide(&s, t, &conn);
		CHECK(r == cases[i].want, "decide: %s: reason %d, want %d",
		      cases[i].what, r, cases[i].want);
		CHECK(vpcsnat_translates(r) ==
		      (cases[i].want >= VPCSNAT_REASON_SNAT_ENTRY),
		      "decide: %s: translates", cases[i].what);
	}
	vpcsnat_table_put(t);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 300;
	struct vpcsnat_cidr *c = malloc(sizeof(*c) * 300000);
	struct vpcsnat_cidr *copy = malloc(sizeof(*c) * 300000);

	named = true;
	test_fixed();
	test_decide();
	named = false;
	for (int round = 0; round < rounds; round++) {
		unsigned int n = round % 10 == 0 ? 0 : rnd() % (round < 100 ? 16 : 4000);

		/* A few large tables, so that the index is at its widest. */
		if (round % 100 == 55)
			n = 150000 + rnd() % 100000;
		struct vpcsnat_table *t, *inc, *next;
		struct vpcsnat_cidr bad;

		for (unsigned int i = 0; i < n; i++)
			c[i] = random_cidr();
		n = dedup(c, n);
		memcpy(copy, c, n * sizeof(*c));
		if (vpcsnat_table_build(copy, n, &t, &bad)) {
			CHECK(0, "build round %d", round);
			continue;
		}
		compare(t, c, n, "build", round);

		/* Incremental adds reach the same table as one build. */
		if (n <= 64) {
			vpcsnat_table_build(copy, 0, &inc, &bad);
			for (unsigned int i = 0; i < n; i++) {
				if (vpcsnat_table_add(inc, &c[i], &next)) {
					CHECK(0, "add round %d", round);
					break;
				}
				vpcsnat_table_put(inc);
				inc = next;
			}
			compare(inc, c, n, "add", round);
			if (n) {
				unsigned int k = rnd() % n;

				CHECK(!vpcsnat_table_del(inc, &c[k], &next),
				      "del round %d", round);
				vpcsnat_table_put(inc);
				inc = next;
				c[k] = c[n - 1];
				compare(inc, c, n - 1, "del", round);
			}
			vpcsnat_table_put(inc);
		}
		vpcsnat_table_put(t);
	}
	free(c);
	free(copy);
	printf("%s: table differential test, %d random tables (%d checks, %d failed)\n",
	       failed ? "FAIL" : "PASS", rounds, passed + failed, failed);
	return failed ? 1 : 0;
}
