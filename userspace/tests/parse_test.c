// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host-side tests of snatctl's parsers: one PASS:/FAIL: line per case. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidrs.h"
#include "conf.h"
#include "conffile.h"
#include "env.h"
#include "imds.h"
#include "parse.h"
#include "tests/report.h"

/* want: "10.0.0.0/8" for success, else a substring of the error. */
static const struct { const char *in, *want; bool ok; } cidr_cases[] = {
	{ "10.0.0.0/8", "10.0.0.0/8", true },
	{ "0.0.0.0/0", "0.0.0.0/0", true },
	{ "255.255.255.255/32", "255.255.255.255/32", true },
	{ "10.1.2.3", "10.1.2.3/32", true },
	{ "192.168.0.0/16", "192.168.0.0/16", true },
	{ "100.64.0.0/10", "100.64.0.0/10", true },
	{ "0.0.0.0", "0.0.0.0/32", true },
	{ "10.0.0.1/16", "10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?", false },
	{ "10.0.0.0/0", "10.0.0.0/0 has host bits set; did you mean 0.0.0.0/0?", false },
	{ "255.255.255.255/31", "did you mean 255.255.255.254/31?", false },
	{ "010.0.0.1", "Invalid CIDR 010.0.0.1: leading zeros are not allowed", false },
	{ "10.0.0.01/32", "leading zeros", false },
	{ "00.0.0.0/0", "leading zeros", false },
	{ "0x0a.0.0.0/8", "Invalid CIDR 0x0a.0.0.0/8: expected four decimal numbers", false },
	{ "10.0.0/8", "expected four decimal numbers", false },
	{ "10/8", "expected four decimal numbers", false },
	{ "10.0.0.0.0/8", "expected four decimal numbers", false },
	{ "1..2.3", "expected four decimal numbers", false },
	{ "1.2.3.", "expected four decimal numbers", false },
	{ ".1.2.3", "expected four decimal numbers", false },
	{ "256.0.0.0/8", "Invalid CIDR 256.0.0.0/8: each number must be 0 to 255", false },
	{ "1.2.3.4444", "each number must be 0 to 255", false },
	{ "1.2.3.99999999999", "each number must be 0 to 255", false },
	{ "10.0.0.0/33", "Invalid CIDR 10.0.0.0/33: prefix length out of range (0 to 32)", false },
	{ "10.0.0.0/100", "prefix length out of range", false },
	{ "10.0.0.0/4294967304", "prefix length out of range", false },
	{ "10.0.0.0/", "missing prefix length", false },
	{ "10.0.0.0/-1", "prefix length must be a number", false },
	{ "10.0.0.0/+8", "prefix length must be a number", false },
	{ "10.0.0.0/8/8", "prefix length must be a number", false },
	{ "10.0.0.0/08", "leading zeros", false },
	{ "10.0.0.0/ 8", "prefix length must be a number", false },
	{ " 10.0.0.0/8", "expected four decimal numbers", false },
	{ "10.0.0.0/8 ", "prefix length must be a number", false },
	{ "10.0.0.0 /8", "expected four decimal numbers", false },
	{ "", "Invalid CIDR '':", false },
	{ "/8", "expected four decimal numbers", false },
	/* IPv6: inet_pton's forms in, inet_ntop's canonical form out. */
	{ "2001:db8::/32", "2001:db8::/32", true },
	{ "2001:DB8:0:0::/32", "2001:db8::/32", true },
	{ "2001:0db8:0000::/48", "2001:db8::/48", true },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128", true },
	{ "2001:db8::1", "2001:db8::1/128", true },
	{ "::/0", "::/0", true },
	{ "::", "::/128", true },
	{ "fe80::/10", "fe80::/10", true },
	{ "fd00::ac:0/112", "fd00::ac:0/112", true },
	{ "64:ff9b::/96", "64:ff9b::/96", true },
	{ "::1.2.3.4", "::1.2.3.4/128", true },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", true },
	{ "2001:db8::1/64",
	  "Invalid CIDR 2001:db8::1/64: prefix has host bits set; did you mean 2001:db8::/64?", false },
	{ "2001:db8::/0", "Invalid CIDR 2001:db8::/0: prefix has host bits set; did you mean ::/0?",
	  false },
	{ "2001:db8::4000:0:0:0/65", "did you mean 2001:db8::/65?", false },
	{ "2001:db8::/129", "Invalid CIDR 2001:db8::/129: prefix length is longer than the "
	  "address (32 for IPv4, 128 for IPv6)", false },
	{ "2001:db8::/1000", "prefix length is longer than the address", false },
	{ "2001:db8::/064", "Invalid CIDR 2001:db8::/064: leading zeros are not allowed", false },
	{ "2001:db8::/", "Invalid CIDR 2001:db8::/: missing prefix length after /", false },
	{ "2001:db8::/x", "Invalid CIDR 2001:db8::/x: prefix length must be a number from 0 to 128",
	  false },
	{ "::ffff:10.0.0.1", "Invalid CIDR ::ffff:10.0.0.1: an IPv4-mapped prefix (::ffff:0:0/96): "
	  "give it as IPv4", false },
	{ "::ffff:0:0/96", "an IPv4-mapped prefix (::ffff:0:0/96): give it as IPv4", false },
	{ "::ffff:10.0.0.1/104", "an IPv4-mapped prefix", false },
	{ "::ffff:0:0/95", "Invalid CIDR ::ffff:0:0/95: prefix has host bits set; did you mean "
	  "::fffe:0:0/95?", false },
	{ "fe80::1%eth0/64", "Invalid CIDR fe80::1%eth0/64: expected an IPv6 address", false },
	{ "2001:db8:::1/64", "expected an IPv6 address", false },
	{ "1:2:3:4:5:6:7:8:9", "expected an IPv6 address", false },
	{ "2001:db8::g/64", "expected an IPv6 address", false },
	{ "2001:db8:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0/64", "expected an IPv6 address", false },
	{ ":/0", "expected an IPv6 address", false },
	{ "[2001:db8::]/32", "expected an IPv6 address", false },
	{ "1.2.3.4\x01", "Invalid CIDR 1.2.3.4?:", false },
};

static void test_cidr(void)
{
	char err[PARSE_ERR_LEN], s[CIDR_STR_LEN];
	size_t i;

	for (i = 0; i < sizeof(cidr_cases) / sizeof(cidr_cases[0]); i++) {
		struct cidr c;
		bool ok = parse_cidr(cidr_cases[i].in, &c, err);

		if (ok != cidr_cases[i].ok)
			report(false, "cidr \"%s\": %s", cidr_cases[i].in,
			       ok ? "accepted" : err);
		else if (ok)
			report(!strcmp(cidr_str(&c, s), cidr_cases[i].want) && c.kind == 0,
			       "cidr \"%s\" -> %s", cidr_cases[i].in, s);
		else
			report(strstr(err, cidr_cases[i].want) != NULL, "cidr \"%s\" rejected: %s",
			       cidr_cases[i].in, err);
	}
}

static void test_ipv4(void)
{
	char err[PARSE_ERR_LEN], s[16];
	uint32_t a;

	report(parse_ipv4("10.0.0.10", &a, err) && a == 0x0a00000a &&
	       !strcmp(ipv4_str(a, s), "10.0.0.10"), "ipv4 10.0.0.10");
	report(parse_ipv4("0.0.0.0", &a, err) && a == 0, "ipv4 0.0.0.0");
	report(!parse_ipv4("10.0.0.10/32", &a, err) &&
	       !strcmp(err, "Invalid IPv4 address 10.0.0.10/32: expected four decimal numbers separated by dots"),
	       "ipv4 rejects a prefix: %s", err);
	report(!parse_ipv4("010.0.0.1", &a, err) && strstr(err, "leading zeros"),
	       "ipv4 rejects octal-looking 010.0.0.1: %s", err);
	report(!parse_ipv4("2001:db8::1", &a, err) &&
	       !strcmp(err, "IPv6 is not supported: 2001:db8::1"), "ipv4 rejects IPv6: %s", err);
	report(!parse_ipv4("auto", &a, err), "ipv4 rejects a word: %s", err);
	report(!parse_ipv4("1.2.3", &a, err), "ipv4 rejects three octets: %s", err);
	report(!parse_ipv4("", &a, err) && strstr(err, "''"), "ipv4 rejects empty: %s", err);
}

static void test_words(void)
{
	static const char *const kind_ok[] = { "vpc", "exclude", "snat" };
	static const char *const kind_bad[] = { "VPC", "", "snatx", "vp", "exclude " };
	static const char *const random_ok[] = { "none", "hashrandom", "prng" };
	static const char *const random_bad[] = { "random", "fully", "PRNG", "" };
	static const char *const onoff_bad[] = { "On", "Yes", "1", "", "offf", "true" };
	char err[PARSE_ERR_LEN], r[REASON_NAME_LEN];
	uint8_t v;
	bool on;
	size_t i;

	for (i = 0; i < 3; i++)
		report(parse_kind(kind_ok[i], &v, err) && v == i && !strcmp(kind_name(v), kind_ok[i]),
		       "kind %s", kind_ok[i]);
	for (i = 0; i < sizeof(kind_bad) / sizeof(kind_bad[0]); i++)
		report(!parse_kind(kind_bad[i], &v, err) && strstr(err, "Unknown kind"),
		       "kind \"%s\" rejected: %s", kind_bad[i], err);
	for (i = 0; i < 3; i++)
		report(parse_random(random_ok[i], &v, err) && v == i &&
		       !strcmp(random_name(v), random_ok[i]), "random %s", random_ok[i]);
	for (i = 0; i < sizeof(random_bad) / sizeof(random_bad[0]); i++)
		report(!parse_random(random_bad[i], &v, err) && strstr(err, "Unknown random mode"),
		       "random \"%s\" rejected: %s", random_bad[i], err);
	report(parse_bool("x", "on", &on, err) && on, "bool on");
	report(parse_bool("x", "yes", &on, err) && on, "bool yes");
	report(parse_bool("x", "off", &on, err) && !on, "bool off");
	report(parse_bool("x", "no", &on, err) && !on, "bool no");
	for (i = 0; i < sizeof(onoff_bad) / sizeof(onoff_bad[0]); i++)
		report(!parse_bool("x", onoff_bad[i], &on, err) &&
		       strstr(err, "expected yes or no (or on or off)"),
		       "bool \"%s\" rejected: %s", onoff_bad[i], err);
	report(!strcmp(reason_name(VPCSNAT_REASON_NO_MATCH, r), "no-match") &&
	       !strcmp(reason_key(VPCSNAT_REASON_NO_MATCH), "no_match") &&
	       !strcmp(reason_key(VPCSNAT_REASON_SRC_LOCAL), "src_local") &&
	       !strcmp(reason_name(VPCSNAT_REASON_MAX + 1, r), "unknown"), "reason names");
}

