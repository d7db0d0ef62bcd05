/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vpcsnat builds against, and only
 * those: no other file tests LINUX_VERSION_CODE or a kernel feature. Each
 * entry says which kernel changed what, and gives the rest of the module
 * one name that works on both sides. (portable.h is something else: what
 * lets table.c and decision.c build in userspace.)
 */
#ifndef _VPCSNAT_COMPAT_H
#define _VPCSNAT_COMPAT_H

#include <linux/export.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>

/* 6.12 (590b9d576cae) dropped kvrealloc()'s old-size argument. */
static inline void *vpcsnat_kvrealloc(const void *p, size_t oldsize,
				      size_t newsize, gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return kvrealloc(p, newsize, gfp);
#else
	return kvrealloc(p, oldsize, newsize, gfp);
#endif
}

/*
 * An event names a pod's connection: only CAP_NET_ADMIN over the netns may
 * listen. GENL_MCAST_CAP_NET_ADMIN came with 6.7 and went back to stable
 * kernels (Debian's 6.1 has it). A kernel without it lets anyone join any
 * generic netlink group, so there the family has no events group at all.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define VPCSNAT_HAVE_EVENTS true
#else
#define VPCSNAT_HAVE_EVENTS false
#define GENL_MCAST_CAP_NET_ADMIN 0
#endif

/*
 * A conntrack entry has a mark (ct->mark) only with CONFIG_NF_CONNTRACK_MARK
 * (Debian's and Amazon Linux's kernels have it); without, vpcsnat refuses a
 * mark setting and its default is none. Read and written as xt_connmark.c
 * does: READ_ONCE()/WRITE_ONCE(), and an IPCT_MARK event when it changes.
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
#define VPCSNAT_HAVE_CT_MARK true
static inline u32 vpcsnat_ct_mark(const struct nf_conn *ct)
{
	return READ_ONCE(ct->mark);
}

static inline void vpcsnat_ct_mark_or(struct nf_conn *ct, u32 bits)
{
	u32 mark = READ_ONCE(ct->mark);

	if ((mark | bits) != mark) {
		WRITE_ONCE(ct->mark, mark | bits);
		nf_conntrack_event_cache(IPCT_MARK, ct);
	}
}
#else
#define VPCSNAT_HAVE_CT_MARK false
static inline u32 vpcsnat_ct_mark(const struct nf_conn *ct)
{
	return 0;
}

static inline void vpcsnat_ct_mark_or(struct nf_conn *ct, u32 bits)
{
}
#endif

/*
 * Conntrack zones exist with CONFIG_NF_CONNTRACK_ZONES (Debian's and Amazon
 * Linux's kernels have it); without, every connection is in zone 0 and a
 * lookup ignores the zone it is given, so WHO refuses any other.
 */
#define VPCSNAT_HAVE_CT_ZONES IS_ENABLED(CONFIG_NF_CONNTRACK_ZONES)

/*
 * The KUnit suites (vpcsnat_test.ko) reach internals exported to the
 * VPCSNAT_INTERNAL namespace, on kernels built with KUnit only. 6.13
 * (cdd30ebb1b9f) made the namespace argument of EXPORT_SYMBOL_NS_GPL() and
 * MODULE_IMPORT_NS() a string literal.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define VPCSNAT_INTERNAL_NS "VPCSNAT_INTERNAL"
#else
#define VPCSNAT_INTERNAL_NS VPCSNAT_INTERNAL
#endif
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_FOR_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, VPCSNAT_INTERNAL_NS)
#else
#define EXPORT_FOR_KUNIT(sym)
#endif

#endif /* _VPCSNAT_COMPAT_H */
