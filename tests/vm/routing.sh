#!/bin/bash
# shellcheck disable=SC2317 # functions run through wait_for and on_exit
# SPDX-License-Identifier: GPL-2.0
#
# The routing half of the VPC CNI's SNAT, inside the test VM: a node with
# two ENIs into a VPC router that enforces the source/destination check,
# pods on each ENI with the CNI's own per-pod rules
# (cmd/routed-eni-cni-plugin/driver/driver.go: 512 "to POD lookup main",
# 1536 "from POD lookup <ENI's table>" for a secondary ENI's pod).
#
#   tests/vm/routing.sh [--backend vpcsnat|cni]
#
# --backend vpcsnat configures the node with snatctl (the SNAT, the mark
# and the 1024 rule); --backend cni installs the VPC CNI's three pieces
# instead (pkg/networkutils/network.go: AWS-SNAT-CHAIN-0,
# AWS-CONNMARK-CHAIN-0 with its restore rules, "fwmark 0x80/0x80 lookup
# main priority 1024"). Both must give every server the same view and the
# router no drop. vpcsnat alone also checks: with mark none, the secondary
# ENI's pod loses its off-VPC traffic (the bug this fixes); a user's own
# SNAT rule wins whatever the order the two were loaded in; the migration
# warning; one 1024 rule, the CNI's reused.
#
#   podA 10.0.0.30 -- eniA \                          vpcrouter
#   podB 10.0.4.30 -- eniB -- node  eth0 10.0.0.10/24 -- r-eni0 10.0.0.1  (ENI 0 owns .10 .11 .30)
#                                   eth1 10.0.4.20/24 -- r-eni1 10.0.4.1  (ENI 1 owns .20 .30)
#                             main: default via 10.0.0.1
#                             table 2: default via 10.0.4.1 dev eth1
#   samevpc 10.0.2.20, peer 172.31.0.50 (connected VPC), natgw (masquerades
#   10.0.0.0/16) -> internet 203.0.113.10: each behind the router, nginx.
#   The router drops (and counts) a packet whose source the ENI it came
#   from does not own.

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

backend=vpcsnat
case "${1-}" in
"") ;;
--backend) backend=${2-} ;;
--backend=*) backend=${1#--backend=} ;;
*) echo "usage: $0 [--backend vpcsnat|cni]" >&2; exit 2 ;;
esac
case "$backend" in vpcsnat|cni) ;; *) echo "unknown backend '$backend'" >&2; exit 2 ;; esac
prefix="routing $backend: "

require_root
require_tools ip nft nginx curl conntrack iptables
[ "$backend" = cni ] || require_built "$snatctl" "$ko"
make_tmp vpcsnat-routing
dmesg_start=$(dmesg | wc -l)

node_ip=10.0.0.10 node_ip2=10.0.0.11 eni1_ip=10.0.4.20
pod_a=10.0.0.30 pod_b=10.0.4.30
vpc_cidr=10.0.0.0/16

for n in node router poda podb; do
	netns_new "$n"
done

# A pod the CNI's way: /32, link-local gateway, a /32 route on the host.
pod_link() { # NS ADDR HOSTIF
	cni_pod "$1" "$2" "$node" "$3"
	ip -n "$node" rule add to "$2" lookup main priority 512
}
pod_link "$poda" "$pod_a" eniA
pod_link "$podb" "$pod_b" eniB
ip -n "$node" rule add from "$pod_b" lookup 2 priority 1536

veth "$node" eth0 "$router" r-eni0
veth "$node" eth1 "$router" r-eni1
ip -n "$node" addr add "$node_ip/24" dev eth0
ip -n "$node" addr add "$node_ip2/24" dev eth0
ip -n "$node" addr add "$eni1_ip/24" dev eth1
ip -n "$node" route add default via 10.0.0.1
ip -n "$node" route add 10.0.4.0/24 dev eth1 table 2
ip -n "$node" route add default via 10.0.4.1 dev eth1 table 2
ip -n "$router" addr add 10.0.0.1/24 dev r-eni0
ip -n "$router" addr add 10.0.4.1/24 dev r-eni1
ip -n "$router" route add "$pod_a/32" via "$node_ip"
ip -n "$router" route add "$pod_b/32" via "$eni1_ip"

