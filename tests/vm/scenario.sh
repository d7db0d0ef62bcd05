#!/bin/bash
# shellcheck disable=SC2317 # functions run through traps and wait_for
# shellcheck disable=SC2154 # netns_new names $pod, $node... by reference
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of pod egress SNAT on an EKS-like node, run as root inside
# the test VM:
#
#   tests/vm/run.sh -- tests/vm/scenario.sh [--backend vpcsnat|iptables] [--demo]
#
# --backend vpcsnat (default) configures the node with userspace/snatctl;
# --backend iptables installs the Amazon VPC CNI's own AWS-SNAT-CHAIN-0
# instead. Both must produce the same table: that is the parity proof with the
# chain vpcsnat replaces. --demo prints what each server saw instead of checks.
#
#   pod                    node                       vpcrouter
#  +---------------+      +------------------------+  +-------------------------------+
#  | eth0          |      | enipod0: no address    |  | r-node  10.0.0.1/24           |
#  | 10.0.1.10/32  +------+  10.0.1.10/32 dev      |  | 10.0.1.10/32 via 10.0.0.10    |
#  | default via   | veth |  enipod0 (like the CNI)|  | default via 10.0.3.2 (NAT gw) |
#  | 169.254.1.1,  |      | eth0 10.0.0.10/24      +--+                               |
#  | neighbour     |      |      10.0.0.11/24 (2nd)|  |                               |
#  | permanent     |      | default via 10.0.0.1   |  |                               |
#  +---------------+      | vpcsnat or AWS chain   |  |                               |
#                         +------------------------+  |                               |
#     samevpc (VPC 10.0.0.0/16)                       |                               |
#    +-------------------------+                      |                               |
#    | eth0 10.0.2.20/24 nginx +----------------------+ r-same  10.0.2.1/24           |
#    | default via 10.0.2.1    |                      |                               |
#    +-------------------------+                      |                               |
#     peer (connected VPC 172.31.0.0/16)              |                               |
#    +-------------------------+                      |                               |
#    | eth0 172.31.0.50/24     +----------------------+ r-peer  172.31.0.1/24         |
#    | 10.0.0.0/16 via         |                      |                               |
#    | 172.31.0.1; nginx       |                      |                               |
#    +-------------------------+                      |                               |
#     natgw                                           |                               |
#    +-----------------------------------+            |                               |
#    | priv 10.0.3.2/24                  +------------+ r-nat   10.0.3.1/24           |
#    | 10.0.0.0/16 via 10.0.3.1          |            +-------------------------------+
#    | pub 198.51.100.1/24, masquerades  |
#    | 10.0.0.0/16 out of pub            |     internet
#    |                                   |    +-------------------------------+
#    |                                   +----+ eth0 198.51.100.254/24        |
#    |                                   |    |      203.0.113.10/32 nginx    |
#    +-----------------------------------+    | no route back to 10.0.0.0/8   |
#                                             +-------------------------------+
#
# Every namespace name carries a random suffix; everything runs inside them.

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

backend=vpcsnat
demo=0
while [ $# -gt 0 ]; do
	case "$1" in
	--backend) [ $# -ge 2 ] || { echo "usage: $0 [--backend vpcsnat|iptables] [--demo]" >&2; exit 2; }
		backend=$2; shift 2 ;;
	--backend=*) backend=${1#--backend=}; shift ;;
	--demo) demo=1; shift ;;
	*) echo "usage: $0 [--backend vpcsnat|iptables] [--demo]" >&2; exit 2 ;;
	esac
done
case "$backend" in vpcsnat|iptables) ;; *) echo "unknown backend '$backend'" >&2; exit 2 ;; esac

pod_ip=10.0.1.10
node_ip=10.0.0.10
node_ip2=10.0.0.11
router_ip=10.0.0.1
vpc_cidr=10.0.0.0/16
peer_cidr=172.31.0.0/16

prefix="$backend: "
quiet=$demo

require_root
require_tools ip nginx curl nft ss dmesg conntrack
if [ "$backend" = vpcsnat ]; then
	require_tools modprobe insmod rmmod
	require_built "$snatctl"
	[ -e /sys/module/vpcsnat ] || require_built "$ko"
else
	require_tools iptables
fi
make_tmp vpcsnat-e2e

dmesg_start=$(dmesg | wc -l)

#
# Topology
#
netns_new pod
netns_new node
netns_new router vpcrouter

# pod <-> node, the VPC CNI way (lib.sh).
cni_pod "$pod" "$pod_ip" "$node" enipod0

