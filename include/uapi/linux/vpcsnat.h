/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vpcsnat: source NAT of pod traffic to the node IP, decided per new
 * connection from a table of CIDRs, the way the Amazon VPC CNI's
 * AWS-SNAT-CHAIN does it with iptables.
 *
 * Generic netlink family VPCSNAT_GENL_NAME, version VPCSNAT_GENL_VERSION.
 * Every command acts on the network namespace of the socket that sends it.
 * Commands that change state need CAP_NET_ADMIN in the user namespace that
 * owns that network namespace. Errors come back as a negative errno in the
 * NLMSG_ERROR message, with a human-readable extended ACK message and, where
 * one attribute is to blame, the offset of that attribute (NLMSGERR_ATTR_OFFS).
 *
 * IPv4 addresses are NLA_BE32, in network byte order. IPv6 addresses are
 * NLA_BINARY of exactly 16 bytes, a struct in6_addr (network byte order);
 * their attributes end in 6. IPv4 connections are decided by the IPv4
 * entries of the table, IPv6 ones by the IPv6 entries; an IPv4-mapped
 * IPv6 prefix (inside ::ffff:0:0/96) is refused: its packets are IPv4.
 *
 * VPCSNAT_CMD_GET_CONFIG
 * ----------------------
 * Request: no attributes. Reply:
 *
 *    VPCSNAT_A_ENABLED: NLA_U8, 0 or 1
 *    VPCSNAT_A_IPV6: NLA_U8, 0 or 1: whether IPv6 connections are decided
 *                    too (default 0: an IPv6 connection is "disabled", as
 *                    ip-masq-agent leaves IPv6 alone without --enable-ipv6)
 *    VPCSNAT_A_EXTERNAL_SNAT: NLA_U8, 0 or 1
 *    VPCSNAT_A_SNAT_IP: NLA_BE32, 0.0.0.0 means "auto": the primary address
 *                       of the egress device, as MASQUERADE picks it
 *    VPCSNAT_A_SNAT_IP6: 16 bytes, the address IPv6 connections are
 *                        translated to; :: means "auto": the address
 *                        MASQUERADE picks on the egress device
 *                        (ipv6_dev_get_saddr(), nf_nat_masquerade.c)
 *    VPCSNAT_A_RANDOM: NLA_U8, enum vpcsnat_random
 *    VPCSNAT_A_SKIP_IFACES: NLA_NESTED, egress interfaces never translated
 *        VPCSNAT_A_IFACE: NLA_NUL_STRING, maxlen IFNAMSIZ - 1, an interface
 *                         name prefix; repeated, at most
 *                         VPCSNAT_MAX_IFACE_PREFIXES
 *    VPCSNAT_A_POD_IFACES: NLA_NESTED, as VPCSNAT_A_SKIP_IFACES: the
 *                          interfaces pods' traffic arrives on (the VPC
 *                          CNI's AWS_VPC_K8S_CNI_VETHPREFIX, default "eni")
 *    VPCSNAT_A_MARK: NLA_U32, the bits set in the connmark of a new
 *                    connection that arrives on a pod interface and will be
 *                    translated, and copied into the packet mark of each of
 *                    its packets, other bits untouched (the VPC CNI's
 *                    AWS_VPC_K8S_CNI_CONNMARK, default 0x80); 0: none
 *    VPCSNAT_A_TABLE_SIZE: NLA_U32, number of CIDR entries, both families
 *    VPCSNAT_A_TABLE6_SIZE: NLA_U32, how many of them are IPv6
 *    VPCSNAT_A_TABLE_LIMIT: NLA_U32, most CIDR entries the table accepts,
 *                           both families together
 *    VPCSNAT_A_COUNTERS: NLA_NESTED, IPv4 connections (and events)
 *        VPCSNAT_CTR_A_<reason>: NLA_U64, new connections decided for that
 *                                reason (see enum vpcsnat_ctr_attr)
 *        VPCSNAT_CTR_A_FAILED: NLA_U64, translations dropped (no free
 *                              source port, no address in auto mode, NAT
 *                              core refused)
 *        VPCSNAT_CTR_A_EVENTS_DROPPED: NLA_U64, events a listener missed
 *                                      (see the "events" group below)
 *        VPCSNAT_CTR_A_MARKED: NLA_U64, new connections marked
 *    VPCSNAT_A_COUNTERS6: NLA_NESTED, the same counters for IPv6
 *                         connections, but VPCSNAT_CTR_A_EVENTS_DROPPED
 *
 * VPCSNAT_CMD_SET_CONFIG
 * ----------------------
 * Request: any non-empty subset of
 *
 *    VPCSNAT_A_ENABLED, VPCSNAT_A_IPV6, VPCSNAT_A_EXTERNAL_SNAT,
 *    VPCSNAT_A_SNAT_IP,
 *    VPCSNAT_A_SNAT_IP6, VPCSNAT_A_RANDOM, VPCSNAT_A_SKIP_IFACES and VPCSNAT_A_POD_IFACES (each
 *    replaces the whole list; an empty nest clears it), VPCSNAT_A_MARK,
 *    VPCSNAT_A_TABLE_LIMIT
 *
 * All given attributes are validated, then applied together or not at all.
 * A table_limit below the number of entries in the table is refused
 * (ENOSPC). A skip list that repeats a prefix, or holds one that breaks
 * the rule of include/vpcsnat/shared.h, is refused (EINVAL).
 *
 * Privilege: GET_CONFIG and EXPLAIN need none. Every other command, and
 * joining the events group, needs CAP_NET_ADMIN in the user namespace that
 * owns the network namespace: GET_CIDRS too (a dump holds its table until
 * it is done, and listing iptables rules needs it too), and WHO (it names
 * pods' connections).
 *
 * VPCSNAT_CMD_ADD_CIDR, VPCSNAT_CMD_DEL_CIDR
 * ------------------------------------------
 * Request:
 *
 *    VPCSNAT_A_CIDR: NLA_NESTED
 *        VPCSNAT_CIDR_A_ADDR: NLA_BE32, an IPv4 prefix, or
 *        VPCSNAT_CIDR_A_ADDR6: 16 bytes, an IPv6 prefix (exactly one of
 *                              the two); host bits must be zero
 *        VPCSNAT_CIDR_A_PREFIXLEN: NLA_U8, 0..32 (IPv4), 0..128 (IPv6)
 *        VPCSNAT_CIDR_A_KIND: NLA_U8, enum vpcsnat_kind (add only; default vpc)
 *
 * ADD fails with EEXIST if the prefix is already in the table (whatever its
 * kind); DEL fails with ENOENT if it is not. A prefix that breaks a rule
 * fails with EINVAL and an extended ACK message that names the rule (enum
 * vpcsnat_cidr_err, worded in include/vpcsnat/shared.h).
 *
 * VPCSNAT_CMD_GET_CIDRS
 * ---------------------
 * Must be a dump (NLM_F_DUMP). Returns one message per entry, each holding one
 * VPCSNAT_A_CIDR nest as above (all three attributes, and
 * VPCSNAT_CIDR_A_HITS: NLA_U64, an estimate of the new connections this
 * entry decided: one decision in 32 is sampled and counted as 32; a prefix
 * keeps its count across changes to the table): the IPv4 entries, then the
 * IPv6 ones, each sorted by address then prefix length, from one
 * consistent snapshot of the table.
 *
 * VPCSNAT_CMD_FLUSH_CIDRS
 * -----------------------
 * Request: no attributes. Empties the table, both families.
 *
 * VPCSNAT_CMD_REPLACE_CIDRS
 * -------------------------
 * Request:
 *
 *    VPCSNAT_A_CIDRS: NLA_NESTED
 *        VPCSNAT_A_CIDR: NLA_NESTED, as for ADD; repeated, either family,
 *                        in any order
 *    VPCSNAT_A_MORE: NLA_FLAG, optional: more REPLACE_CIDRS messages follow
 *                    from this socket
 *    and, optionally, any attribute of VPCSNAT_CMD_SET_CONFIG.
 *
 * Replaces the whole table (and the given settings) in one atomic swap.
 * One message carries at most VPCSNAT_MAX_CIDRS_PER_MSG entries (E2BIG
 * otherwise); a larger table is sent as several messages from the same
 * socket, all but the last carrying VPCSNAT_A_MORE. The
 * entries are staged and nothing changes until the last message. Only the
 * last may carry settings. Any error vpcsnat returns discards what this
 * socket staged, so that a retry starts afresh; so does closing the
 * socket. A message the attribute policy refuses (an unknown, malformed or
 * wrongly typed attribute) never reaches vpcsnat and leaves what was
 * staged: after such an error, start again on a new socket, as snatctl
 * does after any error. While one socket has a replace staged, another
 * socket's VPCSNAT_A_MORE is refused with EBUSY. Duplicate prefixes are
 * refused (EEXIST); when the duplicate is in the last message, its
 * VPCSNAT_A_CIDR is named by offset in the extended ACK. The whole table
 * is held to the table_limit it will run with (the last message's, else
 * the one in force) when the last message arrives; before that, to
 * VPCSNAT_MAX_TABLE_LIMIT.
 *
 * VPCSNAT_CMD_EXPLAIN
 * -------------------
 * Request:
 *
 *    VPCSNAT_A_SRC: NLA_BE32, source address of a new connection
 *    VPCSNAT_A_DST: NLA_BE32, destination address
 *    or, for an IPv6 connection, VPCSNAT_A_SRC6 and VPCSNAT_A_DST6 (16
 *    bytes each) in their place
 *    VPCSNAT_A_OIFNAME: NLA_NUL_STRING, optional egress interface name
 *    VPCSNAT_A_IIFNAME: NLA_NUL_STRING, optional interface the connection
 *                       arrives on (a pod's veth)
 *
 * Reply, computed by the same function the data path uses, with the local
 * address checks done against this network namespace:
 *
 *    VPCSNAT_A_REASON: NLA_U8, enum vpcsnat_reason
 *    VPCSNAT_A_CIDR: NLA_NESTED, the table entry that decided, if one did
 *    VPCSNAT_A_SNAT_IP: NLA_BE32, the address it would translate to (only
 *                       when it translates and snat_ip is not auto); for
 *                       IPv6, VPCSNAT_A_SNAT_IP6 and snat_ip6
 *    VPCSNAT_A_MARK_REASON: NLA_U8, enum vpcsnat_mark_reason: whether the
 *                           connection would be marked for the main table
 *    VPCSNAT_A_MARK: NLA_U32, the bits it would set (only when marked)
 *
 * VPCSNAT_CMD_WHO
 * ---------------
 * Which pod was behind a translated connection that is still in the
 * conntrack table of this netns. Request, as the server saw the connection:
 *
 *    VPCSNAT_A_PROTO: NLA_U8, the IP protocol
 *    VPCSNAT_A_NAT_SRC: NLA_BE32, the translated source (the node address)
 *    VPCSNAT_A_DST: NLA_BE32, the server address
 *    or, for an IPv6 connection, VPCSNAT_A_NAT_SRC6 and VPCSNAT_A_DST6 (16
 *    bytes each) in their place
 *    for TCP, UDP, UDP-Lite, SCTP and DCCP (and only for them):
 *        VPCSNAT_A_NAT_SPORT: NLA_BE16, the translated source port
 *        VPCSNAT_A_DPORT: NLA_BE16, the server port
 *    for ICMP over IPv4 and ICMPv6 over IPv6 (and only for them):
 *        VPCSNAT_A_NAT_ICMP_ID: NLA_BE16, the translated identifier
 *        VPCSNAT_A_ICMP_TYPE: NLA_U8, the request's type: one conntrack
 *                             tracks as a connection (echo, timestamp,
 *                             information or address mask request; for
 *                             ICMPv6 echo request or node information
 *                             query)
 *        VPCSNAT_A_ICMP_CODE: NLA_U8, optional, default 0
 *    VPCSNAT_A_ZONE: NLA_U16, optional: the conntrack zone, default 0
 *
 * Other protocols are looked up by address alone, as conntrack tracks them.
 * Reply: the event attributes below for that connection. EINVAL if an
 * attribute the protocol needs is missing or one it has no use for is
 * given; EOPNOTSUPP for a zone other than 0 on a kernel built without
 * conntrack zones. ENOENT (with an extended ACK message) if no connection
 * in the conntrack table has that reply direction; ENXIO if one has, but
 * its source was not translated (the node's own connection, or a
 * hostNetwork pod's).
 *
 * Multicast group VPCSNAT_MCGRP_EVENTS ("events")
 * -----------------------------------------------
 * One VPCSNAT_CMD_EVENT_TRANSLATED message per connection the module
 * translates, in the netns where it happened, sent only while the group has
 * listeners and never waited for: when a listener's socket buffer is full,
 * the message is lost for it and recv() there fails with ENOBUFS. The module
 * counts the loss in VPCSNAT_CTR_A_EVENTS_DROPPED when it learns of it: a
 * listener must set NETLINK_BROADCAST_ERROR for that (snatctl does).
 *
 *    VPCSNAT_A_PROTO: NLA_U8, the IP protocol
 *    VPCSNAT_A_SRC: NLA_BE32, the original source (the pod)
 *    VPCSNAT_A_NAT_SRC: NLA_BE32, the translated source
 *    VPCSNAT_A_DST: NLA_BE32, the destination the server is at (after any
 *                   DNAT, e.g. of a service)
 *    or, for an IPv6 connection, VPCSNAT_A_SRC6, VPCSNAT_A_NAT_SRC6 and
 *    VPCSNAT_A_DST6 (16 bytes each) in their place
 *    for TCP, UDP, UDP-Lite, SCTP and DCCP (and only for them; conntrack's
 *    CTA_PROTO_SRC_PORT and CTA_PROTO_DST_PORT):
 *        VPCSNAT_A_SPORT: NLA_BE16, the pod's source port
 *        VPCSNAT_A_NAT_SPORT: NLA_BE16, the translated source port
 *        VPCSNAT_A_DPORT: NLA_BE16, the server port
 *    for ICMP and ICMPv6 (and only for them; conntrack's CTA_PROTO_ICMP_*):
 *        VPCSNAT_A_ICMP_TYPE: NLA_U8, VPCSNAT_A_ICMP_CODE: NLA_U8, of the
 *                             pod's request (8, 0 for an echo request)
 *        VPCSNAT_A_ICMP_ID: NLA_BE16, the pod's identifier
 *        VPCSNAT_A_NAT_ICMP_ID: NLA_BE16, the translated identifier, the
 *                               one the server sees (NAT rewrites it as
 *                               it rewrites a source port)
 *    VPCSNAT_A_ZONE: NLA_U16, the conntrack zone of the reply direction,
 *                    the one WHO looks in (both directions' unless the zone
 *                    was set for the original direction only); 0 without
 *                    zones
 *    VPCSNAT_A_NETNS: NLA_U32, the inode number of the network namespace,
 *                     as in /proc/PID/ns/net
 *    VPCSNAT_A_CT_ID: NLA_U32, the conntrack id, as conntrack -L -o id
 *                     shows it
 *    VPCSNAT_A_TIMESTAMP: NLA_U64, nanoseconds since the epoch
 *                         (CLOCK_REALTIME); events only, not WHO replies
 */

#ifndef _UAPI_LINUX_VPCSNAT_H
#define _UAPI_LINUX_VPCSNAT_H

#define VPCSNAT_GENL_NAME "vpcsnat"
#define VPCSNAT_GENL_VERSION 1
#define VPCSNAT_MCGRP_EVENTS_NAME "events"

#define VPCSNAT_MAX_IFACE_PREFIXES 16	/* in a skip or a pod interface list */
#define VPCSNAT_MAX_SKIP_IFACES VPCSNAT_MAX_IFACE_PREFIXES
#define VPCSNAT_DEFAULT_POD_IFACE "eni"	/* the VPC CNI's envVethPrefixDefault */
#define VPCSNAT_DEFAULT_MARK 0x80	/* the VPC CNI's defaultConnmark */
#define VPCSNAT_IFACE_PREFIX_MAX 15	/* IFNAMSIZ - 1 */
#define VPCSNAT_DEFAULT_RANDOM VPCSNAT_RANDOM_PRNG
/*
 * CIDRs one REPLACE_CIDRS message may carry. An attribute's length is 16
 * bits: 2048 VPCSNAT_A_CIDR nests of 28 bytes fit in one VPCSNAT_A_CIDRS.
 */
#define VPCSNAT_MAX_CIDRS_PER_MSG 2048
/*
 * An IPv6 nest takes 40 bytes: a message whose entries are IPv6 fits at
 * most 1638 of them in VPCSNAT_A_CIDRS; senders split at this many.
 */
#define VPCSNAT_MAX_CIDRS6_PER_MSG 1024
#define VPCSNAT_DEFAULT_TABLE_LIMIT 1000000
#define VPCSNAT_MAX_TABLE_LIMIT 16000000

enum vpcsnat_cmd {
	VPCSNAT_CMD_UNSPEC,
	VPCSNAT_CMD_GET_CONFIG,
	VPCSNAT_CMD_SET_CONFIG,
	VPCSNAT_CMD_ADD_CIDR,
	VPCSNAT_CMD_DEL_CIDR,
	VPCSNAT_CMD_GET_CIDRS,
	VPCSNAT_CMD_FLUSH_CIDRS,
	VPCSNAT_CMD_REPLACE_CIDRS,
	VPCSNAT_CMD_EXPLAIN,
	VPCSNAT_CMD_WHO,
	VPCSNAT_CMD_EVENT_TRANSLATED,
	__VPCSNAT_CMD_MAX
};
#define VPCSNAT_CMD_MAX (__VPCSNAT_CMD_MAX - 1)

enum vpcsnat_attr {
	VPCSNAT_A_UNSPEC,
	VPCSNAT_A_ENABLED,
	VPCSNAT_A_EXTERNAL_SNAT,
	VPCSNAT_A_SNAT_IP,
	VPCSNAT_A_RANDOM,
	VPCSNAT_A_SKIP_IFACES,
	VPCSNAT_A_IFACE,
	VPCSNAT_A_TABLE_SIZE,
	VPCSNAT_A_TABLE_LIMIT,
	VPCSNAT_A_COUNTERS,
	VPCSNAT_A_CIDR,
	VPCSNAT_A_CIDRS,
	VPCSNAT_A_MORE,
	VPCSNAT_A_SRC,
	VPCSNAT_A_DST,
	VPCSNAT_A_OIFNAME,
	VPCSNAT_A_REASON,
	VPCSNAT_A_PROTO,
	VPCSNAT_A_SPORT,
	VPCSNAT_A_NAT_SRC,
	VPCSNAT_A_NAT_SPORT,
	VPCSNAT_A_DPORT,
	VPCSNAT_A_NETNS,
	VPCSNAT_A_CT_ID,
	VPCSNAT_A_TIMESTAMP,
	VPCSNAT_A_PAD,
	VPCSNAT_A_POD_IFACES,
	VPCSNAT_A_MARK,
	VPCSNAT_A_IIFNAME,
	VPCSNAT_A_MARK_REASON,
	/* Every protocol conntrack translates, and zones: WHO and events. */
	VPCSNAT_A_ZONE,
	VPCSNAT_A_ICMP_TYPE,
	VPCSNAT_A_ICMP_CODE,
	VPCSNAT_A_ICMP_ID,
	VPCSNAT_A_NAT_ICMP_ID,
	/* IPv6 */
	VPCSNAT_A_SNAT_IP6,
	VPCSNAT_A_TABLE6_SIZE,
	VPCSNAT_A_COUNTERS6,
	VPCSNAT_A_SRC6,
	VPCSNAT_A_DST6,
	VPCSNAT_A_NAT_SRC6,
	VPCSNAT_A_IPV6,
	__VPCSNAT_A_LAST
};
#define VPCSNAT_A_MAX (__VPCSNAT_A_LAST - 1)

enum vpcsnat_cidr_attr {
	VPCSNAT_CIDR_A_UNSPEC,
	VPCSNAT_CIDR_A_ADDR,
	VPCSNAT_CIDR_A_PREFIXLEN,
	VPCSNAT_CIDR_A_KIND,
	VPCSNAT_CIDR_A_HITS,
	VPCSNAT_CIDR_A_PAD,
	VPCSNAT_CIDR_A_ADDR6,
	__VPCSNAT_CIDR_A_LAST
};
#define VPCSNAT_CIDR_A_MAX (__VPCSNAT_CIDR_A_LAST - 1)

/* What a table entry says about destinations inside it. */
enum vpcsnat_kind {
	VPCSNAT_KIND_VPC,	/* a VPC CIDR: never translated */
	VPCSNAT_KIND_EXCLUDE,	/* an exclusion CIDR: never translated */
	VPCSNAT_KIND_SNAT,	/* translated, even inside a vpc/exclude prefix */
	__VPCSNAT_KIND_MAX
};
#define VPCSNAT_KIND_MAX (__VPCSNAT_KIND_MAX - 1)

enum vpcsnat_random {
	VPCSNAT_RANDOM_NONE,		/* no flag: keep the port if free */
	VPCSNAT_RANDOM_HASHRANDOM,	/* NF_NAT_RANGE_PROTO_RANDOM */
	VPCSNAT_RANDOM_PRNG,		/* NF_NAT_RANGE_PROTO_RANDOM_FULLY */
	__VPCSNAT_RANDOM_MAX
};
#define VPCSNAT_RANDOM_MAX (__VPCSNAT_RANDOM_MAX - 1)

/*
 * Why a new connection was, or was not, translated; checked in this order.
 * Only VPCSNAT_REASON_SNAT_ENTRY and VPCSNAT_REASON_NO_MATCH translate.
 */
enum vpcsnat_reason {
	VPCSNAT_REASON_DISABLED,	/* off in this netns; IPv6: or ipv6 off */
	VPCSNAT_REASON_EXTERNAL_SNAT,	/* external SNAT is on */
	VPCSNAT_REASON_SRC_LOCAL,	/* source is a node address (hostNetwork) */
	VPCSNAT_REASON_DST_LOCAL,	/* destination is a node address */
	VPCSNAT_REASON_SKIP_IFACE,	/* egress device matches a skip prefix */
	VPCSNAT_REASON_VPC,		/* destination in a vpc entry */
	VPCSNAT_REASON_EXCLUDE,		/* destination in an exclude entry */
	VPCSNAT_REASON_SNAT_ENTRY,	/* destination in a snat entry */
	VPCSNAT_REASON_NO_MATCH,	/* destination in no entry */
	__VPCSNAT_REASON_MAX
};
#define VPCSNAT_REASON_MAX (__VPCSNAT_REASON_MAX - 1)

/* Counter attribute for reason R is VPCSNAT_CTR_A_REASON(R); the others follow. */
enum vpcsnat_ctr_attr {
	VPCSNAT_CTR_A_UNSPEC,
	VPCSNAT_CTR_A_DISABLED,
	VPCSNAT_CTR_A_EXTERNAL_SNAT,
	VPCSNAT_CTR_A_SRC_LOCAL,
	VPCSNAT_CTR_A_DST_LOCAL,
	VPCSNAT_CTR_A_SKIP_IFACE,
	VPCSNAT_CTR_A_VPC,
	VPCSNAT_CTR_A_EXCLUDE,
	VPCSNAT_CTR_A_SNAT_ENTRY,
	VPCSNAT_CTR_A_NO_MATCH,
	VPCSNAT_CTR_A_FAILED,
	VPCSNAT_CTR_A_EVENTS_DROPPED,
	VPCSNAT_CTR_A_MARKED,
	__VPCSNAT_CTR_A_LAST
};
#define VPCSNAT_CTR_A_MAX (__VPCSNAT_CTR_A_LAST - 1)
#define VPCSNAT_CTR_A_REASON(r) ((r) + 1)

/*
 * Whether a new connection's packets are marked for the main table, and
 * why; the first that applies. Only VPCSNAT_MARK_SET marks.
 */
enum vpcsnat_mark_reason {
	VPCSNAT_MARK_OFF,		/* the mark setting is 0 */
	VPCSNAT_MARK_NOT_POD,		/* it does not arrive on a pod interface */
	VPCSNAT_MARK_NOT_TRANSLATED,	/* it is not translated (the reason says why) */
	VPCSNAT_MARK_SET,		/* marked */
	__VPCSNAT_MARK_MAX
};
#define VPCSNAT_MARK_MAX (__VPCSNAT_MARK_MAX - 1)

enum vpcsnat_mcgrp {
	VPCSNAT_MCGRP_EVENTS,
};

#endif /* _UAPI_LINUX_VPCSNAT_H */
