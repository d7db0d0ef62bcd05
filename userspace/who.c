// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl who: the pod behind a connection a server saw from the node's address. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "cli.h"
#include "client.h"
#include "logfile.h"
#include "verbs.h"

#define USAGE "Usage: %s [-j|--json] who <node-ip>:<port> <dst-ip>:<port> [--proto tcp|udp]\n" \
	      "           [--at TIME] [--log PATH]\n"

/* 1 found, 0 not in the conntrack table, -1 could not ask (said why). */
static int ask_kernel(const struct event *key, struct event *found)
{
	struct nl_error e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, g.netns))
		return -1;
	ret = client_who(&nl, key, found, &e);
	nl_close(&nl);
	if (ret < 0)
		nl_perror(&e, "Cannot look the connection up in the conntrack table");
	return ret;
}

static void print_answer(const struct event *ev, bool live)
{
	char ip[IPV4_STR_LEN], t[TIME_STR_LEN];

	if (g.json) {
		event_print_sourced(stdout, ev, live ? "live" : "log");
		return;
	}
	printf("pod %s:%u (", ipv4_str(ev->src, ip), ev->sport);
	if (live)
		printf("live");
	else if (ev->has_timestamp)
		printf("from log, translated at %s", time_str(ev->timestamp_ns, t));
	else
		printf("from log");
	printf(", netns %" PRIu32 ", ct %" PRIu32 ")\n", ev->netns, ev->ct_id);
}

static void who_usage(FILE *f)
{
	fprintf(f, USAGE "Names the pod behind a connection a server saw from the node's address:\n"
		"from the conntrack table while it is open, else from the log that\n"
		"snatctl log writes (default %s and its rotations),\n"
		"the latest translation at or before TIME (RFC 3339 or epoch seconds).\n",
		g.prog, LOGFILE_DEFAULT_PATH);
}

static int who_main(int argc, const char *argv[])
{
	const char *endpoints[2] = { NULL, NULL }, *log = LOGFILE_DEFAULT_PATH;
	struct event key = { .proto = IPPROTO_TCP }, live, logged;
	char err[PARSE_ERR_LEN], p[PROTO_STR_LEN], n[IPV4_STR_LEN], d[IPV4_STR_LEN];
	uint64_t at = 0;
	static const struct option options[] = {
		{ "proto", required_argument, NULL, 'p' },
		{ "at", required_argument, NULL, 'a' },
		{ "log", required_argument, NULL, 'l' },
		{ 0 }
	};
	int o, nends, have_live, have_log;

	argc = take_json_flag(argc, argv);
	while ((o = next_option(argc, argv, "", options)) != -1) {
		switch (o) {
		case 'p':
			if (strcmp(optarg, "tcp") && strcmp(optarg, "udp")) {
				fprintf(stderr, "Error: Invalid protocol %.64s; expected tcp or udp\n",
					optarg);
				return EXIT_USAGE;
			}
			parse_proto(optarg, &key.proto, err);
			break;
		case 'a':
			if (!parse_time(optarg, &at, err)) {
				fprintf(stderr, "Error: %s\n", err);
				return EXIT_USAGE;
			}
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
		fprintf(stderr, "Error: who needs the node's address:port and the server's address:port\n"
			USAGE, g.prog);
		return EXIT_USAGE;
	}
	if (!parse_endpoint(endpoints[0], &key.nat_src, &key.nat_sport, err) ||
	    !parse_endpoint(endpoints[1], &key.dst, &key.dport, err)) {
		fprintf(stderr, "Error: %s\n", err);
		return EXIT_USAGE;
	}

	have_live = ask_kernel(&key, &live);
	have_log = log_search(log, &key, at, &logged);
	/*
	 * Without --at the live connection is the answer. With --at, a port
	 * may have been reused since: the log's translation before TIME wins,
	 * unless it is the live connection itself.
	 */
	if (have_live > 0 && (!at || have_log <= 0 ||
			      (logged.ct_id == live.ct_id && logged.netns == live.netns &&
			       logged.src == live.src && logged.sport == live.sport))) {
		print_answer(&live, true);
		return EXIT_SUCCESS;
	}
	if (have_log > 0) {
		print_answer(&logged, false);
		return EXIT_SUCCESS;
	}
	fprintf(stderr, "No translation found for %s %s:%u -> %s:%u", proto_str(key.proto, p),
		ipv4_str(key.nat_src, n), key.nat_sport, ipv4_str(key.dst, d), key.dport);
	if (at) {
		char t[TIME_STR_LEN];

		fprintf(stderr, " at or before %s", time_str(at, t));
	}
	if (have_log < 0)
		fprintf(stderr, " (%s: %s)", log, strerror(errno));
	fputc('\n', stderr);
	return EXIT_FAILURE;
}

VERB(who, "who", who_main, who_usage,
     "Names the pod behind a connection a server saw from the node's address");
