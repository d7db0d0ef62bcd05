/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xorshift64, the random numbers of the userspace table tests and of the
 * lookup count (tests/bench/lookup_count.c): seeded, so that every run
 * draws the same tables and addresses.
 */
#ifndef _VPCSNAT_XORSHIFT_H
#define _VPCSNAT_XORSHIFT_H

#include <stdint.h>

/* The next number from @state (never 0), 32 of its bits. */
static inline uint32_t xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (uint32_t)(*state >> 16);
}

#endif /* _VPCSNAT_XORSHIFT_H */
