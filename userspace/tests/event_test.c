// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host-side tests of the translation records: formatting, the JSON reader,
 * the netlink parser, the argument parsers of who and the log search. One
 * PASS:/FAIL: line per case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <uapi/linux/vpcsnat.h>
#include "event.h"
#include "logfile.h"
#include "parse.h"
#include "tests/report.h"

/* 2026-11-26T14:23:11.123456789Z */
#define TS 1795702991123456789ull

static const struct event sample = {
	.proto = IPPROTO_TCP,
	.src.v4 = 0x0a00010a, .sport = 41234,		/* 10.0.1.10 */
	.nat_src.v4 = 0x0a00000a, .nat_sport = 61001,	/* 10.0.0.10 */
	.dst.v4 = 0xac1f0032, .dport = 389,		/* 172.31.0.50 */
	.netns = 4026532, .ct_id = 123456,
	.timestamp_ns = TS, .has_timestamp = true,
	.pod = { .source = POD_FROM_IPAM, .ns = "default", .name = "web-7d9c8f6b5-x2k4q",
		 .uid = "8304765e-fd7e-4968-9144-c42c53be04f4", .container_id = "3a6a58386dfb" },
	.node = { .hostname = "ip-10-0-0-10.ec2.internal",
		  .boot_id = "1b2c3d4e-0000-4000-8000-123456789abc" },
};

static const char sample_json[] =
	"{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":1795702991123456789,"
	"\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
	"\"nat_sport\":61001,\"dst\":\"172.31.0.50\",\"dport\":389,\"zone\":0,\"netns\":4026532,"
	"\"ct_id\":123456,\"pod_namespace\":\"default\",\"pod_name\":\"web-7d9c8f6b5-x2k4q\","
	"\"pod_uid\":\"8304765e-fd7e-4968-9144-c42c53be04f4\",\"container_id\":\"3a6a58386dfb\","
	"\"pod_source\":\"ipam\",\"hostname\":\"ip-10-0-0-10.ec2.internal\","
	"\"boot_id\":\"1b2c3d4e-0000-4000-8000-123456789abc\",\"instance_id\":null}\n";

/* An echo request from the pod with identifier 4321, translated to 5678, in zone 5. */
static const struct event icmp_sample = {
	.proto = IPPROTO_ICMP, .src.v4 = 0x0a00010a, .nat_src.v4 = 0x0a00000a, .dst.v4 = 0xac1f0032,
	.icmp_type = 8, .icmp_code = 0, .icmp_id = 4321, .nat_icmp_id = 5678, .zone = 5,
	.netns = 4026532, .ct_id = 7, .timestamp_ns = TS, .has_timestamp = true,
};

/* 2001:db8:1::10 -> 2001:db8:2::50 as 2001:db8::10, and its record. */
#define V6(a, b) { .hi = (a), .lo = (b) }
static const struct event sample6 = {
	.proto = IPPROTO_TCP,
	.src = { .v6 = true, .in6 = V6(0x20010db800010000ull, 0x10) }, .sport = 41234,
	.nat_src = { .v6 = true, .in6 = V6(0x20010db800000000ull, 0x10) }, .nat_sport = 61001,
	.dst = { .v6 = true, .in6 = V6(0x20010db800020000ull, 0x50) }, .dport = 80,
	.netns = 4026532, .ct_id = 654321, .timestamp_ns = TS, .has_timestamp = true,
	.pod = { .source = POD_FROM_IPAM, .ns = "default", .name = "web-v6",
		 .container_id = "3a6a58386dfb" },
};

static const char sample6_json[] =
	"{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":1795702991123456789,"
	"\"proto\":\"tcp\",\"src\":\"2001:db8:1::10\",\"sport\":41234,\"nat_src\":\"2001:db8::10\","
	"\"nat_sport\":61001,\"dst\":\"2001:db8:2::50\",\"dport\":80,\"zone\":0,\"netns\":4026532,"
	"\"ct_id\":654321,\"pod_namespace\":\"default\",\"pod_name\":\"web-v6\",\"pod_uid\":null,"
	"\"container_id\":\"3a6a58386dfb\",\"pod_source\":\"ipam\",\"hostname\":null,"
	"\"boot_id\":null,\"instance_id\":null}\n";

