// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Parsers and formatters of single values; see parse.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "parse.h"

#define TOK_LEN TOKEN_LEN
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

const char *token(const char *s, char *buf)
{
	return *s ? tok(s, strlen(s), buf) : "''";
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

/* inet_pton's forms: its own checks, no zone (%eth0), no prefix. */
static const char *ipv6_why(const char *s, size_t len, struct vpcsnat_in6 *out)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (len >= sizeof(buf))
		return "expected an IPv6 address";
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, &a) != 1)
		return "expected an IPv6 address";
	*out = vpcsnat_in6_from_be(a.s6_addr);
	return NULL;
}

bool parse_ipv6(const char *s, struct vpcsnat_in6 *addr, char *err)
{
	char t[TOK_LEN];
	size_t len = strlen(s);
	const char *why = ipv6_why(s, len, addr);

	if (why) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv6 address %s: %s",
			 len ? tok(s, len, t) : "''", why);
		return false;
	}
	return true;
}

bool parse_ipaddr(const char *s, struct ipaddr *addr, char *err)
{
	struct ipaddr a = { .v6 = strchr(s, ':') != NULL };

	if (a.v6 ? !parse_ipv6(s, &a.in6, err) : !parse_ipv4(s, &a.v4, err))
		return false;
	*addr = a;
	return true;
}

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->v6 == b->v6 && a->v4 == b->v4 && a->in6.hi == b->in6.hi && a->in6.lo == b->in6.lo;
}

char *ipaddr_str(const struct ipaddr *a, char *buf)
{
	return a->v6 ? ipv6_str(&a->in6, buf) : ipv4_str(a->v4, buf);
}

static struct vpcsnat_in6 in6_mask(unsigned int plen)
{
	struct vpcsnat_in6 m;

	m.hi = plen >= 64 ? ~0ULL : plen ? ~0ULL << (64 - plen) : 0;
	m.lo = plen <= 64 ? 0 : plen >= 128 ? ~0ULL : ~0ULL << (128 - plen);
	return m;
}

/*
 * The one CIDR parser. The family is the address's: a ':' before the '/'
 * makes it IPv6. IPv4's messages are snatctl's own; IPv6's use the rules'
 * wording of shared.h, checked in the kernel's order (length, v4-mapped,
 * host bits).
 */
static bool cidr_parse(const char *s, int af, struct cidr *c, bool *masked, char *err)
{
	char t[TOK_LEN], fix[CIDR_STR_LEN];
	const char *slash = strchr(s, '/'), *why;
	size_t len = strlen(s), alen = slash ? (size_t)(slash - s) : len;
	bool v6 = memchr(s, ':', alen) != NULL, host;
	unsigned int max = v6 ? 128 : 32, plen = max;
	struct cidr f = { .v6 = v6 };

	if (af == AF_INET && strchr(s, ':')) {
		snprintf(err, PARSE_ERR_LEN, "IPv6 is not supported: %s", tok(s, len, t));
		return false;
	}
	if (af == AF_INET6 && !v6) {
		snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: not an IPv6 prefix",
			 len ? tok(s, len, t) : "''");
		return false;
	}
	why = v6 ? ipv6_why(s, alen, &f.addr6) : ipv4_why(s, alen, &f.addr);
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
				why = v6 ? "prefix length must be a number from 0 to 128" :
				      "prefix length must be a number from 0 to 32";
		if (!why && plen_len > 1 && p[0] == '0')
			why = "leading zeros are not allowed";
		if (!why && (plen_len > 3 || (plen = (unsigned int)atoi(p)) > max))
			why = v6 ? vpcsnat_cidr_err_msg[VPCSNAT_CIDR_PLEN] :
			      "prefix length out of range (0 to 32)";
		if (why) {
			snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: %s", tok(s, len, t), why);
			return false;
		}
	}
	f.plen = (uint8_t)plen;
	if (v6) {
		struct vpcsnat_cidr6 c6 = { f.addr6, f.plen, 0 };
		struct vpcsnat_in6 m = in6_mask(plen);

		if (vpcsnat_in6_v4_mapped(&c6)) {
			snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: %s", tok(s, len, t),
				 vpcsnat_cidr_err_msg[VPCSNAT_CIDR_V4_MAPPED]);
			return false;
		}
		host = (f.addr6.hi & ~m.hi) || (f.addr6.lo & ~m.lo);
		f.addr6.hi &= m.hi;
		f.addr6.lo &= m.lo;
	} else {
		uint32_t mask = plen ? ~0U << (32 - plen) : 0;

		host = (f.addr & ~mask) != 0;
		f.addr &= mask;
	}
	if (masked)
		*masked = host;
	else if (host && v6) {
		snprintf(err, PARSE_ERR_LEN, "Invalid CIDR %s: %s; did you mean %s?", tok(s, len, t),
			 vpcsnat_cidr_err_msg[VPCSNAT_CIDR_HOST_BITS], cidr_str(&f, fix));
		return false;
	} else if (host) {
		snprintf(err, PARSE_ERR_LEN, "%s has host bits set; did you mean %s?",
			 tok(s, len, t), cidr_str(&f, fix));
		return false;
	}
	f.kind = VPCSNAT_KIND_VPC;
	*c = f;
	return true;
}

