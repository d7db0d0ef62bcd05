// SPDX-License-Identifier: GPL-2.0
/*
 * The CIDR table: an immutable, sorted set of IPv4 prefixes, each with a
 * kind, flattened into disjoint ranges for the lookup. Every change builds a
 * new table; publishing it is the caller's business (RCU in the module).
 */

#include "table.h"

#include <linux/vpcsnat.h>

#define META(plen, kind) ((u8)((plen) | (kind) << 6))
#define META_PLEN(m) ((m) & 0x3f)
#define META_KIND(m) ((m) >> 6)

static inline u32 prefix_mask(u8 plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

int vpcsnat_cidr_check(const struct vpcsnat_cidr *c)
{
	if (c->plen > 32 || c->kind > VPCSNAT_KIND_MAX)
		return -EINVAL;
	if (c->addr & ~prefix_mask(c->plen))
		return -EINVAL;
	return 0;
}

static int cidr_cmp(const struct vpcsnat_cidr *a, const struct vpcsnat_cidr *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

static int cidr_sort_cmp(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

/* Index bits for a table of up to @max_ranges ranges: ~4 ranges a bucket. */
static unsigned int index_bits(size_t max_ranges)
{
	unsigned int bits = 0;

	while (bits < 20 && ((size_t)4 << (bits + 1)) <= max_ranges)
		bits++;
	return bits;
}

size_t vpcsnat_table_bytes(u32 nr_entries)
{
	size_t max_ranges = 2 * (size_t)nr_entries + 1;

	return sizeof(struct vpcsnat_table) +
	       (((size_t)1 << index_bits(max_ranges)) + 1) * sizeof(u32) +
	       max_ranges * sizeof(u32) + (max_ranges + 3) / 4 +
	       nr_entries * (sizeof(u32) + 1);
}

/* One allocation, laid out in the order of struct vpcsnat_table. */
static struct vpcsnat_table *table_alloc(u32 nr_entries)
{
	size_t max_ranges = 2 * (size_t)nr_entries + 1;
	unsigned int bits = index_bits(max_ranges);
	struct vpcsnat_table *t;

	/* Sized by the caller: failing is an error to report, not to warn of. */
	t = kvmalloc(vpcsnat_table_bytes(nr_entries),
		     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!t)
		return NULL;
	t->hits = kvmalloc(nr_entries * sizeof(u32) + 1,
			   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!t->hits) {
		kvfree(t);
		return NULL;
	}
	memset(t->hits, 0, nr_entries * sizeof(u32));
	refcount_set(&t->ref, 1);
	t->nr_entries = nr_entries;
	t->nr_ranges = 0;
	t->shift = 32 - bits;
	t->index = (u32 *)(t + 1);
	t->starts = t->index + ((size_t)1 << bits) + 1;
	t->addrs = t->starts + max_ranges;
	t->meta = (u8 *)(t->addrs + nr_entries);
	t->kinds = t->meta + nr_entries;
	return t;
}

void vpcsnat_table_put(struct vpcsnat_table *t)
{
	if (t && refcount_dec_and_test(&t->ref)) {
		kvfree(t->hits);
		kvfree(t);
	}
}

static void set_range_kind(struct vpcsnat_table *t, u32 i, u8 kind)
{
	u8 *k = &t->kinds[i / 4];

	*k = (*k & ~(3 << (i % 4 * 2))) | kind << (i % 4 * 2);
}

static void emit_range(struct vpcsnat_table *t, u32 start, u8 kind)
{
	u32 n = t->nr_ranges;

	if (n && t->starts[n - 1] == start) {
		set_range_kind(t, n - 1, kind);
		if (n > 1 && vpcsnat_range_kind(t, n - 2) == kind)
			t->nr_ranges--;
		return;
	}
	if (n && vpcsnat_range_kind(t, n - 1) == kind)
		return;
	t->starts[n] = start;
	set_range_kind(t, n, kind);
	t->nr_ranges++;
}

/* index[b]: the range holding the first address of bucket b. */
static void build_index(struct vpcsnat_table *t)
{
	u32 nr_buckets = (u32)((u64)1 << (32 - t->shift));
	u32 b, i = 0;

	for (b = 0; b < nr_buckets; b++) {
		u32 first = (u32)((u64)b << t->shift);

		while (i + 1 < t->nr_ranges && t->starts[i + 1] <= first)
			i++;
		t->index[b] = i;
	}
	t->index[nr_buckets] = t->nr_ranges - 1;
}

/*
 * Turn the sorted, duplicate-free prefixes into disjoint ranges. Sorted by
 * (addr, plen), an enclosing prefix comes before the prefixes it encloses,
 * so one pass with a stack of open prefixes (at most 33 deep) suffices.
 */
static void flatten(struct vpcsnat_table *t)
{
	struct { u32 end; u8 kind; } stack[33];
	unsigned int depth = 0;
	u32 i;

	t->nr_ranges = 0;
	emit_range(t, 0, VPCSNAT_KIND_NONE);
	for (i = 0; i < t->nr_entries; i++) {
		u32 start = t->addrs[i];
		u8 plen = META_PLEN(t->meta[i]);
		u8 kind = META_KIND(t->meta[i]);

		while (depth && stack[depth - 1].end < start) {
			u32 next = stack[--depth].end + 1;

			emit_range(t, next, depth ? stack[depth - 1].kind :
					    VPCSNAT_KIND_NONE);
		}
		emit_range(t, start, kind);
		stack[depth].end = start | ~prefix_mask(plen);
		stack[depth].kind = kind;
		depth++;
	}
	while (depth) {
		u32 end = stack[--depth].end;

		/* Everything still open encloses this one: it ends there too. */
		if (end == ~0u)
			break;
		emit_range(t, end + 1, depth ? stack[depth - 1].kind :
					       VPCSNAT_KIND_NONE);
	}
	build_index(t);
}

static void set_entry(struct vpcsnat_table *t, u32 i,
		      const struct vpcsnat_cidr *c)
{
	t->addrs[i] = c->addr;
	t->meta[i] = META(c->plen, c->kind);
}

void vpcsnat_table_entry(const struct vpcsnat_table *t, u32 i,
			 struct vpcsnat_cidr *c)
{
	c->addr = t->addrs[i];
	c->plen = META_PLEN(t->meta[i]);
	c->kind = META_KIND(t->meta[i]);
}

/*
 * Build a table from @n prefixes. @cidrs is sorted in place (it usually
 * comes sorted: then this costs one pass). On -EINVAL or -EEXIST, *@bad is
 * the invalid or the duplicated prefix.
 */
int vpcsnat_table_build(struct vpcsnat_cidr *cidrs, u32 n,
			struct vpcsnat_table **out, struct vpcsnat_cidr *bad)
{
	struct vpcsnat_table *t;
	bool sorted = true;
	u32 i;

	for (i = 0; i < n; i++) {
		if (vpcsnat_cidr_check(&cidrs[i])) {
			*bad = cidrs[i];
			return -EINVAL;
		}
		if (i && cidr_cmp(&cidrs[i - 1], &cidrs[i]) >= 0)
			sorted = false;
	}
	if (!sorted)
		sort(cidrs, n, sizeof(*cidrs), cidr_sort_cmp, NULL);
	for (i = 1; i < n; i++) {
		if (!cidr_cmp(&cidrs[i - 1], &cidrs[i])) {
			*bad = cidrs[i];
			return -EEXIST;
		}
	}

	t = table_alloc(n);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		set_entry(t, i, &cidrs[i]);
	flatten(t);
	*out = t;
	return 0;
}

/* Index of the first entry not less than @c. */
static u32 lower_bound(const struct vpcsnat_table *t,
		       const struct vpcsnat_cidr *c)
{
	u32 lo = 0, hi = t->nr_entries;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct vpcsnat_cidr e;

		vpcsnat_table_entry(t, mid, &e);
		if (cidr_cmp(&e, c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool entry_is(const struct vpcsnat_table *t, u32 i,
		     const struct vpcsnat_cidr *c)
{
	return i < t->nr_entries && t->addrs[i] == c->addr &&
	       META_PLEN(t->meta[i]) == c->plen;
}

/*
 * Copy @old into a new table with entry @at left out (@delta -1) or with a
 * gap opened at @at (@delta +1).
 */
static struct vpcsnat_table *table_splice(const struct vpcsnat_table *old,
					  u32 at, int delta)
{
	u32 tail = old->nr_entries - at - (delta < 0);
	struct vpcsnat_table *t;

	t = table_alloc(old->nr_entries + delta);
	if (!t)
		return NULL;
	memcpy(t->addrs, old->addrs, at * sizeof(u32));
	memcpy(t->meta, old->meta, at);
	memcpy(t->addrs + at + (delta > 0), old->addrs + at + (delta < 0),
	       tail * sizeof(u32));
	memcpy(t->meta + at + (delta > 0), old->meta + at + (delta < 0), tail);
	return t;
}

int vpcsnat_table_add(const struct vpcsnat_table *old,
		      const struct vpcsnat_cidr *c, struct vpcsnat_table **out)
{
	struct vpcsnat_table *t;
	u32 at;

	if (vpcsnat_cidr_check(c))
		return -EINVAL;
	at = lower_bound(old, c);
	if (entry_is(old, at, c))
		return -EEXIST;
	t = table_splice(old, at, 1);
	if (!t)
		return -ENOMEM;
	set_entry(t, at, c);
	flatten(t);
	*out = t;
	return 0;
}

int vpcsnat_table_del(const struct vpcsnat_table *old,
		      const struct vpcsnat_cidr *c, struct vpcsnat_table **out)
{
	struct vpcsnat_table *t;
	u32 at;

	at = lower_bound(old, c);
	if (!entry_is(old, at, c))
		return -ENOENT;
	t = table_splice(old, at, -1);
	if (!t)
		return -ENOMEM;
	flatten(t);
	*out = t;
	return 0;
}

/*
 * The longest prefix containing @addr, for naming the entry that decided.
 * Agrees with vpcsnat_table_lookup() by construction; the differential test
 * checks that it does.
 */
int vpcsnat_table_match_index(const struct vpcsnat_table *t, u32 addr)
{
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		struct vpcsnat_cidr key = {
			.addr = addr & prefix_mask(plen),
			.plen = plen,
		};
		u32 at = lower_bound(t, &key);

		if (entry_is(t, at, &key))
			return at;
	}
	return -1;
}

bool vpcsnat_table_match(const struct vpcsnat_table *t, u32 addr,
			 struct vpcsnat_cidr *m)
{
	int at = vpcsnat_table_match_index(t, addr);

	if (at < 0)
		return false;
	vpcsnat_table_entry(t, at, m);
	return true;
}

/* A prefix in both tables keeps its hits: one merge walk of the two. */
void vpcsnat_table_carry_hits(struct vpcsnat_table *t,
			      const struct vpcsnat_table *old)
{
	u32 i = 0, j = 0;

	while (i < t->nr_entries && j < old->nr_entries) {
		struct vpcsnat_cidr a, b;
		int c;

		vpcsnat_table_entry(t, i, &a);
		vpcsnat_table_entry(old, j, &b);
		c = cidr_cmp(&a, &b);
		if (!c)
			t->hits[i] = READ_ONCE(old->hits[j]);
		i += c <= 0;
		j += c >= 0;
	}
}
