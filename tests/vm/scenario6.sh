#!/bin/bash
# shellcheck disable=SC2317 # functions run through traps and wait_for
# shellcheck disable=SC2154 # netns_new names $pod, $node... by reference
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of pod egress SNAT for IPv6 (issue #15) on a dual-stack
# EKS-like node, run as root inside the test VM:
#
#   tests/vm/run.sh -- tests/vm/scenario6.sh
#
# The IPv4 scenario (scenario.sh) with an IPv6 address on every interface:
# what each server sees of a pod's IPv6 connections, by default and with
# external SNAT on, the node's own (hostNetwork) connections, and one IPv4
# check in the same run, so that an IPv6 change that breaks IPv4 is caught.
# There is no NAT gateway nor internet server here: AWS has no NAT gateway
# for IPv6 (a VPC's IPv6 addresses are global; an egress-only internet
# gateway only keeps inbound connections out), so the node's translation is
# the only one a pod's IPv6 connection ever gets.
#
# Three phases: ipv6 off (the default: IPv6 is left alone, IPv4 is still
# translated), ipv6 on (the connected VPC's server sees the node's IPv6
# address, the same VPC's the pod's), and ipv6 on with external SNAT on.
#
#   pod                     node                          vpcrouter
#  +-----------------+     +---------------------------+ +--------------------------------+
#  | eth0            |     | enipod0: its fe80:: only  | | r-node 10.0.0.1/24             |
#  | 10.0.1.10/32    +-----+ 10.0.1.10/32 dev enipod0  | |        2600:1f14:aa::1/64      |
#  | 2600:1f14:aa:1::|veth | 2600:1f14:aa:1::10/128    | | 10.0.1.10/32 via 10.0.0.10     |
#  |   10/128        |     |   dev enipod0             | | 2600:1f14:aa:1::10/128         |
#  | default via     |     | eth0 10.0.0.10/24         +-+   via 2600:1f14:aa::10         |
#  | 169.254.1.1     |     |      2600:1f14:aa::10/64  | |                                |
#  | (permanent      |     | default via 10.0.0.1,     | |                                |
#  | neighbour) and  |     |   via 2600:1f14:aa::1     | |                                |
#  | via fe80:: of   |     | vpcsnat; curl from here   | |                                |
#  | enipod0         |     | = hostNetwork             | |                                |
#  +-----------------+     +---------------------------+ |                                |
#     samevpc (VPC 10.0.0.0/16, 2600:1f14:aa::/56)       |                                |
#    +-------------------------------+                   |                                |
#    | eth0 10.0.2.20/24             +-------------------+ r-same 10.0.2.1/24             |
#    |      2600:1f14:aa:2::20/64    |                   |        2600:1f14:aa:2::1/64    |
#    | default via 10.0.2.1,         |                   |                                |
#    |   via 2600:1f14:aa:2::1       |                   |                                |
#    +-------------------------------+                   |                                |
#     peer (connected VPC 172.31.0.0/16, 2600:1f28:bb::/56)                               |
#    +-------------------------------+                   |                                |
#    | eth0 172.31.0.50/24           +-------------------+ r-peer 172.31.0.1/24           |
#    |      2600:1f28:bb::50/64      |                   |        2600:1f28:bb::1/64      |
#    | 10.0.0.0/16 via 172.31.0.1,   |                   +--------------------------------+
#    | 2600:1f14:aa::/56 via         |
#    |   2600:1f28:bb::1             |
#    +-------------------------------+
#
# Each server is an nginx listening on its IPv4 address and [::]:80 and
# logging "$remote_addr $remote_port $request_uri" (lib.sh's request reads
# it). Duplicate address detection is off in every namespace (accept_dad=0,
# and nodad on each address), so no address is tentative; the script still
# waits, bounded, until none is. Every namespace name carries a random
# suffix; everything runs inside them.

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }

pod_ip=10.0.1.10
node_ip=10.0.0.10
router_ip=10.0.0.1
vpc_cidr=10.0.0.0/16
# $same_ip and $peer_ip (10.0.2.20, 172.31.0.50) are lib.sh's.
pod6=2600:1f14:aa:1::10		# in the VPC's /56, routed to the node
node6=2600:1f14:aa::10		# the node's primary ENI, subnet 2600:1f14:aa::/64
router6=2600:1f14:aa::1
vpc6=2600:1f14:aa::/56		# the VPC's IPv6 CIDR
same6=2600:1f14:aa:2::20	# a server in the same VPC, subnet 2600:1f14:aa:2::/64
same6_gw=2600:1f14:aa:2::1
peer6=2600:1f28:bb::50		# in the connected VPC's 2600:1f28:bb::/56, subnet /64
peer6_gw=2600:1f28:bb::1
hport=40123			# hostNetwork's source port, to be kept

