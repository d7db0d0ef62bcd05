// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The table as snatctl holds it; see cidrs.h. */
#include <stdlib.h>
#include <string.h>

#include "cidrs.h"

bool cidr_same_prefix(const struct cidr *a, const struct cidr *b)
{
	return a->v6 == b->v6 && a->plen == b->plen && a->addr == b->addr &&
	       a->addr6.hi == b->addr6.hi && a->addr6.lo == b->addr6.lo;
}

/* splitmix64's finalizer: an IPv6 prefix differs in any of its 128 bits. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ x >> 27) * 0x94d049bb133111ebULL;
	return x ^ x >> 31;
}

static size_t slot_hash(const struct cidr *c, size_t nslots)
{
	uint64_t h = c->v6 ? mix(mix(c->addr6.hi ^ c->plen) ^ c->addr6.lo) :
		     ((uint64_t)c->addr << 8 | c->plen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (nslots - 1);
}

static bool grow_slots(struct cidr_list *l)
{
	size_t nslots = l->nslots ? l->nslots * 2 : 1024, i, h;
	uint32_t *slot = calloc(nslots, sizeof(*slot));

	if (!slot)
		return false;
	for (i = 0; i < l->n; i++) {
		for (h = slot_hash(&l->entries[i].cidr, nslots); slot[h]; h = (h + 1) & (nslots - 1))
			;
		slot[h] = (uint32_t)i + 1;
	}
	free(l->slot);
	l->slot = slot;
	l->nslots = nslots;
	return true;
}

const struct cidr_entry *cidr_list_add(struct cidr_list *l, const struct cidr *c,
				       unsigned long line, bool *oom)
{
	size_t h;

	if ((l->n + 1) * 2 > l->nslots && !grow_slots(l))
		goto nomem;
	for (h = slot_hash(c, l->nslots); l->slot[h]; h = (h + 1) & (l->nslots - 1)) {
		const struct cidr_entry *e = &l->entries[l->slot[h] - 1];

		if (cidr_same_prefix(&e->cidr, c))
			return e;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct cidr_entry *n = realloc(l->entries, cap * sizeof(*n));

		if (!n)
			goto nomem;
		l->entries = n;
		l->cap = cap;
	}
	l->entries[l->n].cidr = *c;
	l->entries[l->n].line = line;
	l->slot[h] = (uint32_t)++l->n;
	l->n6 += c->v6;
	return NULL;
nomem:
	*oom = true;
	return NULL;
}

void cidr_list_free(struct cidr_list *l)
{
	free(l->entries);
	free(l->slot);
	memset(l, 0, sizeof(*l));
}

int cidr_cmp(const struct cidr *x, const struct cidr *y)
{
	if (x->v6 != y->v6)
		return x->v6 ? 1 : -1;
	if (x->addr6.hi != y->addr6.hi)
		return x->addr6.hi < y->addr6.hi ? -1 : 1;
	if (x->addr6.lo != y->addr6.lo)
		return x->addr6.lo < y->addr6.lo ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static int sort_cmp(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

struct cidr *cidr_list_sorted(const struct cidr_list *l)
{
	struct cidr *v = malloc((l->n ? l->n : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < l->n; i++)
		v[i] = l->entries[i].cidr;
	qsort(v, l->n, sizeof(*v), sort_cmp);
	return v;
}

size_t cidr_list_chunk(const struct cidr_list *l, size_t first)
{
	size_t n = 0;
	bool v6 = false;

	while (first + n < l->n) {
		v6 = v6 || l->entries[first + n].cidr.v6;
		if (n + 1 > (v6 ? VPCSNAT_MAX_CIDRS6_PER_MSG : VPCSNAT_MAX_CIDRS_PER_MSG))
			break;
		n++;
	}
	return n;
}

int cidr_list_same(const struct cidr_list *a, const struct cidr_list *b)
{
	struct cidr *x, *y;
	size_t i;
	int same;

	if (a->n != b->n)
		return 0;
	x = cidr_list_sorted(a);
	y = cidr_list_sorted(b);
	same = x && y ? 1 : -1;
	/* Padding bytes are never initialized: compare field by field. */
	for (i = 0; same == 1 && i < a->n; i++)
		if (!cidr_same_prefix(&x[i], &y[i]) || x[i].kind != y[i].kind)
			same = 0;
	free(x);
	free(y);
	return same;
}
