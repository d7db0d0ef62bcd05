/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The configuration of one network namespace as snatctl holds it: every
 * setting and the table, in one struct, whatever it came from (a config
 * file, `set` arguments, the VPC CNI's environment, the kernel). Each
 * setting is one row of conf_settings[]: its names, its kind of value and
 * its netlink attribute. One parser turns a value's text into the struct
 * for every input, and one printer per output format turns it back.
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <uapi/linux/vpcsnat.h>
#include "cidrs.h"
#include "parse.h"

#define CONFIG_DEFAULT_PATH "/etc/vpcsnat.conf"

/* The settings, in the order every printer prints them. */
enum conf_key {
	CONF_ENABLED,
	CONF_IPV6,
	CONF_EXTERNAL_SNAT,
	CONF_SNAT_IP,
	CONF_SNAT_IP6,
	CONF_RANDOM,
	CONF_SKIP_IFACES,
	CONF_POD_IFACES,
	CONF_MARK,
	CONF_TABLE_LIMIT,
	CONF_NKEYS
};

/* What a setting's value is; decides its parser, printer and netlink type. */
enum conf_type {
	CONF_T_BOOL,	/* bool; yes/no, on/off; NLA_U8 0 or 1 */
	CONF_T_ADDR,	/* uint32_t IPv4, host order, 0 = auto; NLA_BE32 */
	CONF_T_ADDR6,	/* struct vpcsnat_in6, host order, :: = auto; 16 bytes */
	CONF_T_ENUM,	/* uint8_t, one of names[]; NLA_U8 */
	CONF_T_U32,	/* uint32_t, min..max; NLA_U32 */
	CONF_T_IFACES,	/* struct iface_list; nest of NLA_NUL_STRING */
	CONF_T_MARK,	/* uint32_t, 0 = none; NLA_U32 */
};

struct conf_setting {
	const char *key;	/* "external-snat": config file, set, status */
	const char *json;	/* "external_snat" */
	uint16_t attr;		/* VPCSNAT_A_EXTERNAL_SNAT */
	uint16_t nest_attr;	/* CONF_T_IFACES: the attribute of each name */
	enum conf_type type;
	size_t off;		/* of the value in struct conf */
	const char *const *names;	/* BOOL: how false and true print; ENUM: every value */
	unsigned int nnames;
	const char *what;	/* ENUM: what a value is, for messages ("random mode") */
	uint32_t min, max;	/* U32 */
	bool imds;		/* ADDR, ADDR6: "imds" is a value, resolved from instance metadata */
	const char *syntax;	/* for usage: "on|off" */
};

extern const struct conf_setting conf_settings[CONF_NKEYS];

struct conf {
	bool enabled, ipv6, external_snat;	/* ipv6: IPv6 connections are decided too */
	uint32_t snat_ip;		/* host byte order; 0 = auto */
	struct vpcsnat_in6 snat_ip6;	/* host order; :: = auto */
	uint8_t random;			/* enum vpcsnat_random */
	struct iface_list skip;
	struct iface_list pod;		/* where pods' connections arrive */
	uint32_t mark;			/* 0 = none */
	uint32_t table_limit;
	struct cidr_list cidrs;		/* the table, in the order given */
	/*
	 * What names instance metadata until conf_resolve() replaces it: bit k
	 * of imds for setting k given as "imds" (its value is then 0), and the
	 * line of "vpc-cidrs imds" (1 from a flag; 0 if not given): every VPC
	 * CIDR, kind vpc; only the IPv4 ones if vpc_cidrs_ipv4 ("vpc-cidrs imds
	 * ipv4", as the VPC CNI's SNAT reads them).
	 */
	unsigned int imds;
	unsigned long vpc_cidrs_imds;
	bool vpc_cidrs_ipv4;
	/* Where each setting was given (its line; 1 for the kernel or a flag); 0 = default. */
	unsigned long line[CONF_NKEYS];
	/* What the kernel reports beside the settings; has_stats if it did. */
	bool has_stats;
	uint32_t table_size, table6_size;	/* both families; IPv6 */
	uint64_t ctr[VPCSNAT_CTR_A_MAX + 1];
	/* IPv6 connections' counters (no events_dropped); has_ctr6 if the kernel said them. */
	bool has_ctr6;
	uint64_t ctr6[VPCSNAT_CTR_A_MAX + 1];
	/* The routing rule for the mark (routerule.h), as status found it: IPv4's, IPv6's. */
	enum conf_rule {
		CONF_RULE_UNKNOWN,	/* not looked at, or could not be read */
		CONF_RULE_NOT_WANTED,	/* translation off, or mark none (IPv6: or ipv6 off) */
		CONF_RULE_MISSING,
		CONF_RULE_OURS,		/* in place, added by snatctl */
		CONF_RULE_OTHERS,	/* in place, added by another (the VPC CNI) */
		CONF_RULE_NO_POLICY_ROUTING,	/* the kernel has none: the main table routes all */
	} rule[2];
};

void conf_init(struct conf *c);		/* the defaults, an empty table */
void conf_free(struct conf *c);

/* The key named s ("snat-ip"), or -1. */
int conf_find(const char *s);
/*
 * "enabled, external-snat, ... or table-limit" into buf; then the words of
 * extra (NULL-terminated), if not NULL.
 */
char *conf_key_list(char *buf, size_t size, const char *const *extra);

/*
 * The one parser of a setting's value, for every input: sets setting k of c
 * from v, or returns false with err filled in and c untouched.
 */
bool conf_set(struct conf *c, enum conf_key k, const char *v, char *err);
/* The value of setting k as conf_set() reads it, into buf. */
char *conf_value_str(const struct conf *c, enum conf_key k, char *buf, size_t size);

/* Whether c names instance metadata: a value conf_resolve() has yet to replace. */
bool conf_needs_imds(const struct conf *c);

/*
 * Replaces what names instance metadata in c with what it says of the
 * node: local_ipv4 (ipv6 for an IPv6 one; NULL if not read) for a setting
 * given as "imds", and for "vpc-cidrs imds"
 * each of vpc_cidrs (kind vpc; its IPv4 ones with vpc_cidrs_ipv4) that c
 * does not list already (a prefix the configuration lists keeps its kind).
 * false with err set, c unchanged, if a value is missing (0, or NULL), the
 * VPC has no IPv4 CIDR (never applied: it would translate traffic within
 * the VPC), the table would outgrow table-limit, or memory ran out.
 */
bool conf_resolve(struct conf *c, uint32_t local_ipv4, const struct vpcsnat_in6 *ipv6,
		  const struct cidr_list *vpc_cidrs,
		  char *err);

/*
 * A 64-bit digest of what c makes the kernel do: every setting and the
 * table as a set (in any order). Two configurations conf_same() finds the
 * same have the same digest; so does the running one read back.
 */
uint64_t conf_digest(const struct conf *c);

/*
 * The mark the routing rule of a family (v6: IPv6's) is wanted for: c's, if
 * it translates connections of that family; else 0.
 */
uint32_t conf_rule_mark(const struct conf *c, bool v6);

/* Pointer to setting k's value in c; its type is conf_settings[k].type's. */
void *conf_value(struct conf *c, enum conf_key k);
const void *conf_value_const(const struct conf *c, enum conf_key k);

/*
 * Whether got holds what want does: the same table (as a set: the kernel
 * dumps in its own order) and, if settings, every setting. 1 if so, 0 if
 * not, -1 if memory ran out.
 */
int conf_same(const struct conf *want, const struct conf *got, bool settings);

/*
 * The printers, one per format. The config file format: every setting and
 * the table, after header (a comment) if not NULL, read back by conf_parse().
 */
void conf_print(FILE *out, const struct conf *c, const char *header);
/* The text of status: "key: value" per setting, the table size and the counters. */
void conf_print_text(FILE *out, const struct conf *c);
/* One JSON object: every setting, then what flags ask for. */
#define CONF_JSON_STATS 1	/* table_size and counters (status) */
#define CONF_JSON_TABLE 2	/* cidrs (show-config) */
void conf_print_json(FILE *out, const struct conf *c, unsigned int flags);

#endif
