// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of module/table.c and table6.c, built for userspace:
 * random IPv4 and IPv6 tables and addresses, every answer compared with a
 * linear longest-prefix scan (module/table_ref.h).
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

/*
 * A clustered round's block: every prefix inside it (the table's span is
 * that block or smaller), except, if @outside, about one in eight drawn as
 * in other rounds (a /0, prefixes before and after the block).
 */
static struct {
	bool on, outside;
	unsigned int plen;
	uint32_t addr;
	struct vpcsnat_in6 addr6;
} cluster;

/* Prefixes clustered so that they nest and overlap often. */
static struct vpcsnat_cidr random_cidr(void)
{
	static const uint32_t bases[] = { 0x0a000000, 0xac100000, 0xc0a80000,
					  0x00000000, 0xffffff00 };
	struct vpcsnat_cidr c;
	uint32_t addr = rnd() % 4 ? bases[rnd() % 5] ^ (rnd() & 0x00ffffff)
				  : rnd();

	if (cluster.on && !(cluster.outside && rnd() % 8 == 0)) {
		c.plen = cluster.plen + rnd() % (33 - cluster.plen);
		c.addr = (cluster.addr | (rnd() & ~vpcsnat_ref_mask(cluster.plen))) &
			 vpcsnat_ref_mask(c.plen);
		c.kind = rnd() % 3;
		return c;
	}
	c.plen = rnd() % 8 ? 8 + rnd() % 25 : rnd() % 33;
	c.addr = addr & vpcsnat_ref_mask(c.plen);
	c.kind = rnd() % 3;
	return c;
}

static uint32_t probe_addr(const struct vpcsnat_cidr *c, unsigned int n)
{
	const struct vpcsnat_cidr *e;
	uint32_t last = cluster.addr | ~vpcsnat_ref_mask(cluster.plen);

	/* The block's edges, and just outside them on both sides. */
	if (cluster.on && rnd() % 3 == 0) {
		switch (rnd() % 5) {
		case 0:
			return cluster.addr - 1;
		case 1:
			return cluster.addr;
		case 2:
			return last;
		case 3:
			return last + 1;
		default:
			return cluster.addr | (rnd() & ~vpcsnat_ref_mask(cluster.plen));
		}
	}
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
		r = vpcsnat_decide(&s, t, NULL, &conn);
		CHECK(r == cases[i].want, "decide: %s: reason %d, want %d",
		      cases[i].what, r, cases[i].want);
		CHECK(vpcsnat_translates(r) ==
		      (cases[i].want >= VPCSNAT_REASON_SNAT_ENTRY),
		      "decide: %s: translates", cases[i].what);
	}
	vpcsnat_table_put(t);
}

/* IPv6: the same, on struct vpcsnat_table6. */

static uint64_t rnd64(void)
{
	return (uint64_t)rnd() << 32 | rnd();
}

/* @a + 1, wrapping at the last address. */
static struct vpcsnat_in6 next6(struct vpcsnat_in6 a)
{
	a.lo++;
	a.hi += !a.lo;
	return a;
}

/* The first @plen bits of @from, the rest of @rest. */
static struct vpcsnat_in6 splice6(struct vpcsnat_in6 from,
				  struct vpcsnat_in6 rest, unsigned int plen)
{
	struct vpcsnat_in6 tail = vpcsnat_ref6_end((struct vpcsnat_in6){ 0, 0 },
						   plen, true);

	from.hi = (from.hi & ~tail.hi) | (rest.hi & tail.hi);
	from.lo = (from.lo & ~tail.lo) | (rest.lo & tail.lo);
	return from;
}

/*
 * A prefix drawn around a few clusters (a /24 of a cloud, ULA, both ends of
 * the space), inside, around or just past one of the @n drawn already, so
 * that prefixes nest, border on and overlap each other often. Never one
 * that the table refuses.
 */