prefix="v6: "

require_root
require_tools ip nginx curl ss dmesg modprobe insmod
require_built "$snatctl"
[ -e /sys/module/vpcsnat ] || require_built "$ko"
[ -d /proc/sys/net/ipv6 ] || skip_all "this kernel has no IPv6"
make_tmp vpcsnat-e2e6

dmesg_start=$(dmesg | wc -l)

#
# Topology
#
netns_new pod
netns_new node
netns_new router vpcrouter
netns_new same samevpc
netns_new peer
all_ns=("$pod" "$node" "$router" "$same" "$peer")

# No duplicate address detection: set before the veths arrive, so that their
# link-local addresses are not tentative either (a device moved into a
# namespace takes that namespace's defaults).
for ns in "${all_ns[@]}"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done

# pod <-> node, the VPC CNI way: a /32 and a /128 in the pod; IPv4 through a
# link-local gateway with a permanent neighbour entry, IPv6 through the host
# side's own link-local address; host routes on the host side.
cni_pod "$pod" "$pod_ip" "$node" enipod0
ip -n "$pod" -6 addr add "$pod6/128" dev eth0 nodad
ip -n "$node" -6 route add "$pod6/128" dev enipod0
# enipod0's link-local address comes when the kernel sees the carrier
# (linkwatch, up to a second).
host_ll() { host_ll=$(ip -n "$node" -6 -o addr show dev enipod0 scope link | sed -n 's/.* inet6 \(fe80:[0-9a-f:]*\)\/64 .*/\1/p'); [ -n "$host_ll" ]; }
if ! wait_for 10 host_ll; then
	fail "enipod0 in the node has no IPv6 link-local address after 10 s: $(ip -n "$node" -6 addr show dev enipod0 | tr '\n' ' ')"
	exit 1
fi
ip -n "$pod" -6 route add default via "$host_ll" dev eth0

# node <-> vpcrouter
veth "$node" eth0 "$router" r-node
ip -n "$node" addr add "$node_ip/24" dev eth0
ip -n "$node" -6 addr add "$node6/64" dev eth0 nodad
ip -n "$node" route add default via "$router_ip"
ip -n "$node" -6 route add default via "$router6"
ip -n "$router" addr add "$router_ip/24" dev r-node
ip -n "$router" -6 addr add "$router6/64" dev r-node nodad
ip -n "$router" route add "$pod_ip/32" via "$node_ip"
# The VPC routes the pod's prefix to the node (a prefix delegated to its ENI).
ip -n "$router" -6 route add "$pod6/128" via "$node6"

# vpcrouter <-> samevpc
veth "$router" r-same "$same" eth0
ip -n "$router" addr add 10.0.2.1/24 dev r-same
ip -n "$router" -6 addr add "$same6_gw/64" dev r-same nodad
ip -n "$same" addr add "$same_ip/24" dev eth0
ip -n "$same" -6 addr add "$same6/64" dev eth0 nodad
ip -n "$same" route add default via 10.0.2.1
ip -n "$same" -6 route add default via "$same6_gw"

# vpcrouter <-> peer: the connected VPC routes the VPC's CIDRs back.
veth "$router" r-peer "$peer" eth0
ip -n "$router" addr add 172.31.0.1/24 dev r-peer
ip -n "$router" -6 addr add "$peer6_gw/64" dev r-peer nodad
ip -n "$peer" addr add "$peer_ip/24" dev eth0
ip -n "$peer" -6 addr add "$peer6/64" dev eth0 nodad
ip -n "$peer" route add "$vpc_cidr" via 172.31.0.1
ip -n "$peer" -6 route add "$vpc6" via "$peer6_gw"

for ns in "$node" "$router"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done

no_tentative() {
	local ns
	for ns in "${all_ns[@]}"; do
		[ -z "$(ip -n "$ns" -6 addr show tentative)" ] || return 1
	done
}
if ! wait_for 10 no_tentative; then
	fail "IPv6 addresses still tentative after 10 s: $(for ns in "${all_ns[@]}"; do ip -n "$ns" -6 -o addr show tentative; done | tr '\n' ' ')"
	exit 1
