/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Facts that vpcsnat.ko and snatctl both need and that are not the wire
 * format itself (that is include/uapi/linux/vpcsnat.h): the CIDR as both
 * hold it, the rules a prefix must keep and their wording, the names of enum values as sysfs and snatctl print them, and
 * the rule for an interface name prefix. Builds in the kernel and in
 * userspace: plain C, <linux/types.h> only.
 */
#ifndef _VPCSNAT_SHARED_H
#define _VPCSNAT_SHARED_H

#include <linux/types.h>
#include <linux/vpcsnat.h>

/*
 * One table entry: an IPv4 prefix and its kind. @addr is in host byte
 * order, host bits zero; @plen 0..32; @kind enum vpcsnat_kind.
 */
struct vpcsnat_cidr {
	__u32 addr;
	__u8 plen;
	__u8 kind;
};

/* An IPv6 address in host order: @hi its first 64 bits, @lo the last. */
struct vpcsnat_in6 {
	__u64 hi;
	__u64 lo;
};

/* The 16 bytes at @p, a struct in6_addr (network order), in host order. */
static inline struct vpcsnat_in6 vpcsnat_in6_from_be(const void *p)
{
	const __u8 *b = (const __u8 *)p;
	struct vpcsnat_in6 a = { 0, 0 };
	int i;

	for (i = 0; i < 8; i++) {
		a.hi = a.hi << 8 | b[i];
		a.lo = a.lo << 8 | b[i + 8];
	}
	return a;
}

/* @a into the 16 bytes at @p, in network order. */
static inline void vpcsnat_in6_to_be(const struct vpcsnat_in6 *a, void *p)
{
	__u8 *b = (__u8 *)p;
	int i;

	for (i = 0; i < 8; i++) {
		b[i] = (__u8)(a->hi >> (56 - 8 * i));
		b[i + 8] = (__u8)(a->lo >> (56 - 8 * i));
	}
}

/* One IPv6 entry, as struct vpcsnat_cidr is one IPv4 entry: @plen 0..128. */
struct vpcsnat_cidr6 {
	struct vpcsnat_in6 addr;
	__u8 plen;
	__u8 kind;
};

/*
 * Why a prefix is refused: the table's checks (module/table_gen.h) say
 * which rule it breaks, and both sides word it with vpcsnat_cidr_err_msg[].
 */
enum vpcsnat_cidr_err {
	VPCSNAT_CIDR_OK,
	VPCSNAT_CIDR_PLEN,	/* longer than the address */
	VPCSNAT_CIDR_KIND,	/* not an enum vpcsnat_kind */
	VPCSNAT_CIDR_HOST_BITS,	/* bits set past the prefix length */
	VPCSNAT_CIDR_V4_MAPPED,	/* IPv6 inside ::ffff:0:0/96: an IPv4 prefix */
	__VPCSNAT_CIDR_ERR_MAX
};

static const char *const vpcsnat_cidr_err_msg[__VPCSNAT_CIDR_ERR_MAX] = {
	[VPCSNAT_CIDR_OK] = "valid",
	[VPCSNAT_CIDR_PLEN] = "prefix length is longer than the address (32 for IPv4, 128 for IPv6)",
	[VPCSNAT_CIDR_KIND] = "kind is not vpc, exclude or snat",
	[VPCSNAT_CIDR_HOST_BITS] = "prefix has host bits set",
	[VPCSNAT_CIDR_V4_MAPPED] = "an IPv4-mapped prefix (::ffff:0:0/96): give it as IPv4",
};

/*
 * ::ffff:0:0/96 holds the IPv4 addresses as IPv6 sockets see them; their
 * packets are IPv4, and their prefixes belong to the IPv4 table. A prefix
 * is refused if it lies inside that block (length 96 or more).
 */
static inline int vpcsnat_in6_v4_mapped(const struct vpcsnat_cidr6 *c)
{
	return c->plen >= 96 && !c->addr.hi && c->addr.lo >> 32 == 0xffff;
}

