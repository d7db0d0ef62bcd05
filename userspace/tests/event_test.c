// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host-side tests of the translation records: formatting, the JSON reader,
 * the netlink parser, the argument parsers of who and the log search. One
 * PASS:/FAIL: line per case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <uapi/linux/vpcsnat.h>
#include "event.h"
#include "logfile.h"
#include "parse.h"

static int passed, failed;

static void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	ok ? passed++ : failed++;
}

/* 2026-11-26T14:23:11.123456789Z */
#define TS 1795702991123456789ull

static const struct event sample = {
	.proto = IPPROTO_TCP,
	.src = 0x0a00010a, .sport = 41234,		/* 10.0.1.10 */
	.nat_src = 0x0a00000a, .nat_sport = 61001,	/* 10.0.0.10 */
	.dst = 0xac1f0032, .dport = 389,		/* 172.31.0.50 */
	.netns = 4026532, .ct_id = 123456,
	.timestamp_ns = TS, .has_timestamp = true,
};

static const char sample_json[] =
	"{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":1795702991123456789,"
	"\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
	"\"nat_sport\":61001,\"dst\":\"172.31.0.50\",\"dport\":389,\"netns\":4026532,"
	"\"ct_id\":123456}\n";

static char *printed(const struct event *ev, bool json)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	event_print(f, ev, json);
	fclose(f);
	return buf;
}

static bool same_event(const struct event *a, const struct event *b)
{
	return a->proto == b->proto && a->src == b->src && a->sport == b->sport &&
	       a->nat_src == b->nat_src && a->nat_sport == b->nat_sport && a->dst == b->dst &&
	       a->dport == b->dport && a->netns == b->netns && a->ct_id == b->ct_id &&
	       a->has_timestamp == b->has_timestamp && a->timestamp_ns == b->timestamp_ns;
}

static void test_format(void)
{
	char t[TIME_STR_LEN], buf[1024];
	struct event ev = sample;
	const char *got;
	FILE *f;

	report(!strcmp(time_str(TS, t), "2026-11-26T14:23:11.123Z"), "time_str: %s", t);
	report(!strcmp(time_str(999999999, t), "1970-01-01T00:00:00.999Z"), "time_str rounds down: %s", t);
	got = printed(&sample, false);
	report(!strcmp(got, "2026-11-26T14:23:11.123Z tcp 10.0.1.10:41234 -> 172.31.0.50:389 "
		       "as 10.0.0.10:61001 netns 4026532 ct 123456\n"), "human line: %s", got);
	got = printed(&sample, true);
	report(!strcmp(got, sample_json), "JSON line: %s", got);
	ev.has_timestamp = false;
	ev.proto = 47;
	got = printed(&ev, true);
	report(strstr(got, "{\"time\":null,\"timestamp_ns\":null,\"proto\":\"47\",") == got,
	       "JSON without a timestamp, unnamed protocol: %s", got);
	got = printed(&ev, false);
	report(!strncmp(got, "- 47 ", 5), "human line without a timestamp: %s", got);

	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, 17, true);
	fclose(f);
	report(!strcmp(buf, "{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":"
		       "1795702991123456789,\"lost\":17}\n"), "lost record: %s", buf);
	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, -1, true);
	fclose(f);
	report(strstr(buf, "\"lost\":null}") != NULL, "lost record, count unknown: %s", buf);
	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, 1, false);
	fclose(f);
	report(!strcmp(buf, "2026-11-26T14:23:11.123Z lost 1 event (receive buffer overflowed)\n"),
	       "lost line: %s", buf);
}

static void test_json_reader(void)
{
	static const struct { const char *line; bool ok; } cases[] = {
		{ "{ \"ct_id\" : 123456, \"netns\":4026532,\"dport\":389,\"dst\":\"172.31.0.50\","
		  "\"nat_sport\":61001,\"nat_src\":\"10.0.0.10\",\"sport\":41234,\"src\":\"10.0.1.10\","
		  "\"proto\":\"tcp\",\"timestamp_ns\":1795702991123456789,\"extra\":\"x\"}", true },
		{ "{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":1795702991123456789,\"lost\":3}", false },
		{ "{\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		  "\"nat_sport\":61001,\"dst\":\"172.31.0.50\"}", false },		/* no dport */
		{ "{\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		  "\"nat_sport\":65536,\"dst\":\"172.31.0.50\",\"dport\":389}", false },
		{ "{\"proto\":\"tcp\",\"src\":\"10.0.1.300\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		  "\"nat_sport\":1,\"dst\":\"172.31.0.50\",\"dport\":389}", false },
		{ "{\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		  "\"nat_sport\":1,\"dst\":\"172.31.0.50\",\"dport\":389} x", false },
		{ "{\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		  "\"nat_sport\":1,\"dst\":\"172.31.0.50\",\"dport\":38", false },	/* cut short */
		{ "{\"proto\":\"tcp\",\"proto\":\"udp\",\"src\":\"10.0.1.10\",\"sport\":1,"
		  "\"nat_src\":\"10.0.0.10\",\"nat_sport\":1,\"dst\":\"172.31.0.50\",\"dport\":3}", false },
		{ "", false }, { "{}", false }, { "[1]", false }, { "garbage", false },
	};
	struct event ev;
	size_t i;

	report(event_parse_json(sample_json, &ev) && same_event(&ev, &sample),
	       "JSON reader reads back what event_print writes");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = event_parse_json(cases[i].line, &ev);

		report(ok == cases[i].ok, "JSON reader %s: %.60s", cases[i].ok ? "accepts" : "refuses",
		       cases[i].line);
		if (i == 0 && ok)
			report(same_event(&ev, &sample), "JSON reader, any key order: same event");
	}
}