/* An ICMPv6 echo request (type 128). */
static const struct event icmp6_sample = {
	.proto = IPPROTO_ICMPV6,
	.src = { .v6 = true, .in6 = V6(0x20010db800010000ull, 0x10) },
	.nat_src = { .v6 = true, .in6 = V6(0x20010db800000000ull, 0x10) },
	.dst = { .v6 = true, .in6 = V6(0x20010db800020000ull, 0x50) },
	.icmp_type = 128, .icmp_id = 4321, .nat_icmp_id = 5678,
	.netns = 4026532, .ct_id = 8, .timestamp_ns = TS, .has_timestamp = true,
};

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
	return a->proto == b->proto && ipaddr_equal(&a->src, &b->src) && a->sport == b->sport &&
	       ipaddr_equal(&a->nat_src, &b->nat_src) && a->nat_sport == b->nat_sport &&
	       ipaddr_equal(&a->dst, &b->dst) &&
	       a->dport == b->dport && a->netns == b->netns && a->ct_id == b->ct_id &&
	       a->has_timestamp == b->has_timestamp && a->timestamp_ns == b->timestamp_ns &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	       a->icmp_id == b->icmp_id && a->nat_icmp_id == b->nat_icmp_id && a->zone == b->zone &&
	       a->pod.source == b->pod.source && !strcmp(a->pod.ns, b->pod.ns) &&
	       !strcmp(a->pod.name, b->pod.name) && !strcmp(a->pod.uid, b->pod.uid) &&
	       !strcmp(a->pod.container_id, b->pod.container_id) &&
	       !strcmp(a->node.hostname, b->node.hostname) &&
	       !strcmp(a->node.boot_id, b->node.boot_id) &&
	       !strcmp(a->node.instance_id, b->node.instance_id);
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
		       "as 10.0.0.10:61001 zone 0 netns 4026532 ct 123456 pod default/web-7d9c8f6b5-x2k4q\n"),
	       "human line: %s", got);
	got = printed(&sample, true);
	report(!strcmp(got, sample_json), "JSON line: %s", got);
	got = printed(&icmp_sample, false);
	report(!strcmp(got, "2026-11-26T14:23:11.123Z icmp 10.0.1.10 id 4321 -> 172.31.0.50 type 8 "
		       "code 0 as 10.0.0.10 id 5678 zone 5 netns 4026532 ct 7 pod unknown\n"),
	       "human line, ICMP, pod unknown: %s", got);
	got = printed(&icmp_sample, true);
	report(strstr(got, "\"proto\":\"icmp\",\"src\":\"10.0.1.10\",\"icmp_id\":4321,"
			   "\"nat_src\":\"10.0.0.10\",\"nat_icmp_id\":5678,\"dst\":\"172.31.0.50\","
			   "\"icmp_type\":8,\"icmp_code\":0,\"zone\":5,") && !strstr(got, "port") &&
	       strstr(got, "\"pod_namespace\":null,\"pod_name\":null,\"pod_uid\":null,"
			   "\"container_id\":null,\"pod_source\":null,\"hostname\":null"),
	       "JSON line, ICMP: identifiers and type, no ports, pod null: %s", got);
	ev.has_timestamp = false;
	ev.proto = 47;
	got = printed(&ev, true);
	report(strstr(got, "{\"time\":null,\"timestamp_ns\":null,\"proto\":\"gre\",\"src\":"
			   "\"10.0.1.10\",\"nat_src\":\"10.0.0.10\",\"dst\":\"172.31.0.50\",\"zone\"") == got,
	       "JSON without a timestamp, GRE: addresses only: %s", got);
	got = printed(&ev, false);
	report(!strncmp(got, "- gre 10.0.1.10 -> 172.31.0.50 as 10.0.0.10 zone 0 ", 51),
	       "human line without a timestamp, GRE: %s", got);
	ev.proto = 132;
	got = printed(&ev, false);
	report(strstr(got, "- sctp 10.0.1.10:41234 -> 172.31.0.50:389 as 10.0.0.10:61001 ") == got,
	       "human line, SCTP by name: %s", got);

	got = printed(&sample6, false);
	report(!strcmp(got, "2026-11-26T14:23:11.123Z tcp [2001:db8:1::10]:41234 -> [2001:db8:2::50]:80 "
		       "as [2001:db8::10]:61001 zone 0 netns 4026532 ct 654321 pod default/web-v6\n"),
	       "human line, IPv6: addresses in brackets before ports: %s", got);
	got = printed(&sample6, true);
	report(!strcmp(got, sample6_json), "JSON line, IPv6: %s", got);
	got = printed(&icmp6_sample, false);
	report(!strcmp(got, "2026-11-26T14:23:11.123Z icmpv6 2001:db8:1::10 id 4321 -> 2001:db8:2::50 "
		       "type 128 code 0 as 2001:db8::10 id 5678 zone 0 netns 4026532 ct 8 pod unknown\n"),
	       "human line, ICMPv6: %s", got);
	got = printed(&icmp6_sample, true);
	report(strstr(got, "\"proto\":\"icmpv6\",\"src\":\"2001:db8:1::10\",\"icmp_id\":4321,"
			   "\"nat_src\":\"2001:db8::10\",\"nat_icmp_id\":5678,\"dst\":\"2001:db8:2::50\","
			   "\"icmp_type\":128,\"icmp_code\":0,\"zone\":0,") != NULL,
	       "JSON line, ICMPv6: identifiers and type: %s", got);
	ev = sample6;
	ev.proto = 47;
	ev.src.in6 = (struct vpcsnat_in6)V6(0x20010db800000000ull, 0x0001000000000001ull);
	got = printed(&ev, false);
	report(strstr(got, " gre 2001:db8::1:0:0:1 -> 2001:db8:2::50 as 2001:db8::10 zone 0 ") != NULL,
	       "human line, IPv6 GRE: RFC 5952's form, no brackets without a port: %s", got);

	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, 17, true, EVENT_LOST_RCVBUF);
	fclose(f);
	report(!strcmp(buf, "{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":"
		       "1795702991123456789,\"lost\":17,\"reason\":\"receive buffer overflowed\"}\n"),
	       "lost record: %s", buf);
	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, -1, true, EVENT_LOST_RCVBUF);
	fclose(f);
	report(strstr(buf, "\"lost\":null,") != NULL, "lost record, count unknown: %s", buf);
	f = fmemopen(buf, sizeof(buf), "w");
	event_print_lost(f, TS, 1, false, EVENT_LOST_RCVBUF);
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

	static const char old[] =
		"{\"time\":\"2026-11-26T14:23:11.123Z\",\"timestamp_ns\":1795702991123456789,"
		"\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":41234,\"nat_src\":\"10.0.0.10\","
		"\"nat_sport\":61001,\"dst\":\"172.31.0.50\",\"dport\":389,\"netns\":4026532,"
		"\"ct_id\":123456}";
	static const char *const bad_pods[] = {
		/* named without a source, a source without a name, half a name */
		"\"pod_namespace\":\"default\",\"pod_name\":\"web\",\"pod_source\":null}",
		"\"pod_namespace\":null,\"pod_name\":null,\"pod_source\":\"ipam\"}",
		"\"pod_namespace\":\"default\",\"pod_name\":null,\"pod_source\":\"ipam\"}",
		"\"pod_namespace\":\"default\",\"pod_name\":\"web\",\"pod_source\":\"guess\"}",
		"\"pod_namespace\":\"default\",\"pod_name\":7,\"pod_source\":\"ipam\"}",
	};
	char line[1024], *got;
	struct event want;

	report(event_parse_json(sample_json, &ev) && same_event(&ev, &sample),
	       "JSON reader reads back what event_print writes");
	got = printed(&icmp_sample, true);
	report(event_parse_json(got, &ev) && same_event(&ev, &icmp_sample),
	       "JSON reader reads back an ICMP record");
	want = sample;
	memset(&want.pod, 0, sizeof(want.pod));
	memset(&want.node, 0, sizeof(want.node));
	report(event_parse_json(old, &ev) && same_event(&ev, &want),
	       "JSON reader reads a record from before zones, pods and nodes: zone 0, both unknown");
	for (i = 0; i < sizeof(bad_pods) / sizeof(bad_pods[0]); i++) {
		snprintf(line, sizeof(line), "%.*s,%s", (int)strlen(old) - 1, old, bad_pods[i]);
		report(!event_parse_json(line, &ev), "JSON reader refuses %s", bad_pods[i]);
	}
	report(event_parse_json(sample6_json, &ev) && same_event(&ev, &sample6),
	       "JSON reader reads back an IPv6 record");
	got = printed(&icmp6_sample, true);
	report(event_parse_json(got, &ev) && same_event(&ev, &icmp6_sample),
	       "JSON reader reads back an ICMPv6 record");
	report(event_parse_json("{\"proto\":\"udp\",\"src\":\"2001:DB8:1:0::10\",\"sport\":1,"
				"\"nat_src\":\"2001:db8::10\",\"nat_sport\":2,\"dst\":\"2001:db8:2::50\","
				"\"dport\":3}", &ev) && ipaddr_equal(&ev.src, &sample6.src),
	       "JSON reader takes any spelling of an IPv6 address");
	report(!event_parse_json("{\"proto\":\"tcp\",\"src\":\"10.0.1.10\",\"sport\":1,"
				 "\"nat_src\":\"2001:db8::10\",\"nat_sport\":2,\"dst\":\"2001:db8:2::50\","
				 "\"dport\":3}", &ev), "JSON reader refuses a record of two families");
	report(!event_parse_json("{\"proto\":\"tcp\",\"src\":\"2001:db8:1::10/128\",\"sport\":1,"
				 "\"nat_src\":\"2001:db8::10\",\"nat_sport\":2,\"dst\":\"2001:db8:2::50\","
				 "\"dport\":3}", &ev), "JSON reader refuses a prefix for an address");
	report(!event_parse_json("{\"proto\":\"icmpv6\",\"src\":\"2001:db8:1::10\",\"nat_src\":"
				 "\"2001:db8::10\",\"dst\":\"2001:db8:2::50\"}", &ev),
	       "JSON reader refuses an ICMPv6 record without its identifiers");
	report(!event_parse_json("{\"proto\":\"icmp\",\"src\":\"10.0.1.10\",\"nat_src\":"
				 "\"10.0.0.10\",\"dst\":\"172.31.0.50\",\"sport\":1,\"nat_sport\":1,"
				 "\"dport\":1}", &ev), "JSON reader refuses an ICMP record with ports only");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = event_parse_json(cases[i].line, &ev);

		report(ok == cases[i].ok, "JSON reader %s: %.60s", cases[i].ok ? "accepts" : "refuses",
		       cases[i].line);
		if (i == 0 && ok)
			report(same_event(&ev, &want), "JSON reader, any key order: same event");
	}
}