static void test_u32(void)
{
	static const char *const bad[] = { "0", "16000001", "01", "-1", "", "4294967296",
					   "99999999999999999999999", "1e6", " 1", "1 " };
	char err[PARSE_ERR_LEN];
	uint32_t v;
	size_t i;

	report(parse_u32("table-limit", "1", 1, 16000000, &v, err) && v == 1, "u32 1");
	report(parse_u32("table-limit", "16000000", 1, 16000000, &v, err) && v == 16000000,
	       "u32 16000000");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		report(!parse_u32("table-limit", bad[i], 1, 16000000, &v, err) &&
		       strstr(err, "Invalid table-limit"), "u32 \"%s\" rejected: %s", bad[i], err);
}

static void test_ifaces(void)
{
	char err[PARSE_ERR_LEN], many[256] = "";
	struct iface_list l;
	int i;

	report(parse_iface_list("none", &l, err) && l.n == 0, "skip-ifaces none");
	report(parse_iface_list("vlan", &l, err) && l.n == 1 && !strcmp(l.name[0], "vlan"),
	       "skip-ifaces vlan");
	report(parse_iface_list("vlan,eni", &l, err) && l.n == 2 && !strcmp(l.name[1], "eni"),
	       "skip-ifaces vlan,eni");
	report(parse_iface_list("abcdefghijklmno", &l, err) && l.n == 1,
	       "skip-ifaces 15 characters");
	report(!parse_iface_list("abcdefghijklmnop", &l, err) && strstr(err, "longer than 15"),
	       "skip-ifaces 16 characters rejected: %s", err);
	report(!parse_iface_list("vlan,vlan", &l, err) &&
	       !strcmp(err, "Duplicate interface prefix vlan"), "skip-ifaces duplicate: %s", err);
	report(!parse_iface_list("a,,b", &l, err) && strstr(err, "Empty"), "skip-ifaces a,,b: %s", err);
	report(!parse_iface_list("", &l, err) && strstr(err, "Empty"), "skip-ifaces empty: %s", err);
	report(!parse_iface_list("vlan,", &l, err) && strstr(err, "Empty"), "skip-ifaces vlan,: %s", err);
	report(!parse_iface_list("a b", &l, err) && strstr(err, "Invalid interface prefix"),
	       "skip-ifaces with space: %s", err);
	report(!parse_iface_list("a/b", &l, err), "skip-ifaces with slash: %s", err);
	report(!parse_iface_list("eth0:1", &l, err), "skip-ifaces with colon: %s", err);
	report(!parse_iface_list("eni#1", &l, err), "skip-ifaces with '#' (a comment in files): %s", err);
	for (i = 0; i < 16; i++)
		sprintf(many + strlen(many), "%sif%d", i ? "," : "", i);
	report(parse_iface_list(many, &l, err) && l.n == 16, "skip-ifaces 16 prefixes");
	strcat(many, ",if16");
	report(!parse_iface_list(many, &l, err) && strstr(err, "Too many"),
	       "skip-ifaces 17 prefixes rejected: %s", err);
}

/* A stream whose text is in *buf (malloc()ed) once it is closed. */
static FILE *capture(char **buf)
{
	static size_t len;

	return open_memstream(buf, &len);
}

/* Parses text as file "f"; returns bad-line count, errors in *errs. */
static long parse_text(const char *text, size_t len, struct cidr_list *f, char **errs)
{
	FILE *e = capture(errs);
	long bad = cidr_file_parse("f", text, len, f, e);

	fclose(e);
	return bad;
}

static void file_case(const char *name, const char *text, long want_bad, size_t want_n,
		      const char *want_errs)
{
	struct cidr_list f;
	char *errs;
	long bad = parse_text(text, strlen(text), &f, &errs);

	report(bad == want_bad && (want_bad || f.n == want_n) && !strcmp(errs, want_errs),
	       "file %s (%ld bad, %zu entries)%s%s", name, bad, f.n,
	       strcmp(errs, want_errs) ? "; got:\n" : "", strcmp(errs, want_errs) ? errs : "");
	free(errs);
	cidr_list_free(&f);
}

static void test_file(void)
{
	struct cidr_list f;
	char *errs, *big, line[400];
	const char *good;
	size_t i, len;
	long bad;

	file_case("empty", "", 0, 0, "");
	file_case("comments and blanks", "# only a comment\n\n   \n\t# indented\n", 0, 0, "");
	good = "10.0.0.0/16\n# c\n\n 100.64.0.0/10\texclude  # cgnat\r\n52.94.0.0/22 snat\n1.2.3.4";
	bad = parse_text(good, strlen(good), &f, &errs);
	report(bad == 0 && f.n == 4 &&
	       f.entries[0].cidr.kind == 0 && f.entries[0].line == 1 &&
	       f.entries[1].cidr.kind == 1 && f.entries[1].line == 4 &&
	       f.entries[1].cidr.plen == 10 &&
	       f.entries[2].cidr.kind == 2 && f.entries[2].line == 5 &&
	       f.entries[3].cidr.plen == 32 && f.entries[3].line == 6,
	       "file good: kinds, lines, CRLF, tabs, trailing comment, no final newline");
	free(errs);
	cidr_list_free(&f);

	file_case("bad lines all reported",
		  "10.0.0.1/16\n10.0.0.0/8 vpc\n010.1.0.0/16\nfe80::1/10\n10.0.0.0/40\n"
		  "172.16.0.0/12 bogus\n172.16.0.0/12 vpc extra\n192.168.0.0/16\n",
		  6, 0,
		  "f:1: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?\n"
		  "f:3: Invalid CIDR 010.1.0.0/16: leading zeros are not allowed\n"
		  "f:4: Invalid CIDR fe80::1/10: prefix has host bits set; did you mean fe80::/10?\n"
		  "f:5: Invalid CIDR 10.0.0.0/40: prefix length out of range (0 to 32)\n"
		  "f:6: Unknown kind bogus; expected vpc, exclude or snat\n"
		  "f:7: Unexpected text after 172.16.0.0/12 vpc\n");
	file_case("duplicates name the first line",
		  "10.0.0.0/8\n192.168.0.0/16\n10.0.0.0/8 snat\n1.2.3.4\n1.2.3.4/32 exclude\n"
		  "10.0.0.0/8\n10.0.0.0/9\n",
		  3, 0,
		  "f:3: Duplicate prefix 10.0.0.0/8, first given on line 1\n"
		  "f:5: Duplicate prefix 1.2.3.4/32, first given on line 4\n"
		  "f:6: Duplicate prefix 10.0.0.0/8, first given on line 1\n");

	memset(line, ' ', sizeof(line));
	memcpy(line, "10.0.0.0/8", 10);
	line[256] = '\n';
	line[257] = '\0';
	file_case("256-character line accepted", line, 0, 1, "");
	line[256] = '#';
	line[257] = '\n';
	line[258] = '\0';
	file_case("257-character line rejected", line, 1, 0,
		  "f:1: Line is too long (257 characters; at most 256)\n");

	bad = parse_text("10.0.0.0/8\n1.2.3.0/24\0 snat\n4.0.0.0/8\n", 38, &f, &errs);
	report(bad == 1 && f.n == 2 && !strcmp(errs, "f:2: Line contains a NUL byte\n"),
	       "file NUL byte rejected: %s", errs);
	free(errs);
	cidr_list_free(&f);

	/* 70000 distinct /32s and a late duplicate: the hash grows and still finds it. */
	big = malloc(70001 * 24);
	for (len = 0, i = 0; i < 70000; i++)
		len += (size_t)sprintf(big + len, "10.%zu.%zu.%zu vpc\n", i >> 16, (i >> 8) & 255,
				       i & 255);
	len += (size_t)sprintf(big + len, "10.0.1.2/32\n");
	bad = parse_text(big, len, &f, &errs);
	report(bad == 1 && f.n == 70000 &&
	       !strcmp(errs, "f:70001: Duplicate prefix 10.0.1.2/32, first given on line 259\n"),
	       "file 70000 entries with a late duplicate: %s", errs);
	free(errs);
	cidr_list_free(&f);
	free(big);
}

