/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Parsers and formatters of single values: addresses, CIDRs, numbers,
 * words, interface prefix lists, times, protocols. Each parser returns true
 * on success; on failure it writes one capitalized sentence naming the
 * offending token into err (PARSE_ERR_LEN bytes) and leaves its output
 * alone.
 */
#ifndef PARSE_H
#define PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/vpcsnat.h>
#include <vpcsnat/shared.h>

/* Room for any message the parsers write. */
#define PARSE_ERR_LEN 320

/*
 * One table entry of either family, as snatctl holds it: an IPv4 prefix
 * (addr, plen 0..32) or, if v6, an IPv6 one (addr6, plen 0..128); host
 * order, host bits zero; the other family's address is zero.
 */
struct cidr {
	struct vpcsnat_in6 addr6;
	uint32_t addr;
	uint8_t plen, kind;
	bool v6;
};


/* "10.0.0.10", host byte order. */
bool parse_ipv4(const char *s, uint32_t *addr, char *err);
/* "2001:db8::10" (inet_pton's forms), host order. */
bool parse_ipv6(const char *s, struct vpcsnat_in6 *addr, char *err);

/*
 * An address of either family, host order: IPv4 in v4, or if v6 IPv6 in
 * in6; the other family's part zero, so that == on both parts compares.
 */
struct ipaddr {
	struct vpcsnat_in6 in6;
	uint32_t v4;
	bool v6;
};
/* "10.0.0.10" or "2001:db8::10": a ':' makes it IPv6. */
bool parse_ipaddr(const char *s, struct ipaddr *addr, char *err);
bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b);
/* ipv4_str() or ipv6_str(), into buf of IPV6_STR_LEN bytes. */
char *ipaddr_str(const struct ipaddr *a, char *buf);
/*
 * "10.0.0.0/16", "2001:db8::/56", or a bare address (a /32 or a /128);
 * kind vpc. Refused, with the rules' wording of shared.h: host bits set, a
 * length over the address, an IPv4-mapped IPv6 prefix.
 */
bool parse_cidr(const char *s, struct cidr *c, char *err);
/*
 * As parse_cidr, of family af only (AF_INET, AF_INET6; AF_UNSPEC: either);
 * with masked, host bits are cleared (*masked says whether) instead of
 * refused.
 */
bool parse_cidr_as(const char *s, int af, struct cidr *c, bool *masked, char *err);
/* One of words[0..n-1] into *val; what names the value in the message ("kind"). */
bool parse_word(const char *what, const char *const *words, unsigned int n, const char *s,
		uint8_t *val, char *err);
bool parse_kind(const char *s, uint8_t *kind, char *err);
bool parse_random(const char *s, uint8_t *random, char *err);
/* yes/on or no/off; what names the setting in the message. */
bool parse_bool(const char *what, const char *s, bool *on, char *err);
/* A mark: "none" (0), or 0x1..0xffffffff in hex (0x80) or decimal. */
bool parse_mark(const char *what, const char *s, uint32_t *mark, char *err);
/* Decimal, no sign or leading zeros, min..max. */
bool parse_u32(const char *what, const char *s, uint32_t min, uint32_t max, uint32_t *val, char *err);

/* Interface name prefixes, the rule of vpcsnat_iface_prefix_check(). */
struct iface_list {
	unsigned int n;
	char name[VPCSNAT_MAX_SKIP_IFACES][VPCSNAT_IFACE_PREFIX_MAX + 1];
};
/* "vlan,eni" or "none". */
bool parse_iface_list(const char *s, struct iface_list *l, char *err);
/* One interface name (explain's oif): a one-prefix list that is not "none". */
bool parse_iface_name(const char *s, char *err);

/* "tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmpv6", "gre" or a number 0..255. */
bool parse_proto(const char *s, uint8_t *proto, char *err);
/* Whether conntrack keeps ports for proto: TCP, UDP, UDP-Lite, SCTP, DCCP. */
bool proto_has_ports(uint8_t proto);
/*
 * An ICMP request conntrack tracks as a connection: "echo-request" (8),
 * "timestamp-request" (13), "info-request" (15), "address-mask-request"
 * (17), or its number.
 */
bool parse_icmp_type(const char *s, uint8_t *type, char *err);
/* "echo-request" for 8, NULL for a type that is not such a request. */
const char *icmp_type_name(uint8_t type);
/* The same for ICMPv6: "echo-request" (128), "node-info-query" (139), or its number. */
bool parse_icmp6_type(const char *s, uint8_t *type, char *err);
/*
 * "10.0.0.10:41234", "[2001:db8::10]:41234" (RFC 5952's form) or
 * "2001:db8::10:41234" (as nginx logs $remote_addr:$remote_port: the last
 * colon starts the port).
 */
bool parse_endpoint(const char *s, struct ipaddr *addr, uint16_t *port, char *err);
/*
 * RFC 3339 (2026-11-26T14:23:11.123Z, +01:00, a space for the T) or epoch
 * seconds, into *ns (since the epoch); *last (if not NULL) is the last
 * nanosecond the text names: 14:23:11 is the whole second, as a log line of
 * second precision (nginx's $time_iso8601) means it, .123 a millisecond.
 */
bool parse_time(const char *s, uint64_t *ns, uint64_t *last, char *err);

const char *kind_name(uint8_t kind);		/* "vpc", "unknown" if unknown */
const char *random_name(uint8_t random);	/* "prng" */
/* A reason as snatctl's text says it ("no-match") and as JSON does ("no_match"). */
#define REASON_NAME_LEN 24
const char *reason_name(uint8_t reason, char *buf);
const char *reason_key(uint8_t reason);

/* "10.0.0.0/16", "2001:db8::/56" (inet_ntop's form) into buf of at least CIDR_STR_LEN bytes. */
#define CIDR_STR_LEN 50
char *cidr_str(const struct cidr *c, char *buf);
#define IPV4_STR_LEN 16
char *ipv4_str(uint32_t addr, char *buf);
/* "2001:db8::10", inet_ntop's canonical form (RFC 5952). */
#define IPV6_STR_LEN 46
char *ipv6_str(const struct vpcsnat_in6 *a, char *buf);
/* "2026-11-26T14:23:11.123Z" into buf of TIME_STR_LEN bytes. */
#define TIME_STR_LEN 32
char *time_str(uint64_t ns, char *buf);
/* "tcp", "udplite", ... or the number, into buf of PROTO_STR_LEN bytes. */
#define PROTO_STR_LEN 8
const char *proto_str(uint8_t proto, char *buf);

/* A token for a message: at most 64 printable characters, '' if empty. */
#define TOKEN_LEN 72
const char *token(const char *s, char *buf);

#endif