vpc_world "$router" "$vpc_cidr" || finish
# The VPC's source/destination check: an ENI sends only from what it owns.
ip netns exec "$router" nft -f - <<EOF
table ip vpc {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "r-eni0" ip saddr != { $node_ip, $node_ip2, $pod_a } counter drop
		iifname "r-eni1" ip saddr != { $eni1_ip, $pod_b } counter drop
	}
}
EOF
ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
# As the CNI sets it: replies to a secondary ENI's pod come back on eth1.
for i in all eth0 eth1; do
	ip netns exec "$node" sysctl -qw "net.ipv4.conf.$i.rp_filter=2"
done

router_drops() {
	ip netns exec "$router" nft list table ip vpc |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}

# expect LABEL NS SERVER WANT: the server saw WANT.
expect() {
	request "$2" "$3" || true
	if [ "$seen_addr" = "$4" ]; then
		pass "$1: $3 saw $seen_addr"
	else
		fail "$1: $3 saw $seen_addr, want $4"
	fi
}

# The view of the article's table, for both pods; then no drop.
view() { # LABEL EXTERNAL(on|off)
	local drops a_peer=$node_ip b_peer=$node_ip a_gw=$node_ip b_gw=$node_ip
	drops=$(router_drops)
	if [ "$2" = on ]; then
		a_peer=$pod_a b_peer=$pod_b a_gw=$pod_a b_gw=$pod_b
	fi
	ip netns exec "$node" conntrack -F 2>/dev/null || true
	expect "$1: pod on the primary ENI" "$poda" "$same_ip" "$pod_a"
	expect "$1: pod on the primary ENI" "$poda" "$peer_ip" "$a_peer"
	expect "$1: pod on the primary ENI" "$poda" "$inet_ip" "$natgw_ip"
	[ "$(natgw_got)" = "$a_gw" ] && pass "$1: the NAT gateway got podA's request from $a_gw" ||
		fail "$1: the NAT gateway got podA's request from $(natgw_got), want $a_gw"
	expect "$1: pod on the secondary ENI" "$podb" "$same_ip" "$pod_b"
	expect "$1: pod on the secondary ENI" "$podb" "$peer_ip" "$b_peer"
	expect "$1: pod on the secondary ENI" "$podb" "$inet_ip" "$natgw_ip"
	[ "$(natgw_got)" = "$b_gw" ] && pass "$1: the NAT gateway got podB's request from $b_gw" ||
		fail "$1: the NAT gateway got podB's request from $(natgw_got), want $b_gw"
	if [ "$(router_drops)" = "$drops" ]; then
		pass "$1: the VPC router dropped nothing"
	else
		fail "$1: the VPC router dropped $(($(router_drops) - drops)) packets"
	fi
}

ctl() { ip netns exec "$node" "$snatctl" "$@"; }
ipt() { ip netns exec "$node" iptables -w 5 "$@"; }

