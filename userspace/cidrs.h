/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The table as snatctl holds it: a list of CIDRs of both families in the
 * order given, each with the line it came from, with the duplicate check
 * every input needs (a prefix may be listed once, whatever its kind).
 */
#ifndef CIDRS_H
#define CIDRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

struct cidr_entry {
	struct cidr cidr;
	unsigned long line;	/* in the input; 0 if it came from elsewhere */
};

struct cidr_list {
	struct cidr_entry *entries;
	size_t n, cap;
	uint32_t *slot;		/* open addressing on the prefix: index + 1; 0 = empty */
	size_t nslots;
	size_t n6;		/* how many of the n are IPv6 */
};

/* Whether a and b are the same prefix (family, address, length), whatever the kind. */
bool cidr_same_prefix(const struct cidr *a, const struct cidr *b);
/* The kernel's order: IPv4 before IPv6, then address, prefix length, kind. */
int cidr_cmp(const struct cidr *a, const struct cidr *b);

/*
 * Appends c (from line) unless its prefix is already listed, whatever the
 * kind; returns the entry already holding it, or NULL. Sets *oom, and
 * returns NULL, if memory ran out.
 */
const struct cidr_entry *cidr_list_add(struct cidr_list *l, const struct cidr *c,
				       unsigned long line, bool *oom);
void cidr_list_free(struct cidr_list *l);

/* l's CIDRs in cidr_cmp()'s order, in a malloc()ed array; NULL if memory ran out. */
struct cidr *cidr_list_sorted(const struct cidr_list *l);

/*
 * How many of l's entries from first one REPLACE_CIDRS message carries: at
 * most VPCSNAT_MAX_CIDRS_PER_MSG, or VPCSNAT_MAX_CIDRS6_PER_MSG if one of
 * them is IPv6 (an IPv6 nest is larger; the nest's length is 16 bits).
 */
size_t cidr_list_chunk(const struct cidr_list *l, size_t first);

/*
 * Whether a and b hold the same CIDRs, kinds included, in any order: 1 if
 * so, 0 if not, -1 if memory ran out.
 */
int cidr_list_same(const struct cidr_list *a, const struct cidr_list *b);

#endif