/* Both families in one table: duplicates per family, the kernel's order, the split. */
static void test_file6(void)
{
	char *errs, *big, s[CIDR_STR_LEN], order[512];
	const char *good;
	struct cidr *sorted;
	struct cidr_list f;
	size_t i, len, n;
	long bad;

	file_case("IPv6 entries, kinds, comments",
		  "2001:db8::/32\n2600:1f14:abc:de00::/56 exclude # VPC\n::/0 snat\nfd00::ac:1\n",
		  0, 4, "");
	file_case("duplicates are per family, whatever the text",
		  "2001:db8::/32\n2001:DB8:0::/32 snat\n0.0.0.0/0\n::/0\n::/0 exclude\n"
		  "1.2.3.4\n::1.2.3.4\n::102:304/128\n",
		  3, 0,
		  "f:2: Duplicate prefix 2001:DB8:0::/32, first given on line 1\n"
		  "f:5: Duplicate prefix ::/0, first given on line 4\n"
		  "f:8: Duplicate prefix ::102:304/128, first given on line 7\n");
	file_case("IPv6 refusals, one line each with the rule's wording",
		  "2001:db8::1/64\n2001:db8::/129\n::ffff:10.0.0.0/104\nfe80::1%eth0\n"
		  "2001:db8::/32 nat\n2001:db8::/32 vpc x\n",
		  6, 0,
		  "f:1: Invalid CIDR 2001:db8::1/64: prefix has host bits set; did you mean "
		  "2001:db8::/64?\n"
		  "f:2: Invalid CIDR 2001:db8::/129: prefix length is longer than the address "
		  "(32 for IPv4, 128 for IPv6)\n"
		  "f:3: Invalid CIDR ::ffff:10.0.0.0/104: an IPv4-mapped prefix (::ffff:0:0/96): "
		  "give it as IPv4\n"
		  "f:4: Invalid CIDR fe80::1%eth0: expected an IPv6 address\n"
		  "f:5: Unknown kind nat; expected vpc, exclude or snat\n"
		  "f:6: Unexpected text after 2001:db8::/32 vpc\n");

	good = "2001:db8:1::/48\n10.0.0.0/8 snat\n2001:db8::/32\n::/0\n0.0.0.0/0\n"
	       "2001:db8::/48 exclude\n";
	bad = parse_text(good, strlen(good), &f, &errs);
	sorted = cidr_list_sorted(&f);
	for (order[0] = '\0', len = 0, i = 0; sorted && i < f.n; i++)
		len += (size_t)snprintf(order + len, sizeof(order) - len, "%s%s", i ? " " : "",
					cidr_str(&sorted[i], s));
	report(bad == 0 && f.n == 6 && f.n6 == 4 && sorted &&
	       !strcmp(order, "0.0.0.0/0 10.0.0.0/8 ::/0 2001:db8::/32 2001:db8::/48 2001:db8:1::/48"),
	       "sorted as the kernel dumps: IPv4, then IPv6, by address and length: %s", order);
	free(sorted);
	free(errs);
	cidr_list_free(&f);

	/* 70000 distinct /64s and a late duplicate: the hash spreads IPv6 prefixes too. */
	big = malloc(70001 * 40);
	for (len = 0, i = 0; i < 70000; i++)
		len += (size_t)sprintf(big + len, "2600:%zx:%zx::/64\n", i >> 16, i & 0xffff);
	len += (size_t)sprintf(big + len, "2600:0:103::/64\n");
	bad = parse_text(big, len, &f, &errs);
	report(bad == 1 && f.n == 70000 &&
	       !strcmp(errs, "f:70001: Duplicate prefix 2600:0:103::/64, first given on line 260\n"),
	       "file 70000 IPv6 entries with a late duplicate: %s", errs);
	free(errs);

	/* The messages of a replace: 1024 entries once one is IPv6, else 2048. */
	for (order[0] = '\0', len = 0, i = 0; i < f.n; i += n) {
		n = cidr_list_chunk(&f, i);
		if (!n)
			break;
		if (i < 3 * 1024 || i + n == f.n)
			len += (size_t)snprintf(order + len, sizeof(order) - len, "%zu ", n);
	}
	report(!strcmp(order, "1024 1024 1024 368 "),
	       "replace: 70000 IPv6 entries go 1024 a message: %s", order);
	cidr_list_free(&f);
	for (len = 0, i = 0; i < 3000; i++)
		len += (size_t)sprintf(big + len, "%s10.%zu.%zu.0/24\n", i == 1500 ? "fd00::/8\n" : "",
				       i >> 8, i & 255);
	bad = parse_text(big, len, &f, &errs);
	for (order[0] = '\0', len = 0, i = 0; i < f.n; i += n) {
		n = cidr_list_chunk(&f, i);
		if (!n)
			break;
		len += (size_t)snprintf(order + len, sizeof(order) - len, "%zu ", n);
	}
	report(bad == 0 && !strcmp(order, "1500 1024 477 "),
	       "replace: IPv4 entries go 2048 a message until an IPv6 one joins: %s", order);
	free(errs);
	cidr_list_free(&f);
	for (len = 0, i = 0; i < 4100; i++)
		len += (size_t)sprintf(big + len, "10.%zu.%zu.0/24\n", i >> 8, i & 255);
	bad = parse_text(big, len, &f, &errs);
	report(bad == 0 && cidr_list_chunk(&f, 0) == 2048 && cidr_list_chunk(&f, 2048) == 2048 &&
	       cidr_list_chunk(&f, 4096) == 4 && cidr_list_chunk(&f, 4100) == 0,
	       "replace: an IPv4 table goes 2048 a message, as before");
	free(errs);
	cidr_list_free(&f);
	free(big);
}

static long parse_conf(const char *text, size_t len, struct conf *c, char **errs)
{
	FILE *e = capture(errs);
	long bad = conf_parse("c", text, len, c, e);

	fclose(e);
	return bad;
}

/* A bad config file: exactly want_errs, and the bad-line count. */
static void conf_bad(const char *name, const char *text, long want_bad, const char *want_errs)
{
	struct conf c;
	char *errs;
	long bad = parse_conf(text, strlen(text), &c, &errs);

	report(bad == want_bad && !strcmp(errs, want_errs), "conf %s (%ld bad)%s%s", name, bad,
	       strcmp(errs, want_errs) ? "; got:\n" : "", strcmp(errs, want_errs) ? errs : "");
	free(errs);
	conf_free(&c);
}

static char *conf_text(const struct conf *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	conf_print(f, c, "header");
	fclose(f);
	return out;
}

/* c printed, then parsed back: the same configuration, the same digest. The text, malloc()ed. */
static char *round_trip(const struct conf *c, const char *what)
{
	char *errs, *text = conf_text(c);
	struct conf d;
	long bad = parse_conf(text, strlen(text), &d, &errs);

	report(bad == 0 && conf_same(c, &d, true) == 1 && conf_digest(c) == conf_digest(&d),
	       "%s prints and parses back the same: %s", what, errs);
	free(errs);
	conf_free(&d);
	return text;
}

/* A configuration with IPv6 prefixes: printed canonical, read back, as JSON. */
static void test_conf6(void)
{
	static const char text6[] =
		"cidr 10.0.0.0/16\n"
		"cidr 2600:1F14:0ABC:DE00::/56 vpc\n"
		"cidr fd00::/8 exclude\n"
		"cidr 2600:1f14:abc:de00::1 snat\n";
	struct conf c, d;
	char *errs, *text, *json = NULL;
	size_t len = 0;
	FILE *f;
	long bad;

	bad = parse_conf(text6, strlen(text6), &c, &errs);
	report(bad == 0 && c.cidrs.n == 4 && c.cidrs.n6 == 3 && c.cidrs.entries[1].cidr.v6 &&
	       c.cidrs.entries[1].cidr.plen == 56 &&
	       c.cidrs.entries[1].cidr.addr6.hi == 0x26001f140abcde00ULL &&
	       !c.cidrs.entries[1].cidr.addr6.lo && c.cidrs.entries[2].line == 3,
	       "conf IPv6 cidr lines: address, length, kind, line: %s", errs);
	free(errs);
	text = round_trip(&c, "conf with IPv6");
	report(strstr(text, "table-limit 1000000\ncidr 10.0.0.0/16 vpc\n"
			    "cidr 2600:1f14:abc:de00::/56 vpc\ncidr fd00::/8 exclude\n"
			    "cidr 2600:1f14:abc:de00::1/128 snat\n") != NULL,
	       "conf print: IPv6 prefixes in inet_ntop's form, in the order given:\n%s", text);
	free(text);
	f = open_memstream(&json, &len);
	conf_print_json(f, &c, CONF_JSON_TABLE);
	fclose(f);
	report(strstr(json, "\"cidrs\":[{\"cidr\":\"10.0.0.0/16\",\"kind\":\"vpc\"},"
			    "{\"cidr\":\"2600:1f14:abc:de00::/56\",\"kind\":\"vpc\"},"
			    "{\"cidr\":\"fd00::/8\",\"kind\":\"exclude\"},"
			    "{\"cidr\":\"2600:1f14:abc:de00::1/128\",\"kind\":\"snat\"}]") != NULL,
	       "conf JSON: IPv6 prefixes as strings: %s", json);
	free(json);
	/* The same prefixes in another order, or a kind changed: another table. */
	bad = parse_conf("cidr fd00::/8 exclude\ncidr 2600:1f14:abc:de00::1/128 snat\n"
			 "cidr 2600:1f14:abc:de00::/56\ncidr 10.0.0.0/16\n", 104, &d, &errs);
	report(bad == 0 && conf_same(&c, &d, false) == 1 && conf_digest(&c) == conf_digest(&d),
	       "conf IPv6 tables compare as sets: %s", errs);
	free(errs);
	d.cidrs.entries[0].cidr.kind = VPCSNAT_KIND_VPC;
	report(conf_same(&c, &d, false) == 0 && conf_digest(&c) != conf_digest(&d),
	       "conf an IPv6 entry's kind counts");
	conf_free(&d);
	conf_free(&c);
}

