/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef EVENT_H
#define EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

/* Where snatctl log writes and snatctl who reads by default. */
#define DEFAULT_LOG_PATH "/var/log/vpcsnat/translations.jsonl"

/*
 * One translation: a VPCSNAT_CMD_EVENT_TRANSLATED message, a WHO reply, or
 * one record of the log. Addresses and ports in host byte order.
 */
struct event {
	uint8_t proto;
	uint16_t sport, nat_sport, dport;
	uint32_t src, nat_src, dst;
	uint32_t netns, ct_id;
	uint64_t timestamp_ns;
	bool has_timestamp;
};

/* Parses a generic netlink message carrying the event attributes; 0 or -1. */
int event_from_nlh(const struct nlmsghdr *nlh, struct event *ev);

/*
 * One line, newline included. Human:
 *   2026-11-26T14:23:11.123Z tcp 10.0.1.10:41234 -> 172.31.0.50:389 as 10.0.0.10:41234 netns 4026532 ct 123456
 * JSON (keys always present and in this order; time and timestamp_ns are
 * null when unknown):
 *   {"time":"...","timestamp_ns":N,"proto":"tcp","src":"10.0.1.10","sport":41234,
 *    "nat_src":"10.0.0.10","nat_sport":41234,"dst":"172.31.0.50","dport":389,
 *    "netns":4026532,"ct_id":123456}
 * Returns the bytes written, or -1.
 */
int event_print(FILE *f, const struct event *ev, bool json);

/*
 * The record of an overflow: events the kernel could not queue for us.
 * lost < 0: unknown. Human: "<time> lost N events (receive buffer overflowed)";
 * JSON: {"time":"...","timestamp_ns":N,"lost":N}.
 */
int event_print_lost(FILE *f, uint64_t now_ns, int64_t lost, bool json);

/* Parses one JSON line written by event_print; false for anything else. */
bool event_parse_json(const char *line, struct event *ev);

/* "2026-11-26T14:23:11.123Z" into buf of TIME_STR_LEN bytes. */
#define TIME_STR_LEN 32
char *time_str(uint64_t ns, char *buf);
uint64_t now_ns(void);

/* "tcp", "udp", "icmp" or the number, into buf of PROTO_STR_LEN bytes. */
#define PROTO_STR_LEN 8
const char *proto_str(uint8_t proto, char *buf);

/* Parsers in the style of parse.h: true, or false with err (PARSE_ERR_LEN) set. */
bool parse_proto(const char *s, uint8_t *proto, char *err);
bool parse_endpoint(const char *s, uint32_t *addr, uint16_t *port, char *err);
/* RFC 3339 (2026-11-26T14:23:11.123Z, +01:00, a space for the T) or epoch seconds. */
bool parse_time(const char *s, uint64_t *ns, char *err);

/*
 * Searches the log at path and its rotations path.1, path.2, ... for the
 * translation of key's proto, nat_src:nat_sport -> dst:dport: the one
 * translated last, or if before is non-zero, last at or before it. Returns
 * 1 with *found filled in, 0 if there is none, -1 if path cannot be read
 * (errno set) and no rotation can either.
 */
#define LOG_KEEP_MAX 1000	/* most rotations snatctl log keeps */
int log_search(const char *path, const struct event *key, uint64_t before, struct event *found);

/*
 * The event loop of snatctl monitor and snatctl log (monitor.c): joins the
 * events group of the current netns and writes each record to w->out,
 * calling w->batch_done after each batch of messages and w->reopen on
 * SIGHUP (SIGHUP stops the loop when reopen is NULL). Returns an exit code
 * when SIGINT or SIGTERM arrives (0) or on an error (after printing it).
 */
struct watch {
	bool json;
	int rcvbuf;
	FILE *out;
	int (*batch_done)(struct watch *w);	/* 0, or an exit code to stop */
	int (*reopen)(struct watch *w);		/* same */
	void *ctx;
};
int watch_events(struct watch *w);

/* If argv[*i] is --rcvbuf, takes it and its value (exits 2 if bad) and returns true. */
bool take_rcvbuf(int argc, const char *argv[], int *i, int *rcvbuf);

#endif
