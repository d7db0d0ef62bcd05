// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/table.c: the input is a sequence of add, del,
 * rebuild and lookup operations; after each, the table must agree with a
 * linear longest-prefix scan of the prefixes that should be in it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../module/table_ref.h"
#include <linux/vpcsnat.h>

#define MAX 256

static int find(const struct vpcsnat_cidr *c, unsigned int n,
		const struct vpcsnat_cidr *x)
{
	for (unsigned int i = 0; i < n; i++)
		if (c[i].addr == x->addr && c[i].plen == x->plen)
			return i;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpcsnat_cidr ref[MAX], copy[MAX], bad;
	struct vpcsnat_table *t, *next;
	unsigned int n = 0;

	if (vpcsnat_table_build(NULL, 0, &t, &bad))
		abort();
	for (; size >= 6; data += 6, size -= 6) {
		struct vpcsnat_cidr x;
		uint32_t addr;
		int at, err;

		memcpy(&addr, data + 1, 4);
		x.plen = data[5] % 34;	/* 33: invalid on purpose */
		x.kind = data[0] >> 2 & 3;	/* 3: invalid on purpose */
		x.addr = x.plen <= 32 ? addr & vpcsnat_ref_mask(x.plen) : addr;
		if (data[5] & 0x80)
			x.addr = addr;		/* maybe host bits set */
		at = find(ref, n, &x);

		switch (data[0] & 3) {
		case 0:
			err = vpcsnat_table_add(t, &x, &next);
			if (vpcsnat_cidr_check(&x)) {
				if (err != -EINVAL)
					abort();
			} else if (at >= 0) {
				if (err != -EEXIST)
					abort();
			} else if (n < MAX) {
				if (err)
					abort();
				ref[n++] = x;
				vpcsnat_table_put(t);
				t = next;
			} else if (!err) {
				vpcsnat_table_put(next);
			}
			break;
		case 1:
			err = vpcsnat_table_del(t, &x, &next);
			if ((at >= 0) != !err)
				abort();
			if (!err) {
				ref[at] = ref[--n];
				vpcsnat_table_put(t);
				t = next;
			}
			break;
		case 2:
			memcpy(copy, ref, n * sizeof(*ref));
			if (vpcsnat_table_build(copy, n, &next, &bad))
				abort();
			vpcsnat_table_put(t);
			t = next;
			break;
		default:
			if (vpcsnat_table_lookup(t, addr) !=
			    vpcsnat_ref_lookup(ref, n, addr))
				abort();
			break;
		}
		if (t->nr_entries != n ||
		    vpcsnat_table_lookup(t, x.addr) !=
		    vpcsnat_ref_lookup(ref, n, x.addr))
			abort();
	}
	vpcsnat_table_put(t);
	return 0;
}