bool parse_cidr(const char *s, struct cidr *c, char *err)
{
	return cidr_parse(s, AF_UNSPEC, c, NULL, err);
}

bool parse_cidr_as(const char *s, int af, struct cidr *c, bool *masked, char *err)
{
	return cidr_parse(s, af, c, masked, err);
}

bool parse_word(const char *what, const char *const *words, unsigned int n, const char *s,
		uint8_t *val, char *err)
{
	char t[TOK_LEN];
	size_t len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (words[i] && !strcmp(words[i], s)) {
			*val = (uint8_t)i;
			return true;
		}
	}
	len = (size_t)snprintf(err, PARSE_ERR_LEN, "Unknown %s %s; expected ", what, token(s, t));
	for (i = 0; i < n && len < PARSE_ERR_LEN; i++)
		len += (size_t)snprintf(err + len, PARSE_ERR_LEN - len, "%s%s",
					!i ? "" : i + 1 < n ? ", " : " or ", words[i]);
	return false;
}

bool parse_kind(const char *s, uint8_t *kind, char *err)
{
	return parse_word("kind", vpcsnat_kind_names, ARRAY_SIZE(vpcsnat_kind_names), s, kind, err);
}

bool parse_random(const char *s, uint8_t *random, char *err)
{
	return parse_word("random mode", vpcsnat_random_names, ARRAY_SIZE(vpcsnat_random_names), s,
			  random, err);
}

bool parse_bool(const char *what, const char *s, bool *on, char *err)
{
	char t[TOK_LEN];

	if (!strcmp(s, "yes") || !strcmp(s, "on")) {
		*on = true;
		return true;
	}
	if (!strcmp(s, "no") || !strcmp(s, "off")) {
		*on = false;
		return true;
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid %s %s; expected yes or no (or on or off)", what,
		 token(s, t));
	return false;
}

bool parse_mark(const char *what, const char *s, uint32_t *mark, char *err)
{
	char t[TOK_LEN];
	uint64_t v = 0;
	const char *p = s;
	int base = 10;

	if (!strcmp(s, "none")) {
		*mark = 0;
		return true;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p && v <= UINT32_MAX; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' :
			base == 16 && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 :
			base == 16 && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;

		if (d < 0)
			break;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (*p || p == s + (base == 16 ? 2 : 0) || !v || v > UINT32_MAX ||
	    (base == 10 && s[0] == '0')) {
		snprintf(err, PARSE_ERR_LEN, "Invalid %s %s; expected none or a number from 0x1 to "
			 "0xffffffff", what, token(s, t));
		return false;
	}
	*mark = (uint32_t)v;
	return true;
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

	memset(l, 0, sizeof(*l));
	if (!strcmp(s, "none"))
		return true;
	for (;;) {
		size_t len = strcspn(p, ","), i;

		switch (vpcsnat_iface_prefix_check(p, (uint32_t)len)) {
		case VPCSNAT_IFACE_OK:
			break;
		case VPCSNAT_IFACE_EMPTY:
			snprintf(err, PARSE_ERR_LEN, "Empty interface prefix in %s", token(s, t));
			return false;
		case VPCSNAT_IFACE_TOO_LONG:
			snprintf(err, PARSE_ERR_LEN,
				 "Interface prefix %s is longer than %d characters",
				 tok(p, len, t), VPCSNAT_IFACE_PREFIX_MAX);
			return false;
		case VPCSNAT_IFACE_BAD_CHAR:
			snprintf(err, PARSE_ERR_LEN,
				 "Invalid interface prefix %s: printable ASCII only, no spaces, '/', ':' or '#'",
				 tok(p, len, t));
			return false;
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
				 token(s, t), VPCSNAT_MAX_SKIP_IFACES);
			return false;
		}
		memcpy(l->name[l->n], p, len);
		l->name[l->n++][len] = '\0';
		if (!p[len])
			return true;
		p += len + 1;
	}
}

bool parse_iface_name(const char *s, char *err)
{
	struct iface_list l;
	char t[TOK_LEN];

	if (strcmp(s, "none") && parse_iface_list(s, &l, err) && l.n == 1)
		return true;
	snprintf(err, PARSE_ERR_LEN, "Invalid interface name %s", token(s, t));
	return false;
}

