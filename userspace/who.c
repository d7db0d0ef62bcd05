// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <uapi/linux/vpcsnat.h>
#include "event.h"
#include "netlink.h"
#include "subcommands.h"

#define USAGE "Usage: %s [-j|--json] who <node-ip>:<port> <dst-ip>:<port> [--proto tcp|udp]\n" \
	      "           [--at TIME] [--log PATH]\n"

static int who_cb(const struct nlmsghdr *nlh, void *data)
{
	if (event_from_nlh(nlh, data) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* 1 found, 0 not in the conntrack table, -1 could not ask (said why). */
static int ask_kernel(const struct event *key, struct event *found)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nl_error e;
	struct nl nl;
	int ret;

	if (nl_open(&nl, g.netns))
		return -1;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_WHO, 0);
	mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, key->proto);
	mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, htonl(key->nat_src));
	mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, htons(key->nat_sport));
	mnl_attr_put_u32(nlh, VPCSNAT_A_DST, htonl(key->dst));
	mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, htons(key->dport));
	memset(found, 0, sizeof(*found));
	found->proto = 0xff;
	ret = nl_talk(&nl, nlh, who_cb, found, &e);
	nl_close(&nl);
	if (ret < 0) {
		if (e.err == ENOENT)
			return 0;
		nl_perror(&e, "Cannot look the connection up in the conntrack table");
		return -1;
	}
	return found->proto == 0xff ? 0 : 1;
}

static void print_answer(const struct event *ev, bool live)
{
	char ip[16], t[TIME_STR_LEN];

	if (g.json) {
		/* An event record, and where it came from. */
		char rec[512];
		FILE *f = fmemopen(rec, sizeof(rec), "w");

		if (!f)
			return;
		event_print(f, ev, true);
		fclose(f);
		printf("{\"source\":\"%s\",%s", live ? "live" : "log", rec + 1);
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

int who_main(int argc, const char *argv[])
{
	const char *endpoints[2] = { NULL, NULL }, *log = DEFAULT_LOG_PATH;
	struct event key = { .proto = IPPROTO_TCP }, live, logged;
	char err[PARSE_ERR_LEN], p[PROTO_STR_LEN], n[16], d[16];
	uint64_t at = 0;
	int i, nends = 0, have_live, have_log;

	if (wants_help(argc, argv)) {
		printf(USAGE "Names the pod behind a connection a server saw from the node's address:\n"
		       "from the conntrack table while it is open, else from the log that\n"
		       "snatctl log writes (default %s and its rotations),\n"
		       "the latest translation at or before TIME (RFC 3339 or epoch seconds).\n",
		       g.prog, DEFAULT_LOG_PATH);
		return EXIT_SUCCESS;
	}
	argc = take_json_flag(argc, argv);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--proto") || !strcmp(a, "--at") || !strcmp(a, "--log")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "Error: %s needs a value\n", a);
				return EXIT_USAGE;
			}
			if (!strcmp(a, "--proto")) {
				if (strcmp(argv[i + 1], "tcp") && strcmp(argv[i + 1], "udp")) {
					fprintf(stderr, "Error: Invalid protocol %.64s; expected tcp or udp\n",
						argv[i + 1]);
					return EXIT_USAGE;
				}
				parse_proto(argv[i + 1], &key.proto, err);
			} else if (!strcmp(a, "--at")) {
				if (!parse_time(argv[i + 1], &at, err)) {
					fprintf(stderr, "Error: %s\n", err);
					return EXIT_USAGE;
				}
			} else {
				if (!*argv[i + 1]) {
					fputs("Error: --log needs a path\n", stderr);
					return EXIT_USAGE;
				}
				log = argv[i + 1];
			}
			i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "Error: Unknown option %s for who\n", a);
			return EXIT_USAGE;
		} else if (nends < 2) {
			endpoints[nends++] = a;
		} else {
			fprintf(stderr, "Error: Unexpected argument %s after %s\n", a, endpoints[1]);
			return EXIT_USAGE;
		}
	}
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