static void test_netlink(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct event ev;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = VPCSNAT_CMD_EVENT_TRANSLATED;
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(sample.src));
	mnl_attr_put_u16(nlh, VPCSNAT_A_SPORT, htons(sample.sport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, htonl(sample.nat_src));
	mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, htons(sample.nat_sport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_DST, htonl(sample.dst));
	mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, htons(sample.dport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NETNS, sample.netns);
	mnl_attr_put_u32(nlh, VPCSNAT_A_CT_ID, sample.ct_id);
	report(event_from_nlh(nlh, &ev) == 0 && !ev.has_timestamp,
	       "netlink: a WHO reply (no timestamp) parses");
	mnl_attr_put_u64(nlh, VPCSNAT_A_TIMESTAMP, TS);
	report(event_from_nlh(nlh, &ev) == 0 && same_event(&ev, &sample),
	       "netlink: an event parses to the sent values");

	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(sample.src));
	report(event_from_nlh(nlh, &ev) < 0, "netlink: missing attributes refused");
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	mnl_attr_put_u32(nlh, VPCSNAT_A_PROTO, IPPROTO_TCP);	/* wrong size */
	report(event_from_nlh(nlh, &ev) < 0, "netlink: a wrongly sized attribute refused");
}

static void test_parsers(void)
{
	static const struct { const char *in; unsigned long long ns; } times[] = {
		{ "2026-11-26T14:23:11Z", 1795702991000000000ull },
		{ "2026-11-26T14:23:11.123Z", 1795702991123000000ull },
		{ "2026-11-26 14:23:11.123456789Z", 1795702991123456789ull },
		{ "2026-11-26T15:23:11+01:00", 1795702991000000000ull },
		{ "2026-11-26T09:23:11.5-05:00", 1795702991500000000ull },
		{ "1795702991", 1795702991000000000ull },
		{ "1795702991.25", 1795702991250000000ull },
		{ "2026-11-26T14:23:11", 0 }, { "2026-13-26T14:23:11Z", 0 }, { "yesterday", 0 },
		{ "17957.", 0 }, { "1795702991x", 0 }, { "", 0 }, { "2026-11-26T14:23:11.Z", 0 },
	};
	char err[PARSE_ERR_LEN];
	uint32_t addr;
	uint16_t port;
	uint8_t proto;
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		bool ok = parse_time(times[i].in, &ns, err);

		if (times[i].ns)
			report(ok && ns == times[i].ns, "parse_time %s", times[i].in);
		else
			report(!ok && strstr(err, "Invalid time"), "parse_time refuses '%s': %s",
			       times[i].in, ok ? "accepted" : err);
	}
	report(parse_endpoint("10.0.0.10:41234", &addr, &port, err) && addr == 0x0a00000a &&
	       port == 41234, "parse_endpoint 10.0.0.10:41234");
	report(!parse_endpoint("10.0.0.10", &addr, &port, err) &&
	       !strcmp(err, "Invalid address and port 10.0.0.10; expected IPv4:PORT"),
	       "parse_endpoint without a port: %s", err);
	report(!parse_endpoint("10.0.0.10:65536", &addr, &port, err) &&
	       strstr(err, "Invalid port 65536"), "parse_endpoint port 65536: %s", err);
	report(!parse_endpoint("10.0.0:80", &addr, &port, err) &&
	       strstr(err, "Invalid IPv4 address 10.0.0"), "parse_endpoint bad address: %s", err);
	report(!parse_endpoint("::1:80", &addr, &port, err), "parse_endpoint IPv6: %s", err);
	report(parse_proto("udp", &proto, err) && proto == IPPROTO_UDP, "parse_proto udp");
	report(!parse_proto("sctp", &proto, err), "parse_proto sctp: %s", err);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* A log record of pod 10.0.1.N:sport as 10.0.0.10:nat_sport to 172.31.0.50:80 at second sec. */