const char *kind_name(uint8_t kind)
{
	return kind < ARRAY_SIZE(vpcsnat_kind_names) ? vpcsnat_kind_names[kind] : "unknown";
}

const char *random_name(uint8_t random)
{
	return random < ARRAY_SIZE(vpcsnat_random_names) ? vpcsnat_random_names[random] : "unknown";
}

const char *reason_key(uint8_t reason)
{
	const char *key = vpcsnat_reason_name(reason);

	return key ? key : "unknown";
}

const char *reason_name(uint8_t reason, char *buf)
{
	char *p;

	snprintf(buf, REASON_NAME_LEN, "%s", reason_key(reason));
	for (p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return buf;
}

char *ipv4_str(uint32_t addr, char *buf)
{
	snprintf(buf, IPV4_STR_LEN, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}

char *ipv6_str(const struct vpcsnat_in6 *a, char *buf)
{
	unsigned char b[16];

	vpcsnat_in6_to_be(a, b);
	if (!inet_ntop(AF_INET6, b, buf, IPV6_STR_LEN))
		snprintf(buf, IPV6_STR_LEN, "?");
	return buf;
}

char *cidr_str(const struct cidr *c, char *buf)
{
	uint32_t a = c->addr;
	char s[IPV6_STR_LEN];

	if (c->v6)
		snprintf(buf, CIDR_STR_LEN, "%s/%u", ipv6_str(&c->addr6, s), c->plen & 0xffu);
	else
		snprintf(buf, CIDR_STR_LEN, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 0xff,
			 (a >> 8) & 0xff, a & 0xff, c->plen & 0x3fu);
	return buf;
}

char *time_str(uint64_t ns, char *buf)
{
	time_t sec = (time_t)(ns / 1000000000ull);
	struct tm tm;

	if (!gmtime_r(&sec, &tm) ||
	    !strftime(buf, TIME_STR_LEN - 6, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, TIME_STR_LEN, "?");
	else
		snprintf(buf + strlen(buf), 6, ".%03uZ",
			 (unsigned int)(ns % 1000000000ull / 1000000));
	return buf;
}


/* The protocols conntrack translates, by the names conntrack(8) gives them. */
static const struct {
	uint8_t proto;
	const char *name;
} protos[] = {
	{ IPPROTO_TCP, "tcp" }, { IPPROTO_UDP, "udp" }, { IPPROTO_UDPLITE, "udplite" },
	{ IPPROTO_SCTP, "sctp" }, { IPPROTO_DCCP, "dccp" }, { IPPROTO_ICMP, "icmp" },
	{ IPPROTO_ICMPV6, "icmpv6" }, { IPPROTO_GRE, "gre" },
};
#define NPROTOS (sizeof(protos) / sizeof(protos[0]))

const char *proto_str(uint8_t proto, char *buf)
{
	size_t i;

	for (i = 0; i < NPROTOS; i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	snprintf(buf, PROTO_STR_LEN, "%u", proto);
	return buf;
}

bool parse_proto(const char *s, uint8_t *proto, char *err)
{
	char tok[TOKEN_LEN];
	uint32_t v;
	size_t i;

	for (i = 0; i < NPROTOS; i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return true;
		}
	}
	if (parse_u32("protocol", s, 0, 255, &v, err)) {
		*proto = (uint8_t)v;
		return true;
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid protocol %s; expected tcp, udp, udplite, sctp, "
		 "dccp, icmp, icmpv6, gre or a number 0 to 255", token(s, tok));
	return false;
}

bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_DCCP;
}

/* The ICMP requests conntrack tracks as connections (nf_conntrack_proto_icmp.c). */
static const char *const icmp_requests[] = {
	[8] = "echo-request", [13] = "timestamp-request", [15] = "info-request",
	[17] = "address-mask-request",
};
#define NICMP (sizeof(icmp_requests) / sizeof(icmp_requests[0]))

bool parse_icmp_type(const char *s, uint8_t *type, char *err)
{
	char tok[TOKEN_LEN];
	uint32_t v;
	size_t i;

	for (i = 0; i < NICMP; i++) {
		if (icmp_requests[i] && !strcmp(s, icmp_requests[i])) {
			*type = (uint8_t)i;
			return true;
		}
	}
	if (parse_u32("ICMP type", s, 0, 255, &v, err) && v < NICMP && icmp_requests[v]) {
		*type = (uint8_t)v;
		return true;
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid ICMP type %s; expected echo-request (8), "
		 "timestamp-request (13), info-request (15) or address-mask-request (17)",
		 token(s, tok));
	return false;
}

const char *icmp_type_name(uint8_t type)
{
	return type < NICMP ? icmp_requests[type] : NULL;
}

/* The ICMPv6 requests conntrack tracks as connections (nf_conntrack_proto_icmpv6.c). */
static const struct {
	uint8_t type;
	const char *name;
} icmp6_requests[] = { { 128, "echo-request" }, { 139, "node-info-query" } };

bool parse_icmp6_type(const char *s, uint8_t *type, char *err)
{
	char tok[TOKEN_LEN];
	uint32_t v = 256;
	size_t i;

	if (!parse_u32("ICMPv6 type", s, 0, 255, &v, err))
		v = 256;
	for (i = 0; i < sizeof(icmp6_requests) / sizeof(icmp6_requests[0]); i++) {
		if (!strcmp(s, icmp6_requests[i].name) || v == icmp6_requests[i].type) {
			*type = icmp6_requests[i].type;
			return true;
		}
	}
	snprintf(err, PARSE_ERR_LEN, "Invalid ICMPv6 type %s; expected echo-request (128) or "
		 "node-info-query (139)", token(s, tok));
	return false;
}

bool parse_endpoint(const char *s, struct ipaddr *addr, uint16_t *port, char *err)
{
	const char *colon = strrchr(s, ':'), *close = strchr(s, ']');
	bool bracket = s[0] == '[';
	struct ipaddr a = { .v6 = bracket || (colon && strchr(s, ':') != colon) };
	char ip[INET6_ADDRSTRLEN], tok[TOKEN_LEN];
	const char *end = bracket ? close : colon;
	size_t len = end ? (size_t)(end - s) - bracket : 0;
	uint32_t v;

	/*
	 * IPv4:PORT; [IPv6]:PORT (RFC 5952); or IPv6:PORT as nginx logs
	 * $remote_addr:$remote_port, where the last colon starts the port.
	 */
	if (!colon || !end || !len || len >= sizeof(ip) || (bracket && close + 1 != colon))
		goto bad;
	memcpy(ip, s + bracket, len);
	ip[len] = '\0';
	if (a.v6 && !bracket && !parse_ipv6(ip, &a.in6, err))
		goto bad;
	if ((bracket && !parse_ipv6(ip, &a.in6, err)) || (!a.v6 && !parse_ipv4(ip, &a.v4, err)) ||
	    !parse_u32("port", colon + 1, 0, 65535, &v, err))
		return false;
	*addr = a;
	*port = (uint16_t)v;
	return true;
bad:
	snprintf(err, PARSE_ERR_LEN, "Invalid address and port %s; expected IPv4:PORT, "
		 "[IPv6]:PORT or IPv6:PORT", token(s, tok));
	return false;
}

/* n digits at p into *v; false if not all digits. */
static bool digits(const char *p, int n, int *v)
{
	*v = 0;
	while (n--) {
		if (*p < '0' || *p > '9')
			return false;
		*v = *v * 10 + (*p++ - '0');
	}
	return true;
}

bool parse_time(const char *s, uint64_t *ns, uint64_t *last, char *err)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	uint64_t frac = 0, scale = 1000000000ull;
	const char *p = s;
	struct tm tm = { 0 };
	time_t t;

	/* Epoch seconds, with an optional fraction. */
	if (*p >= '0' && *p <= '9' && (p[strspn(p, "0123456789")] == '\0' ||
				       p[strspn(p, "0123456789")] == '.')) {
		uint64_t v = 0;

		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > UINT64_MAX / 10 / 1000000000ull)
				goto bad;
			v = v * 10 + (uint64_t)(*p - '0');
		}
		if (*p == '.' && !*++p)
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale /= 10)
				frac += (uint64_t)(*p - '0') * scale;
		if (*p)
			goto bad;
		*ns = v * 1000000000ull + frac;
		goto done;
	}
	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    !digits(p + 11, 2, &h) || p[13] != ':' || !digits(p + 14, 2, &mi) || p[16] != ':' ||
	    !digits(p + 17, 2, &sec))
		goto bad;
	p += 19;
	if (*p == '.' || *p == ',') {
		if (*++p < '0' || *p > '9')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale /= 10)
				frac += (uint64_t)(*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
			goto bad;
		p += 6;
	} else {
		goto bad;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - sign * (oh * 3600 + om * 60);
	if (t < 0)
		goto bad;
	*ns = (uint64_t)t * 1000000000ull + frac;
done:
	/* scale is now what the last digit given counts: a second if none. */
	if (last)
		*last = *ns + (scale ? scale - 1 : 0);
	return true;
bad:
	snprintf(err, PARSE_ERR_LEN, "Invalid time %.64s; expected RFC 3339 "
		 "(2026-11-26T14:23:11Z) or seconds since the epoch", s);
	return false;
}