/* snat-ip6: one setting row, its values through the one parser, printed canonical. */
static void test_snat_ip6(void)
{
	static const struct { const char *in, *want; } ok[] = {
		{ "2600:1f14:abc:de00::10", "2600:1f14:abc:de00::10" },
		{ "2600:1F14:0ABC:DE00:0:0:0:10", "2600:1f14:abc:de00::10" },
		{ "fd00::ac:1", "fd00::ac:1" },
		{ "fec0::1", "fec0::1" },
		{ "64:ff9b::a00:1", "64:ff9b::a00:1" },
		{ "auto", "auto" },
		{ "imds", "imds" },
	};
	static const struct { const char *in, *want; } bad[] = {
		{ "::", "Invalid snat-ip6 ::; write auto instead" },
		{ "0:0::0", "Invalid snat-ip6 0:0::0; write auto instead" },
		{ "ff02::1", "Invalid snat-ip6 ff02::1: a multicast address is never translated to" },
		{ "::1", "Invalid snat-ip6 ::1: a loopback address is never translated to" },
		{ "::ffff:10.0.0.10", "Invalid snat-ip6 ::ffff:10.0.0.10: an IPv4-mapped address is "
		  "never translated to (IPv4 connections have their own setting)" },
		{ "fe80::1", "Invalid snat-ip6 fe80::1: a link-local address is never translated to "
		  "(no router forwards it)" },
		{ "febf:ffff::1", "Invalid snat-ip6 febf:ffff::1: a link-local address" },
		{ "10.0.0.10", "Invalid IPv6 address 10.0.0.10: expected an IPv6 address" },
		{ "2600:1f14::/64", "Invalid IPv6 address 2600:1f14::/64: expected an IPv6 address" },
		{ "fe80::1%eth0", "Invalid IPv6 address fe80::1%eth0: expected an IPv6 address" },
		{ "AUTO", "Invalid IPv6 address AUTO: expected an IPv6 address" },
		{ "", "Invalid IPv6 address '': expected an IPv6 address" },
	};
	static const struct vpcsnat_in6 ip6 = { 0x26001f140abcde00ULL, 0x10 };
	char err[PARSE_ERR_LEN], v[256], *errs, *text, *json = NULL;
	struct conf c, d;
	size_t i, len = 0;
	FILE *f;
	long n;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		conf_init(&c);
		report(conf_set(&c, CONF_SNAT_IP6, ok[i].in, err) &&
		       !strcmp(conf_value_str(&c, CONF_SNAT_IP6, v, sizeof(v)), ok[i].want),
		       "snat-ip6 %s -> %s", ok[i].in, v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		conf_init(&c);
		c.snat_ip6.lo = 7;
		report(!conf_set(&c, CONF_SNAT_IP6, bad[i].in, err) &&
		       !strncmp(err, bad[i].want, strlen(bad[i].want)) && c.snat_ip6.lo == 7 &&
		       !c.snat_ip6.hi, "snat-ip6 \"%s\" refused, value kept: %s", bad[i].in, err);
	}
	n = parse_conf("snat-ip 10.0.0.10\nsnat-ip6 2600:1F14:abc:DE00::0010\n", 52, &c, &errs);
	text = round_trip(&c, "conf snat-ip6");
	report(n == 0 && c.line[CONF_SNAT_IP6] == 2 && c.snat_ip6.hi == 0x26001f140abcde00ULL &&
	       c.snat_ip6.lo == 0x10 &&
	       strstr(text, "\nsnat-ip 10.0.0.10\nsnat-ip6 2600:1f14:abc:de00::10\nrandom prng\n"),
	       "conf snat-ip6 read, printed canonical after snat-ip: %s%s", errs, text);
	free(errs);
	free(text);
	n = parse_conf("snat-ip 10.0.0.10\nsnat-ip6 2600:1f14:abc:de00::11\n", 50, &d, &errs);
	report(n == 0 && conf_same(&c, &d, true) == 0 && conf_digest(&c) != conf_digest(&d),
	       "conf another snat-ip6 is another configuration: %s", errs);
	free(errs);
	conf_free(&d);
	f = open_memstream(&json, &len);
	conf_print_json(f, &c, 0);
	fclose(f);
	report(strstr(json, "\"snat_ip\":\"10.0.0.10\",\"snat_ip6\":\"2600:1f14:abc:de00::10\","
			    "\"random\":\"prng\"") != NULL, "conf JSON snat_ip6: %s", json);
	free(json);
	conf_free(&c);
	conf_bad("snat-ip6 twice", "snat-ip6 auto\nsnat-ip6 2600::1\n", 1,
		 "c:2: Setting snat-ip6 is given twice, first on line 1\n");
	n = parse_conf("snat-ip6 imds\n", 14, &c, &errs);
	free(errs);
	report(n == 0 && conf_needs_imds(&c) && !conf_resolve(&c, 0x0a00000a, NULL, NULL, err) &&
	       !strcmp(err, "snat-ip6 imds: no ipv6 to use"),
	       "conf snat-ip6 imds without instance metadata's ipv6: refused: %s", err);
	report(conf_resolve(&c, 0, &ip6, NULL, err) && !conf_needs_imds(&c) &&
	       !strcmp(conf_value_str(&c, CONF_SNAT_IP6, v, sizeof(v)), "2600:1f14:abc:de00::10"),
	       "conf snat-ip6 imds: instance metadata's ipv6: %s", v);
	conf_free(&c);
}

static void test_conf(void)
{
	static const char good[] =
		"# vpcsnat configuration\r\n"
		"enabled yes\n"
		"external-snat off\n"
		"snat-ip 10.0.0.10        # or auto\n"
		"\trandom hashrandom\n"
		"skip-ifaces vlan,eni     # comma separated, or none\n"
		"table-limit 5000\n"
		"\n"
		"cidr 10.0.0.0/16 vpc\n"
		"cidr 192.168.0.0/16 exclude\r\n"
		"cidr 10.0.5.0/24 snat\n"
		"cidr 1.2.3.4";
	struct conf c, d;
	char *errs, *text, line[300];
	long bad;

	bad = parse_conf(good, strlen(good), &c, &errs);
	report(bad == 0 && !*errs && c.enabled && !c.external_snat && c.snat_ip == 0x0a00000a &&
	       c.random == VPCSNAT_RANDOM_HASHRANDOM && c.skip.n == 2 &&
	       !strcmp(c.skip.name[1], "eni") && c.table_limit == 5000 && c.cidrs.n == 4 &&
	       c.cidrs.entries[0].line == 9 && c.cidrs.entries[1].cidr.kind == VPCSNAT_KIND_EXCLUDE &&
	       c.cidrs.entries[2].cidr.kind == VPCSNAT_KIND_SNAT &&
	       c.cidrs.entries[3].cidr.plen == 32 && c.cidrs.entries[3].cidr.kind == 0 &&
	       c.line[CONF_RANDOM] == 5 && c.line[CONF_TABLE_LIMIT] == 7,
	       "conf good: every setting, kinds, lines, CRLF, comments%s%s", *errs ? ": " : "", errs);
	free(errs);

	/* What it prints parses back to the same thing. */
	text = conf_text(&c);
	bad = parse_conf(text, strlen(text), &d, &errs);
	report(bad == 0 && conf_same(&c, &d, true) == 1, "conf print parses back the same: %s", errs);
	report(strstr(text, "# header\nenabled yes\nipv6 no\nexternal-snat off\nsnat-ip 10.0.0.10\nsnat-ip6 auto\n"
			    "random hashrandom\nskip-ifaces vlan,eni\npod-ifaces eni\nmark 0x80\ntable-limit 5000\n"
			    "cidr 10.0.0.0/16 vpc\n") == text, "conf print format%s%s", strstr(text, "# header\nenabled yes\n") == text ? "" : ":\n",
	       strstr(text, "# header\nenabled yes\n") == text ? "" : text);
	free(text);
	free(errs);
	conf_free(&d);
	conf_free(&c);

	bad = parse_conf("cidr 10.0.0.0/8\n", 16, &c, &errs);
	report(bad == 0 && !c.enabled && !c.external_snat && c.snat_ip == 0 &&
	       c.random == VPCSNAT_RANDOM_PRNG && c.skip.n == 0 &&
	       c.table_limit == VPCSNAT_DEFAULT_TABLE_LIMIT && c.cidrs.n == 1,
	       "conf defaults for what the file leaves out");
	text = conf_text(&c);
	report(!strcmp(text, "# header\nenabled no\nipv6 no\nexternal-snat off\nsnat-ip auto\nsnat-ip6 auto\nrandom prng\n"
			     "skip-ifaces none\npod-ifaces eni\nmark 0x80\ntable-limit 1000000\ncidr 10.0.0.0/8 vpc\n"),
	       "conf defaults print");
	free(text);
	free(errs);
	conf_free(&c);

	bad = parse_conf("", 0, &c, &errs);
	report(bad == 0 && c.cidrs.n == 0, "conf empty file is valid (all defaults, empty table)");
	free(errs);
	conf_free(&c);
	bad = parse_conf("enabled on\nexternal-snat yes\nsnat-ip auto\n", 42, &c, &errs);
	report(bad == 0 && c.enabled && c.external_snat && c.snat_ip == 0,
	       "conf on/yes for booleans, snat-ip auto: %s", errs);
	free(errs);
	conf_free(&c);

	conf_bad("each kind of bad line",
		 "enabled maybe\n"
		 "external-snat 1\n"
		 "snat-ip 10.0.0.256\n"
		 "random fully\n"
		 "skip-ifaces vlan,,eni\n"
		 "table-limit 0\n"
		 "mode fast\n"
		 "cidr 10.0.0.1/16\n"
		 "cidr 10.0.0.0/8 nat\n"
		 "cidr\n"
		 "random\n"
		 "enabled yes no\n"
		 "cidr 10.0.0.0/8 vpc extra\n"
		 "snat-ip 0.0.0.0\n"
		 "Enabled yes\n",
		 15,
		 "c:1: Invalid enabled maybe; expected yes or no (or on or off)\n"
		 "c:2: Invalid external-snat 1; expected yes or no (or on or off)\n"
		 "c:3: Invalid IPv4 address 10.0.0.256: each number must be 0 to 255\n"
		 "c:4: Unknown random mode fully; expected none, hashrandom or prng\n"
		 "c:5: Empty interface prefix in vlan,,eni\n"
		 "c:6: Invalid table-limit 0; expected a number from 1 to 16000000\n"
		 "c:7: Unknown setting mode; expected enabled, ipv6, external-snat, snat-ip, snat-ip6, random, "
		 "skip-ifaces, pod-ifaces, mark, table-limit, cidr or vpc-cidrs\n"
		 "c:8: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?\n"
		 "c:9: Unknown kind nat; expected vpc, exclude or snat\n"
		 "c:10: cidr needs a CIDR and an optional kind\n"
		 "c:11: Missing value for random\n"
		 "c:12: Unexpected text no after enabled yes\n"
		 "c:13: Unexpected text extra after cidr 10.0.0.0/8 vpc\n"
		 "c:14: Invalid snat-ip 0.0.0.0; write auto instead\n"
		 "c:15: Unknown setting Enabled; expected enabled, ipv6, external-snat, snat-ip, snat-ip6, random, "
		 "skip-ifaces, pod-ifaces, mark, table-limit, cidr or vpc-cidrs\n");
	conf_bad("duplicate settings name the first line",
		 "random prng\nenabled yes\n# again\nrandom none\nenabled yes\n", 2,
		 "c:4: Setting random is given twice, first on line 1\n"
		 "c:5: Setting enabled is given twice, first on line 2\n");
	conf_bad("duplicate CIDRs, whatever the kind",
		 "cidr 10.0.0.0/8\ncidr 10.0.0.0/8 snat\ncidr 10.0.0.0/9\ncidr 10.0.0.0/9 exclude\n", 2,
		 "c:2: Duplicate prefix 10.0.0.0/8, first given on line 1\n"
		 "c:4: Duplicate prefix 10.0.0.0/9, first given on line 3\n");
	conf_bad("IPv6 in snat-ip", "cidr 2001:db8::/32 vpc\nsnat-ip fe80::1\n", 1,
		 "c:2: Invalid snat-ip fe80::1: an IPv6 address; IPv6 connections are translated "
		 "to snat-ip6\n");
	/* shared.h's rule, as the kernel's settings check words it. */
	conf_bad("snat-ip multicast", "snat-ip 239.1.2.3\n", 1,
		 "c:1: Invalid snat-ip 239.1.2.3: a multicast address is never translated to\n");
	conf_bad("snat-ip loopback", "snat-ip 127.0.0.53\n", 1,
		 "c:1: Invalid snat-ip 127.0.0.53: a loopback address is never translated to\n");
	conf_bad("snat-ip broadcast", "snat-ip 255.255.255.255\n", 1,
		 "c:1: Invalid snat-ip 255.255.255.255: the broadcast address is never translated "
		 "to\n");
	conf_bad("IPv6 refusals and duplicates",
		 "cidr 2001:db8::/32\ncidr 2001:db8::1/32 snat\ncidr 2001:db8:0::/32 snat\n"
		 "cidr ::ffff:0:0/96 exclude\ncidr ::/129\n", 4,
		 "c:2: Invalid CIDR 2001:db8::1/32: prefix has host bits set; did you mean "
		 "2001:db8::/32?\n"
		 "c:3: Duplicate prefix 2001:db8:0::/32, first given on line 1\n"
		 "c:4: Invalid CIDR ::ffff:0:0/96: an IPv4-mapped prefix (::ffff:0:0/96): give it "
		 "as IPv4\n"
		 "c:5: Invalid CIDR ::/129: prefix length is longer than the address (32 for IPv4, "
		 "128 for IPv6)\n");
	conf_bad("table-limit counts both families",
		 "table-limit 2\ncidr 10.0.0.0/8\ncidr 2001:db8::/32\ncidr fd00::/8\n", 1,
		 "c:1: table-limit 2 is below the 3 CIDRs of the file\n");
	conf_bad("table-limit below the CIDRs",
		 "cidr 10.0.0.0/8\ntable-limit 1\ncidr 11.0.0.0/8\n", 1,
		 "c:2: table-limit 1 is below the 2 CIDRs of the file\n");
	memset(line, ' ', sizeof(line));
	memcpy(line, "enabled yes", 11);
	line[256] = '\n';
	line[257] = '\0';
	bad = parse_conf(line, strlen(line), &c, &errs);
	report(bad == 0 && c.enabled, "conf 256-character line accepted: %s", errs);
	free(errs);
	conf_free(&c);
	line[256] = '#';
	line[257] = '\n';
	line[258] = '\0';
	conf_bad("257-character line", line, 1, "c:1: Line is too long (257 characters; at most 256)\n");
	bad = parse_conf("enabled yes\nrandom\0none\ncidr 10.0.0.0/8\n", 40, &c, &errs);
	report(bad == 1 && !strcmp(errs, "c:2: Line contains a NUL byte\n") && c.cidrs.n == 1,
	       "conf NUL byte: %s", errs);
	free(errs);
	conf_free(&c);
}