static void put6(struct nlmsghdr *nlh, uint16_t type, const struct ipaddr *a, size_t len)
{
	unsigned char b[17] = { 0 };

	vpcsnat_in6_to_be(&a->in6, b);
	mnl_attr_put(nlh, type, len, b);
}

/* An IPv6 event of ev with its addresses of len bytes; v4_too adds VPCSNAT_A_NAT_SRC. */
static struct nlmsghdr *event6_msg(char *buf, const struct event *ev, size_t len, bool v4_too)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, ev->proto);
	put6(nlh, VPCSNAT_A_SRC6, &ev->src, len);
	put6(nlh, VPCSNAT_A_NAT_SRC6, &ev->nat_src, len);
	put6(nlh, VPCSNAT_A_DST6, &ev->dst, len);
	if (v4_too)
		mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, htonl(0x0a00000a));
	if (proto_has_ports(ev->proto)) {
		mnl_attr_put_u16(nlh, VPCSNAT_A_SPORT, htons(ev->sport));
		mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, htons(ev->nat_sport));
		mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, htons(ev->dport));
	} else {
		mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_TYPE, ev->icmp_type);
		mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_CODE, ev->icmp_code);
		mnl_attr_put_u16(nlh, VPCSNAT_A_ICMP_ID, htons(ev->icmp_id));
		mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_ICMP_ID, htons(ev->nat_icmp_id));
	}
	mnl_attr_put_u32(nlh, VPCSNAT_A_NETNS, ev->netns);
	mnl_attr_put_u32(nlh, VPCSNAT_A_CT_ID, ev->ct_id);
	mnl_attr_put_u64(nlh, VPCSNAT_A_TIMESTAMP, ev->timestamp_ns);
	return nlh;
}