/*
 * Why an address is refused as snat_ip or snat_ip6: no connection is ever
 * translated to it. Both sides word it with vpcsnat_snat_err_msg[]: the
 * kernel's extack, snatctl's one line after "Invalid snat-ip6 ADDR: ".
 */
enum vpcsnat_snat_err {
	VPCSNAT_SNAT_OK,
	VPCSNAT_SNAT_MULTICAST,		/* 224.0.0.0/4, ff00::/8 */
	VPCSNAT_SNAT_LOOPBACK,		/* 127.0.0.0/8, ::1 */
	VPCSNAT_SNAT_BROADCAST,		/* 255.255.255.255 */
	VPCSNAT_SNAT_LINK_LOCAL,	/* fe80::/10 */
	VPCSNAT_SNAT_V4_MAPPED,		/* ::ffff:0:0/96 */
	__VPCSNAT_SNAT_ERR_MAX
};

static const char *const vpcsnat_snat_err_msg[__VPCSNAT_SNAT_ERR_MAX] = {
	[VPCSNAT_SNAT_OK] = "valid",
	[VPCSNAT_SNAT_MULTICAST] = "a multicast address is never translated to",
	[VPCSNAT_SNAT_LOOPBACK] = "a loopback address is never translated to",
	[VPCSNAT_SNAT_BROADCAST] = "the broadcast address is never translated to",
	[VPCSNAT_SNAT_LINK_LOCAL] = "a link-local address is never translated to (no router forwards it)",
	[VPCSNAT_SNAT_V4_MAPPED] = "an IPv4-mapped address is never translated to (IPv4 connections have their own setting)",
};

/*
 * Whether @a (host order; 0 is "auto") may be snat_ip: the kernel's
 * ipv4_is_multicast(), ipv4_is_loopback() and ipv4_is_lbcast().
 */
static inline enum vpcsnat_snat_err vpcsnat_snat_ip_check(__u32 a)
{
	if (a >> 28 == 0xe)
		return VPCSNAT_SNAT_MULTICAST;
	if (a >> 24 == 127)
		return VPCSNAT_SNAT_LOOPBACK;
	if (a == 0xffffffff)
		return VPCSNAT_SNAT_BROADCAST;
	return VPCSNAT_SNAT_OK;
}

/*
 * Whether @a (host order; :: is "auto") may be snat_ip6: not multicast
 * (ff00::/8), loopback (::1), link-local (fe80::/10, which no router
 * forwards) or IPv4-mapped.
 */
static inline enum vpcsnat_snat_err vpcsnat_snat_ip6_check(const struct vpcsnat_in6 *a)
{
	struct vpcsnat_cidr6 c = { *a, 128, 0 };

	if (a->hi >> 56 == 0xff)
		return VPCSNAT_SNAT_MULTICAST;
	if (!a->hi && a->lo == 1)
		return VPCSNAT_SNAT_LOOPBACK;
	if (a->hi >> 54 == 0xfe80 >> 6)
		return VPCSNAT_SNAT_LINK_LOCAL;
	if (vpcsnat_in6_v4_mapped(&c))
		return VPCSNAT_SNAT_V4_MAPPED;
	return VPCSNAT_SNAT_OK;
}

/* Padding is never initialized: compare field by field. */
static inline int vpcsnat_cidr_same_prefix(const struct vpcsnat_cidr *a,
					   const struct vpcsnat_cidr *b)
{
	return a->addr == b->addr && a->plen == b->plen;
}

static inline int vpcsnat_cidr6_same_prefix(const struct vpcsnat_cidr6 *a,
					    const struct vpcsnat_cidr6 *b)
{
	return a->addr.hi == b->addr.hi && a->addr.lo == b->addr.lo &&
	       a->plen == b->plen;
}

/* enum vpcsnat_kind, as the config file, snatctl and the table dump say it. */
static const char *const vpcsnat_kind_names[__VPCSNAT_KIND_MAX] = {
	[VPCSNAT_KIND_VPC] = "vpc",
	[VPCSNAT_KIND_EXCLUDE] = "exclude",
	[VPCSNAT_KIND_SNAT] = "snat",
};