/* conf_from_env with errors and warnings captured. */
/* conf_same(parse(a), parse(b), settings) */
static void same_case(const char *name, const char *a, const char *b, bool settings, int want)
{
	struct conf ca, cb;
	char *ea, *eb;
	long bad = parse_conf(a, strlen(a), &ca, &ea) + parse_conf(b, strlen(b), &cb, &eb);
	int got = conf_same(&ca, &cb, settings);

	report(!bad && got == want, "conf_same %s: %d, want %d%s%s%s", name, got, want,
	       bad ? "; parse errors:\n" : "", ea, eb);
	free(ea);
	free(eb);
	conf_free(&ca);
	conf_free(&cb);
}

/* What snatctl compares a replace whose answer was lost with. */
static void test_conf_same(void)
{
	static const char base[] = "enabled yes\nskip-ifaces vlan,eni\n"
		"cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 snat\ncidr 10.0.0.0/8 exclude\n";

	same_case("identical", base, base, true, 1);
	same_case("the table in another order", base, "enabled yes\nskip-ifaces vlan,eni\n"
		  "cidr 10.0.0.0/8 exclude\ncidr 10.0.5.0/24 snat\ncidr 10.0.0.0/16 vpc\n", true, 1);
	same_case("another kind", base, "enabled yes\nskip-ifaces vlan,eni\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 exclude\ncidr 10.0.0.0/8 exclude\n", true, 0);
	same_case("another prefix length", base, "enabled yes\nskip-ifaces vlan,eni\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/25 snat\ncidr 10.0.0.0/8 exclude\n", true, 0);
	same_case("one entry fewer", base, "enabled yes\nskip-ifaces vlan,eni\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 snat\n", true, 0);
	same_case("another setting", base, "enabled no\nskip-ifaces vlan,eni\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 snat\ncidr 10.0.0.0/8 exclude\n", true, 0);
	same_case("another setting, table only", base, "enabled no\nrandom none\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 snat\ncidr 10.0.0.0/8 exclude\n", false, 1);
	same_case("skip-ifaces in another order", base, "enabled yes\nskip-ifaces eni,vlan\n"
		  "cidr 10.0.0.0/16 vpc\ncidr 10.0.5.0/24 snat\ncidr 10.0.0.0/8 exclude\n", true, 0);
	same_case("both empty", "", "", true, 1);
}

static long from_env(const struct conf_env *env, struct conf *c, char **errs)
{
	FILE *e = capture(errs);
	long bad = conf_from_env(env, c, e);

	fclose(e);
	return bad;
}

/*
 * --from-env against the VPC CNI: each row an environment and what aws-node
 * does with it, named after the upstream test it comes from
 * (aws/amazon-vpc-cni-k8s: pkg/networkutils/network_test.go,
 * utils/utils_test.go), or "derived: FUNCTION" where upstream has no test
 * and the row follows that function's code in pkg/networkutils/network.go
 * or cmd/aws-vpc-cni/main.go.
 */
