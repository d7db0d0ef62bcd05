/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The IPv4 policy rule "fwmark M/M lookup main priority 1024" that the VPC
 * CNI adds (pkg/networkutils/network.go: hostRulePriority, mainENIRule), so
 * that the packets of the connections vpcsnat.ko marks with M are routed by
 * the main table, out of the primary ENI, whatever a pod's own rule
 * (priority 1536, "from POD lookup <ENI's table>") says. snatctl adds it
 * through rtnetlink with FRA_PROTOCOL RULE_PROTOCOL, so that it only ever
 * deletes its own: a rule the VPC CNI added (for node ports, it keeps one
 * when external SNAT is on) is reused, never duplicated or removed.
 */
#ifndef ROUTERULE_H
#define ROUTERULE_H

#include <stdbool.h>
#include <stdint.h>

#include "netlink.h"

#define RULE_PRIORITY 1024	/* the VPC CNI's hostRulePriority */
#define RULE_PROTOCOL 0x76	/* "proto 118" in ip rule: vpcsnat's own */

struct rule_state {
	unsigned int ours;	/* with RULE_PROTOCOL */
	unsigned int others;	/* the same rule from anyone else (the VPC CNI) */
};

/* The rules for mark in this netns; 0, or -1 with e filled in. */
int rule_get(uint32_t mark, struct rule_state *st, struct nl_error *e);

/*
 * Makes exactly one rule for want be in place (none if want is 0), reusing
 * another's; with remove_stale, also deletes ours for any other mark (so
 * rule_sync(0, true, ...) deletes all of ours).
 * *added says whether ours was added. 0, or -1 with e filled in.
 */
int rule_sync(uint32_t want, bool remove_stale, bool *added, struct nl_error *e);

/* Deletes one rule of ours for mark (what rule_sync() added, to undo it). */
int rule_del(uint32_t mark, struct nl_error *e);

#endif
