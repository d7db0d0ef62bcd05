/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One operation of table_fuzz.c on the table of one family, written once
 * for both, as the table itself is (module/table_gen.h). table_fuzz.c
 * includes it for each family after naming
 *   STATE, STATE_CHECK, OP	the family's state, its check, its operation
 *   CIDR, TABLE, KEY, KEY_BITS, TABLE_FN(name), CIDR_CHECK	as table_gen.h
 *   REF_LOOKUP		the reference lookup of table_ref.h
 * and defining parse() (the prefix and the address of an operation's
 * bytes), same_prefix(), prefix_end() (the last address of a prefix) and
 * succ() (the next address).
 */

struct STATE {
	struct TABLE *t;
	struct CIDR ref[MAX];	/* what the table should hold */
	unsigned int n;
};

/* The table and the reference agree at @a, at @a's prefix's end and after. */
static void STATE_CHECK(const struct STATE *s, KEY a, unsigned int plen)
{
	KEY probe[3] = { a, prefix_end(a, plen), succ(prefix_end(a, plen)) };

	for (int i = 0; i < 3; i++)
		if (TABLE_FN(lookup)(s->t, probe[i]) !=
		    REF_LOOKUP(s->ref, s->n, probe[i]))
			abort();
	if (s->t->nr_entries != s->n)
		abort();
}

static void OP(struct STATE *s, const uint8_t *d)
{
	struct CIDR x, copy[MAX], bad;
	struct TABLE *next;
	int at = -1, err;
	KEY addr;

	parse(d, &x, &addr);
	for (unsigned int i = 0; i < s->n; i++)
		if (same_prefix(&s->ref[i], &x))
			at = i;

	switch (d[0] & 3) {
	case 0:
		err = TABLE_FN(add)(s->t, &x, &next);
		if (CIDR_CHECK(&x)) {
			if (err != -EINVAL)
				abort();
		} else if (at >= 0) {
			if (err != -EEXIST)
				abort();
		} else if (s->n < MAX) {
			if (err)
				abort();
			s->ref[s->n++] = x;
			TABLE_FN(put)(s->t);
			s->t = next;
		} else if (!err) {
			TABLE_FN(put)(next);
		}
		break;
	case 1:
		err = TABLE_FN(del)(s->t, &x, &next);
		if ((at >= 0) != !err)
			abort();
		if (!err) {
			s->ref[at] = s->ref[--s->n];
			TABLE_FN(put)(s->t);
			s->t = next;
		}
		break;
	case 2:
		memcpy(copy, s->ref, s->n * sizeof(*s->ref));
		if (TABLE_FN(build)(copy, s->n, &next, &bad))
			abort();
		TABLE_FN(put)(s->t);
		s->t = next;
		break;
	default:
		STATE_CHECK(s, addr, KEY_BITS);
		break;
	}
	STATE_CHECK(s, x.addr, x.plen <= KEY_BITS ? x.plen : KEY_BITS);
}

#undef STATE
#undef STATE_CHECK
#undef OP
#undef CIDR
#undef TABLE
#undef KEY
#undef KEY_BITS
#undef TABLE_FN
#undef CIDR_CHECK
#undef REF_LOOKUP
