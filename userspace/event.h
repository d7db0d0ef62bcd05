/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One translation and its three forms: the generic netlink attributes the
 * kernel sends (a VPCSNAT_CMD_EVENT_TRANSLATED message or a WHO reply), the
 * line monitor prints, and the JSON record monitor -j and the log write,
 * which also names the pod (pods.h) and the node (node.h).
 */
#ifndef EVENT_H
#define EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

#include "parse.h"

/* Where a pod's name came from; unknown: it has none. */
enum pod_source { POD_UNKNOWN, POD_FROM_IPAM, POD_FROM_CNI_CACHE };

/* Who held the pod address when the connection was translated; "" unknown. */
struct pod_id {
	enum pod_source source;
	char ns[64];		/* a DNS label, at most 63 */
	char name[254];		/* a DNS subdomain, at most 253 */
	char uid[40];
	char container_id[129];	/* the sandbox's, as the CNI was given it */
};

/* The node that translated; "" unknown. */
struct node_id {
	char hostname[65];
	char boot_id[37];
	char instance_id[32];
};

/* Addresses, ports and identifiers in host byte order. */
struct event {
	uint8_t proto;
	struct ipaddr src, nat_src, dst;	/* all three of one family */
	uint16_t sport, nat_sport, dport;	/* proto_has_ports(proto) */
	uint8_t icmp_type, icmp_code;		/* event_icmp(): the pod's request */
	uint16_t icmp_id, nat_icmp_id;		/* event_icmp(): the pod's, the server's */
	uint16_t zone;				/* the conntrack zone */
	uint32_t netns, ct_id;
	uint64_t timestamp_ns;
	bool has_timestamp;
	struct pod_id pod;
	struct node_id node;
};

/* Whether ev has ICMP's fields: ICMP over IPv4, or ICMPv6 over IPv6. */
bool event_icmp(const struct event *ev);

/*
 * Parses a generic netlink message carrying the event attributes, of
 * either family (VPCSNAT_A_SRC or VPCSNAT_A_SRC6 and their kin); 0 or -1.
 * The pod and the node are left unknown.
 */
int event_from_nlh(const struct nlmsghdr *nlh, struct event *ev);

/*
 * One line, newline included. Human, by protocol:
 *   2026-11-26T14:23:11.123Z tcp 10.0.1.10:41234 -> 172.31.0.50:389 as 10.0.0.10:41234 zone 0 netns 4026532 ct 123456 pod default/web-1
 *   ... icmp 10.0.1.10 id 4321 -> 172.31.0.50 type 8 code 0 as 10.0.0.10 id 5678 zone 0 ...
 *   ... gre 10.0.1.10 -> 172.31.0.50 as 10.0.0.10 zone 0 ...
 *   ... tcp [2001:db8:1::10]:41234 -> [2001:db8:2::50]:80 as [2001:db8::10]:61001 ...
 *   ... icmpv6 2001:db8:1::10 id 4321 -> 2001:db8:2::50 type 128 code 0 as ...
 * ending "pod unknown" when it is. IPv6 addresses are inet_ntop's (RFC
 * 5952), in brackets before a port. JSON, the keys in this order (sport,
 * nat_sport and dport only for TCP, UDP, UDP-Lite, SCTP and DCCP; the
 * icmp_* keys only for ICMP; time, timestamp_ns, the pod's and the node's
 * null when unknown; pod_source "ipam" or "cni-cache"):
 *   {"time":"...","timestamp_ns":N,"proto":"tcp","src":"10.0.1.10","sport":41234,
 *    "nat_src":"10.0.0.10","nat_sport":41234,"dst":"172.31.0.50","dport":389,
 *    "zone":0,"netns":4026532,"ct_id":123456,"pod_namespace":"default",
 *    "pod_name":"web-1","pod_uid":"...","container_id":"...","pod_source":"ipam",
 *    "hostname":"ip-10-0-0-10","boot_id":"...","instance_id":null}
 *   ICMP: "src":...,"icmp_id":4321,"nat_src":...,"nat_icmp_id":5678,"dst":...,
 *         "icmp_type":8,"icmp_code":0
 *   IPv6: the same keys, "src":"2001:db8:1::10" (no brackets); ICMPv6 as ICMP
 * Returns the bytes written, or -1.
 */
int event_print(FILE *f, const struct event *ev, bool json);

/*
 * The same JSON record with "source":"live" or "log" first, for who -j.
 */
int event_print_sourced(FILE *f, const struct event *ev, const char *source);

/*
 * The record of a gap: events that are not in what follows, and why (one of
 * the EVENT_LOST_* below). lost < 0: unknown. Human: "<time> lost N events
 * (<why>)"; JSON: {"time":"...","timestamp_ns":N,"lost":N,"reason":"<why>"}.
 */
#define EVENT_LOST_RCVBUF "receive buffer overflowed"	/* the kernel could not queue them */
#define EVENT_LOST_WRITE "log file not written"		/* snatctl log could not write them */
int event_print_lost(FILE *f, uint64_t now_ns, int64_t lost, bool json, const char *why);

/*
 * Parses one JSON line written by event_print; false for anything else.
 * Records written before zones, pods and nodes were recorded read as zone
 * 0, pod and node unknown.
 */
bool event_parse_json(const char *line, struct event *ev);

/*
 * Whether ev is the connection key names as a server saw it: proto,
 * nat_src, dst and zone, and the translated port and the server port, or
 * ICMP's translated identifier and type.
 */
bool event_matches(const struct event *key, const struct event *ev);

/*
 * "10.0.1.10:41234", "10.0.1.10 id 4321" (ICMP) or "10.0.1.10": the pod's
 * end; "[2001:db8::10]:41234" for IPv6.
 */
#define ENDPOINT_STR_LEN 80
const char *event_pod_end(const struct event *ev, char *buf);
/* The same for what the server saw: the node address and port or identifier. */
const char *event_node_end(const struct event *ev, char *buf);
/* "172.31.0.50:80", "172.31.0.50 type 8" or "172.31.0.50": the server's. */
const char *event_server_end(const struct event *ev, char *buf);

/* CLOCK_REALTIME in nanoseconds. */
uint64_t now_ns(void);

#endif