# node <-> vpcrouter
veth "$node" eth0 "$router" r-node
ip -n "$node" addr add "$node_ip/24" dev eth0
ip -n "$node" addr add "$node_ip2/24" dev eth0
ip -n "$node" route add default via "$router_ip"
ip -n "$router" addr add "$router_ip/24" dev r-node
ip -n "$router" route add "$pod_ip/32" via "$node_ip"

# vpcrouter <-> samevpc, peer, natgw -> internet, and their nginx
vpc_world "$router" "$vpc_cidr" || exit 1

ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1

# A Kubernetes service's ClusterIP, DNATed by the node to the same-VPC server.
svc_ip=172.20.0.10
log_of[$svc_ip]=${log_of[$same_ip]}
declare -A name_of=([$same_ip]="same VPC" [$peer_ip]="connected VPC" [$inet_ip]="internet"
	[$svc_ip]="service ClusterIP (DNAT to $same_ip)")

# What an address is, for messages.
whose() {
	case "$1" in
	"$pod_ip") echo "$1 (pod IP)" ;;
	"$node_ip") echo "$1 (node IP)" ;;
	"$node_ip2") echo "$1 (node 2nd IP)" ;;
	"$natgw_ip") echo "$1 (NAT gw IP)" ;;
	*) echo "$1" ;;
	esac
}

# check_seen LABEL NS SERVER WANT_ADDR [WANT_AT_NATGW]
check_seen() {
	local label=$1 ns=$2 server=$3 want=$4 want_gw=${5:-} got
	request "$ns" "$server" || true
	if [ "$seen_addr" = "$want" ]; then
		pass "$label: ${name_of[$server]} server $server saw $(whose "$seen_addr")"
	else
		fail "$label: ${name_of[$server]} server $server saw $(whose "$seen_addr"), want $(whose "$want")"
	fi
	[ -n "$want_gw" ] && [ "$seen_port" != none ] || return 0
	got=$(natgw_got)
	if [ "$got" = "$want_gw" ]; then
		pass "$label: NAT gateway got that request from $(whose "$got")"
	else
		fail "$label: NAT gateway got that request from $(whose "${got:-nothing found in its conntrack}"), want $(whose "$want_gw")"
	fi
}

#
# Backends. A profile is: enabled, external SNAT, SNAT address, CIDR entries.
#
ctl() { node_snatctl "$@"; }
ipt() { ip netns exec "$node" iptables -w 5 "$@"; }

# configure ENABLED EXTERNAL SNAT_IP [CIDR KIND]...
configure() {
	local enabled=$1 external=$2 snat_ip=$3
	shift 3
	if [ "$backend" = vpcsnat ]; then
		ctl disable >/dev/null || return 1
		ctl cidr flush >/dev/null || return 1
		while [ $# -ge 2 ]; do
			ctl cidr add "$1" "$2" >/dev/null || return 1
			shift 2
		done
		ctl set snat-ip "$snat_ip" >/dev/null || return 1
		ctl set external-snat "$external" >/dev/null || return 1
		[ "$enabled" = on ] || return 0
		ctl enable >/dev/null || return 1
		return 0
	fi
	# The Amazon VPC CNI's chain, as it installs it.
	ipt -t nat -D POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0 2>/dev/null || true
	ipt -t nat -F AWS-SNAT-CHAIN-0 2>/dev/null || true
	ipt -t nat -X AWS-SNAT-CHAIN-0 2>/dev/null || true
	[ "$enabled" = on ] && [ "$external" = off ] || return 0
	ipt -t nat -N AWS-SNAT-CHAIN-0 || return 1
	ipt -t nat -A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0 || return 1
	while [ $# -ge 2 ]; do
		case "$2" in
		vpc) ipt -t nat -A AWS-SNAT-CHAIN-0 -d "$1" -m comment --comment "AWS SNAT CHAIN" -j RETURN || return 1 ;;
		exclude) ipt -t nat -A AWS-SNAT-CHAIN-0 -d "$1" -m comment --comment "AWS SNAT CHAIN EXCLUSION" -j RETURN || return 1 ;;
		*) fail "iptables backend: no equivalent for kind $2"; return 1 ;;
		esac
		shift 2
	done
	ipt -t nat -A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" \
		-m addrtype ! --dst-type LOCAL -j SNAT --to-source "$snat_ip" --random-fully ||
		{ fail "iptables: cannot install AWS-SNAT-CHAIN-0"; return 1; }
}

if [ "$backend" = vpcsnat ]; then
	if [ ! -e /sys/module/vpcsnat ]; then
		if load_vpcsnat; then
			pass "insmod $(basename "$ko")"
		else
			fail "cannot load $ko"
			exit 1
		fi
	fi
	if ctl status >/dev/null; then pass "snatctl status in the node netns"; fi
	ctl set random prng >/dev/null || true
