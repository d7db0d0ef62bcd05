// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host-side tests of snatctl's parsers: one PASS:/FAIL: line per case. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidrfile.h"
#include "json.h"
#include "parse.h"

static int passed, failed;

static void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	char msg[4096];
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	printf("%s: %s\n", ok ? "PASS" : "FAIL", msg);
	ok ? passed++ : failed++;
}

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
	{ "fe80::/64", "IPv6 is not supported: fe80::/64", false },
	{ "::ffff:10.0.0.1", "IPv6 is not supported: ::ffff:10.0.0.1", false },
	{ "::", "IPv6 is not supported", false },
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
	static const char *const onoff_bad[] = { "On", "yes", "1", "", "offf" };
	char err[PARSE_ERR_LEN];
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
	report(parse_onoff("on", &on, err) && on, "onoff on");
	report(parse_onoff("off", &on, err) && !on, "onoff off");
	for (i = 0; i < sizeof(onoff_bad) / sizeof(onoff_bad[0]); i++)
		report(!parse_onoff(onoff_bad[i], &on, err) && strstr(err, "expected on or off"),
		       "onoff \"%s\" rejected: %s", onoff_bad[i], err);
	report(!strcmp(reason_name(VPCSNAT_REASON_NO_MATCH), "no-match") &&
	       !strcmp(reason_key(VPCSNAT_REASON_NO_MATCH), "no_match") &&
	       !strcmp(reason_key(VPCSNAT_REASON_SRC_LOCAL), "src_local") &&
	       !strcmp(reason_name(VPCSNAT_REASON_MAX + 1), "unknown"), "reason names");
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
	for (i = 0; i < 16; i++)
		sprintf(many + strlen(many), "%sif%d", i ? "," : "", i);
	report(parse_iface_list(many, &l, err) && l.n == 16, "skip-ifaces 16 prefixes");
	strcat(many, ",if16");
	report(!parse_iface_list(many, &l, err) && strstr(err, "Too many"),
	       "skip-ifaces 17 prefixes rejected: %s", err);
}

static void test_json(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "vlan", "\"vlan\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "x\ny\t\x01\x7f", "\"x\\ny\\t\\u0001\\u007f\"" },
		{ "\xc3\xa9", "\"\xc3\xa9\"" },
		{ "\xff" "a", "\"\\ufffda\"" },
		{ "\xc3", "\"\\ufffd\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "", "\"\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		json_string(f, cases[i].in);
		fclose(f);
		report(!strcmp(out, cases[i].want), "json string %zu -> %s", i, out);
		free(out);
	}
}

/* Parses text as file "f"; returns bad-line count, errors in *errs. */
static long parse_text(const char *text, size_t len, struct cidr_file *f, char **errs)
{
	size_t elen = 0;
	FILE *e = open_memstream(errs, &elen);
	long bad = cidr_file_parse("f", text, len, f, e);

	fclose(e);
	return bad;
}

static void file_case(const char *name, const char *text, long want_bad, size_t want_n,
		      const char *want_errs)
{
	struct cidr_file f;
	char *errs;
	long bad = parse_text(text, strlen(text), &f, &errs);

	report(bad == want_bad && (want_bad || f.n == want_n) && !strcmp(errs, want_errs),
	       "file %s (%ld bad, %zu entries)%s%s", name, bad, f.n,
	       strcmp(errs, want_errs) ? "; got:\n" : "", strcmp(errs, want_errs) ? errs : "");
	free(errs);
	cidr_file_free(&f);
}

static void test_file(void)
{
	struct cidr_file f;
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
	       f.entries[1].cidr.prefixlen == 10 &&
	       f.entries[2].cidr.kind == 2 && f.entries[2].line == 5 &&
	       f.entries[3].cidr.prefixlen == 32 && f.entries[3].line == 6,
	       "file good: kinds, lines, CRLF, tabs, trailing comment, no final newline");
	free(errs);
	cidr_file_free(&f);

	file_case("bad lines all reported",
		  "10.0.0.1/16\n10.0.0.0/8 vpc\n010.1.0.0/16\nfe80::/10\n10.0.0.0/40\n"
		  "172.16.0.0/12 bogus\n172.16.0.0/12 vpc extra\n192.168.0.0/16\n",
		  6, 0,
		  "f:1: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?\n"
		  "f:3: Invalid CIDR 010.1.0.0/16: leading zeros are not allowed\n"
		  "f:4: IPv6 is not supported: fe80::/10\n"
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
	cidr_file_free(&f);

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
	cidr_file_free(&f);
	free(big);
}

int main(void)
{
	test_cidr();
	test_ipv4();
	test_words();
	test_u32();
	test_ifaces();
	test_json();
	test_file();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