fi

# server NS NAME ADDR ADDR6: an nginx in NS on ADDR:80 and [::]:80.
declare -A log_of=()
server() {
	# shellcheck disable=SC2016 # nginx's variables
	if ! start_nginx "$1" "$3 [::]" "$tmp/$2" '$remote_addr $remote_port $request_uri'; then
		fail "nginx in $2 did not listen on $3:80 and [::]:80 within 15 s"
		exit 1
	fi
	log_of[$3]=$tmp/$2/access.log
	log_of[$4]=$tmp/$2/access.log
}
server "$same" samevpc "$same_ip" "$same6"
server "$peer" peer "$peer_ip" "$peer6"
declare -A name_of=([$same6]="same VPC" [$peer6]="connected VPC" [$peer_ip]="connected VPC (IPv4)")

# What an address is, for messages.
whose() {
	case "$1" in
	"$pod_ip"|"$pod6") echo "$1 (pod IP)" ;;
	"$node_ip"|"$node6") echo "$1 (node IP)" ;;
	*) echo "$1" ;;
	esac
}

# check_seen LABEL NS SERVER WANT_ADDR
check_seen() {
	local label=$1 ns=$2 server=$3 want=$4
	request "$ns" "$server" || true
	if [ "$seen_addr" = "$want" ]; then
		pass "$label: ${name_of[$server]} server $server saw $(whose "$seen_addr")"
	else
		fail "$label: ${name_of[$server]} server $server saw $(whose "$seen_addr"), want $(whose "$want")"
	fi
}

#
# The module and its configuration
#
ctl() { node_snatctl "$@"; }

# counters6 WHAT FILTER: snatctl status --json satisfies the jq FILTER.
counters6() {
	local json

	if ! command -v jq >/dev/null; then
		skip "status --json: $1 (no jq)"
	elif ! json=$(ip netns exec "$node" "$snatctl" status --json 2>&1); then
		fail "snatctl status --json: $json"
	elif jq -e "$2" >/dev/null <<<"$json"; then
		pass "status --json: $1: $(jq -c .counters6 <<<"$json")"
	else
		fail "status --json: $1: $(jq -c '{counters6, counters}' <<<"$json" 2>&1)"
	fi
}

# configure IPV6 EXTERNAL: the node's settings, both families; ipv6 and
# external SNAT on|off.
configure() {
	ctl disable >/dev/null || return 1
	ctl cidr flush >/dev/null || return 1
	ctl cidr add "$vpc_cidr" vpc >/dev/null || return 1
	ctl cidr add "$vpc6" vpc >/dev/null || return 1
	ctl set snat-ip "$node_ip" snat-ip6 auto >/dev/null || return 1
	ctl set random prng ipv6 "$1" external-snat "$2" >/dev/null || return 1
	ctl enable >/dev/null
}

if [ ! -e /sys/module/vpcsnat ]; then
	if load_vpcsnat; then
		pass "insmod $(basename "$ko")"
	else
		fail "cannot load $ko"
		exit 1
	fi
fi
echo "note: IPv6 NAT core: $(for m in nf_nat nf_conntrack nf_defrag_ipv6; do
	[ -e "/sys/module/$m" ] && printf '%s ' "$m" || printf '(no %s) ' "$m"; done)"

#
# Checks
#
if configure off off; then
	check_seen "ipv6 off, IPv6 pod" "$pod" "$peer6" "$pod6"
	# IPv4 beside it, as scenario.sh checks it.
	check_seen "ipv6 off, IPv4 pod" "$pod" "$peer_ip" "$node_ip"
	# Not even looked at: the IPv6 hooks come with ipv6 on.
	counters6 "ipv6 off: no IPv6 connection decided (no IPv6 hook yet)" \
		'[.counters6[]] | add == 0'
fi

if configure on off; then
	check_seen "ipv6 on, IPv6 pod" "$pod" "$same6" "$pod6"
	# snat-ip6 auto: the address MASQUERADE picks on eth0, the node's.
	check_seen "ipv6 on, IPv6 pod" "$pod" "$peer6" "$node6"
	check_seen "ipv6 on, IPv4 pod" "$pod" "$peer_ip" "$node_ip"

	# hostNetwork: the node's own address and source port, untouched.
	request "$node" "$peer6" --local-port "$hport" || true
	if [ "$seen_addr" = "$node6" ] && [ "$seen_port" = "$hport" ]; then
		pass "hostNetwork IPv6: connected VPC server $peer6 saw $(whose "$seen_addr") port $seen_port, the source port kept"
	else
		fail "hostNetwork IPv6: connected VPC server $peer6 saw $(whose "$seen_addr") port $seen_port, want $(whose "$node6") port $hport"
	fi