# The VPC CNI's three pieces, as network.go builds them (external SNAT off).
cni_pieces() { # add|del
	local op=-A
	if [ "$1" = del ]; then
		ipt -t nat -D POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
		ipt -t nat -F AWS-SNAT-CHAIN-0; ipt -t nat -X AWS-SNAT-CHAIN-0
		ipt -t nat -D PREROUTING -i eni+ -m comment --comment "AWS, outbound connections" -j AWS-CONNMARK-CHAIN-0
		ipt -t nat -D PREROUTING -m comment --comment "AWS, CONNMARK" -j CONNMARK --restore-mark --mask 0x80
		ipt -t nat -F AWS-CONNMARK-CHAIN-0; ipt -t nat -X AWS-CONNMARK-CHAIN-0
		ipt -t mangle -D PREROUTING -m comment --comment "AWS, primary ENI" -i eni+ -j CONNMARK --restore-mark --mask 0x80
		ip -n "$node" rule del fwmark 0x80/0x80 lookup main priority 1024
		return 0
	fi
	ipt -t nat -N AWS-SNAT-CHAIN-0
	ipt -t nat $op POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
	ipt -t nat $op AWS-SNAT-CHAIN-0 -d "$vpc_cidr" -m comment --comment "AWS SNAT CHAIN" -j RETURN
	ipt -t nat $op AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" \
		-m addrtype ! --dst-type LOCAL -j SNAT --to-source "$node_ip" --random-fully
	ipt -t nat -N AWS-CONNMARK-CHAIN-0
	ipt -t nat $op PREROUTING -i eni+ -m comment --comment "AWS, outbound connections" -j AWS-CONNMARK-CHAIN-0
	ipt -t nat $op PREROUTING -m comment --comment "AWS, CONNMARK" -j CONNMARK --restore-mark --mask 0x80
	ipt -t nat $op AWS-CONNMARK-CHAIN-0 -d "$vpc_cidr" -m comment --comment "AWS CONNMARK CHAIN" -j RETURN
	ipt -t nat $op AWS-CONNMARK-CHAIN-0 -m comment --comment "AWS, CONNMARK" -j CONNMARK --set-xmark 0x80/0x80
	ipt -t mangle $op PREROUTING -m comment --comment "AWS, primary ENI" -i eni+ -j CONNMARK --restore-mark --mask 0x80
	ip -n "$node" rule add fwmark 0x80/0x80 lookup main priority 1024
}


if [ "$backend" = cni ]; then
	cni_pieces add
	view "the VPC CNI's pieces" off
	cni_pieces del
	view "the VPC CNI, external SNAT on (no pieces)" on
	kernel_log_clean "$dmesg_start"
	finish
fi

load_vpcsnat || { fail "cannot load $ko"; finish; }
printf '%s\n' "enabled yes" "snat-ip $node_ip" "skip-ifaces vlan" "cidr $vpc_cidr vpc" >"$tmp/conf"
check "snatctl apply" ctl apply -f "$tmp/conf"
[ "$(rules_1024)" = 1 ] && pass "one 1024 rule after apply" || fail "$(rules_1024) 1024 rules after apply"
check "snatctl apply again" ctl apply -f "$tmp/conf"
[ "$(rules_1024)" = 1 ] && pass "one 1024 rule after applying twice" ||
	fail "$(rules_1024) 1024 rules after applying twice"
ctl status >"$tmp/status" 2>&1
grep -qx 'rule: fwmark 0x80/0x80 lookup main priority 1024: in place' "$tmp/status" &&
	pass "status: the rule is in place" || fail "status: $(grep rule: "$tmp/status")"
run "explain: podB to the peer is marked" 0 ctl explain "$pod_b" "$peer_ip" --iif eniB
grep -qx 'mark: 0x80 (routed by the main table, out of the primary ENI)' "$tmp/out" &&
	pass "explain says marked" || fail "explain: $(cat "$tmp/out")"
run "explain: podB to the same VPC" 0 ctl explain "$pod_b" "$same_ip" --iif eniB
grep -qx 'mark: none (not translated)' "$tmp/out" && pass "explain: same VPC not marked" ||
	fail "explain: $(cat "$tmp/out")"

view "vpcsnat" off
marked=$(ctl -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["counters"]["marked"])')
[ "$marked" -gt 0 ] && pass "status counts $marked marked connections" || fail "no marked connection counted"

check "external SNAT on" ctl set external-snat on
[ "$(rules_1024)" = 0 ] && pass "external SNAT on: the rule is gone" || fail "external SNAT on: $(rules_1024) rules"
view "vpcsnat, external SNAT on" on
check "external SNAT off" ctl set external-snat off

# Without the mark the secondary ENI's pod leaves by eth1 with the primary
# ENI's address, and the VPC drops it: what a node had before.
check "mark none" ctl set mark none
[ "$(rules_1024)" = 0 ] && pass "mark none: the rule is gone" || fail "mark none: $(rules_1024) rules"
drops=$(router_drops)
ip netns exec "$node" conntrack -F 2>/dev/null || true
request "$podb" "$peer_ip" || true
if [ "$seen_addr" != "$node_ip" ] && [ "$(router_drops)" -gt "$drops" ]; then
	pass "mark none: podB's request to the peer fails ($seen_addr), the router drops $(($(router_drops) - drops))"