fi

default_profile() { configure on off "$node_ip" "$vpc_cidr" vpc; }

#
# Demo: the table of what each server saw.
#
if [ "$demo" = 1 ]; then
	declare -A def ext
	default_profile || exit 1
	for s in "$same_ip" "$peer_ip" "$inet_ip"; do request "$pod" "$s" || true; def[$s]=$(whose "$seen_addr"); done
	def[natgw]=$(whose "$(natgw_got)")
	request "$node" "$peer_ip" --local-port 40123 || true
	host_seen="$(whose "$seen_addr") port $seen_port"
	configure on on "$node_ip" "$vpc_cidr" vpc || exit 1
	for s in "$same_ip" "$peer_ip" "$inet_ip"; do request "$pod" "$s" || true; ext[$s]=$(whose "$seen_addr"); done
	ext[natgw]=$(whose "$(natgw_got)")
	echo
	echo "Backend: $backend. Pod $pod_ip on node $node_ip, VPC $vpc_cidr; what each server saw:"
	echo
	printf '  %-36s %-26s %s\n' "destination" "default" "external SNAT on"
	printf '  %-36s %-26s %s\n' "-----------" "-------" "----------------"
	for s in "$same_ip" "$peer_ip" "$inet_ip"; do
		case "$s" in
		"$same_ip") d="same VPC $s" ;;
		"$peer_ip") d="connected VPC $s" ;;
		*) d="internet $s via NAT gw" ;;
		esac
		printf '  %-36s %-26s %s\n' "$d" "${def[$s]}" "${ext[$s]}"
	done
	printf '  %-36s %-26s %s\n' "  (the NAT gw got it from)" "${def[natgw]}" "${ext[natgw]}"
	echo
	echo "  hostNetwork (node, source port 40123) -> connected VPC: $host_seen"
	echo
	exit 0
fi

#
# Checks
#
if default_profile; then
	check_seen "default" "$pod" "$same_ip" "$pod_ip"
	check_seen "default" "$pod" "$peer_ip" "$node_ip"
	check_seen "default" "$pod" "$inet_ip" "$natgw_ip" "$node_ip"

	# hostNetwork traffic: the node's own address and source port, untouched.
	hport=40123
	request "$node" "$peer_ip" --local-port "$hport" || true
	if [ "$seen_addr" = "$node_ip" ]; then
		pass "hostNetwork: connected VPC server saw $(whose "$seen_addr")"
	else
		fail "hostNetwork: connected VPC server saw $(whose "$seen_addr"), want $(whose "$node_ip")"
	fi
	if [ "$seen_port" = "$hport" ]; then
		pass "hostNetwork: source port $hport kept"
	elif [ "$backend" = iptables ] && [ "$seen_addr" = "$node_ip" ]; then
		# The real chain SNATs the node's own traffic too, to the same
		# address, and --random-fully picks a new port: not a parity target.
		skip "hostNetwork: source port $hport became $seen_port (the AWS chain's --random-fully rewrites it)"
	else
		fail "hostNetwork: source port $hport became $seen_port"
	fi

	# kube-proxy DNATs a service's ClusterIP before POSTROUTING: the
	# destination on the wire, in the VPC, decides, as iptables' -d does.
	dnat=(PREROUTING -d "$svc_ip" -p tcp --dport 80 -j DNAT --to-destination "$same_ip:80")
	if ipt -t nat -A "${dnat[@]}"; then
		check_seen "default" "$pod" "$svc_ip" "$pod_ip"
		ipt -t nat -D "${dnat[@]}"
	else
		fail "cannot add the service's DNAT rule"
	fi
fi

if configure on on "$node_ip" "$vpc_cidr" vpc; then
	check_seen "external SNAT on" "$pod" "$same_ip" "$pod_ip"
	check_seen "external SNAT on" "$pod" "$peer_ip" "$pod_ip"
	check_seen "external SNAT on" "$pod" "$inet_ip" "$natgw_ip" "$pod_ip"
fi

if default_profile; then
	check_seen "external SNAT off again" "$pod" "$peer_ip" "$node_ip"
fi

if configure on off "$node_ip" "$vpc_cidr" vpc "$peer_cidr" exclude; then
	check_seen "exclude $peer_cidr" "$pod" "$peer_ip" "$pod_ip"
	check_seen "exclude $peer_cidr" "$pod" "$inet_ip" "$natgw_ip" "$node_ip"