static struct vpcsnat_cidr6 random_cidr6(const struct vpcsnat_cidr6 *c,
					 unsigned int n)
{
	static const uint64_t bases[] = { 0x26001f0000000000ull,
					  0xfd00000000000000ull, 0, ~0ull };
	struct vpcsnat_cidr6 x;

	do {
		const struct vpcsnat_cidr6 *p = n ? &c[rnd() % n] : NULL;
		bool inside = cluster.on && !(cluster.outside && rnd() % 8 == 0);

		x.addr.hi = bases[rnd() % 4] ^ (rnd64() >> (8 + rnd() % 56));
		x.addr.lo = rnd64();
		x.plen = rnd() % 8 ? 16 + rnd() % 113 : rnd() % 129;
		x.kind = rnd() % 3;
		if (inside) {
			/* In the block, or in one of the prefixes drawn. */
			if (p && rnd() % 2 && p->plen >= cluster.plen)
				x.addr = splice6(p->addr, x.addr, p->plen);
			else
				x.addr = splice6(cluster.addr6, x.addr,
						 cluster.plen);
			x.plen = cluster.plen + rnd() % (129 - cluster.plen);
		} else if (p && rnd() % 2)
			x.addr = splice6(p->addr, x.addr, p->plen);
		else if (p && rnd() % 2)
			x.addr = next6(vpcsnat_ref6_end(p->addr, p->plen, true));
		x.addr = vpcsnat_ref6_end(x.addr, x.plen, false);
	} while (vpcsnat_cidr6_check(&x));
	return x;
}

/* An address anywhere, or at an edge of one of the @n prefixes @c. */
static struct vpcsnat_in6 probe_addr6(const struct vpcsnat_cidr6 *c,
				      unsigned int n)
{
	const struct vpcsnat_cidr6 *e = &c[n ? rnd() % n : 0];
	unsigned int how = n ? rnd() % 4 : 0;
	struct vpcsnat_in6 last = vpcsnat_ref6_end(cluster.addr6, cluster.plen,
						   true);

	/* The block's edges, and just outside them on both sides. */
	if (cluster.on && rnd() % 3 == 0) {
		struct vpcsnat_in6 before = cluster.addr6;

		before.hi -= !before.lo;
		before.lo--;
		switch (rnd() % 5) {
		case 0:
			return before;
		case 1:
			return cluster.addr6;
		case 2:
			return last;
		case 3:
			return next6(last);
		default:
			return splice6(cluster.addr6,
				       (struct vpcsnat_in6){ rnd64(), rnd64() },
				       cluster.plen);
		}
	}

	if (how == 0)
		return (struct vpcsnat_in6){ rnd64(), rnd64() };
	if (how == 1)
		return e->addr;
	if (how == 2)
		return vpcsnat_ref6_end(e->addr, e->plen, true);
	return next6(vpcsnat_ref6_end(e->addr, e->plen, true));
}

/* @t holds the @n prefixes @c: every probe's kind and entry, and its size. */
static void compare6(const struct vpcsnat_table6 *t,
		     const struct vpcsnat_cidr6 *c, unsigned int n,
		     const char *what, int round)
{
	int k, probes = n > 10000 ? 300 : 2000;

	for (k = 0; k < probes; k++) {
		struct vpcsnat_in6 a = probe_addr6(c, n);
		int r = vpcsnat_ref6_match_index(c, n, a);
		struct vpcsnat_cidr6 m;
		bool found = vpcsnat_table6_match(t, a, &m);

		if (vpcsnat_table6_lookup(t, a) == vpcsnat_ref6_lookup(c, n, a) &&
		    found == (r >= 0) && (!found || !vpcsnat_ref6_cmp(&m, &c[r])))
			continue;
		printf("FAIL: %s round %d: addr %016llx:%016llx kind %u want %u\n",
		       what, round, (unsigned long long)a.hi,
		       (unsigned long long)a.lo,
		       vpcsnat_table6_lookup(t, a), vpcsnat_ref6_lookup(c, n, a));
		break;
	}
	CHECK(k == probes, "%s round %d", what, round);
	CHECK(t->nr_entries == n && t->nr_ranges <= 2 * (uint64_t)n + 1,
	      "%s round %d: %u ranges for %u entries", what, round,
	      t->nr_ranges, t->nr_entries);
	CHECK(vpcsnat_table6_bytes(n) <= 53 * (uint64_t)n + 128,
	      "%s round %d: %zu bytes for %u prefixes", what, round,
	      vpcsnat_table6_bytes(n), n);
}

#define IN6(hi, lo) ((struct vpcsnat_in6){ hi, lo })