else
	fail "mark none: the peer saw $seen_addr, the router dropped $(($(router_drops) - drops))"
fi
check "mark 0x80 again" ctl set mark 0x80

# The VPC CNI's own rule (node-port support keeps it) is reused, and kept.
ctl disable >/dev/null
ip -n "$node" rule add fwmark 0x80/0x80 lookup main priority 1024
check "enable beside the CNI's rule" ctl enable
[ "$(rules_1024)" = 1 ] && pass "the CNI's rule is reused, not duplicated" || fail "$(rules_1024) rules"
ctl disable >/dev/null
[ "$(rules_1024)" = 1 ] && pass "disable keeps the CNI's rule" || fail "disable: $(rules_1024) rules"
ip -n "$node" rule del fwmark 0x80/0x80 lookup main priority 1024
check "enable" ctl enable

# A user's SNAT rule for one pod decides before vpcsnat, in either order.
user=(POSTROUTING -s "$pod_a" ! -d "$vpc_cidr" -j SNAT --to-source "$node_ip2")
ipt -t nat -A "${user[@]}"
ip netns exec "$node" conntrack -F 2>/dev/null || true
expect "user SNAT rule added after vpcsnat" "$poda" "$peer_ip" "$node_ip2"
expect "user SNAT rule added after vpcsnat, another pod" "$podb" "$peer_ip" "$node_ip"
rmmod vpcsnat && load_vpcsnat && ctl apply -f "$tmp/conf" >/dev/null ||
	fail "rmmod, insmod and apply again"
ip netns exec "$node" conntrack -F 2>/dev/null || true
expect "user SNAT rule loaded before vpcsnat" "$poda" "$peer_ip" "$node_ip2"
expect "user SNAT rule loaded before vpcsnat, another pod" "$podb" "$peer_ip" "$node_ip"
ipt -t nat -D "${user[@]}"

# The migration check: the CNI's chains, by iptables-nft and by iptables-legacy.
warned() { grep -q "Warning: The VPC CNI's $1 ($2) is still in this network namespace" "$tmp/err"; }
run "status without the CNI's chains" 0 ctl status
[ -s "$tmp/err" ] && fail "status warns: $(cat "$tmp/err")" || pass "no migration warning without the CNI's chains"
ipt -t nat -N AWS-SNAT-CHAIN-0
run "status with AWS-SNAT-CHAIN-0 (iptables-nft)" 0 ctl status
warned AWS-SNAT-CHAIN-0 iptables-nft && pass "status names AWS-SNAT-CHAIN-0 (iptables-nft)" ||
	fail "status: $(cat "$tmp/err")"
run "enable with AWS-SNAT-CHAIN-0 (iptables-nft)" 0 ctl enable
warned AWS-SNAT-CHAIN-0 iptables-nft && pass "enable names AWS-SNAT-CHAIN-0" || fail "enable: $(cat "$tmp/err")"
ipt -t nat -X AWS-SNAT-CHAIN-0
if command -v iptables-legacy >/dev/null; then
	ip netns exec "$node" iptables-legacy -w 5 -t nat -N AWS-CONNMARK-CHAIN-0
	run "apply with AWS-CONNMARK-CHAIN-0 (iptables-legacy)" 0 ctl apply -f "$tmp/conf"
	warned AWS-CONNMARK-CHAIN-0 iptables-legacy && pass "apply names AWS-CONNMARK-CHAIN-0 (iptables-legacy)" ||
		fail "apply: $(cat "$tmp/err")"
	ip netns exec "$node" iptables-legacy -w 5 -t nat -X AWS-CONNMARK-CHAIN-0
else
	skip "iptables-legacy is not installed"
fi

check "disable" ctl disable
[ "$(rules_1024)" = 0 ] && pass "disable removes its rule" || fail "disable: $(rules_1024) rules"
kernel_log_clean "$dmesg_start"
finish
