/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef PARSE_H
#define PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/vpcsnat.h>

/* Room for any message the parsers write. */
#define PARSE_ERR_LEN 320

/* Interface name prefix: at most IFNAMSIZ - 1 bytes. */
#define IFACE_PREFIX_MAX 15

struct cidr {
	uint32_t addr;		/* host byte order */
	uint8_t prefixlen;
	uint8_t kind;		/* enum vpcsnat_kind */
};

/* Padding bytes are never initialized: compare field by field. */
static inline bool cidr_equal(const struct cidr *a, const struct cidr *b)
{
	return a->addr == b->addr && a->prefixlen == b->prefixlen && a->kind == b->kind;
}

/*
 * Each parser returns true on success; on failure it writes one capitalized
 * sentence naming the offending token into err (PARSE_ERR_LEN bytes).
 */
bool parse_ipv4(const char *s, uint32_t *addr, char *err);
bool parse_cidr(const char *s, struct cidr *c, char *err);
/* As parse_cidr, but clears host bits instead of refusing them, setting *masked. */
bool parse_cidr_masked(const char *s, struct cidr *c, bool *masked, char *err);
bool parse_kind(const char *s, uint8_t *kind, char *err);
bool parse_onoff(const char *s, bool *on, char *err);
bool parse_random(const char *s, uint8_t *random, char *err);
bool parse_u32(const char *what, const char *s, uint32_t min, uint32_t max, uint32_t *val, char *err);

struct iface_list {
	unsigned int n;
	char name[VPCSNAT_MAX_SKIP_IFACES][IFACE_PREFIX_MAX + 1];
};
bool parse_iface_list(const char *s, struct iface_list *l, char *err);

const char *kind_name(uint8_t kind);		/* "vpc", "?" if unknown */
const char *random_name(uint8_t random);	/* "prng" */
const char *reason_name(uint8_t reason);	/* "no-match" */
const char *reason_key(uint8_t reason);		/* "no_match", for JSON */

/* "10.0.0.0/16" into buf of at least CIDR_STR_LEN bytes. */
#define CIDR_STR_LEN 19
char *cidr_str(const struct cidr *c, char *buf);
char *ipv4_str(uint32_t addr, char *buf);

#endif