#define U NULL	/* unset */
static const struct env_case {
	const char *name;
	const char *ext, *excl, *rnd, *mark, *veth, *ipv6;
	long errors;
	const char *want_excl;		/* the exclusions, in order, space separated */
	bool ext_on, enabled;
	uint8_t random;
	uint32_t mark_v;
	const char *pod;
	const char *warning;		/* a line of the output, or "" for no output */
	/* IPv6: ENABLE_V6_EGRESS, --snat-ip6; if want6, the IPv6 entries and snat-ip6 */
	const char *v6_egress, *snat_ip6;
	const char *want6;		/* "CIDR kind" space separated */
	const char *want_ip6;		/* as printed */
} env_cases[] = {
#define P VPCSNAT_RANDOM_PRNG
#define NO6 U, U, U, U	/* a row that says nothing of IPv6 */
	{ "TestLoadExcludeSNATCIDRsFromEnv", "false", "10.12.0.0/16,10.13.0.0/16", U, U, U, U,
	  0, "10.12.0.0/16 10.13.0.0/16", false, true, P, 0x80, "eni", "", NO6 },
	{ "TestGetExternalServiceCIDRs: empty CIDR string returns nil", U, "", U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "TestGetExternalServiceCIDRs: single IPV4 CIDR is accepted", U, "10.0.0.0/32", U, U, U, U,
	  0, "10.0.0.0/32", false, true, P, 0x80, "eni", "", NO6 },
	{ "TestGetExternalServiceCIDRs: valid IPV6 CIDR is rejected", U, "2000::1/128", U, U, U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 1: IPv6 is not supported: 2000::1/128; "
	  "skipped, as the VPC CNI does", NO6 },
	{ "TestGetExternalServiceCIDRs: IPV4 CIDR missing mask is rejected", U, "10.0.0.0", U, U, U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 1: Invalid CIDR 10.0.0.0: missing "
	  "/prefix length; skipped, as the VPC CNI does", NO6 },
	{ "TestGetExternalServiceCIDRs: multiple CIDRs, only IPV4 CIDRs are accepted", U,
	  "10.0.0.0/32, 10.0.0.1/32, 2000::1/128", U, U, U, U,
	  0, "10.0.0.0/32 10.0.0.1/32", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "TestGetExternalServiceCIDRs: multiple CIDRs, some malformed", U, "10.0.0.0/32,abcd", U, U,
	  U, U, 0, "10.0.0.0/32", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: parseCIDRString, a trailing comma", U, "10.0.0.0/8,", U, U, U, U,
	  0, "10.0.0.0/8", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 2: Empty CIDR; skipped, as the VPC "
	  "CNI does", NO6 },
	{ "derived: parseCIDRString, TrimSpace", U, " 10.0.0.0/8\t, 172.31.0.0/16 ", U, U, U, U,
	  0, "10.0.0.0/8 172.31.0.0/16", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: parseCIDRString, ';' is no separator", U, "10.0.0.0/8;10.1.0.0/16", U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: parseCIDRString, a newline is no separator", U, "10.0.0.0/8\n10.1.0.0/16", U, U,
	  U, U, 0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: parseCIDRString, host bits cleared (parseCIDR.String())", U, "10.9.1.5/16", U,
	  U, U, U, 0, "10.9.0.0/16", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 1: 10.9.1.5/16 has host bits set; "
	  "using 10.9.0.0/16, as the VPC CNI does", NO6 },
	{ "derived: parseCIDRString, a repeat (two RETURN rules there, one entry here)", U,
	  "10.0.0.0/8,10.0.0.0/8", U, U, U, U, 0, "10.0.0.0/8", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: getBoolEnvVar, true", "true", U, U, U, U, U,
	  0, "", true, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, 1", "1", U, U, U, U, U, 0, "", true, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, T", "T", U, U, U, U, U, 0, "", true, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, True", "True", U, U, U, U, U, 0, "", true, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, FALSE", "FALSE", U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, f", "f", U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, empty is the default", "", U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getBoolEnvVar, yes is logged, the default", "yes", U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_EXTERNALSNAT: Invalid value yes; expected true or false; using "
	  "false, as the VPC CNI does", NO6 },
	{ "TestGetBoolAsStringEnvVar: TrUe is the default", "TrUe", U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: getBoolEnvVar, no TrimSpace", " true", U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: typeOfSNAT, empty is prng", U, U, "", U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: typeOfSNAT, hashrandom", U, U, "hashrandom", U, U, U,
	  0, "", false, true, VPCSNAT_RANDOM_HASHRANDOM, 0x80, "eni", "", NO6 },
	{ "derived: typeOfSNAT, none", U, U, "none", U, U, U,
	  0, "", false, true, VPCSNAT_RANDOM_NONE, 0x80, "eni", "", NO6 },
	{ "derived: typeOfSNAT, PRNG is logged, prng", U, U, "PRNG", U, U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_RANDOMIZESNAT: Invalid value PRNG; expected none, hashrandom or "
	  "prng; using prng, as the VPC CNI does", NO6 },
	{ "derived: getConnmark, unset is 0x80", U, U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getConnmark, hex", U, U, U, "0x4000", U, U,
	  0, "", false, true, P, 0x4000, "eni", "", NO6 },
	{ "derived: getConnmark, decimal", U, U, U, "128", U, U, 0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getConnmark, a leading 0 is octal", U, U, U, "0200", U, U,
	  0, "", false, true, P, 0x80, "eni", "", NO6 },
	{ "derived: getConnmark, 0b", U, U, U, "0b100000000", U, U,
	  0, "", false, true, P, 0x100, "eni", "", NO6 },
	{ "derived: getConnmark, 0o", U, U, U, "0o400", U, U, 0, "", false, true, P, 0x100, "eni", "", NO6 },
	{ "derived: getConnmark, underscores (base 0)", U, U, U, "0x_4000", U, U,
	  0, "", false, true, P, 0x4000, "eni", "", NO6 },
	{ "derived: getConnmark, 0xffffffff", U, U, U, "0xffffffff", U, U,
	  0, "", false, true, P, 0xffffffff, "eni", "", NO6 },
	{ "derived: getConnmark, 0 is out of range", U, U, U, "0", U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_CONNMARK: 0 is out of range (1 to 0xffffffff); using 0x80, as "
	  "the VPC CNI does", NO6 },
	{ "derived: getConnmark, -1 is out of range", U, U, U, "-1", U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: getConnmark, 0x100000000 is out of range", U, U, U, "0x100000000", U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: getConnmark, 08 does not parse", U, U, U, "08", U, U,
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: AWS_VPC_K8S_CNI_CONNMARK: Invalid value 08; using 0x80, as the VPC CNI does", NO6 },
	{ "derived: getConnmark, no TrimSpace", U, U, U, " 0x80", U, U,
	  0, "", false, true, P, 0x80, "eni", NULL, NO6 },
	{ "derived: getVethPrefixName, veth", U, U, U, U, "veth", U,
	  0, "", false, true, P, 0x80, "veth", "", NO6 },
	{ "derived: validateEnvVars, longer than 4 characters", U, U, U, U, "abcde", U,
	  1, NULL, false, true, P, 0x80, NULL,
	  "AWS_VPC_K8S_CNI_VETHPREFIX: abcde is longer than 4 characters; the VPC CNI refuses to "
	  "start with it", NO6 },
	{ "derived: validateEnvVars, eth is reserved", U, U, U, U, "eth", U,
	  1, NULL, false, true, P, 0x80, NULL, NULL, NO6 },
	{ "derived: validateEnvVars, lo is reserved", U, U, U, U, "lo", U,
	  1, NULL, false, true, P, 0x80, NULL, NULL, NO6 },
	{ "derived: getVethPrefixName, empty (every interface there) refused", U, U, U, U, "", U,
	  1, NULL, false, true, P, 0x80, NULL, NULL, NO6 },
	{ "derived: UpdateHostSNATRules, ENABLE_IPv6=true: no IPv4 SNAT", U, U, U, U, U, "true",
	  0, "", false, false, P, 0x80, "eni",
	  "Note: ENABLE_IPv6=true: the VPC CNI translates no IPv4 pod traffic in an IPv6 cluster; "
	  "enabled no", NO6 },
	{ "derived: GetBoolAsStringEnvVar, ENABLE_IPv6 set empty is logged, false", U, U, U, U, U, "",
	  0, "", false, true, P, 0x80, "eni",
	  "Warning: ENABLE_IPv6: Invalid value ''; expected true or false; using false, as the VPC "
	  "CNI does", NO6 },
	/*
	 * IPv6: ENABLE_IPv6 and ENABLE_V6_EGRESS as generateJSON
	 * (cmd/aws-vpc-cni/main.go) reads them, and what the egress plugin then
	 * translates (cmd/egress-cni-plugin: cni/cni6.go CmdAddEgressV6,
	 * snat/snat.go iptRules and Add). Upstream tests only the IPv4 rules of
	 * the plugin (snat_test.go), so these rows are derived.
	 */
	{ "derived: generateJSON, IPv4 cluster, ENABLE_V6_EGRESS unset: no IPv6 egress, no IPv6 "
	  "translated", U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "",
	  U, U, "", "auto" },
	{ "derived: generateJSON, ENABLE_V6_EGRESS=false", U, U, U, U, U, U,
	  0, "", false, true, P, 0x80, "eni", "", "false", U, "", "auto" },
	{ "derived: generateJSON + snat.iptRules, ENABLE_V6_EGRESS=true: every IPv6 destination "
	  "but ff00::/8 to the node's IPv6", U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "",
	  "true", "2600:1f14:abc:de00::10", "ff00::/8 exclude", "2600:1f14:abc:de00::10" },
	{ "derived: GetBoolAsStringEnvVar, ENABLE_V6_EGRESS=1 (strconv.ParseBool)",
	  U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "",
	  "1", "auto", "ff00::/8 exclude", "auto" },
	{ "derived: GetBoolAsStringEnvVar, ENABLE_V6_EGRESS set empty is logged, false",
	  U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni",
	  "Warning: ENABLE_V6_EGRESS: Invalid value ''; expected true or false; using false, as the "
	  "VPC CNI does", "", U, "", "auto" },
	{ "derived: GetBoolAsStringEnvVar, ENABLE_V6_EGRESS=yes is logged, false",
	  U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni",
	  "Warning: ENABLE_V6_EGRESS: Invalid value yes; expected true or false; using false, as the "
	  "VPC CNI does", "yes", U, "", "auto" },
	{ "derived: generateJSON getPrimaryIP(false), ENABLE_V6_EGRESS=true needs the node's IPv6",
	  U, U, U, U, U, U, 1, "", false, true, P, 0x80, "eni",
	  "--snat-ip6: Missing; ENABLE_V6_EGRESS=true: give the node's primary IPv6 address, "
	  "auto, or imds (instance metadata's ipv6, as aws-node reads it)", "true", U, U, U },
	{ "derived: generateJSON, without ENABLE_V6_EGRESS the node's IPv6 is not read",
	  U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "",
	  U, "imds", "", "auto" },
	{ "derived: generateJSON, --snat-ip6 is checked all the same", U, U, U, U, U, U,
	  1, "", false, true, P, 0x80, "eni",
	  "--snat-ip6: Invalid IPv6 address 10.0.0.10: expected an IPv6 address", "false", "10.0.0.10",
	  U, U },
	{ "derived: generateJSON getPrimaryIP(false), --snat-ip6 imds reads it as aws-node does",
	  U, U, U, U, U, U, 0, "", false, true, P, 0x80, "eni", "",
	  "true", "imds", "ff00::/8 exclude", "imds" },
	{ "derived: CmdAddEgressV6, --snat-ip6 must be an address to translate to",
	  U, U, U, U, U, U, 1, "", false, true, P, 0x80, "eni",
	  "--snat-ip6: Invalid snat-ip6 fe80::1: a link-local address is never translated to "
	  "(no router forwards it)", "true", "fe80::1", U, U },
	{ "derived: generateJSON, ENABLE_IPv6=true: ENABLE_V6_EGRESS is not read, no IPv6 table "
	  "(pods' IPv6 are VPC addresses)", U, U, U, U, U, "true", 0, "", false, false, P, 0x80, "eni",
	  NULL, "true", U, "", "auto" },
#undef NO6
#undef P
};
#undef U

/* Whether errs holds line as a whole line; "": errs is empty; NULL: anything goes. */
static bool said(const char *errs, const char *line)
{
	const char *w;

	if (!line)
		return true;
	if (!*line)
		return !*errs;
	return (w = strstr(errs, line)) && w[strlen(line)] == '\n';
}

/*
 * What a row checks of the table: !v6, the IPv4 exclusions ("CIDR" each, the
 * CNI's list); v6, every IPv6 entry ("CIDR kind" each).
 */
static char *listed(const struct conf *c, bool v6)
{
	static char bufs[2][512];
	char s[CIDR_STR_LEN], *buf = bufs[v6];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < c->cidrs.n; i++) {
		const struct cidr *e = &c->cidrs.entries[i].cidr;

		if (e->v6 == v6 && (v6 || e->kind == VPCSNAT_KIND_EXCLUDE))
			n += (size_t)snprintf(buf + n, sizeof(bufs[0]) - n, "%s%s%s%s",
					      n ? " " : "", cidr_str(e, s), v6 ? " " : "",
					      v6 ? kind_name(e->kind) : "");
	}
	return buf;
}

