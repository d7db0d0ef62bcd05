/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The table as snatctl holds it: a list of CIDRs in the order given, each
 * with the line it came from, with the duplicate check every input needs
 * (a prefix may be listed once, whatever its kind).
 */
#ifndef CIDRS_H
#define CIDRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vpcsnat/shared.h>

struct cidr_entry {
	struct vpcsnat_cidr cidr;
	unsigned long line;	/* in the input; 0 if it came from elsewhere */
};

struct cidr_list {
	struct cidr_entry *entries;
	size_t n, cap;
	uint32_t *slot;		/* open addressing on the prefix: index + 1; 0 = empty */
	size_t nslots;
};

/*
 * Appends c (from line) unless its prefix is already listed, whatever the
 * kind; returns the entry already holding it, or NULL. Sets *oom, and
 * returns NULL, if memory ran out.
 */
const struct cidr_entry *cidr_list_add(struct cidr_list *l, const struct vpcsnat_cidr *c,
				       unsigned long line, bool *oom);
void cidr_list_free(struct cidr_list *l);

/* l's CIDRs sorted by address, prefix length, kind, in a malloc()ed array; NULL if memory ran out. */
struct vpcsnat_cidr *cidr_list_sorted(const struct cidr_list *l);

/*
 * Whether a and b hold the same CIDRs, kinds included, in any order: 1 if
 * so, 0 if not, -1 if memory ran out.
 */
int cidr_list_same(const struct cidr_list *a, const struct cidr_list *b);

#endif