static void test_fixed6(void)
{
	struct vpcsnat_cidr6 c[] = {
		{ IN6(0x20010db800000000ull, 0), 32, VPCSNAT_KIND_VPC },
		{ IN6(0x20010db800000002ull, 0), 64, VPCSNAT_KIND_SNAT },
		{ IN6(0x20010db800000002ull, 0x80), 128, VPCSNAT_KIND_EXCLUDE },
		{ IN6(0, 0), 0, VPCSNAT_KIND_EXCLUDE },
		{ IN6(~0ull, ~0ull), 128, VPCSNAT_KIND_VPC },
	};
	struct vpcsnat_cidr6 hostbits = { IN6(0x20010db800000001ull, 0), 32, VPCSNAT_KIND_VPC };
	struct vpcsnat_cidr6 mapped = { IN6(0, 0xffff0a000000ull), 104, VPCSNAT_KIND_VPC };
	struct vpcsnat_cidr6 mapped96 = { IN6(0, 0xffff00000000ull), 96, VPCSNAT_KIND_VPC };
	struct vpcsnat_cidr6 around = { IN6(0, 0), 80, VPCSNAT_KIND_VPC };
	struct vpcsnat_cidr6 too_long = { IN6(0, 0), 129, VPCSNAT_KIND_VPC };
	struct vpcsnat_cidr6 bad, dup[2] = { c[0], c[0] };
	struct vpcsnat_cidr v4_long = { 0, 33, 0 }, v4_host = { 1, 31, 0 };
	struct vpcsnat_table6 *t, *t2;

	CHECK(!vpcsnat_table6_build(c, 5, &t, &bad), "v6: build fixed table");
	CHECK(vpcsnat_table6_lookup(t, IN6(0x20010db8ffffffffull, 1)) ==
	      VPCSNAT_KIND_VPC, "v6: 2001:db8:ffff:ffff::1 is vpc");
	CHECK(vpcsnat_table6_lookup(t, IN6(0x20010db800000002ull, 1)) ==
	      VPCSNAT_KIND_SNAT, "v6: snat /64 inside vpc /32 wins");
	CHECK(vpcsnat_table6_lookup(t, IN6(0x20010db800000002ull, 0x80)) ==
	      VPCSNAT_KIND_EXCLUDE, "v6: /128 inside snat wins");
	CHECK(vpcsnat_table6_lookup(t, IN6(0x20010db800000002ull, 0x81)) ==
	      VPCSNAT_KIND_SNAT, "v6: address after the /128 back to snat");
	CHECK(vpcsnat_table6_lookup(t, IN6(~0ull, ~0ull - 1)) ==
	      VPCSNAT_KIND_EXCLUDE, "v6: ::/0 covers ffff:...:fffe");
	CHECK(vpcsnat_table6_lookup(t, IN6(~0ull, ~0ull)) == VPCSNAT_KIND_VPC,
	      "v6: /128 at the last address");
	CHECK(vpcsnat_table6_add(t, &c[0], &t2) == -EEXIST,
	      "v6: add of an existing prefix is EEXIST");
	CHECK(vpcsnat_table6_del(t, &hostbits, &t2) == -ENOENT,
	      "v6: del of a missing prefix is ENOENT");
	CHECK(vpcsnat_table6_add(t, &hostbits, &t2) == -EINVAL &&
	      vpcsnat_cidr6_check(&hostbits) == VPCSNAT_CIDR_HOST_BITS,
	      "v6: add with host bits set is EINVAL, for host bits");
	CHECK(vpcsnat_table6_add(t, &mapped, &t2) == -EINVAL &&
	      vpcsnat_cidr6_check(&mapped) == VPCSNAT_CIDR_V4_MAPPED &&
	      vpcsnat_cidr6_check(&mapped96) == VPCSNAT_CIDR_V4_MAPPED,
	      "v6: a v4-mapped prefix is EINVAL, for being v4-mapped");
	CHECK(!vpcsnat_cidr6_check(&around),
	      "v6: a prefix around ::ffff:0:0/96 is an IPv6 one");
	CHECK(vpcsnat_table6_build(&too_long, 1, &t2, &bad) == -EINVAL &&
	      vpcsnat_cidr6_check(&too_long) == VPCSNAT_CIDR_PLEN,
	      "v6: a prefix length of 129 is EINVAL, for its length");
	CHECK(vpcsnat_cidr_check(&v4_long) == VPCSNAT_CIDR_PLEN &&
	      vpcsnat_cidr_check(&v4_host) == VPCSNAT_CIDR_HOST_BITS,
	      "v4: length and host bits are told apart too");
	CHECK(vpcsnat_table6_build(dup, 2, &t2, &bad) == -EEXIST &&
	      !vpcsnat_ref6_cmp(&bad, &dup[1]), "v6: build with a duplicate is EEXIST");
	vpcsnat_table6_put(t);
}

/*
 * A random IPv6 table against the reference: built at once from shuffled
 * prefixes, and for small ones also by adds, then one delete.
 */