static void test_env_cases(void)
{
	char v[256];
	size_t i;

	for (i = 0; i < sizeof(env_cases) / sizeof(env_cases[0]); i++) {
		const struct env_case *k = &env_cases[i];
		struct conf_env env = {
			.external_snat = k->ext, .exclude_cidrs = k->excl, .randomize = k->rnd,
			.connmark = k->mark, .veth_prefix = k->veth, .enable_ipv6 = k->ipv6,
			.vpc_cidrs = "10.0.0.0/16", .snat_ip = "10.0.0.10",
			.v6_egress = k->v6_egress, .snat_ip6 = k->snat_ip6,
		};
		struct conf c;
		char *errs;
		long bad = from_env(&env, &c, &errs);
		bool ok = bad == k->errors;

		if (ok && !k->errors)
			ok = !strcmp(listed(&c, false), k->want_excl) && c.external_snat == k->ext_on &&
			     c.enabled == k->enabled && c.random == k->random && c.mark == k->mark_v &&
			     c.pod.n == 1 && !strcmp(c.pod.name[0], k->pod) &&
			     c.cidrs.entries[0].cidr.kind == VPCSNAT_KIND_VPC;
		if (ok && !k->errors && k->want6)
			ok = !strcmp(listed(&c, true), k->want6) && c.cidrs.n6 == (*k->want6 != 0) &&
			     c.ipv6 == (*k->want6 != 0) &&
			     !strcmp(conf_value_str(&c, CONF_SNAT_IP6, v, sizeof(v)), k->want_ip6);
		ok = ok && said(errs, k->warning);
		report(ok, "env as the VPC CNI reads it: %s (%ld errors, exclusions [%s], IPv6 [%s])\n%s",
		       k->name, bad, bad ? "" : listed(&c, false), bad ? "" : listed(&c, true), errs);
		free(errs);
		conf_free(&c);
	}
}

static void test_env(void)
{
	struct conf_env env = { .vpc_cidrs = "10.0.0.0/16", .snat_ip = "10.0.0.10" };
	struct conf c;
	char *errs, *text;
	long bad;

	bad = from_env(&env, &c, &errs);
	text = conf_text(&c);
	report(bad == 0 && !*errs && !strcmp(text, "# header\nenabled yes\nipv6 no\nexternal-snat off\n"
			     "snat-ip 10.0.0.10\nsnat-ip6 auto\nrandom prng\nskip-ifaces vlan\npod-ifaces eni\n"
			     "mark 0x80\ntable-limit 1000000\ncidr 10.0.0.0/16 vpc\n"),
	       "env --print format:\n%s", text);
	free(text);
	free(errs);
	conf_free(&c);

	env.vpc_cidrs = "10.0.0.1/16,10.1.0.0/16";
	env.snat_ip = "10.0.0";
	bad = from_env(&env, &c, &errs);
	report(bad == 2 && !strcmp(errs,
		"--snat-ip: Invalid IPv4 address 10.0.0: expected four decimal numbers separated by dots\n"
		"--vpc-cidrs: entry 1: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?\n"),
	       "env flags are strict:\n%s", errs);
	free(errs);
	conf_free(&c);
	env.vpc_cidrs = NULL;
	env.snat_ip = NULL;
	bad = from_env(&env, &c, &errs);
	report(bad == 2 && strstr(errs, "--snat-ip: Missing") && strstr(errs, "--vpc-cidrs: Missing"),
	       "env flags are required:\n%s", errs);
	free(errs);
	conf_free(&c);
	env.vpc_cidrs = "10.0.0.0/16";
	env.snat_ip = "auto";
	bad = from_env(&env, &c, &errs);
	report(bad == 0 && c.snat_ip == 0, "env --snat-ip auto");
	free(errs);
	conf_free(&c);
	test_env_cases();
}

/* snat-ip imds and vpc-cidrs imds: held as words, printed back, resolved in one place. */
static void test_conf_imds(void)
{
	static const char text[] = "enabled yes\nsnat-ip imds\nvpc-cidrs imds   # every VPC CIDR\n"
				   "cidr 10.0.0.0/16 exclude\ncidr 10.0.5.0/24 snat\n";
	struct cidr_list meta = { 0 };
	struct conf c, d;
	char *errs, *out, err[PARSE_ERR_LEN], s[CIDR_STR_LEN];
	long bad;

	bad = parse_conf(text, strlen(text), &c, &errs);
	report(bad == 0 && c.imds == 1u << CONF_SNAT_IP && c.snat_ip == 0 &&
	       c.vpc_cidrs_imds == 3 && c.cidrs.n == 2 && conf_needs_imds(&c),
	       "conf imds: snat-ip imds and vpc-cidrs imds held as words: %s", errs);
	free(errs);
	out = conf_text(&c);
	report(strstr(out, "\nsnat-ip imds\n") && strstr(out, "\nvpc-cidrs imds\ncidr 10.0.0.0/16"),
	       "conf imds prints the words back:\n%s", out);
	bad = parse_conf(out, strlen(out), &d, &errs);
	report(bad == 0 && conf_same(&c, &d, true) == 1 && conf_digest(&c) == conf_digest(&d),
	       "conf imds parses back the same: %s", errs);
	free(errs);
	free(out);
	conf_free(&d);
	bad = parse_conf("snat-ip imds\n", 13, &d, &errs);
	report(bad == 0 && conf_same(&c, &d, true) == 0 && conf_digest(&c) != conf_digest(&d),
	       "conf imds: without vpc-cidrs imds, another configuration");
	free(errs);
	conf_free(&d);

	/* The resolution: the file's own prefixes keep their kind, the rest are vpc. */
	report(!conf_resolve(&c, 0x0a00000a, NULL, &meta, err) &&
	       !strcmp(err, "vpc-cidrs imds: the VPC CIDR list is empty; an empty list is never applied") &&
	       conf_needs_imds(&c) && c.cidrs.n == 2, "conf_resolve refuses an empty VPC CIDR list: %s", err);
	report(!conf_resolve(&c, 0, NULL, &meta, err) && !strcmp(err, "snat-ip imds: no local-ipv4 to use"),
	       "conf_resolve refuses a missing address: %s", err);
	imds_parse_cidrs("10.0.0.0/16 100.64.0.0/16\n10.0.5.0/24", AF_INET, &meta, err);
	report(conf_resolve(&c, 0x0a00000a, NULL, &meta, err) && !conf_needs_imds(&c) &&
	       c.snat_ip == 0x0a00000a && c.cidrs.n == 3 &&
	       c.cidrs.entries[0].cidr.kind == VPCSNAT_KIND_EXCLUDE &&
	       c.cidrs.entries[1].cidr.kind == VPCSNAT_KIND_SNAT &&
	       !strcmp(cidr_str(&c.cidrs.entries[2].cidr, s), "100.64.0.0/16") &&
	       c.cidrs.entries[2].cidr.kind == VPCSNAT_KIND_VPC,
	       "conf_resolve: the address, and the VPC CIDRs the file does not list: %s", err);
	out = conf_text(&c);
	report(strstr(out, "snat-ip 10.0.0.10\n") && !strstr(out, "imds"),
	       "conf resolved prints what it resolved to:\n%s", out);
	free(out);
	conf_free(&c);
	cidr_list_free(&meta);

	parse_conf("table-limit 2\ncidr 1.0.0.0/8\nvpc-cidrs imds\n", 43, &c, &errs);
	free(errs);
	imds_parse_cidrs("10.0.0.0/16 10.1.0.0/16", AF_INET, &meta, err);
	report(!conf_resolve(&c, 0, NULL, &meta, err) &&
	       !strcmp(err, "vpc-cidrs imds: 3 CIDRs are more than the table-limit 2") &&
	       c.cidrs.n == 1 && c.vpc_cidrs_imds,
	       "conf_resolve over table-limit: refused, unchanged: %s", err);
	conf_free(&c);
	cidr_list_free(&meta);

	conf_bad("bad vpc-cidrs lines",
		 "vpc-cidrs 10.0.0.0/16\nvpc-cidrs\nvpc-cidrs imds now\nvpc-cidrs imds\n"
		 "vpc-cidrs imds\nsnat-ip IMDS\nrandom imds\n", 6,
		 "c:1: Invalid vpc-cidrs 10.0.0.0/16; expected imds (list CIDRs as cidr lines)\n"
		 "c:2: Missing value for vpc-cidrs; expected imds\n"
		 "c:3: Unexpected text now after vpc-cidrs imds\n"
		 "c:5: vpc-cidrs is given twice, first on line 4\n"
		 "c:6: Invalid IPv4 address IMDS: expected four decimal numbers separated by dots\n"
		 "c:7: Unknown random mode imds; expected none, hashrandom or prng\n");
}

/* The digest status --check compares: a set, every setting. */
static void test_digest(void)
{
	static const char a[] = "enabled yes\ncidr 10.0.0.0/16\ncidr 172.16.0.0/12 exclude\n";
	static const char b[] = "cidr 172.16.0.0/12 exclude\n# again\nenabled yes\ncidr 10.0.0.0/16 vpc\n";
	struct conf x, y;
	char *e1, *e2;

	parse_conf(a, strlen(a), &x, &e1);
	parse_conf(b, strlen(b), &y, &e2);
	report(conf_digest(&x) == conf_digest(&y) && conf_digest(&x),
	       "digest: the same configuration written another way");
	y.cidrs.entries[0].cidr.kind = VPCSNAT_KIND_VPC;
	report(conf_digest(&x) != conf_digest(&y), "digest: another kind differs");
	y.cidrs.entries[0].cidr.kind = VPCSNAT_KIND_EXCLUDE;
	y.mark = 0x40;
	report(conf_digest(&x) != conf_digest(&y), "digest: another setting differs");
	free(e1);
	free(e2);
	conf_free(&x);
	conf_free(&y);
}

/* What instance metadata answers, as the VPC CNI reads it (pkg/awsutils/imds.go). */
struct imds_cidrs_case {
	const char *name, *in, *want;
	bool ok;
};

