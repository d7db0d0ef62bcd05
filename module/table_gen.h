/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CIDR table of one address family, written once for both: table.c
 * includes this for IPv4, table6.c for IPv6. An immutable, sorted set of
 * prefixes, each with a kind, flattened into disjoint ranges for the lookup
 * (table.h). Every change builds a new table; publishing it is the
 * caller's business (RCU in the module).
 *
 * The includer names the types and the public functions,
 *   TABLE, CIDR, KEY	struct TABLE, struct CIDR and the address type
 *   KEY_BITS		the longest prefix
 *   META_T		the type of meta[]: plen | kind << META_KIND_SHIFT
 *   TABLE_FN(name)	vpcsnat_table_##name or vpcsnat_table6_##name
 *   CIDR_CHECK		vpcsnat_cidr_check or vpcsnat_cidr6_check
 * and defines these functions of addresses (host order):
 *   key_lt(a, b), key_eq(a, b)
 *   key_mask(a, plen)	@a with the bits past @plen cleared
 *   key_last(a, plen)	@a with them set: the prefix's last address
 *   key_next(a)	@a + 1, never asked of the family's last address
 *   key_is_last(a)	@a is the family's last address
 *   family_check(c)	what else the family refuses, or VPCSNAT_CIDR_OK
 * and these of the table's span (table.h):
 *   set_span(t, a, plen, bits)  the span is @a's first @plen bits (at most
 *			KEY_BITS - 1), the index the @bits after them, or as
 *			many as the span has: sets t's base, mask and shift
 *			and says how many bits the index takes
 *   key_of_bucket(t, b)	the first address of bucket @b
 */

#define META(plen, kind) ((META_T)((plen) | (kind) << META_KIND_SHIFT))
#define META_PLEN(m) ((m) & ((1 << META_KIND_SHIFT) - 1))
#define META_KIND(m) ((m) >> META_KIND_SHIFT)

enum vpcsnat_cidr_err CIDR_CHECK(const struct CIDR *c)
{
	enum vpcsnat_cidr_err err;

	if (c->plen > KEY_BITS)
		return VPCSNAT_CIDR_PLEN;
	if (c->kind > VPCSNAT_KIND_MAX)
		return VPCSNAT_CIDR_KIND;
	err = family_check(c);
	if (err)
		return err;
	if (!key_eq(key_mask(c->addr, c->plen), c->addr))
		return VPCSNAT_CIDR_HOST_BITS;
	return VPCSNAT_CIDR_OK;
}