static void round6(struct vpcsnat_cidr6 *c, struct vpcsnat_cidr6 *copy,
		   unsigned int n, int round)
{
	struct vpcsnat_table6 *t, *next;
	struct vpcsnat_cidr6 bad;
	unsigned int i, out = 0;

	for (i = 0; i < n; i++)
		c[i] = random_cidr6(c, i);
	qsort(c, n, sizeof(*c), vpcsnat_ref6_cmp);
	for (i = 0; i < n; i++)
		if (!out || vpcsnat_ref6_cmp(&c[out - 1], &c[i]))
			c[out++] = c[i];
	n = out;
	for (i = 0; i < n; i++)
		copy[n - 1 - i] = c[i];	/* reversed: build has to sort */
	if (vpcsnat_table6_build(copy, n, &t, &bad)) {
		CHECK(0, "v6 build round %d", round);
		return;
	}
	compare6(t, c, n, "v6 build", round);
	vpcsnat_table6_put(t);
	if (n > 64)
		return;

	vpcsnat_table6_build(NULL, 0, &t, &bad);
	for (i = 0; i < n && !vpcsnat_table6_add(t, &c[i], &next); i++) {
		vpcsnat_table6_put(t);
		t = next;
	}
	CHECK(i == n, "v6 add round %d", round);
	compare6(t, c, i, "v6 add", round);
	if (i) {
		unsigned int k = rnd() % i;

		bool deleted = !vpcsnat_table6_del(t, &c[k], &next);

		CHECK(deleted, "v6 del round %d", round);
		if (deleted) {
			vpcsnat_table6_put(t);
			t = next;
			c[k] = c[i - 1];
			compare6(t, c, i - 1, "v6 del", round);
		}
	}
	vpcsnat_table6_put(t);
}

/*
 * Rounds 1, 5, 9, ... and the large round 57 of each hundred draw their
 * prefixes in one block; rounds 5, 13, ... and 57 some outside it too. The
 * block is anywhere, the first and the last of the address space included.
 */
static void set_cluster(int round, unsigned int plen)
{
	static const uint64_t bases[] = { 0, ~0ull, 0x0a00000000000000ull,
					  0x26001f1400000000ull };
	uint64_t hi = rnd() % 2 ? bases[rnd() % 4] : rnd64();

	cluster.on = round % 4 == 1 || round % 100 == 57;
	cluster.outside = round % 8 == 5 || round % 100 == 57;
	cluster.plen = plen;
	cluster.addr = (hi >> 32) & vpcsnat_ref_mask(plen < 32 ? plen : 32);
	cluster.addr6 = vpcsnat_ref6_end((struct vpcsnat_in6){ hi, 0 }, plen,
					 false);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 300;
	struct vpcsnat_cidr *c = malloc(sizeof(*c) * 300000);
	struct vpcsnat_cidr *copy = malloc(sizeof(*c) * 300000);
	struct vpcsnat_cidr6 *c6 = malloc(sizeof(*c6) * 100000);
	struct vpcsnat_cidr6 *copy6 = malloc(sizeof(*c6) * 100000);

	named = true;
	test_fixed();
	test_fixed6();
	test_decide();
	named = false;
	for (int round = 0; round < rounds; round++) {
		unsigned int n = round % 10 == 0 ? 0 : rnd() % (round < 100 ? 16 : 4000);

		/* A few large tables, so that the index is at its widest. */
		if (round % 100 == 55)
			n = 150000 + rnd() % 100000;
		struct vpcsnat_table *t, *inc, *next;
		struct vpcsnat_cidr bad;

		/*
		 * One round in four clustered, in a /24 (the smallest block
		 * that holds many prefixes), a /16 or, large, a /8; half of
		 * them with prefixes outside too.
		 */
		set_cluster(round, round % 100 == 57 ? 8 : rnd() % 4 ? 24 : 16);
		if (round % 100 == 57)
			n = 150000 + rnd() % 100000;

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
	for (int round = 0; round < rounds; round++) {
		unsigned int n = round % 10 == 0 ? 0 : rnd() % (round < 100 ? 16 : 2000);

		if (round % 100 == 55)
			n = 60000 + rnd() % 40000;
		/* Clustered in a VPC's /56 or a subnet's /64. */
		set_cluster(round, rnd() % 2 ? 56 : 64);
		if (round % 100 == 57)
			n = 60000 + rnd() % 40000;
		round6(c6, copy6, n, round);
	}
	cluster.on = false;
	free(c);
	free(copy);
	free(c6);
	free(copy6);
	printf("%s: table differential test, %d random IPv4 and %d IPv6 tables (%d checks, %d failed)\n",
	       failed ? "FAIL" : "PASS", rounds, rounds, passed + failed, failed);
	return failed ? 1 : 0;
}