static void test_imds_parse(void)
{
	static const struct imds_cidrs_case cases6[] = {
		{ "one (the service's form)", "2600:1f14:abc:de00::/56", "2600:1f14:abc:de00::/56",
		  true },
		{ "two, newline separated, canonical", "2600:1F14:ABC:DE00::/56\n2a05:d014:0:100::/56",
		  "2600:1f14:abc:de00::/56 2a05:d014:0:100::/56", true },
		{ "host bits cleared", "2600:1f14:abc:de00::1/56", "2600:1f14:abc:de00::/56", true },
		{ "IPv4 fails the list", "2600:1f14:abc:de00::/56\n10.0.0.0/16",
		  "item 2: Invalid CIDR 10.0.0.0/16: not an IPv6 prefix", false },
		{ "IPv4-mapped fails the list", "::ffff:10.0.0.0/104",
		  "item 1: Invalid CIDR ::ffff:10.0.0.0/104: an IPv4-mapped prefix (::ffff:0:0/96): "
		  "give it as IPv4", false },
		{ "a bare address is no CIDR", "2600:1f14::1",
		  "item 1: Invalid CIDR 2600:1f14::1: missing /prefix length", false },
	};
	static const struct imds_cidrs_case cases[] = {
		{ "one", "10.0.0.0/16", "10.0.0.0/16", true },
		{ "newline separated (the service's form)", "10.0.0.0/16\n100.64.0.0/16",
		  "10.0.0.0/16 100.64.0.0/16", true },
		{ "awsutils_test.go's tab, unaligned", "192.168.0.0/16\t100.66.0.0/1",
		  "192.168.0.0/16 0.0.0.0/1", true },
		{ "CRLF, blank lines, spaces around", "  10.0.0.0/16\r\n\r\n10.1.0.0/16 \n",
		  "10.0.0.0/16 10.1.0.0/16", true },
		{ "host bits cleared", "10.0.3.7/16", "10.0.0.0/16", true },
		{ "a prefix twice, once", "10.0.0.0/16 10.0.0.1/16", "10.0.0.0/16", true },
		{ "empty", "", "", true },
		{ "white space only", " \n\t", "", true },
		{ "a bare address is no CIDR",
		  "10.0.0.0/16 10.1.0.0", "item 2: Invalid CIDR 10.1.0.0: missing /prefix length", false },
		{ "IPv6 fails the list", "10.0.0.0/16\n2600:1f14::/56",
		  "item 2: IPv6 is not supported: 2600:1f14::/56", false },
		{ "garbage fails the list", "<html>",
		  "item 1: Invalid CIDR <html>: missing /prefix length", false },
		{ "a comma is no separator", "10.0.0.0/16,10.1.0.0/16",
		  "item 1: Invalid CIDR 10.0.0.0/16,10.1.0.0/16: prefix length must be a number from 0 to 32",
		  false },
	};
	char err[PARSE_ERR_LEN], got[256], s[CIDR_STR_LEN], mac[IMDS_MAC_LEN], id[IMDS_ID_LEN];
	struct vpcsnat_in6 a6;
	struct cidr_list l;
	uint32_t a;
	size_t i, j, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]) + sizeof(cases6) / sizeof(cases6[0]); i++) {
		bool v6 = i >= sizeof(cases) / sizeof(cases[0]);
		const struct imds_cidrs_case *k = v6 ? &cases6[i - sizeof(cases) / sizeof(cases[0])] :
						  &cases[i];
		bool ok = imds_parse_cidrs(k->in, v6 ? AF_INET6 : AF_INET, &l, err), kinds = true;

		for (j = 0, n = 0, got[0] = '\0'; ok && j < l.n; j++) {
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s", j ? " " : "",
					      cidr_str(&l.entries[j].cidr, s));
			kinds = kinds && l.entries[j].cidr.kind == VPCSNAT_KIND_VPC &&
				l.entries[j].cidr.v6 == v6;
		}
		report(ok == k->ok && kinds && !strcmp(ok ? got : err, k->want),
		       "imds vpc-ipv%d-cidr-blocks, %s: %s", v6 ? 6 : 4, k->name, ok ? got : err);
		cidr_list_free(&l);
	}
	report(imds_parse_ipv6(" 2600:1F14:abc:de00::10\n", &a6, err) &&
	       a6.hi == 0x26001f140abcde00ULL && a6.lo == 0x10 &&
	       !imds_parse_ipv6("2600::1 2600::2", &a6, err) && !imds_parse_ipv6("", &a6, err) &&
	       !imds_parse_ipv6("10.0.0.10", &a6, err),
	       "imds ipv6: one address, white space trimmed");
	report(!imds_parse_ipv6("fe80::1", &a6, err) &&
	       !strcmp(err, "Invalid IPv6 address fe80::1: a link-local address is never "
		       "translated to (no router forwards it)") &&
	       !imds_parse_ipv6("::", &a6, err) && a6.lo == 0x10,
	       "imds ipv6: not an address to translate to: %s", err);
	report(imds_parse_ipv4("10.0.0.10", &a, err) && a == 0x0a00000a &&
	       imds_parse_ipv4(" 10.0.0.10\n", &a, err) && a == 0x0a00000a,
	       "imds local-ipv4, trimmed as the CNI's TrimSpace");
	report(!imds_parse_ipv4("10.0.0.10 10.0.0.11", &a, err) && !imds_parse_ipv4("", &a, err),
	       "imds local-ipv4: two or none refused: %s", err);
	report(imds_parse_mac("0a:1b:2c:3d:4e:5f", mac, err) && !strcmp(mac, "0a:1b:2c:3d:4e:5f") &&
	       imds_parse_mac("0A:1B:2C:3D:4E:5F\n", mac, err), "imds mac");
	report(!imds_parse_mac("0a:1b:2c:3d:4e", mac, err) &&
	       !imds_parse_mac("0a:1b:2c:3d:4e:5f/../x", mac, err) &&
	       !imds_parse_mac("0a-1b-2c-3d-4e-5f", mac, err) &&
	       !strcmp(err, "Invalid MAC address 0a-1b-2c-3d-4e-5f"),
	       "imds mac: anything else refused (it goes into a path): %s", err);
	report(imds_parse_id("i-0123456789abcdef0\n", id, err) && !strcmp(id, "i-0123456789abcdef0") &&
	       !imds_parse_id("i-0/../x", id, err), "imds instance-id");
}

/* vpc-cidrs imds: the VPC's IPv6 CIDRs too, or with ipv4, as the VPC CNI's SNAT, not. */
static void test_conf_imds6(void)
{
	struct cidr_list meta = { 0 }, v6 = { 0 };
	char err[PARSE_ERR_LEN], *errs, *text;
	struct conf c, d;
	bool oom = false;
	size_t i;
	long bad;

	imds_parse_cidrs("10.0.0.0/16", AF_INET, &meta, err);
	imds_parse_cidrs("2600:1f14:abc:de00::/56", AF_INET6, &v6, err);
	for (i = 0; i < v6.n; i++)
		cidr_list_add(&meta, &v6.entries[i].cidr, 0, &oom);
	bad = parse_conf("vpc-cidrs imds\ncidr fd00::/8 exclude\n", 37, &c, &errs);
	report(bad == 0 && conf_resolve(&c, 0x0a00000a, NULL, &meta, err) && c.cidrs.n == 3 &&
	       c.cidrs.n6 == 2 && !strcmp(listed(&c, true),
					"fd00::/8 exclude 2600:1f14:abc:de00::/56 vpc"),
	       "conf vpc-cidrs imds: the VPC's IPv6 CIDRs too: [%s] %s%s", listed(&c, true), errs,
	       err);
	free(errs);
	conf_free(&c);
	bad = parse_conf("vpc-cidrs imds ipv4\n", 20, &c, &errs);
	text = conf_text(&c);
	report(bad == 0 && c.vpc_cidrs_ipv4 && strstr(text, "\nvpc-cidrs imds ipv4\n"),
	       "conf vpc-cidrs imds ipv4 read and printed: %s%s", errs, text);
	free(errs);
	free(text);
	free(round_trip(&c, "conf vpc-cidrs imds ipv4"));
	report(conf_resolve(&c, 0x0a00000a, NULL, &meta, err) && c.cidrs.n == 1 && !c.cidrs.n6 &&
	       !c.vpc_cidrs_imds && !c.vpc_cidrs_ipv4,
	       "conf vpc-cidrs imds ipv4: the IPv4 ones only: %s", err);
	conf_free(&c);
	bad = parse_conf("vpc-cidrs imds\n", 15, &c, &errs);
	free(errs);
	bad += parse_conf("vpc-cidrs imds ipv4\n", 20, &d, &errs);
	free(errs);
	report(bad == 0 && conf_same(&c, &d, true) == 0 && conf_digest(&c) != conf_digest(&d),
	       "conf vpc-cidrs imds and vpc-cidrs imds ipv4 are two configurations");
	conf_free(&d);
	report(!conf_resolve(&c, 0x0a00000a, NULL, &v6, err) &&
	       !strcmp(err, "vpc-cidrs imds: the VPC CIDR list is empty; an empty list is never "
			    "applied") && c.vpc_cidrs_imds,
	       "conf vpc-cidrs imds: IPv6 CIDRs without an IPv4 one are never applied: %s", err);
	conf_free(&c);
	conf_bad("vpc-cidrs imds ipv4 and what is not", "vpc-cidrs imds ipv6\n", 1,
		 "c:1: Unexpected text ipv6 after vpc-cidrs imds\n");
	conf_bad("vpc-cidrs imds ipv4 and more", "vpc-cidrs imds ipv4 x\n", 1,
		 "c:1: Unexpected text x after vpc-cidrs imds ipv4\n");
	cidr_list_free(&meta);
	cidr_list_free(&v6);
}

static void test_env_imds(void)
{
	struct conf_env env = { .vpc_cidrs = "imds", .snat_ip = "imds",
				.exclude_cidrs = "100.64.0.0/10" };
	struct conf c;
	char *errs, *text;
	long bad;

	bad = from_env(&env, &c, &errs);
	text = conf_text(&c);
	report(bad == 0 && !*errs && strstr(text, "snat-ip imds\n") &&
	       strstr(text, "\nvpc-cidrs imds ipv4\ncidr 100.64.0.0/10 exclude\n"),
	       "env --vpc-cidrs imds --snat-ip imds, as aws-node reads them (IPv4's):\n%s%s", text,
	       errs);
	free(text);
	free(errs);
	conf_free(&c);
	env.vpc_cidrs = "imds,10.0.0.0/16";
	bad = from_env(&env, &c, &errs);
	report(bad == 1 && strstr(errs, "--vpc-cidrs: entry 1: Invalid CIDR imds:"),
	       "env --vpc-cidrs imds stands alone:\n%s", errs);
	free(errs);
	conf_free(&c);
}

int main(void)
{
	test_cidr();
	test_ipv4();
	test_words();
	test_u32();
	test_ifaces();
	test_file();
	test_file6();
	test_conf();
	test_conf6();
	test_snat_ip6();
	test_conf_same();
	test_env();
	test_conf_imds();
	test_digest();
	test_imds_parse();
	test_env_imds();
	test_conf_imds6();
	return report_done("parse_test");
}