/* The kernel's IPv6 events: VPCSNAT_A_SRC6, NAT_SRC6 and DST6 in place of the IPv4 three. */
static void test_netlink6(char *buf)
{
	struct event ev, want = sample6;

	memset(&want.pod, 0, sizeof(want.pod));
	report(event_from_nlh(event6_msg(buf, &sample6, 16, false), &ev) == 0 &&
	       same_event(&ev, &want), "netlink: an IPv6 event parses to the sent values");
	report(event_from_nlh(event6_msg(buf, &icmp6_sample, 16, false), &ev) == 0 &&
	       same_event(&ev, &icmp6_sample), "netlink: an ICMPv6 event, its identifiers and type");
	report(event_from_nlh(event6_msg(buf, &sample6, 15, false), &ev) < 0,
	       "netlink: a 15-byte IPv6 address refused");
	report(event_from_nlh(event6_msg(buf, &sample6, 17, false), &ev) < 0,
	       "netlink: a 17-byte IPv6 address refused");
	report(event_from_nlh(event6_msg(buf, &sample6, 16, true), &ev) < 0,
	       "netlink: an IPv6 event with an IPv4 address too refused");
}

static void test_netlink(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct event want;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct event ev;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = VPCSNAT_CMD_EVENT_TRANSLATED;
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(sample.src.v4));
	mnl_attr_put_u16(nlh, VPCSNAT_A_SPORT, htons(sample.sport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, htonl(sample.nat_src.v4));
	mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, htons(sample.nat_sport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_DST, htonl(sample.dst.v4));
	mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, htons(sample.dport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NETNS, sample.netns);
	mnl_attr_put_u32(nlh, VPCSNAT_A_CT_ID, sample.ct_id);
	report(event_from_nlh(nlh, &ev) == 0 && !ev.has_timestamp,
	       "netlink: a WHO reply (no timestamp) parses");
	mnl_attr_put_u64(nlh, VPCSNAT_A_TIMESTAMP, TS);
	memset(&want, 0, sizeof(want));
	report(event_from_nlh(nlh, &ev) == 0 && ev.sport == sample.sport &&
	       ev.nat_sport == sample.nat_sport && ev.dport == sample.dport &&
	       ev.timestamp_ns == TS && ev.ct_id == sample.ct_id && ev.zone == 0 &&
	       !memcmp(&ev.pod, &want.pod, sizeof(want.pod)),
	       "netlink: an event parses to the sent values, without a zone (older module) 0");
	mnl_attr_put_u16(nlh, VPCSNAT_A_ZONE, 9);
	report(event_from_nlh(nlh, &ev) == 0 && ev.zone == 9, "netlink: the zone");

	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, IPPROTO_ICMP);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(icmp_sample.src.v4));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, htonl(icmp_sample.nat_src.v4));
	mnl_attr_put_u32(nlh, VPCSNAT_A_DST, htonl(icmp_sample.dst.v4));
	mnl_attr_put_u32(nlh, VPCSNAT_A_NETNS, icmp_sample.netns);
	mnl_attr_put_u32(nlh, VPCSNAT_A_CT_ID, icmp_sample.ct_id);
	report(event_from_nlh(nlh, &ev) < 0, "netlink: ICMP without its fields refused");
	mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_TYPE, 8);
	mnl_attr_put_u8(nlh, VPCSNAT_A_ICMP_CODE, 0);
	mnl_attr_put_u16(nlh, VPCSNAT_A_ICMP_ID, htons(4321));
	mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_ICMP_ID, htons(5678));
	mnl_attr_put_u16(nlh, VPCSNAT_A_ZONE, 5);
	mnl_attr_put_u64(nlh, VPCSNAT_A_TIMESTAMP, TS);
	report(event_from_nlh(nlh, &ev) == 0 && same_event(&ev, &icmp_sample),
	       "netlink: an ICMP event parses to its identifiers, type and zone");

	test_netlink6(buf);

	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(sample.src.v4));
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
	struct ipaddr addr;
	uint16_t port;
	uint8_t proto;
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		bool ok = parse_time(times[i].in, &ns, NULL, err);

		if (times[i].ns)
			report(ok && ns == times[i].ns, "parse_time %s", times[i].in);
		else
			report(!ok && strstr(err, "Invalid time"), "parse_time refuses '%s': %s",
			       times[i].in, ok ? "accepted" : err);
	}
	{
		static const struct { const char *in; uint64_t first, last; } spans[] = {
			{ "2026-11-26T14:23:11+00:00", 1795702991000000000ull, 1795702991999999999ull },
			{ "2026-11-26T14:23:11.123Z", 1795702991123000000ull, 1795702991123999999ull },
			{ "1795702991", 1795702991000000000ull, 1795702991999999999ull },
			{ "1795702991.123456789", 1795702991123456789ull, 1795702991123456789ull },
			{ "1795702991.1234567891", 1795702991123456789ull, 1795702991123456789ull },
		};
		uint64_t last;

		for (i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
			report(parse_time(spans[i].in, &ns, &last, err) && ns == spans[i].first &&
			       last == spans[i].last, "parse_time %s names %llu to %llu", spans[i].in,
			       (unsigned long long)spans[i].first, (unsigned long long)spans[i].last);
	}
	report(parse_endpoint("10.0.0.10:41234", &addr, &port, err) && addr.v4 == 0x0a00000a &&
	       !addr.v6 && port == 41234, "parse_endpoint 10.0.0.10:41234");
	report(!parse_endpoint("10.0.0.10", &addr, &port, err) &&
	       !strcmp(err, "Invalid address and port 10.0.0.10; expected IPv4:PORT, [IPv6]:PORT or IPv6:PORT"),
	       "parse_endpoint without a port: %s", err);
	report(!parse_endpoint("10.0.0.10:65536", &addr, &port, err) &&
	       strstr(err, "Invalid port 65536"), "parse_endpoint port 65536: %s", err);
	report(!parse_endpoint("10.0.0:80", &addr, &port, err) &&
	       strstr(err, "Invalid IPv4 address 10.0.0"), "parse_endpoint bad address: %s", err);
	report(parse_endpoint("::1:80", &addr, &port, err) && addr.v6 && !addr.in6.hi &&
	       addr.in6.lo == 1 && port == 80, "parse_endpoint ::1:80, as nginx logs it");
	report(parse_endpoint("2001:db8::10:8080", &addr, &port, err) && addr.v6 &&
	       addr.in6.lo == 0x10 && port == 8080,
	       "parse_endpoint 2001:db8::10:8080: the last colon starts the port");
	report(parse_endpoint(":::80", &addr, &port, err) && addr.v6 && !addr.in6.hi &&
	       !addr.in6.lo && port == 80, "parse_endpoint :::80 (:: and port 80)");
	report(parse_endpoint("[2001:db8::10]:41234", &addr, &port, err) && addr.v6 &&
	       addr.in6.hi == 0x20010db800000000ull && addr.in6.lo == 0x10 && port == 41234,
	       "parse_endpoint [2001:db8::10]:41234");
	report(parse_endpoint("[::]:0", &addr, &port, err) && addr.v6 && !addr.in6.hi &&
	       !addr.in6.lo && !port, "parse_endpoint [::]:0");
	{
		static const struct { const char *in, *want; } bad6[] = {
			{ "[2001:db8::10]", "Invalid address and port [2001:db8::10]; expected" },
			{ "2001:db8::", "Invalid address and port 2001:db8::; expected" },
			{ "2001:db8::g:80", "Invalid address and port 2001:db8::g:80; expected" },
			{ "2001:db8::10:", "Invalid port ''" },
			{ "[2001:db8::10]:", "Invalid port ''" },
			{ "[2001:db8::10]80", "Invalid address and port" },
			{ "[2001:db8::10]:80:1", "Invalid address and port" },
			{ "[]:80", "Invalid address and port" },
			{ "[2001:db8::10:80", "Invalid address and port" },
			{ "[10.0.0.10]:80", "Invalid IPv6 address 10.0.0.10" },
			{ "[2001:db8::g]:80", "Invalid IPv6 address 2001:db8::g" },
			{ "[fe80::1%eth0]:80", "Invalid IPv6 address fe80::1%eth0" },
			{ "[2001:db8::10]:65536", "Invalid port 65536" },
		};

		for (i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++)
			report(!parse_endpoint(bad6[i].in, &addr, &port, err) &&
			       strstr(err, bad6[i].want) == err, "parse_endpoint refuses %s: %s",
			       bad6[i].in, err);
	}
	report(parse_proto("icmpv6", &proto, err) && proto == IPPROTO_ICMPV6, "parse_proto icmpv6");
	report(parse_icmp6_type("echo-request", &proto, err) && proto == 128,
	       "parse_icmp6_type echo-request: 128");
	report(parse_icmp6_type("139", &proto, err) && proto == 139, "parse_icmp6_type 139");
	report(parse_icmp6_type("node-info-query", &proto, err) && proto == 139,
	       "parse_icmp6_type node-info-query");
	report(!parse_icmp6_type("8", &proto, err) && strstr(err, "Invalid ICMPv6 type 8; expected"),
	       "parse_icmp6_type refuses ICMP's echo request: %s", err);
	report(!parse_icmp6_type("129", &proto, err), "parse_icmp6_type refuses an echo reply");
	report(parse_proto("udp", &proto, err) && proto == IPPROTO_UDP, "parse_proto udp");
	report(parse_proto("sctp", &proto, err) && proto == IPPROTO_SCTP, "parse_proto sctp");
	report(parse_proto("udplite", &proto, err) && proto == IPPROTO_UDPLITE, "parse_proto udplite");
	report(parse_proto("dccp", &proto, err) && proto == IPPROTO_DCCP, "parse_proto dccp");
	report(parse_proto("gre", &proto, err) && proto == IPPROTO_GRE, "parse_proto gre");
	report(parse_proto("50", &proto, err) && proto == 50, "parse_proto 50");
	report(!parse_proto("sctpx", &proto, err) && strstr(err, "Invalid protocol sctpx"),
	       "parse_proto refuses sctpx: %s", err);
	report(parse_icmp_type("echo-request", &proto, err) && proto == 8, "parse_icmp_type echo-request");
	report(parse_icmp_type("13", &proto, err) && proto == 13, "parse_icmp_type 13");
	report(!parse_icmp_type("0", &proto, err) && strstr(err, "Invalid ICMP type 0"),
	       "parse_icmp_type refuses an echo reply: %s", err);
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
		.src.v4 = 0x0a000100 | pod, .sport = (uint16_t)sport, .nat_src.v4 = 0x0a00000a,
		.nat_sport = (uint16_t)nat_sport, .dst.v4 = 0xac1f0032, .dport = 80, .netns = 7,
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
	struct event key = { .proto = IPPROTO_TCP, .nat_src.v4 = 0x0a00000a, .nat_sport = 40001,
			     .dst.v4 = 0xac1f0032, .dport = 80 }, got;
	bool seen;
	int r;

	if (!report_mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);

	errno = 0;
	r = log_search(path, &key, 0, &got, &seen);
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

	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000103 && got.sport == 5003 && got.ct_id == 13,
	       "log_search: the latest translation (pod 3), across rotations and bad lines");
	r = log_search(path, &key, 250ull * 1000000000, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000102 && got.timestamp_ns == 200000000000ull,
	       "log_search --at 250 s: pod 2, the last at or before it");
	r = log_search(path, &key, 100ull * 1000000000, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000101, "log_search --at 100 s exactly: pod 1");
	r = log_search(path, &key, 99ull * 1000000000, &got, &seen);
	report(r == 0, "log_search --at before any: nothing");
	key.proto = IPPROTO_UDP;
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000104, "log_search udp: only the udp record");
	key.proto = IPPROTO_TCP;
	key.dport = 443;
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0, "log_search other destination port: nothing");
	key.dport = 80;
	key.nat_sport = 4000;	/* a prefix of 40001 */
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0 && seen, "log_search port 4000 does not match 40001; the node address is seen");
	key.nat_sport = 40001;
	key.zone = 3;
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0, "log_search in zone 3: nothing (the records are zone 0)");
	key.zone = 0;
	key.nat_src.v4 = 0xc6336401;	/* 198.51.100.1 */
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0 && !seen, "log_search 198.51.100.1: no record, not a node address in the log");
	key.nat_src.v4 = 0x0a00000a;

	unlink(path);
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000102,
	       "log_search: PATH gone (just rotated), PATH.1 still read");
	unlink(p1);
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && got.src.v4 == 0x0a000101,
	       "log_search: PATH.2 read with PATH.1 gone (mid-rotation)");
	unlink(p2);
	r = log_search(path, &key, 0, &got, &seen);
	report(r == -1, "log_search: all gone is an error again");
	unlink(p3);
	rmdir(dir);
}

