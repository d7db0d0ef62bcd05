/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the fuzzers hold every accepted prefix to: the kernel's rules. */
#ifndef FUZZ_CANONICAL_H
#define FUZZ_CANONICAL_H

#include <stdbool.h>

#include "cidrs.h"

/* Length within the address, no host bit, a kind, not IPv4-mapped; the other family zero. */
static inline bool canonical(const struct cidr *c)
{
	struct vpcsnat_cidr6 c6 = { c->addr6, c->plen, c->kind };
	uint64_t hi = c->plen >= 64 ? ~0ULL : c->plen ? ~0ULL << (64 - c->plen) : 0;
	uint64_t lo = c->plen <= 64 ? 0 : c->plen >= 128 ? ~0ULL : ~0ULL << (128 - c->plen);
	uint32_t mask = c->plen >= 32 ? ~0U : c->plen ? ~0U << (32 - c->plen) : 0;

	if (c->kind > VPCSNAT_KIND_MAX)
		return false;
	if (c->v6)
		return c->plen <= 128 && !c->addr && !(c->addr6.hi & ~hi) &&
		       !(c->addr6.lo & ~lo) && !vpcsnat_in6_v4_mapped(&c6);
	return c->plen <= 32 && !(c->addr & ~mask) && !c->addr6.hi && !c->addr6.lo;
}

#endif
