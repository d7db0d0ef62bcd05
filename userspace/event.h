/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One translation and its three forms: the generic netlink attributes the
 * kernel sends (a VPCSNAT_CMD_EVENT_TRANSLATED message or a WHO reply), the
 * line monitor prints, and the JSON record monitor -j and the log write.
 */
#ifndef EVENT_H
#define EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

/* Addresses and ports in host byte order. */
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
 * The same JSON record with "source":"live" or "log" first, for who -j.
 */
int event_print_sourced(FILE *f, const struct event *ev, const char *source);

/*
 * The record of an overflow: events the kernel could not queue for us.
 * lost < 0: unknown. Human: "<time> lost N events (receive buffer overflowed)";
 * JSON: {"time":"...","timestamp_ns":N,"lost":N}.
 */
int event_print_lost(FILE *f, uint64_t now_ns, int64_t lost, bool json);

/* Parses one JSON line written by event_print; false for anything else. */
bool event_parse_json(const char *line, struct event *ev);

/* CLOCK_REALTIME in nanoseconds. */
uint64_t now_ns(void);

#endif