/* Many nodes' logs under one directory, as a shipper leaves them. */
static void test_log_dir(void)
{
	char dir[] = "/tmp/event_test.XXXXXX", path[128], text[4096], line[1024];
	struct event a = sample, b = sample, key = { .proto = IPPROTO_TCP, .nat_src.v4 = 0x0a000014,
		.nat_sport = 61001, .dst.v4 = 0xac1f0032, .dport = 389 }, got;
	bool seen;
	FILE *f;
	int r;

	if (!report_mkdtemp(dir))
		return;
	/* Node b (10.0.0.20) translated pod 10.0.1.20 to the same port as node a. */
	b.nat_src.v4 = 0x0a000014;
	b.src.v4 = 0x0a000114;
	snprintf(b.node.hostname, sizeof(b.node.hostname), "node-b");
	snprintf(b.pod.name, sizeof(b.pod.name), "api-0");
	snprintf(path, sizeof(path), "%s/node-a", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/node-a/translations.jsonl.1", dir);
	f = fmemopen(line, sizeof(line), "w");
	event_print(f, &a, true);
	fclose(f);
	write_file(path, line);
	snprintf(path, sizeof(path), "%s/node-b.log", dir);
	f = fmemopen(text, sizeof(text), "w");
	event_print(f, &b, true);
	fclose(f);
	write_file(path, text);
	r = log_search(dir, &key, 0, &got, &seen);
	report(r == 1 && same_event(&got, &b), "log_search DIR: node b's record, in a file of its own");
	key.nat_src.v4 = 0x0a00000a;
	r = log_search(dir, &key, 0, &got, &seen);
	report(r == 1 && same_event(&got, &a), "log_search DIR: node a's, in a subdirectory's rotation");

	key = icmp_sample;
	f = fmemopen(line, sizeof(line), "w");
	event_print(f, &icmp_sample, true);
	fclose(f);
	snprintf(path, sizeof(path), "%s/icmp.jsonl", dir);
	write_file(path, line);
	r = log_search(dir, &key, 0, &got, &seen);
	report(r == 1 && same_event(&got, &icmp_sample), "log_search DIR: ICMP by identifier, type, zone");
	key.icmp_type = 13;
	r = log_search(dir, &key, 0, &got, &seen);
	report(r == 0, "log_search: ICMP of another type: nothing");
	unlink(path);
	snprintf(path, sizeof(path), "%s/node-b.log", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/node-a/translations.jsonl.1", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/node-a", dir);
	rmdir(path);
	r = log_search(dir, &key, 0, &got, &seen);
	report(r == 0, "log_search: an empty DIR: nothing, not an error");

	/* A link in DIR to a node's file elsewhere (as /var/log/containers has). */
	key = icmp_sample;
	snprintf(path, sizeof(path), "%s.outside", dir);
	write_file(path, line);
	snprintf(text, sizeof(text), "%s/link.jsonl", dir);
	r = symlink(path, text) == 0 ? log_search(dir, &key, 0, &got, &seen) : -2;
	report(r == 1 && same_event(&got, &icmp_sample), "log_search DIR: a link to a file is read");
	unlink(text);
	unlink(path);
	rmdir(dir);
}

/* IPv6 records beside IPv4 ones: found by the IPv6 key, never by an IPv4 one. */
static void test_log_search6(void)
{
	char dir[] = "/tmp/event_test.XXXXXX", path[64], text[4096];
	struct event key = { .proto = IPPROTO_TCP, .nat_src = sample6.nat_src,
			     .nat_sport = sample6.nat_sport, .dst = sample6.dst, .dport = 80 }, got,
		     v4 = sample;
	bool seen;
	int r;

	if (!report_mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	v4.nat_sport = sample6.nat_sport;
	v4.dport = 80;
	snprintf(text, sizeof(text), "%s%s", printed(&sample6, true), printed(&v4, true));
	write_file(path, text);
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && same_event(&got, &sample6) && seen,
	       "log_search IPv6: the IPv6 record, its node address seen");
	key.nat_src.in6.lo = 0x11;
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0 && !seen, "log_search another IPv6 node address: nothing, not seen");
	key = icmp6_sample;
	write_file(path, printed(&icmp6_sample, true));
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 1 && same_event(&got, &icmp6_sample), "log_search ICMPv6 by identifier and type");
	key.icmp_type = 139;
	r = log_search(path, &key, 0, &got, &seen);
	report(r == 0, "log_search ICMPv6 of another type: nothing");
	unlink(path);
	rmdir(dir);
}