fi

if [ "$backend" = iptables ]; then
	skip "snat 10.0.2.0/24 inside vpc $vpc_cidr: the AWS chain has no equivalent"
elif configure on off "$node_ip" "$vpc_cidr" vpc 10.0.2.0/24 snat; then
	check_seen "snat 10.0.2.0/24 inside vpc $vpc_cidr" "$pod" "$same_ip" "$node_ip"
	check_seen "snat 10.0.2.0/24 inside vpc $vpc_cidr" "$pod" "$peer_ip" "$node_ip"
fi

if configure on off "$node_ip2" "$vpc_cidr" vpc; then
	check_seen "snat-ip $node_ip2" "$pod" "$peer_ip" "$node_ip2"
fi

if [ "$backend" = iptables ]; then
	skip "snat-ip auto: the AWS chain always names the address"
elif configure on off auto "$vpc_cidr" vpc; then
	check_seen "snat-ip auto (primary of eth0)" "$pod" "$peer_ip" "$node_ip"
	check_seen "snat-ip auto (primary of eth0)" "$pod" "$inet_ip" "$natgw_ip" "$node_ip"
fi

if configure off off "$node_ip" "$vpc_cidr" vpc; then
	check_seen "disabled" "$pod" "$peer_ip" "$pod_ip"
fi

if default_profile; then
	check_seen "default again" "$pod" "$peer_ip" "$node_ip"
fi

if [ "$requests" -gt 0 ] && [ "$answered" = "$requests" ]; then
	pass "replies reached the client for all $requests requests"
else
	fail "replies reached the client for $answered of $requests requests"
fi

big_bytes() { stat -c %s "$tmp/big.out" 2>/dev/null || echo 0; }
receiving() { [ "$(big_bytes)" -gt 0 ]; }
grew_past() { [ "$(big_bytes)" -gt "$1" ]; }
# download_big: /big from the peer in the background (64 KiB/s), translated
# under the default profile; waits until it receives.
download_big() {
	rm -f "$tmp/big.out"
	ip netns exec "$pod" curl -sS --max-time 120 -o "$tmp/big.out" "http://$peer_ip/big" 2>/dev/null &
	bg_pid=$!
	wait_for 15 receiving
}
stop_download() {
	kill "$bg_pid" 2>/dev/null || true
	wait "$bg_pid" 2>/dev/null || true
	bg_pid=
}
bg_pid=
on_exit stop_download

# Disable while a translated connection is open: like any change, it
# concerns new connections. The open one keeps its translation; were the
# NAT hooks to leave with it, its packets would go out from the pod address
# and the peer's replies to the node address be refused.
if [ "$backend" = iptables ]; then
	skip "disable with an open connection: vpcsnat only"
elif ! default_profile || ! download_big; then
	fail "disable with an open connection: the download from the peer did not start"
	stop_download
else
	ctl disable >/dev/null || true
	at=$(big_bytes)
	if wait_for 15 grew_past $((at + 128 * 1024)); then
		pass "disable with a translated connection open: it goes on ($at bytes when disabled, $(big_bytes) now)"
	else
		fail "disable with a translated connection open: it stalled at $(big_bytes) bytes ($at when disabled)"
	fi
	check_seen "disabled with a connection open, a new one" "$pod" "$peer_ip" "$pod_ip"
	stop_download
	ctl enable >/dev/null || true
fi

# Unload while a translated connection is open.
if [ "$backend" = iptables ]; then
	skip "rmmod with an open connection: vpcsnat only"
else
	if ! download_big; then
		fail "rmmod with an open connection: the download from the peer did not start"
	else
		ct=$(ip netns exec "$node" conntrack -L -p tcp --dport 80 -d "$peer_ip" 2>/dev/null | grep -c ESTABLISHED || true)
		if rmmod vpcsnat; then
			pass "rmmod vpcsnat with a translated connection open ($ct in conntrack, $(big_bytes) bytes received)"
		else
			fail "rmmod vpcsnat with a translated connection open"
		fi
		at=$(big_bytes)
		if wait_for 5 grew_past "$at"; then
			echo "note: the open download went on after rmmod ($(big_bytes) bytes)"
		else
			echo "note: the open download stalled after rmmod at $at bytes"
		fi
		if [ ! -e /sys/kernel/vpcsnat ]; then
			pass "rmmod: /sys/kernel/vpcsnat is gone"
		else
			fail "rmmod: /sys/kernel/vpcsnat is still there"
		fi
	fi
	stop_download
fi

kernel_log_clean "$dmesg_start"

echo "note: $backend scenario took $SECONDS s"
finish