static int cidr_cmp(const struct CIDR *a, const struct CIDR *b)
{
	if (!key_eq(a->addr, b->addr))
		return key_lt(a->addr, b->addr) ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

static int cidr_sort_cmp(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

/*
 * Index bits for a table of up to @max_ranges ranges: ~4 ranges a bucket,
 * and at least one, so that a shift of a 64-bit window never needs 64.
 */
static unsigned int index_bits(size_t max_ranges)
{
	unsigned int bits = 1;

	while (bits < 20 && ((size_t)4 << (bits + 1)) <= max_ranges)
		bits++;
	return bits;
}

/* The index, and the padding that aligns the keys after it. */
static size_t index_bytes(unsigned int bits)
{
	size_t align = __alignof__(KEY);

	return ((((size_t)1 << bits) + 1) * sizeof(u32) + align - 1) /
	       align * align;
}

size_t TABLE_FN(bytes)(u32 nr_entries)
{
	size_t max_ranges = 2 * (size_t)nr_entries + 1;

	return sizeof(struct TABLE) + index_bytes(index_bits(max_ranges)) +
	       max_ranges * sizeof(KEY) + (max_ranges + 3) / 4 +
	       nr_entries * (sizeof(KEY) + sizeof(META_T));
}

/* One allocation, laid out in the order of struct TABLE. */
static struct TABLE *table_alloc(u32 nr_entries)
{
	size_t max_ranges = 2 * (size_t)nr_entries + 1;
	unsigned int bits = index_bits(max_ranges);
	struct TABLE *t;

	/* Sized by the caller: failing is an error to report, not to warn of. */
	t = kvmalloc(TABLE_FN(bytes)(nr_entries),
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
	t->starts = (KEY *)((char *)t->index + index_bytes(bits));
	t->addrs = t->starts + max_ranges;
	t->meta = (META_T *)(t->addrs + nr_entries);
	t->kinds = (u8 *)(t->meta + nr_entries);
	return t;
}

void TABLE_FN(put)(struct TABLE *t)
{
	if (t && refcount_dec_and_test(&t->ref)) {
		kvfree(t->hits);
		kvfree(t);
	}
}

static void set_range_kind(struct TABLE *t, u32 i, u8 kind)
{
	u8 *k = &t->kinds[i / 4];

	*k = (*k & ~(3 << (i % 4 * 2))) | kind << (i % 4 * 2);
}

static void emit_range(struct TABLE *t, KEY start, u8 kind)
{
	u32 n = t->nr_ranges;

	if (n && key_eq(t->starts[n - 1], start)) {
		set_range_kind(t, n - 1, kind);
		if (n > 1 && vpcsnat_kind_at(t->kinds, n - 2) == kind)
			t->nr_ranges--;
		return;
	}
	if (n && vpcsnat_kind_at(t->kinds, n - 1) == kind)
		return;
	t->starts[n] = start;
	set_range_kind(t, n, kind);
	t->nr_ranges++;
}

/* The length of the longest prefix @a and @b share, at most KEY_BITS - 1. */
static unsigned int common_plen(KEY a, KEY b)
{
	unsigned int plen = 0;

	while (plen < KEY_BITS - 1 &&
	       key_eq(key_mask(a, plen + 1), key_mask(b, plen + 1)))
		plen++;
	return plen;
}

/*
 * The span: the block of the longest prefix that the second and the last
 * range starts share (every start between them shares it too). index[b]:
 * the range holding the first address of bucket b of the span.
 */
static void build_index(struct TABLE *t)
{
	unsigned int bits = index_bits(2 * (size_t)t->nr_entries + 1);
	u32 last = t->nr_ranges - 1;
	u32 nr_buckets, b, i = 0;

	if (last)
		bits = set_span(t, t->starts[1],
				common_plen(t->starts[1], t->starts[last]),
				bits);
	else
		bits = set_span(t, t->starts[0], 0, bits);
	nr_buckets = (u32)1 << bits;
	for (b = 0; b < nr_buckets; b++) {
		KEY first = key_of_bucket(t, b);

		while (i + 1 < t->nr_ranges && !key_lt(first, t->starts[i + 1]))
			i++;
		t->index[b] = i;
	}
	t->index[nr_buckets] = t->nr_ranges - 1;
}

static KEY entry_last(const struct TABLE *t, u32 i)
{
	return key_last(t->addrs[i], META_PLEN(t->meta[i]));
}

/* The kind inside the innermost of the @depth prefixes @open. */
static u8 open_kind(const struct TABLE *t, const u32 *open, unsigned int depth)
{
	return depth ? META_KIND(t->meta[open[depth - 1]]) : VPCSNAT_KIND_NONE;
}

/*
 * Turn the sorted, duplicate-free prefixes into disjoint ranges. Sorted by
 * (addr, plen), an enclosing prefix comes before the prefixes it encloses,
 * so one pass with a stack of open prefixes (at most KEY_BITS + 1 deep)
 * suffices. The stack holds entry numbers: 516 bytes for IPv6.
 */
static void flatten(struct TABLE *t)
{
	u32 open[KEY_BITS + 1];
	unsigned int depth = 0;
	u32 i;

	t->nr_ranges = 0;
	emit_range(t, (KEY){ 0 }, VPCSNAT_KIND_NONE);
	for (i = 0; i < t->nr_entries; i++) {
		while (depth && key_lt(entry_last(t, open[depth - 1]),
				       t->addrs[i])) {
			KEY next = key_next(entry_last(t, open[--depth]));

			emit_range(t, next, open_kind(t, open, depth));
		}
		open[depth++] = i;
		emit_range(t, t->addrs[i], open_kind(t, open, depth));
	}
	while (depth) {
		KEY last = entry_last(t, open[--depth]);

		/* Everything still open encloses this one: it ends there too. */
		if (key_is_last(last))
			break;
		emit_range(t, key_next(last), open_kind(t, open, depth));
	}
	build_index(t);
}

static void set_entry(struct TABLE *t, u32 i, const struct CIDR *c)
{
	t->addrs[i] = c->addr;
	t->meta[i] = META(c->plen, c->kind);
}

void TABLE_FN(entry)(const struct TABLE *t, u32 i, struct CIDR *c)
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
int TABLE_FN(build)(struct CIDR *cidrs, u32 n, struct TABLE **out,
		    struct CIDR *bad)
{
	struct TABLE *t;
	bool sorted = true;
	u32 i;

	for (i = 0; i < n; i++) {
		if (CIDR_CHECK(&cidrs[i])) {
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
static u32 lower_bound(const struct TABLE *t, const struct CIDR *c)
{
	u32 lo = 0, hi = t->nr_entries;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct CIDR e;

		TABLE_FN(entry)(t, mid, &e);
		if (cidr_cmp(&e, c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool entry_is(const struct TABLE *t, u32 i, const struct CIDR *c)
{
	return i < t->nr_entries && key_eq(t->addrs[i], c->addr) &&
	       META_PLEN(t->meta[i]) == c->plen;
}

/*
 * Copy @old into a new table with entry @at left out (@delta -1) or with a
 * gap opened at @at (@delta +1).
 */
static struct TABLE *table_splice(const struct TABLE *old, u32 at, int delta)
{
	u32 tail = old->nr_entries - at - (delta < 0);
	struct TABLE *t;

	t = table_alloc(old->nr_entries + delta);
	if (!t)
		return NULL;
	memcpy(t->addrs, old->addrs, at * sizeof(*t->addrs));
	memcpy(t->meta, old->meta, at * sizeof(*t->meta));
	memcpy(t->addrs + at + (delta > 0), old->addrs + at + (delta < 0),
	       tail * sizeof(*t->addrs));
	memcpy(t->meta + at + (delta > 0), old->meta + at + (delta < 0),
	       tail * sizeof(*t->meta));
	return t;
}

int TABLE_FN(add)(const struct TABLE *old, const struct CIDR *c,
		  struct TABLE **out)
{
	struct TABLE *t;
	u32 at;

	if (CIDR_CHECK(c))
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

int TABLE_FN(del)(const struct TABLE *old, const struct CIDR *c,
		  struct TABLE **out)
{
	struct TABLE *t;
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
 * Agrees with the lookup by construction; the differential test checks
 * that it does.
 */
int TABLE_FN(match_index)(const struct TABLE *t, KEY addr)
{
	int plen;

	for (plen = KEY_BITS; plen >= 0; plen--) {
		struct CIDR key = {
			.addr = key_mask(addr, plen),
			.plen = plen,
		};
		u32 at = lower_bound(t, &key);

		if (entry_is(t, at, &key))
			return at;
	}
	return -1;
}

bool TABLE_FN(match)(const struct TABLE *t, KEY addr, struct CIDR *m)
{
	int at = TABLE_FN(match_index)(t, addr);

	if (at < 0)
		return false;
	TABLE_FN(entry)(t, at, m);
	return true;
}

/* A prefix in both tables keeps its hits: one merge walk of the two. */
void TABLE_FN(carry_hits)(struct TABLE *t, const struct TABLE *old)
{
	u32 i = 0, j = 0;

	while (i < t->nr_entries && j < old->nr_entries) {
		struct CIDR a, b;
		int c;

		TABLE_FN(entry)(t, i, &a);
		TABLE_FN(entry)(old, j, &b);
		c = cidr_cmp(&a, &b);
		if (!c)
			t->hits[i] = READ_ONCE(old->hits[j]);
		i += c <= 0;
		j += c >= 0;
	}
}