/* Size in bytes of path, or -1. */
static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/*
 * The recorder never stops for a file it cannot rename or open: it says so
 * and goes on writing where it wrote (logfile.h).
 */
static void test_log_rotation_failures(void)
{
	char dir[] = "/tmp/event_test.XXXXXX", path[64], p1[80], sub[96], moved[64];
	struct logfile l = { .max_size = 16, .keep = 1, .fd = -1 };
	struct watch w = { .ctx = &l };
	long size;
	bool ok;

	if (!report_mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(sub, sizeof(sub), "%s/x", p1);
	l.path = path;
	/* path.1 a non-empty directory: path cannot be renamed to it. */
	mkdir(p1, 0700);
	mkdir(sub, 0700);
	ok = logfile_start(&l, &w);
	fputs("{\"a\":1}\n{\"a\":2}\n", w.out);
	report(ok && logfile_batch_done(&w) == 0 && l.rotate_failed && w.out,
	       "rotation: a rename that fails keeps the recorder going, on the same file");
	fputs("{\"a\":3}\n", w.out);
	ok = logfile_batch_done(&w) == 0;
	size = file_size(path);
	report(ok && size == 24,
	       "rotation: not tried again before SIGHUP; the records are all there (%ld bytes)",
	       size);
	/* SIGHUP when path cannot be opened: its directory is now a file. */
	rmdir(sub);
	rmdir(p1);
	snprintf(moved, sizeof(moved), "%s.moved", dir);
	rename(dir, moved);
	fclose(fopen(dir, "w"));
	report(logfile_reopen(&w) == 0 && w.out && !l.rotate_failed,
	       "reopen: a path that cannot be opened keeps the recorder going");
	fputs("{\"a\":4}\n", w.out);
	snprintf(p1, sizeof(p1), "%s/t.jsonl", moved);
	ok = logfile_batch_done(&w) == 0;
	size = file_size(p1);
	report(ok && size == 32, "reopen: records still written to the file it had (%ld bytes)",
	       size);
	logfile_stop(&l, &w);
	unlink(p1);
	rmdir(moved);
	unlink(dir);
}

/* The lines of path, joined with '|', into buf. */
static const char *lines_of(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		*p = '|';
	return buf;
}

/*
 * A full disk, as RLIMIT_FSIZE makes one (a write past the limit stops
 * short, then fails with EFBIG): the events that did not get in are
 * counted (a kernel lost record among them by its own count), a record
 * cut in two stays alone on its line, also across a SIGHUP that reopens
 * the same file, and once writes work again a lost record says how many
 * are missing, before the next records. Records pending when the writer
 * stops still go in. Nothing is printed on stdout while the limit is low.
 */
static void test_log_full_disk(void)
{
	char dir[] = "/tmp/event_test.XXXXXX", path[64], got[1024];
	struct logfile l = { .max_size = 1 << 20, .keep = 1, .fd = -1 };
	struct watch w = { .ctx = &l };
	struct rlimit orig, low;
	uint64_t lost1, lost2;
	bool torn1, torn2, ok, ok2, ok3;
	void (*old)(int);

	if (!report_mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	l.path = path;
	if (!logfile_start(&l, &w) || getrlimit(RLIMIT_FSIZE, &orig) < 0) {
		report(false, "full disk: cannot set up: %s", strerror(errno));
		return;
	}
	fputs("{\"a\":1}\n", w.out);
	ok = logfile_batch_done(&w) == 0;
	fflush(stdout);
	fflush(stderr);
	old = signal(SIGXFSZ, SIG_IGN);
	low = orig;
	low.rlim_cur = 10;	/* the first record and two bytes of the next */
	setrlimit(RLIMIT_FSIZE, &low);
	fputs("{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n", w.out);
	ok2 = logfile_batch_done(&w) == 0;
	lost1 = l.lost;
	torn1 = l.torn;
	/* SIGHUP: the same file, still ending inside a record. */
	logfile_reopen(&w);
	torn2 = l.torn;
	fputs("{\"time\":\"x\",\"timestamp_ns\":1,\"lost\":10,\"reason\":\"receive buffer "
	      "overflowed\"}\n{\"a\":5}\n", w.out);
	ok3 = logfile_batch_done(&w) == 0 && l.write_failed;
	lost2 = l.lost;
	setrlimit(RLIMIT_FSIZE, &orig);
	signal(SIGXFSZ, old);
	report(ok && ok2 && ok3 && lost1 == 3 && torn1 && torn2 && lost2 == 14,
	       "full disk: the recorder goes on, counting what did not get in (%" PRIu64
	       ", then %" PRIu64 " with a kernel gap of 10; torn %d, after SIGHUP %d)",
	       lost1, lost2, torn1, torn2);
	fputs("{\"a\":6}\n", w.out);
	ok = logfile_batch_done(&w) == 0 && !l.write_failed && !l.lost && !l.torn;
	lines_of(path, got, sizeof(got));
	report(ok && !fnmatch("{\"a\":1}|{\"|{\"time\":\"*\",\"timestamp_ns\":*,\"lost\":14,"
			      "\"reason\":\"log file not written\"}|{\"a\":6}|", got, 0),
	       "full disk, then space: the cut record alone on its line, then lost 14, then the "
	       "next record: %s", got);
	fputs("{\"a\":7}\n", w.out);
	logfile_stop(&l, &w);
	lines_of(path, got, sizeof(got));
	report(!fnmatch("*|{\"a\":6}|{\"a\":7}|", got, 0),
	       "stop: the batch not yet written goes in: %s", got);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_format();
	test_json_reader();
	test_netlink();
	test_parsers();
	test_log_search();
	test_log_dir();
	test_log_search6();
	test_log_rotation_failures();
	test_log_full_disk();
	return report_done("event_test");
}
