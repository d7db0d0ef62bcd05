// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/table.c and table6.c: the input is a sequence
 * of add, del, rebuild and lookup operations on an IPv4 and an IPv6 table;
 * after each, the table must agree with a linear longest-prefix scan of the
 * prefixes that should be in it. An operation is a byte (bits 0-1 the
 * operation, 2-3 the kind, 4 IPv6), the address (4 or 16 bytes) and the
 * prefix length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../module/table_ref.h"
#include <linux/vpcsnat.h>

#define MAX 256

/* The IPv4 table: operations of 6 bytes. */

static void parse4(const uint8_t *d, struct vpcsnat_cidr *x, uint32_t *addr)
{
	memcpy(addr, d + 1, 4);
	x->plen = d[5] % 34;	/* 33: invalid on purpose */
	x->kind = d[0] >> 2 & 3;	/* 3: invalid on purpose */
	x->addr = x->plen <= 32 ? *addr & vpcsnat_ref_mask(x->plen) : *addr;
	if (d[5] & 0x80)
		x->addr = *addr;	/* maybe host bits set */
}

static bool same_prefix4(const struct vpcsnat_cidr *a,
			 const struct vpcsnat_cidr *b)
{
	return a->addr == b->addr && a->plen == b->plen;
}

static uint32_t last4(uint32_t a, unsigned int plen)
{
	return a | ~vpcsnat_ref_mask(plen);
}

static uint32_t next4(uint32_t a)
{
	return a + 1;
}

#define STATE state4
#define STATE_CHECK check4
#define OP op4
#define CIDR vpcsnat_cidr
#define TABLE vpcsnat_table
#define KEY uint32_t
#define KEY_BITS 32
#define TABLE_FN(name) vpcsnat_table_##name
#define CIDR_CHECK vpcsnat_cidr_check
#define REF_LOOKUP vpcsnat_ref_lookup
#define parse parse4
#define same_prefix same_prefix4
#define prefix_end last4
#define succ next4
#include "table_fuzz_op.h"
#undef parse
#undef same_prefix
#undef prefix_end
#undef succ

/* The IPv6 table: operations of 18 bytes. */

static void parse6(const uint8_t *d, struct vpcsnat_cidr6 *x,
		   struct vpcsnat_in6 *addr)
{
	memcpy(addr, d + 1, 16);
	x->plen = d[17] % 130;	/* 129: invalid on purpose */
	x->kind = d[0] >> 2 & 3;
	x->addr = *addr;
	if (x->plen <= 128 && !(d[17] & 0x80))
		x->addr = vpcsnat_ref6_end(*addr, x->plen, false);
}

static bool same_prefix6(const struct vpcsnat_cidr6 *a,
			 const struct vpcsnat_cidr6 *b)
{
	return a->addr.hi == b->addr.hi && a->addr.lo == b->addr.lo &&
	       a->plen == b->plen;
}

static struct vpcsnat_in6 last6(struct vpcsnat_in6 a, unsigned int plen)
{
	return vpcsnat_ref6_end(a, plen, true);
}

static struct vpcsnat_in6 next6(struct vpcsnat_in6 a)
{
	a.lo++;
	a.hi += !a.lo;
	return a;
}

#define STATE state6
#define STATE_CHECK check6
#define OP op6
#define CIDR vpcsnat_cidr6
#define TABLE vpcsnat_table6
#define KEY struct vpcsnat_in6
#define KEY_BITS 128
#define TABLE_FN(name) vpcsnat_table6_##name
#define CIDR_CHECK vpcsnat_cidr6_check
#define REF_LOOKUP vpcsnat_ref6_lookup
#define parse parse6
#define same_prefix same_prefix6
#define prefix_end last6
#define succ next6
#include "table_fuzz_op.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state4 s4;
	static struct state6 s6;
	struct vpcsnat_cidr6 bad6;
	struct vpcsnat_cidr bad;

	s4.n = s6.n = 0;
	if (vpcsnat_table_build(NULL, 0, &s4.t, &bad) ||
	    vpcsnat_table6_build(NULL, 0, &s6.t, &bad6))
		abort();
	while (size >= 6) {
		size_t len = data[0] & 0x10 ? 18 : 6;

		if (size < len)
			break;
		if (len == 6)
			op4(&s4, data);
		else
			op6(&s6, data);
		data += len;
		size -= len;
	}
	vpcsnat_table_put(s4.t);
	vpcsnat_table6_put(s6.t);
	return 0;
}
