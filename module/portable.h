/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table and the decision function are plain C so that the same source
 * builds into the module and into userspace test, fuzz and count binaries.
 * This header is all the difference between the two.
 */
#ifndef _VPCSNAT_PORTABLE_H
#define _VPCSNAT_PORTABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/refcount.h>
#include <linux/if.h>
#include <linux/in6.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <net/if.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint32_t __be32;
typedef unsigned int gfp_t;
typedef struct { unsigned int refs; } refcount_t;

#define GFP_KERNEL_ACCOUNT 0u
#define __GFP_NOWARN 0u
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ntohl_compat(x) ntohl(x)

static inline void *kvmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return malloc(size ? size : 1);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

static inline void refcount_set(refcount_t *r, unsigned int n)
{
	r->refs = n;
}

static inline void refcount_inc(refcount_t *r)
{
	r->refs++;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	return --r->refs == 0;
}

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *),
			void (*swap)(void *, void *, int))
{
	(void)swap;
	qsort(base, num, size, cmp);
}

#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define be32_to_cpu(x) ntohl(x)
#define cpu_to_be32(x) htonl(x)
#endif

#endif /* _VPCSNAT_PORTABLE_H */
