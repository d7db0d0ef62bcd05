// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl who: the pod behind a connection a server saw from the node's address. */
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include "cli.h"
#include "client.h"
#include "logfile.h"
#include "node.h"
#include "verbs.h"

#define USAGE "Usage: %s [-j|--json] who <node-ip>[:<port>] <dst-ip>[:<port>] [--proto PROTO]\n" \
	      "           [--icmp-id ID] [--icmp-type TYPE] [--zone N] [--at TIME] [--log PATH|DIR]\n" \
	      "An IPv6 end with a port: <ip6>:<port>, as nginx logs it, or [<ip6>]:<port>\n"

/* 1 found, 0 not in the conntrack table (e->err says why), -1 could not ask (said why). */
static int ask_kernel(const struct event *key, struct event *found, struct nl_error *e)
{
	struct nl nl;
	int ret;

	memset(e, 0, sizeof(*e));
	if (nl_open(&nl, g.netns))
		return -1;
	ret = client_who(&nl, key, found, e);
	nl_close(&nl);
	if (ret < 0)
		nl_perror(e, "Cannot look the connection up in the conntrack table");
	return ret;
}

/* Whether addr is an address of this network namespace. */
static bool local_addr(const struct ipaddr *addr)
{
	struct ifaddrs *ifs, *i;
	struct ipaddr a = { .v6 = addr->v6 };
	bool yes = false;

	if (getifaddrs(&ifs) < 0)
		return false;
	for (i = ifs; i && !yes; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != (addr->v6 ? AF_INET6 : AF_INET))
			continue;
		if (addr->v6)
			a.in6 = vpcsnat_in6_from_be(((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr.s6_addr);
		else
			a.v4 = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		yes = ipaddr_equal(&a, addr);
	}
	freeifaddrs(ifs);
	return yes;
}

/* The same translation: the live connection and a record of it. */
static bool same_translation(const struct event *a, const struct event *b)
{
	return a->ct_id == b->ct_id && a->netns == b->netns && ipaddr_equal(&a->src, &b->src) &&
	       a->sport == b->sport && a->icmp_id == b->icmp_id;
}

static void print_answer(const struct event *ev, bool live)
{
	char end[ENDPOINT_STR_LEN], t[TIME_STR_LEN];

	if (g.json) {
		event_print_sourced(stdout, ev, live ? "live" : "log");
		return;
	}
	if (ev->pod.source == POD_UNKNOWN)
		printf("pod unknown");
	else
		printf("pod %s/%s", ev->pod.ns, ev->pod.name);
	printf(" (%s), node %s", event_pod_end(ev, end),
	       ev->node.hostname[0] ? ev->node.hostname : "unknown");
	if (ev->node.instance_id[0])
		printf(" %s", ev->node.instance_id);
	printf(" (");
	if (live)
		printf("live");
	else if (ev->has_timestamp)
		printf("from log, translated at %s", time_str(ev->timestamp_ns, t));
	else
		printf("from log");
	printf(", zone %u, netns %" PRIu32 ", ct %" PRIu32 ")\n", ev->zone, ev->netns, ev->ct_id);
}

static void who_usage(FILE *f)
{
	fprintf(f, USAGE "Names the pod and the node behind a connection a server saw from a node's\n"
		"address: from the conntrack table while it is open, with the pod the record\n"
		"of its translation names; else from the log that snatctl log writes (default\n"
		"%s and its rotations; a directory: every\n"
		"file under it, the logs of many nodes), the latest translation at or before\n"
		"TIME (RFC 3339 or epoch seconds; 14:23:11 is that whole second). PROTO is\n"
		"tcp (default), udp, udplite, sctp, dccp (with ports), icmp or, for IPv6,\n"
		"icmpv6 (no ports: the identifier the server saw, --icmp-id, and the\n"
		"request's type, default echo-request), gre or a number (addresses only).\n"
		"--zone: the conntrack zone (default 0).\n",
		g.prog, LOGFILE_DEFAULT_PATH);
}

/* "ADDR:PORT" (parse_endpoint()'s forms) when the protocol has ports, else "ADDR". */
static bool parse_end(const char *s, bool ports, struct ipaddr *addr, uint16_t *port, char *err)
{
	const char *colon = strchr(s, ':');

	if (ports)
		return parse_endpoint(s, addr, port, err);
	/* One colon is IPv4's port; a bracket, IPv6's. */
	if (s[0] == '[' || (colon && !strchr(colon + 1, ':'))) {
		char tok[TOKEN_LEN];

		snprintf(err, PARSE_ERR_LEN, "Invalid address %s; this protocol has no ports",
			 token(s, tok));
		return false;
	}
	return parse_ipaddr(s, addr, err);
}

/* ::ffff:10.0.0.10, as a dual-stack server ([::]:80, ipv6only off) logs 10.0.0.10, is IPv4. */
static void unmap(struct ipaddr *a)
{
	if (a->v6 && !a->in6.hi && a->in6.lo >> 32 == 0xffff) {
		a->v4 = (uint32_t)a->in6.lo;
		a->v6 = false;
		a->in6.lo = 0;
	}
}

/* Why there is no answer, in one line. */
static void no_answer(const struct event *key, uint64_t at, const struct nl_error *live,
		      int have_log, int log_errno, bool addr_seen, bool dir, const char *log)
{
	char pbuf[PROTO_STR_LEN], n[ENDPOINT_STR_LEN], d[ENDPOINT_STR_LEN], a[IPV6_STR_LEN],
	     t[TIME_STR_LEN];
	const char *p = proto_str(key->proto, pbuf);

	event_node_end(key, n);
	event_server_end(key, d);
	ipaddr_str(&key->nat_src, a);
	if (live->err == ENXIO) {
		fprintf(stderr, "%s %s -> %s was not translated: the conntrack table has it as a "
			"connection of the node itself or of a hostNetwork pod\n", p, n, d);
		return;
	}
	fprintf(stderr, "No translation found for %s %s -> %s", p, n, d);
	if (key->zone)
		fprintf(stderr, " in zone %u", key->zone);
	if (at)
		fprintf(stderr, " at or before %s", time_str(at, t));
	if (addr_seen || (!dir && local_addr(&key->nat_src)))
		fprintf(stderr, ": %s is a node address, but neither the conntrack table nor the "
			"log has that connection (the node or a hostNetwork pod made it, or it is "
			"older than the log)", a);
	else if (have_log == 0)
		fprintf(stderr, ": %s is not an address vpcsnat translates to (%sno record in %s "
			"has it); a server sees a pod's own address from the same VPC or with "
			"external SNAT, a NAT gateway's from the internet", a,
			dir ? "" : "not an address of this node, and ", log);
	if (have_log < 0)
		fprintf(stderr, " (%s: %s)", log, strerror(log_errno));
	fputc('\n', stderr);
}

static int who_main(int argc, const char *argv[])
{
	const char *endpoints[2] = { NULL, NULL }, *log = LOGFILE_DEFAULT_PATH, *icmp_id = NULL,
		   *icmp_type = NULL;
	struct event key = { .proto = IPPROTO_TCP }, live, logged;
	char err[PARSE_ERR_LEN];
	uint64_t at = 0, first;
	uint32_t v;
	static const struct option options[] = {
		{ "proto", required_argument, NULL, 'p' },
		{ "icmp-id", required_argument, NULL, 'i' },
		{ "icmp-type", required_argument, NULL, 't' },
		{ "zone", required_argument, NULL, 'z' },
		{ "at", required_argument, NULL, 'a' },
		{ "log", required_argument, NULL, 'l' },
		{ 0 }
	};
	struct nl_error live_e = { 0 };
	int o, nends, have_live = 0, have_log, log_errno;
	bool dir, addr_seen = false, icmp;
	struct stat st;

	argc = take_json_flag(argc, argv);
	while ((o = next_option(argc, argv, "", options)) != -1) {
		switch (o) {
		case 'p':
			if (!parse_proto(optarg, &key.proto, err))
				goto bad;
			break;
		case 'i':
			if (!parse_u32("ICMP identifier", optarg, 0, 65535, &v, err))
				goto bad;
			key.nat_icmp_id = (uint16_t)v;
			icmp_id = optarg;
			break;
		case 't':
			icmp_type = optarg;
			break;
		case 'z':
			if (!parse_u32("zone", optarg, 0, 65535, &v, err))
				goto bad;
			key.zone = (uint16_t)v;
			break;
		case 'a':
			if (!parse_time(optarg, &first, &at, err))
				goto bad;
			break;
		case 'l':
			if (!*optarg) {
				fputs("Error: --log needs a path\n", stderr);
				return EXIT_USAGE;
			}
			log = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	nends = argc - optind;
	if (nends > 2) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[optind + 2],
			argv[optind + 1]);
		return EXIT_USAGE;
	}
	endpoints[0] = nends > 0 ? argv[optind] : NULL;
	endpoints[1] = nends > 1 ? argv[optind + 1] : NULL;
	if (nends < 2) {
		fprintf(stderr, "Error: who needs the node's address and the server's address\n"
			USAGE, g.prog);
		return EXIT_USAGE;
	}
	icmp = key.proto == IPPROTO_ICMP || key.proto == IPPROTO_ICMPV6;
	if (icmp && !icmp_id) {
		fprintf(stderr, "Error: %s has no ports; --icmp-id gives the identifier the server "
			"saw\n", key.proto == IPPROTO_ICMP ? "ICMP" : "ICMPv6");
		return EXIT_USAGE;
	}
	if (!icmp && (icmp_id || icmp_type)) {
		fprintf(stderr, "Error: --icmp-%s is for --proto icmp or icmpv6\n",
			icmp_id ? "id" : "type");
		return EXIT_USAGE;
	}
	if (!parse_end(endpoints[0], proto_has_ports(key.proto), &key.nat_src, &key.nat_sport, err) ||
	    !parse_end(endpoints[1], proto_has_ports(key.proto), &key.dst, &key.dport, err))
		goto bad;
	unmap(&key.nat_src);
	unmap(&key.dst);
	if (mixed_families(endpoints[0], &key.nat_src, endpoints[1], &key.dst))
		return EXIT_USAGE;
	if (icmp && !event_icmp(&key)) {
		fprintf(stderr, "Error: %s addresses take --proto %s\n", key.dst.v6 ? "IPv6" : "IPv4",
			key.dst.v6 ? "icmpv6" : "icmp");
		return EXIT_USAGE;
	}
	if (icmp && !(key.dst.v6 ? parse_icmp6_type(icmp_type ? icmp_type : "echo-request",
						       &key.icmp_type, err) :
		      parse_icmp_type(icmp_type ? icmp_type : "echo-request", &key.icmp_type, err)))
		goto bad;

	/* Many nodes' logs are read elsewhere than on a node: no kernel to ask. */
	dir = stat(log, &st) == 0 && S_ISDIR(st.st_mode);
	if (!dir)
		have_live = ask_kernel(&key, &live, &live_e);
	have_log = log_search(log, &key, at, &logged, &addr_seen);
	log_errno = errno;
	/*
	 * Without --at the live connection is the answer. With --at, a port
	 * may have been reused since: the log's translation before TIME wins,
	 * unless it is the live connection itself.
	 */
	if (have_live > 0 && (!at || have_log <= 0 || same_translation(&logged, &live))) {
		/* Who the pod was is what its record says: the address may have moved on. */
		if (have_log <= 0 || !same_translation(&logged, &live)) {
			have_log = log_search(log, &live, 0, &logged, &addr_seen);
			if (have_log > 0 && !same_translation(&logged, &live))
				have_log = 0;
		}
		if (have_log > 0) {
			live.pod = logged.pod;
			live.node = logged.node;
		} else {
			node_read(&live.node, false);
		}
		print_answer(&live, true);
		return EXIT_SUCCESS;
	}
	if (have_log > 0) {
		print_answer(&logged, false);
		return EXIT_SUCCESS;
	}
	no_answer(&key, at, &live_e, have_log, log_errno, addr_seen, dir, log);
	return EXIT_FAILURE;
bad:
	return bad_input(err);
}

VERB(who, "who", who_main, who_usage,
     "Names the pod and node behind a connection a server saw from a node's address");