fi

# The IPv6 twin of the rule routing.sh checks: a pod's own rule (the VPC
# CNI's "from POD lookup <ENI's table>", priority 1536) sends its packets to
# a table the connected VPC is not reachable by; the connections vpcsnat
# translates carry the mark, and "fwmark 0x80/0x80 lookup main priority
# 1024" (ip -6 rule) routes them by the main table all the same.
rule6_count() { # LABEL WANT
	local n
	n=$(rules_1024 -6)
	[ "$n" = "$2" ] && pass "$1: $n IPv6 1024 rules" ||
		fail "$1: $n IPv6 1024 rules, want $2: $(ip -n "$node" -6 rule show priority 1024 | tr '\n' ' ')"
}
# peer6_fails LABEL: the pod's request to the connected VPC gets no answer.
peer6_fails() {
	if ip netns exec "$pod" curl -sS -o /dev/null --connect-timeout 5 --max-time 10 \
		"http://[$peer6]/unrouted" 2>/dev/null; then
		fail "$1: the request to the connected VPC was answered"
	else
		pass "$1: the request to the connected VPC fails"
	fi
}
pod_eni_rule() { # add|del
	ip -n "$node" -6 rule "$1" from "$pod6" lookup 2 priority 1536
	if [ "$1" = add ]; then
		ip -n "$node" -6 route add "$vpc6" via "$router6" dev eth0 table 2
		ip -n "$node" -6 route add unreachable default table 2
	else
		ip -n "$node" -6 route flush table 2
	fi
}

if configure on off; then
	rule6_count "ipv6 on" 1
	ctl status >"$tmp/status" 2>&1
	grep -qx 'ipv6 rule: fwmark 0x80/0x80 lookup main priority 1024: in place' "$tmp/status" &&
		pass "status: the IPv6 rule is in place" || fail "status: $(grep 'rule:' "$tmp/status" | tr '\n' ' ')"
	pod_eni_rule add
	check_seen "the pod's rule, ipv6 on, IPv6 pod" "$pod" "$peer6" "$node6"
	check_seen "the pod's rule, ipv6 on, IPv6 pod" "$pod" "$same6" "$pod6"
	# The control: without the 1024 rule the pod's table decides.
	ip -n "$node" -6 rule del fwmark 0x80/0x80 lookup main priority 1024
	peer6_fails "the IPv6 1024 rule deleted by hand"
	ctl status >"$tmp/status" 2>&1
	grep -qx 'ipv6 rule: fwmark 0x80/0x80 lookup main priority 1024: missing' "$tmp/status" &&
		pass "status: the IPv6 rule is missing" || fail "status: $(grep 'rule:' "$tmp/status" | tr '\n' ' ')"
	ctl set ipv6 on >/dev/null
	rule6_count "set ipv6 on again" 1
	check_seen "the IPv6 rule restored" "$pod" "$peer6" "$node6"
	pod_eni_rule del
	ctl set ipv6 off >/dev/null
	rule6_count "ipv6 off" 0
	# IPv4's is not IPv6's: it stays.
	[ "$(rules_1024)" = 1 ] &&
		pass "ipv6 off: IPv4's 1024 rule stays" || fail "ipv6 off: $(ip -n "$node" rule show priority 1024)"
fi

if configure on on; then
	check_seen "external SNAT on, IPv6 pod" "$pod" "$peer6" "$pod6"
	rule6_count "external SNAT on" 0
fi

# Each IPv6 connection counted by its reason, apart from IPv4's: to the
# same VPC, translated (no entry), hostNetwork, external SNAT.
counters6 "IPv6 connections counted by reason, apart from IPv4's" \
	'.counters6.vpc >= 1 and .counters6.no_match >= 1 and
	 .counters6.src_local >= 1 and .counters6.external_snat >= 1'

if [ "$requests" -gt 0 ] && [ "$answered" = "$requests" ]; then
	pass "replies reached the client for all $requests requests"
else
	fail "replies reached the client for $answered of $requests requests"
fi

kernel_log_clean "$dmesg_start"

echo "note: IPv6 scenario took $SECONDS s"
finish
