// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "parse.h"

#define TOK_LEN 72

/* Tokens end up in error messages: keep them short and printable. */
static const char *tok(const char *s, size_t len, char *buf)
{
	size_t i, n = len < TOK_LEN - 4 ? len : TOK_LEN - 4;

	for (i = 0; i < n; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (n < len)
		memcpy(buf + n, "...", 3), n += 3;
	buf[n] = '\0';
	return buf;
}

static const char *ipv4_why(const char *s, size_t len, uint32_t *out)
{
	uint32_t addr = 0;
	size_t i = 0;
	int octet;

	for (octet = 0; octet < 4; octet++) {
		unsigned int v = 0, digits = 0;

		if (octet) {
			if (i >= len || s[i] != '.')
				return "expected four decimal numbers separated by dots";
			i++;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(s[i] - '0');
			i++;
			digits++;
		}
		if (!digits)
			return "expected four decimal numbers separated by dots";
		if (digits > 1 && s[i - digits] == '0')
			return "leading zeros are not allowed";
		if (v > 255)
			return "each number must be 0 to 255";
		addr = addr << 8 | v;
	}
	if (i != len)
		return "expected four decimal numbers separated by dots";
	*out = addr;
	return NULL;
}

bool parse_ipv4(const char *s, uint32_t *addr, char *err)
{
	char t[TOK_LEN];
	const char *why;
	size_t len = strlen(s);

	if (strchr(s, ':')) {
		snprintf(err, PARSE_ERR_LEN, "IPv6 is not supported: %s", tok(s, len, t));
		return false;
	}
	why = ipv4_why(s, len, addr);
	if (why) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv4 address %s: %s",
			 len ? tok(s, len, t) : "''", why);
		return false;
	}
	return true;
}

static bool cidr_parse(const char *s, struct cidr *c, bool *masked, char *err)
{
	char t[TOK_LEN], fix[CIDR_STR_LEN];
	const char *slash = strchr(s, '/'), *why;
	size_t len = strlen(s), alen = slash ? (size_t)(slash - s) : len;
	unsigned int plen = 32;
	uint32_t addr, mask;

	if (strchr(s, ':')) {
		snprintf(err, PARSE_ERR_LEN, "IPv6 is not supported: %s", tok(s, len, t));
		return false;
	}
	why = ipv4_why(s, alen, &addr);
	if (why) {
		snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: %s",
			 len ? tok(s, len, t) : "''", why);
		return false;
	}
	if (slash) {
		const char *p = slash + 1;
		size_t plen_len = strlen(p), i;

		why = NULL;
		if (!plen_len)
			why = "missing prefix length after /";
		for (i = 0; !why && i < plen_len; i++)
			if (p[i] < '0' || p[i] > '9')
				why = "prefix length must be a number from 0 to 32";
		if (!why && plen_len > 1 && p[0] == '0')
			why = "leading zeros are not allowed";
		if (!why && (plen_len > 2 || (plen = (unsigned int)atoi(p)) > 32))
			why = "prefix length out of range (0 to 32)";
		if (why) {
			snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: %s", tok(s, len, t), why);
			return false;
		}
	}
	mask = plen ? ~0U << (32 - plen) : 0;
	if (masked) {
		*masked = (addr & ~mask) != 0;
		addr &= mask;
	}
	if (addr & ~mask) {
		struct cidr f = { .addr = addr & mask, .prefixlen = (uint8_t)plen };

		snprintf(err, PARSE_ERR_LEN, "%s has host bits set; did you mean %s?",
			 tok(s, len, t), cidr_str(&f, fix));
		return false;
	}
	c->addr = addr;
	c->prefixlen = (uint8_t)plen;
	c->kind = VPCSNAT_KIND_VPC;
	return true;
}

bool parse_cidr(const char *s, struct cidr *c, char *err)
{
	return cidr_parse(s, c, NULL, err);
}

bool parse_cidr_masked(const char *s, struct cidr *c, bool *masked, char *err)
{
	return cidr_parse(s, c, masked, err);
}

static const char *const kinds[] = {
	[VPCSNAT_KIND_VPC] = "vpc",
	[VPCSNAT_KIND_EXCLUDE] = "exclude",
	[VPCSNAT_KIND_SNAT] = "snat",
};

static const char *const randoms[] = {
	[VPCSNAT_RANDOM_NONE] = "none",
	[VPCSNAT_RANDOM_HASHRANDOM] = "hashrandom",
	[VPCSNAT_RANDOM_PRNG] = "prng",
};

