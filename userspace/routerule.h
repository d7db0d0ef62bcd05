/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The policy rule "fwmark M/M lookup main priority 1024" that the VPC CNI
 * adds (pkg/networkutils/network.go: hostRulePriority, mainENIRule, in the
 * node's IP family), so that the packets of the connections vpcsnat.ko
 * marks with M are routed by the main table, out of the primary ENI,
 * whatever a pod's own rule (priority 1536, "from POD lookup <ENI's
 * table>") says. There is one per family: IPv4's, and IPv6's when IPv6
 * connections are translated too (the mark is set on both). snatctl adds it
 * through rtnetlink with FRA_PROTOCOL RULE_PROTOCOL, so that it only ever
 * deletes its own: a rule the VPC CNI added (for node ports, it keeps one
 * when external SNAT is on) is reused, never duplicated or removed.
 */
#ifndef ROUTERULE_H
#define ROUTERULE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "netlink.h"

#define RULE_PRIORITY 1024	/* the VPC CNI's hostRulePriority */
#define RULE_PROTOCOL 0x76	/* "proto 118" in ip rule: vpcsnat's own */

struct rule_state {
	unsigned int ours;	/* with RULE_PROTOCOL */
	unsigned int others;	/* the same rule from anyone else (the VPC CNI) */
};

/*
 * Every function takes the family: v6 for the IPv6 rule (ip -6 rule), else
 * the IPv4 one.
 */

/* The rules for mark in this netns; 0, or -1 with e filled in. */
int rule_get(bool v6, uint32_t mark, struct rule_state *st, struct nl_error *e);

/*
 * Makes exactly one rule for want be in place (none if want is 0), reusing
 * another's; with remove_stale, also deletes ours for any other mark (so
 * rule_sync(0, true, ...) deletes all of ours).
 * *added says whether ours was added. 0, or -1 with e filled in. A kernel
 * without the family (IPv6 off: ipv6.disable=1) holds none of its rules:
 * with want 0 there is nothing to do, and 0.
 */
int rule_sync(bool v6, uint32_t want, bool remove_stale, bool *added, struct nl_error *e);

/* Deletes one rule of ours for mark (what rule_sync() added, to undo it). */
int rule_del(bool v6, uint32_t mark, struct nl_error *e);

/* "fwmark 0x80/0x80 lookup main priority 1024": the rule for mark, as ip rule says it. */
#define RULE_STR_LEN 64
static inline const char *rule_str(uint32_t mark, char *buf)
{
	snprintf(buf, RULE_STR_LEN, "fwmark %#x/%#x lookup main priority %d", mark, mark,
		 RULE_PRIORITY);
	return buf;
}
/* "routing rule", or "IPv6 routing rule": the words for v6's, in messages. */
#define RULE_NAME(v6) ((v6) ? "IPv6 routing rule" : "routing rule")

#endif