static char *record(unsigned int pod, unsigned int sport, unsigned int nat_sport,
		    const char *proto, unsigned long long sec, unsigned int ct)
{
	static char buf[8][512];
	static int n;
	char *b = buf[n++ % 8];
	struct event ev = {
		.src = 0x0a000100 | pod, .sport = (uint16_t)sport, .nat_src = 0x0a00000a,
		.nat_sport = (uint16_t)nat_sport, .dst = 0xac1f0032, .dport = 80, .netns = 7,
		.ct_id = ct, .timestamp_ns = sec * 1000000000ull, .has_timestamp = true,
	};
	FILE *f = fmemopen(b, 512, "w");

	parse_proto(proto, &ev.proto, b);
	event_print(f, &ev, true);
	fclose(f);
	return b;
}

static void test_log_search(void)
{
	char dir[] = "/tmp/event_test.XXXXXX", path[64], p1[80], p2[80], p3[80], text[4096];
	struct event key = { .proto = IPPROTO_TCP, .nat_src = 0x0a00000a, .nat_sport = 40001,
			     .dst = 0xac1f0032, .dport = 80 }, got;
	int r;

	if (!mkdtemp(dir)) {
		report(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);

	errno = 0;
	r = log_search(path, &key, 0, &got);
	report(r == -1 && errno == ENOENT, "log_search: no log at all is an error (ENOENT)");

	/* Oldest in .2: pod 1 at 100 s; pod 2 took the same port at 200 s (.1); pod 3 at 300 s. */
	snprintf(text, sizeof(text), "%s%s", record(1, 5001, 40001, "tcp", 100, 11),
		 record(9, 5009, 40002, "tcp", 101, 19));
	write_file(p2, text);
	snprintf(text, sizeof(text), "%s{\"time\":\"x\",\"timestamp_ns\":1,\"lost\":4}\n%s",
		 record(2, 5002, 40001, "tcp", 200, 12), record(4, 5004, 40001, "udp", 250, 14));
	write_file(p1, text);
	snprintf(text, sizeof(text), "not json\n%s%s", record(3, 5003, 40001, "tcp", 300, 13),
		 "{\"proto\":\"tcp\",\"src\":\"10.0.1.5\",\"sport\":1,\"nat_src\":\"10.0.0.10\",\"nat_spo");
	write_file(path, text);

	r = log_search(path, &key, 0, &got);
	report(r == 1 && got.src == 0x0a000103 && got.sport == 5003 && got.ct_id == 13,
	       "log_search: the latest translation (pod 3), across rotations and bad lines");
	r = log_search(path, &key, 250ull * 1000000000, &got);
	report(r == 1 && got.src == 0x0a000102 && got.timestamp_ns == 200000000000ull,
	       "log_search --at 250 s: pod 2, the last at or before it");
	r = log_search(path, &key, 100ull * 1000000000, &got);
	report(r == 1 && got.src == 0x0a000101, "log_search --at 100 s exactly: pod 1");
	r = log_search(path, &key, 99ull * 1000000000, &got);
	report(r == 0, "log_search --at before any: nothing");
	key.proto = IPPROTO_UDP;
	r = log_search(path, &key, 0, &got);
	report(r == 1 && got.src == 0x0a000104, "log_search udp: only the udp record");
	key.proto = IPPROTO_TCP;
	key.dport = 443;
	r = log_search(path, &key, 0, &got);
	report(r == 0, "log_search other destination port: nothing");
	key.dport = 80;
	key.nat_sport = 4000;	/* a prefix of 40001 */
	r = log_search(path, &key, 0, &got);
	report(r == 0, "log_search port 4000 does not match 40001");
	key.nat_sport = 40001;

	unlink(path);
	r = log_search(path, &key, 0, &got);
	report(r == 1 && got.src == 0x0a000102, "log_search: PATH gone (just rotated), PATH.1 still read");
	unlink(p1);
	r = log_search(path, &key, 0, &got);
	report(r == 1 && got.src == 0x0a000101, "log_search: PATH.2 read with PATH.1 gone (mid-rotation)");
	unlink(p2);
	r = log_search(path, &key, 0, &got);
	report(r == -1, "log_search: all gone is an error again");
	unlink(p3);
	rmdir(dir);
}

int main(void)
{
	test_format();
	test_json_reader();
	test_netlink();
	test_parsers();
	test_log_search();
	printf("event_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