static const char *const reasons[][2] = {
	[VPCSNAT_REASON_DISABLED] = { "disabled", "disabled" },
	[VPCSNAT_REASON_EXTERNAL_SNAT] = { "external-snat", "external_snat" },
	[VPCSNAT_REASON_SRC_LOCAL] = { "src-local", "src_local" },
	[VPCSNAT_REASON_DST_LOCAL] = { "dst-local", "dst_local" },
	[VPCSNAT_REASON_SKIP_IFACE] = { "skip-iface", "skip_iface" },
	[VPCSNAT_REASON_VPC] = { "vpc", "vpc" },
	[VPCSNAT_REASON_EXCLUDE] = { "exclude", "exclude" },
	[VPCSNAT_REASON_SNAT_ENTRY] = { "snat-entry", "snat_entry" },
	[VPCSNAT_REASON_NO_MATCH] = { "no-match", "no_match" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int word_index(const char *const *words, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(words[i], s))
			return (int)i;
	return -1;
}

bool parse_kind(const char *s, uint8_t *kind, char *err)
{
	char t[TOK_LEN];
	int i = word_index(kinds, ARRAY_SIZE(kinds), s);

	if (i < 0) {
		snprintf(err, PARSE_ERR_LEN, "Unknown kind %s; expected vpc, exclude or snat",
			 *s ? tok(s, strlen(s), t) : "''");
		return false;
	}
	*kind = (uint8_t)i;
	return true;
}

bool parse_random(const char *s, uint8_t *random, char *err)
{
	char t[TOK_LEN];
	int i = word_index(randoms, ARRAY_SIZE(randoms), s);

	if (i < 0) {
		snprintf(err, PARSE_ERR_LEN,
			 "Unknown random mode %s; expected none, hashrandom or prng",
			 *s ? tok(s, strlen(s), t) : "''");
		return false;
	}
	*random = (uint8_t)i;
	return true;
}

bool parse_onoff(const char *s, bool *on, char *err)
{
	char t[TOK_LEN];

	if (!strcmp(s, "on") || !strcmp(s, "off")) {
		*on = s[1] == 'n';
		return true;
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid value %s; expected on or off",
		 *s ? tok(s, strlen(s), t) : "''");
	return false;
}

bool parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	       uint32_t *val, char *err)
{
	char t[TOK_LEN];
	uint64_t v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == s || *p || (s[0] == '0' && s[1]) || v < min || v > max) {
		snprintf(err, PARSE_ERR_LEN, "Invalid %s %s; expected a number from %u to %u",
			 what, *s ? tok(s, strlen(s), t) : "''", min, max);
		return false;
	}
	*val = (uint32_t)v;
	return true;
}

bool parse_iface_list(const char *s, struct iface_list *l, char *err)
{
	char t[TOK_LEN];
	const char *p = s;

	l->n = 0;
	if (!strcmp(s, "none"))
		return true;
	for (;;) {
		size_t len = strcspn(p, ","), i;

		if (!len) {
			snprintf(err, PARSE_ERR_LEN, "Empty interface prefix in %s",
				 *s ? tok(s, strlen(s), t) : "''");
			return false;
		}
		if (len > IFACE_PREFIX_MAX) {
			snprintf(err, PARSE_ERR_LEN,
				 "Interface prefix %s is longer than %d characters",
				 tok(p, len, t), IFACE_PREFIX_MAX);
			return false;
		}
		for (i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)p[i];

			if (!isgraph(ch) || ch == '/' || ch == ':') {
				snprintf(err, PARSE_ERR_LEN,
					 "Invalid interface prefix %s: no spaces, '/' or ':' allowed",
					 tok(p, len, t));
				return false;
			}
		}
		for (i = 0; i < l->n; i++) {
			if (strlen(l->name[i]) == len && !memcmp(l->name[i], p, len)) {
				snprintf(err, PARSE_ERR_LEN, "Duplicate interface prefix %s",
					 tok(p, len, t));
				return false;
			}
		}
		if (l->n == VPCSNAT_MAX_SKIP_IFACES) {
			snprintf(err, PARSE_ERR_LEN, "Too many interface prefixes in %s (at most %d)",
				 tok(s, strlen(s), t), VPCSNAT_MAX_SKIP_IFACES);
			return false;
		}
		memcpy(l->name[l->n], p, len);
		l->name[l->n++][len] = '\0';
		if (!p[len])
			return true;
		p += len + 1;
	}
}

const char *kind_name(uint8_t kind)
{
	return kind < ARRAY_SIZE(kinds) ? kinds[kind] : "unknown";
}

const char *random_name(uint8_t random)
{
	return random < ARRAY_SIZE(randoms) ? randoms[random] : "unknown";
}

const char *reason_name(uint8_t reason)
{
	return reason < ARRAY_SIZE(reasons) ? reasons[reason][0] : "unknown";
}

const char *reason_key(uint8_t reason)
{
	return reason < ARRAY_SIZE(reasons) ? reasons[reason][1] : "unknown";
}

char *ipv4_str(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}

char *cidr_str(const struct cidr *c, char *buf)
{
	uint32_t a = c->addr;

	snprintf(buf, CIDR_STR_LEN, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff, c->prefixlen & 0x3fu);
	return buf;
}