/* enum vpcsnat_random, as sysfs, the config file and snatctl say it. */
static const char *const vpcsnat_random_names[__VPCSNAT_RANDOM_MAX] = {
	[VPCSNAT_RANDOM_NONE] = "none",
	[VPCSNAT_RANDOM_HASHRANDOM] = "hashrandom",
	[VPCSNAT_RANDOM_PRNG] = "prng",
};

/*
 * enum vpcsnat_ctr_attr without its VPCSNAT_CTR_A_ prefix, lower case:
 * the keys of /sys/kernel/vpcsnat/counters and of snatctl's JSON. The
 * names of the reasons (VPCSNAT_CTR_A_REASON()) are the reasons' own;
 * snatctl's text writes them with '-' for '_'.
 */
static const char *const vpcsnat_ctr_names[__VPCSNAT_CTR_A_LAST] = {
	[VPCSNAT_CTR_A_DISABLED] = "disabled",
	[VPCSNAT_CTR_A_EXTERNAL_SNAT] = "external_snat",
	[VPCSNAT_CTR_A_SRC_LOCAL] = "src_local",
	[VPCSNAT_CTR_A_DST_LOCAL] = "dst_local",
	[VPCSNAT_CTR_A_SKIP_IFACE] = "skip_iface",
	[VPCSNAT_CTR_A_VPC] = "vpc",
	[VPCSNAT_CTR_A_EXCLUDE] = "exclude",
	[VPCSNAT_CTR_A_SNAT_ENTRY] = "snat_entry",
	[VPCSNAT_CTR_A_NO_MATCH] = "no_match",
	[VPCSNAT_CTR_A_FAILED] = "failed",
	[VPCSNAT_CTR_A_EVENTS_DROPPED] = "events_dropped",
	[VPCSNAT_CTR_A_MARKED] = "marked",
};

/* enum vpcsnat_mark_reason, as explain says it. */
static const char *const vpcsnat_mark_reason_names[__VPCSNAT_MARK_MAX] = {
	[VPCSNAT_MARK_OFF] = "mark-off",
	[VPCSNAT_MARK_NOT_POD] = "not-pod-iface",
	[VPCSNAT_MARK_NOT_TRANSLATED] = "not-translated",
	[VPCSNAT_MARK_SET] = "marked",
};

/* The name of reason @r: its counter's. */
static inline const char *vpcsnat_reason_name(unsigned int r)
{
	return r <= VPCSNAT_REASON_MAX ?
	       vpcsnat_ctr_names[VPCSNAT_CTR_A_REASON(r)] : NULL;
}

/*
 * The rule for an interface name prefix (skip-ifaces, pod-ifaces), of @len
 * bytes at @s, not NUL-terminated: 1 to VPCSNAT_IFACE_PREFIX_MAX bytes of
 * printable ASCII other than '/' and ':' (the kernel's dev_valid_name()
 * refuses those, and white space, in any name), ',' (it separates a list,
 * in sysfs and in snatctl's files) and '#' (it starts a comment there). A
 * list holds at most VPCSNAT_MAX_IFACE_PREFIXES prefixes and none twice.
 * Each side words the refusal its own way.
 */
enum vpcsnat_iface_prefix_err {
	VPCSNAT_IFACE_OK,
	VPCSNAT_IFACE_EMPTY,
	VPCSNAT_IFACE_TOO_LONG,
	VPCSNAT_IFACE_BAD_CHAR,
};

static inline enum vpcsnat_iface_prefix_err
vpcsnat_iface_prefix_check(const char *s, __u32 len)
{
	__u32 i;

	if (!len)
		return VPCSNAT_IFACE_EMPTY;
	if (len > VPCSNAT_IFACE_PREFIX_MAX)
		return VPCSNAT_IFACE_TOO_LONG;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/' || s[i] == ':' ||
		    s[i] == ',' || s[i] == '#')
			return VPCSNAT_IFACE_BAD_CHAR;
	return VPCSNAT_IFACE_OK;
}

#endif /* _VPCSNAT_SHARED_H */
