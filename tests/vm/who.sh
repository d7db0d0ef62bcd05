#!/bin/bash
# shellcheck disable=SC2317,SC2015 # functions run through traps and wait_for; pass never fails
# shellcheck disable=SC2154 # netns_new names $pod1, $node... by reference
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of finding the pod behind a node-IP connection, run as root
# inside the test VM:
#
#   tests/vm/run.sh -- tests/vm/who.sh
#
# Two pods behind one node connect to an nginx in a connected VPC, which logs
# $remote_addr:$remote_port (the node's address and the translated port)
# while `snatctl log` records every translation. Every log line is fed to
# `snatctl who`, which must name the right pod and pod port: live (from
# conntrack, through the module), then after `conntrack -F` (from the log),
# and by time when a translated port was reused. Then every protocol
# conntrack translates that has no curl (an ICMP echo, UDP-Lite, SCTP when
# the kernel has it) and a connection in conntrack zone 5 (pod3, nft's
# `ct zone set`): the record's fields against `conntrack -L`, and who's
# answer; and the one-line reason when there is no answer (a hostNetwork
# connection, an address vpcsnat never translates to). Then IPv6: pod1's
# IPv6 address (named by an IPv6 cluster's IPAM checkpoint) to an nginx on
# [::]:80, its lines through `snatctl who` as nginx wrote them, the event
# in `monitor -j`, an ICMPv6 echo, `explain`. Then `snatctl
# monitor`: no CPU when idle, clean exit on SIGTERM/SIGINT, and under a
# flood of new connections into a tiny, stopped receive buffer, every
# translation is either received or counted as lost. (The pods' names:
# who-pods.sh.)
#
#   pod1                     node                                peer (connected VPC)
#  +----------------+       +-------------------------------+   +----------------------+
#  | eth0           +-------+ enipod1 (10.0.1.10/32 dev)    |   | eth0 172.31.0.50/24  |
#  | 10.0.1.10/32   | veth  |                               |   |      172.31.0.51/32  |
#  +----------------+       | eth0 10.0.0.10/24             +---+ 10.0.0.0/16 dev eth0 |
#  pod2                     | 172.31.0.0/16 dev eth0        |   | nginx on .50:80      |
#  +----------------+       |                               |   | drops udp to .51     |
#  | eth0           +-------+ enipod2 (10.0.1.11/32 dev)    |   +----------------------+
#  | 10.0.1.11/32   | veth  | vpcsnat: snat-ip 10.0.0.10,   |   |      172.31.0.52/32  |
#  +----------------+       |   vpc 10.0.0.0/16             |   |      (zone 5's)      |
#  pod3 10.0.1.12/32 ------ | enipod3: ct zone 5, as are    |   +----------------------+
#                           |   replies from 172.31.0.52    |
#                           +-------------------------------+
#  IPv6 (section 5): VPC 2001:db8::/56, connected VPC 2001:db8:100::/56
#  pod1 2001:db8:0:1::10/128, default via fe80::1 (enipod1)
#  node eth0 2001:db8:0:ff::10/64, snat-ip6; 2001:db8:100::/56 dev eth0
#  peer eth0 2001:db8:100::50/64, nginx on [::]:80; 2001:db8::/56 dev eth0

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="who: "
flood_count=${WHO_FLOOD_COUNT:-100000}

pod1_ip=10.0.1.10
pod2_ip=10.0.1.11
pod3_ip=10.0.1.12
node_ip=10.0.0.10
peer_ip=172.31.0.50
flood_ip=172.31.0.51
zone_ip=172.31.0.52
conns=5		# per pod

require_root
require_tools ip nginx curl nft ss conntrack cc modprobe insmod jq python3 hostname
require_built "$snatctl"
[ -e /sys/module/vpcsnat ] || require_built "$ko"
make_tmp vpcsnat-who

# stop_bg PID: a background process gone, stopped (SIGSTOP) or not.
stop_bg() {
	kill -CONT "$1" 2>/dev/null
	kill "$1" 2>/dev/null
}

ctl() { ip netns exec "$node" "$snatctl" "$@"; }
# Long-running ones use -n, so that signals reach snatctl itself, not ip.
counter() { ctl -j status | jq -r ".counters.$1"; }

load_vpcsnat || { fail "cannot load $ko"; exit 1; }
# 100,000 new connections must all fit in conntrack (the limit is global).
sysctl -qw net.netfilter.nf_conntrack_max=400000

#
# Topology
#
netns_new pod1
netns_new pod2
netns_new pod3
netns_new node
netns_new peer
add_pod() { # ns address host-side-name
	cni_pod "$1" "$2" "$node" "$3"
}
add_pod "$pod1" "$pod1_ip" enipod1
add_pod "$pod2" "$pod2_ip" enipod2
add_pod "$pod3" "$pod3_ip" enipod3
veth "$node" eth0 "$peer" eth0
ip -n "$node" addr add "$node_ip/24" dev eth0
ip -n "$node" route add 172.31.0.0/16 dev eth0
ip -n "$peer" addr add "$peer_ip/24" dev eth0
ip -n "$peer" addr add "$flood_ip/32" dev eth0
ip -n "$peer" addr add "$zone_ip/32" dev eth0
ip -n "$peer" route add 10.0.0.0/16 dev eth0
ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
# The flood's datagrams stop at the peer without ICMP errors coming back.
ip netns exec "$peer" nft -f - <<EOF
table inet flood {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr $flood_ip drop
	}
}
EOF
# pod3's connections and the replies to them are tracked in zone 5.
ip netns exec "$node" nft -f - <<EOF
table ip zones {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		iifname "enipod3" ct zone set 5
		iifname "eth0" ip saddr $zone_ip ct zone set 5
	}
}
EOF

ctl set snat-ip "$node_ip" >/dev/null
ctl cidr add 10.0.0.0/16 vpc >/dev/null
ctl set random prng >/dev/null
ctl enable >/dev/null

# shellcheck disable=SC2016 # nginx's variables, not ours
start_nginx "$peer" "$peer_ip" "$tmp" '$remote_addr:$remote_port $request_uri' ||
	{ fail "nginx did not listen on $peer_ip:80"; exit 1; }

probes=0
# A new translated connection from pod1 (UDP to the peer's port 7), until
# FILE shows it: proof that a listener has joined the events group.
probe_seen() {
	probes=$((probes + 1))
	ip netns exec "$pod1" bash -c "echo probe >/dev/udp/$peer_ip/7" 2>/dev/null || true
	wait_for 1 grep -Eq "$peer_ip(\",\"dport\":|:)7[ ,]" "$1" 2>/dev/null
}
joined() { wait_for 20 probe_seen "$1"; }

# request POD PATH LOCALPORT: one HTTP request; 0 if it got 200.
request() {
	local code
	code=$(ip netns exec "$1" curl -sS -o /dev/null -w '%{http_code}' --connect-timeout 5 \
		--max-time 10 --local-port "$3" "http://$peer_ip$2" 2>/dev/null) || true
	[ "$code" = 200 ]
}
logged() { grep -q " $1\$" "$tmp/access.log" 2>/dev/null; }
# The node address:port nginx saw for PATH.
seen() { grep " $1\$" "$tmp/access.log" | tail -n 1 | cut -d' ' -f1; }

#
# 1. snatctl log running, pods connect.
#
log=$tmp/log/translations.jsonl
"$snatctl" -n "$node" log --file "$log" --max-size 1024 --keep 100 2>"$tmp/log.err" &
log_pid=$!
on_exit stop_bg "$log_pid"
if joined "$log"; then
	pass "snatctl log joined the events group and wrote a record"
else
	fail "snatctl log wrote nothing within 20 s: $(head -c 300 "$tmp/log.err")"
	exit 1
fi

# Both pods use the same pod ports, so only the translated port tells them apart.
declare -A want
ok=0
for i in $(seq 1 $conns); do
	for p in 1 2; do
		ns=pod$p
		path="/pod$p-$i"
		port=$((30000 + i))
		if request "${!ns}" "$path" "$port" && wait_for 5 logged "$path"; then
			ok=$((ok + 1))
			ip=pod${p}_ip
			want[$(seen "$path")]="${!ip}:$port"
		else
			fail "request $path from pod$p failed"
		fi
	done
done
[ "$ok" = $((2 * conns)) ] && pass "$ok requests from 2 pods reached the connected VPC server"
[ "${#want[@]}" = "$ok" ] && pass "the server saw $ok distinct node address:port pairs" ||
	fail "the server saw ${#want[@]} distinct node address:port pairs for $ok requests"
for k in "${!want[@]}"; do
	[ "${k%%:*}" = "$node_ip" ] || fail "the server saw $k, not the node address $node_ip"
done

host=$(hostname)
# check_who MODE: every nginx line through snatctl who, MODE live or log.
# No checkpoint here: the pods are unknown, and said so.
check_who() {
	local mode=$1 good=0 k out want_txt
	[ "$mode" = live ] && want_txt="(live," || want_txt="(from log, translated at "
	for k in "${!want[@]}"; do
		out=$(ctl who "$k" "$peer_ip:80" --log "$log" 2>&1) || true
		case "$out" in
		"pod unknown (${want[$k]}), node $host $want_txt"*) good=$((good + 1)) ;;
		*) fail "$mode: who $k $peer_ip:80 said '$out', want pod unknown (${want[$k]}), node $host $want_txt...)" ;;
		esac
	done
	if [ "$good" = "${#want[@]}" ]; then
		pass "$mode: snatctl who named the right pod and port for all $good nginx log lines"
	fi
}
check_who live
k=$(seen /pod2-1)
out=$(ctl -j who "$k" "$peer_ip:80" --log "$log" 2>&1) || true
if jq -e --arg p "${want[$k]}" '.source == "live" and (.src + ":" + (.sport | tostring)) == $p and
	.proto == "tcp" and .dst == "'"$peer_ip"'" and .dport == 80 and (.ct_id | type) == "number" and
	.time == null and .zone == 0 and .hostname == "'"$host"'" and (.boot_id | length) == 36 and
	.instance_id == null and .pod_name == null and .pod_source == null' <<<"$out" >/dev/null 2>&1; then
	pass "live: who -j gives a JSON record with source live, zone 0, this node, pod null"
else
	fail "live: who -j: $out"
fi

ip netns exec "$node" conntrack -F 2>/dev/null
if [ "$(ip netns exec "$node" conntrack -L 2>/dev/null | grep -c "dport=80 ")" = 0 ]; then
	pass "conntrack -F: no connection to port 80 left in the node's table"
else
	fail "conntrack -F left connections in the node's table"
fi
check_who log
out=$(ctl -j who "$k" "$peer_ip:80" --log "$log" 2>&1) || true
if jq -e '.source == "log" and (.timestamp_ns | type) == "number" and (.time | test("Z$"))' \
	<<<"$out" >/dev/null 2>&1; then
	pass "log: who -j gives a JSON record with source log and a time"
else
	fail "log: who -j: $out"
fi

# A rotation happened, and no record was lost to it.
if [ -e "$log.1" ]; then
	pass "the log rotated at --max-size 1024 ($(find "$tmp/log" -name 'translations.jsonl.*' | wc -l) rotated files)"
else
	fail "the log did not rotate at --max-size 1024"
fi
n=$(cat "$log" "$log".* | grep -c "\"dst\":\"$peer_ip\",\"dport\":80," || true)
[ "$n" = "$ok" ] && pass "the log has exactly $n records of the $ok HTTP connections" ||
	fail "the log has $n records of the $ok HTTP connections"

#
# 2. A translated port reused by the other pod: who --at picks by time.
#
ctl set random none >/dev/null
reused=30500
if request "$pod1" /reuse-1 "$reused" && wait_for 5 logged /reuse-1 &&
	wait_for 5 grep -q "\"sport\":$reused,\"nat_src\":\"$node_ip\",\"nat_sport\":$reused,.*\"dport\":80" "$log" "$log".*; then
	t_mid=$(date +%s.%N)
	ip netns exec "$node" conntrack -F 2>/dev/null
	if request "$pod2" /reuse-2 "$reused" && wait_for 5 logged /reuse-2; then
		a=$(seen /reuse-1) b=$(seen /reuse-2)
		if [ "$a" = "$node_ip:$reused" ] && [ "$b" = "$a" ]; then
			pass "both pods were seen as $a"
		else
			fail "pods seen as $a and $b, want both $node_ip:$reused (random none)"
		fi
		out=$(ctl who "$a" "$peer_ip:80" --log "$log" 2>&1) || true
		case "$out" in
		"pod unknown ($pod2_ip:$reused), node $host (live,"*) pass "reused port: who names the live one, pod2" ;;
		*) fail "reused port: who said '$out', want pod unknown ($pod2_ip:$reused), node $host (live, ...)" ;;
		esac
		out=$(ctl who "$a" "$peer_ip:80" --log "$log" --at "$t_mid" 2>&1) || true
		case "$out" in
		"pod unknown ($pod1_ip:$reused), node $host (from log,"*) pass "reused port: who --at (before the reuse) names pod1, from the log" ;;
		*) fail "reused port: who --at $t_mid said '$out', want pod unknown ($pod1_ip:$reused), node $host (from log, ...)" ;;
		esac
	else
		fail "reused port: request from pod2 failed"
	fi
else
	fail "reused port: request from pod1 failed or was not logged"
fi
ctl set random prng >/dev/null

rc=0
out=$(ctl who "$node_ip:1" "$peer_ip:80" --log "$log" 2>&1) || rc=$?
case "$rc:$out" in
"1:No translation found for tcp $node_ip:1 -> $peer_ip:80: $node_ip is a node address, but"*)
	pass "an unknown connection of a node address: 'No translation found', why, exit 1" ;;
*) fail "an unknown connection: exit $rc, '$out'" ;;
esac
rc=0
out=$(ctl who "$node_ip" "$peer_ip:80" 2>&1) || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && pass "who with a bad argument: exit 2, one line: $out" ||
	fail "who with a bad argument: exit $rc, '$out'"

# SIGHUP: the log is reopened (after an outside rotation), then SIGTERM stops it.
mv "$log" "$log.moved"
kill -HUP "$log_pid"
if joined "$log"; then
	pass "snatctl log reopened its file on SIGHUP"
else
	fail "snatctl log did not write a new file after SIGHUP"
fi
kill -TERM "$log_pid"
rc=0
wait "$log_pid" || rc=$?
[ "$rc" = 0 ] && pass "snatctl log exits 0 on SIGTERM" || fail "snatctl log exited $rc on SIGTERM: $(head -c 300 "$tmp/log.err")"

#
# 3. monitor: no CPU when idle; a line per translation; SIGTERM.
#
"$snatctl" -n "$node" monitor >"$tmp/mon.txt" 2>"$tmp/mon.err" &
mon=$!
on_exit stop_bg "$mon"
if joined "$tmp/mon.txt"; then
	line=$(tail -n 1 "$tmp/mon.txt")
	if [[ "$line" =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:]{8}\.[0-9]{3}Z\ udp\ $pod1_ip:[0-9]+\ -\>\ $peer_ip:7\ as\ $node_ip:[0-9]+\ zone\ 0\ netns\ [0-9]+\ ct\ [0-9]+\ pod\ unknown$ ]]; then
		pass "monitor prints: $line"
	else
		fail "monitor line: '$line'"
	fi
else
	fail "monitor printed nothing within 20 s: $(head -c 300 "$tmp/mon.err")"
fi
cpu() { awk '{ print $14 + $15 }' "/proc/$mon/stat"; }
c0=$(cpu)
sleep 3	# the measurement itself: idle time, nothing to poll for
c1=$(cpu)
[ "$c0" = "$c1" ] && pass "idle monitor used no CPU in 3 s ($c0 ticks before and after)" ||
	fail "idle monitor used $((c1 - c0)) ticks in 3 s"
kill -TERM "$mon"
rc=0
wait "$mon" || rc=$?
[ "$rc" = 0 ] && pass "monitor exits 0 on SIGTERM" || fail "monitor exited $rc on SIGTERM"

#
# 4. Every protocol conntrack translates, a zone, and no answer: records
#    against conntrack -L, who's answers and its reasons.
#
log=$tmp/log/protos.jsonl
"$snatctl" -n "$node" log --file "$log" 2>"$tmp/log2.err" &
log_pid=$!
on_exit stop_bg "$log_pid"
joined "$log" || fail "snatctl log wrote nothing within 20 s: $(head -c 300 "$tmp/log2.err")"
probe() { # NS ARGS...: tests/vm/protoprobe.py in NS
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$repo/tests/vm/protoprobe.py" "$@"
}
# rec FILTER: the last record jq's FILTER selects; has_rec: there is one.
rec() { jq -c "select($1)" "$log" 2>/dev/null | tail -n 1; }
has_rec() { [ -n "$(rec "$1")" ]; }
# ct_field ARGS... NAME N: the Nth NAME= of the first entry conntrack -L ARGS lists.
ct_field() {
	local n=${*: -1} name=${*: -2:1}
	ip netns exec "$node" conntrack -L "${@:1:$#-2}" 2>/dev/null | head -n 1 |
		grep -o " $name=[0-9]*" | sed -n "${n}p" | cut -d= -f2
}
# who_says NAME WANT ARGS...: one check that who ARGS prints WANT...
who_says() {
	local name=$1 expect=$2 out
	shift 2
	out=$(ctl who "$@" --log "$log" 2>&1) || true
	case "$out" in
	"$expect"*) pass "$name: $out" ;;
	*) fail "$name: who $* said '$out', want '$expect...'" ;;
	esac
}

probe "$pod1" icmp "$peer_ip" 4321
if wait_for 10 has_rec '.proto == "icmp"'; then
	r=$(rec '.proto == "icmp"')
	oid=$(ct_field -p icmp -s "$pod1_ip" id 1)
	nid=$(ct_field -p icmp -s "$pod1_ip" id 2)
	if [ "$oid" = 4321 ] && [ -n "$nid" ] && jq -e --argjson n "$nid" '.icmp_type == 8 and
		.icmp_code == 0 and .icmp_id == 4321 and .nat_icmp_id == $n and
		.src == "'"$pod1_ip"'" and .nat_src == "'"$node_ip"'" and .dst == "'"$peer_ip"'" and
		(has("sport") or has("nat_sport") or has("dport") | not)' <<<"$r" >/dev/null; then
		pass "icmp: the record has type 8, code 0, id 4321 translated to $nid, as conntrack -L"
	else
		fail "icmp: record $r; conntrack: id $oid -> ${nid:-none}"
	fi
	who_says "icmp: who --icmp-id $nid names the pod's echo" "pod unknown ($pod1_ip id 4321), node $host (live," \
		--proto icmp --icmp-id "$nid" "$node_ip" "$peer_ip"
else
	fail "icmp: no record of the echo request within 10 s"
fi

# conntrack finds the UDP-Lite checksum of a datagram that a local socket
# sent over veth bad and leaves it untracked (6.1 and 6.12 alike), though
# the peer takes it: not checking, as many routers do, lets it be tracked.
ip netns exec "$node" sysctl -qw net.netfilter.nf_conntrack_checksum=0
probe "$pod1" udplite "$peer_ip" 9 5555
if wait_for 10 has_rec '.proto == "udplite"'; then
	r=$(rec '.proto == "udplite"')
	nport=$(ct_field -p udplite -s "$pod1_ip" dport 2)
	if [ -n "$nport" ] && jq -e --argjson n "$nport" '.sport == 5555 and .nat_sport == $n and
		.dport == 9 and .nat_src == "'"$node_ip"'"' <<<"$r" >/dev/null; then
		pass "udplite: the record has ports 5555 -> 9 as $nport, as conntrack -L"
	else
		fail "udplite: record $r; conntrack: reply dport ${nport:-none}"
	fi
	who_says "udplite: who --proto udplite" "pod unknown ($pod1_ip:5555), node $host (live," \
		--proto udplite "$node_ip:$nport" "$peer_ip:9"
else
	fail "udplite: no record of the datagram within 10 s"
fi
ip netns exec "$node" sysctl -qw net.netfilter.nf_conntrack_checksum=1

if modprobe -q sctp 2>/dev/null; then
	ip netns exec "$peer" python3 "$repo/tests/vm/protoprobe.py" sctp-server "$peer_ip" 9999 \
		"$tmp/sctp.seen" 2>"$tmp/sctp.err" &
	on_exit stop_bg $!
	if wait_for 10 test -e "$tmp/sctp.seen.ready" && probe "$pod1" sctp "$peer_ip" 9999 6666 &&
		wait_for 10 test -s "$tmp/sctp.seen" && wait_for 10 has_rec '.proto == "sctp"'; then
		sctp_seen=$(cat "$tmp/sctp.seen")
		r=$(rec '.proto == "sctp"')
		nport=$(ct_field -p sctp -s "$pod1_ip" dport 2)
		if [ "$sctp_seen" = "$node_ip:$nport" ] && jq -e --argjson n "$nport" '.sport == 6666 and
			.nat_sport == $n and .dport == 9999' <<<"$r" >/dev/null; then
			pass "sctp: the server saw $sctp_seen; the record and conntrack -L agree"
		else
			fail "sctp: server saw $sctp_seen; record $r; conntrack reply dport ${nport:-none}"
		fi
		who_says "sctp: who --proto sctp $sctp_seen" "pod unknown ($pod1_ip:6666), node $host (live," \
			--proto sctp "$sctp_seen" "$peer_ip:9999"
	else
		fail "sctp: no association or no record: $(head -c 300 "$tmp/sctp.err")"
	fi
else
	skip "sctp: this kernel has no sctp module"
fi

ip netns exec "$pod3" bash -c "echo zone >/dev/udp/$zone_ip/7" 2>/dev/null || true
if wait_for 10 has_rec '.src == "'"$pod3_ip"'"'; then
	r=$(rec '.src == "'"$pod3_ip"'"')
	nport=$(ct_field -p udp --zone 5 -s "$pod3_ip" dport 2)
	if [ -n "$nport" ] && jq -e --argjson n "$nport" '.zone == 5 and .nat_sport == $n' <<<"$r" >/dev/null; then
		pass "zone: the record has zone 5 and port $nport, as conntrack -L --zone 5"
	else
		fail "zone: record $r; conntrack --zone 5: ${nport:-none}"
	fi
	who_says "zone: who --zone 5, live" "pod unknown ($pod3_ip:" --zone 5 --proto udp "$node_ip:$nport" "$zone_ip:7"
	who_says "zone: who in zone 0 does not find it" "No translation found for udp $node_ip:$nport -> $zone_ip:7:" \
		--proto udp "$node_ip:$nport" "$zone_ip:7"
	ip netns exec "$node" conntrack -F 2>/dev/null
	who_says "zone: who --zone 5 after conntrack -F, from the log" "pod unknown ($pod3_ip:" --zone 5 \
		--proto udp "$node_ip:$nport" "$zone_ip:7"
	out=$(ctl -j who --zone 5 --proto udp "$node_ip:$nport" "$zone_ip:7" --log "$log" 2>&1) || true
	jq -e '.source == "log" and .zone == 5' <<<"$out" >/dev/null 2>&1 &&
		pass "zone: who -j from the log has zone 5" || fail "zone: who -j: $out"
else
	fail "zone: no record of pod3's datagram within 10 s"
fi

# The node itself (a hostNetwork pod) connects: not translated, and who says so.
if ip netns exec "$node" curl -sS -o /dev/null --max-time 10 --local-port 31999 \
	"http://$peer_ip/hostnet" && wait_for 5 logged /hostnet; then
	k=$(seen /hostnet)
	rc=0
	out=$(ctl who "$k" "$peer_ip:80" --log "$log" 2>&1) || rc=$?
	[ "$rc" = 1 ] && [ "$out" = "tcp $k -> $peer_ip:80 was not translated: the conntrack table has it as a connection of the node itself or of a hostNetwork pod" ] &&
		pass "hostNetwork: who says it was not translated, in one line, exit 1" ||
		fail "hostNetwork: exit $rc, '$out'"
	ip netns exec "$node" conntrack -F 2>/dev/null
	who_says "hostNetwork, after conntrack -F: a node address without that connection" \
		"No translation found for tcp $k -> $peer_ip:80: $node_ip is a node address, but" "$k" "$peer_ip:80"
else
	fail "hostNetwork: the node's own request failed"
fi
rc=0
out=$(ctl who 198.51.100.1:40000 "$peer_ip:80" --log "$log" 2>&1) || rc=$?
case "$rc:$(wc -l <<<"$out"):$out" in
"1:1:No translation found for tcp 198.51.100.1:40000 -> $peer_ip:80: 198.51.100.1 is not an address vpcsnat translates to"*)
	pass "a NAT gateway's address: who says vpcsnat never translates to it, in one line" ;;
*) fail "a NAT gateway's address: exit $rc, '$out'" ;;
esac
kill -TERM "$log_pid"
wait "$log_pid" || fail "snatctl log (protocols) exited $?: $(head -c 300 "$tmp/log2.err")"

#
# 5. IPv6: the same questions of an IPv6 connection. The pod's name comes
#    from an IPv6 cluster's IPAM checkpoint ("ipv6" in place of "ipv4").
#
pod1_ip6=2001:db8:0:1::10
node_ip6=2001:db8:0:ff::10
peer_ip6=2001:db8:100::50
ip -n "$node" -6 addr add fe80::1/64 dev enipod1 nodad
ip -n "$pod1" -6 addr add "$pod1_ip6/128" dev eth0 nodad
ip -n "$pod1" -6 route add default via fe80::1 dev eth0
ip -n "$node" -6 route add "$pod1_ip6/128" dev enipod1
ip -n "$node" -6 addr add "$node_ip6/64" dev eth0 nodad
ip -n "$node" -6 route add 2001:db8:100::/56 dev eth0
ip -n "$peer" -6 addr add "$peer_ip6/64" dev eth0 nodad
ip -n "$peer" -6 route add 2001:db8::/56 dev eth0
ip netns exec "$node" sysctl -qw net.ipv6.conf.all.forwarding=1
ctl set ipv6 on snat-ip6 "$node_ip6" >/dev/null
ctl cidr add 2001:db8::/56 vpc >/dev/null
mkdir -p "$tmp/aws-node"
printf '{"version":"vpc-cni-ipam/1","allocations":[{"networkName":"aws-cni","containerID":"%s","ifName":"eth0","ipv6":"%s","allocationTimestamp":%s,"metadata":{"k8sPodNamespace":"default","k8sPodName":"web-v6"}}]}\n' \
	3a6a58386dfbf2471a6f86bd41e4e9a32aac54ccccd1943742cb67d1e9c58b5b "$pod1_ip6" "$(date +%s%N)" \
	>"$tmp/aws-node/ipam.json.tmp1" && mv "$tmp/aws-node/ipam.json.tmp1" "$tmp/aws-node/ipam.json"
# shellcheck disable=SC2016 # nginx's variables, not ours
start_nginx "$peer" "[::]" "$tmp/nginx6" '$remote_addr:$remote_port $request_uri' ||
	fail "nginx did not listen on [::]:80"
log=$tmp/log/v6.jsonl
"$snatctl" -n "$node" log --file "$log" --ipam "$tmp/aws-node/ipam.json" \
	--cni-results "$tmp/results" 2>"$tmp/log3.err" &
log_pid=$!
on_exit stop_bg "$log_pid"
"$snatctl" -n "$node" -j monitor --ipam "$tmp/aws-node/ipam.json" --cni-results "$tmp/results" \
	>"$tmp/mon6.jsonl" 2>"$tmp/mon6.err" &
mon=$!
on_exit stop_bg "$mon"
joined "$log" || fail "snatctl log wrote nothing within 20 s: $(head -c 300 "$tmp/log3.err")"
joined "$tmp/mon6.jsonl" || fail "monitor -j printed nothing within 20 s: $(head -c 300 "$tmp/mon6.err")"
logged6() { grep -q " $1\$" "$tmp/nginx6/access.log" 2>/dev/null; }
code=$(ip netns exec "$pod1" curl -g -sS -o /dev/null -w '%{http_code}' --connect-timeout 5 \
	--max-time 10 --local-port 30600 "http://[$peer_ip6]/v6-1" 2>&1) || true
if [ "$code" = 200 ] && wait_for 5 logged6 /v6-1; then
	# nginx's $remote_addr:$remote_port of an IPv6 client: 2001:db8:0:ff::10:PORT.
	k=$(grep " /v6-1\$" "$tmp/nginx6/access.log" | tail -n 1 | cut -d' ' -f1)
	nport=${k##*:}
	[ "${k%:*}" = "$node_ip6" ] && pass "IPv6: the server saw the node's address, as nginx logs it: $k" ||
		fail "IPv6: the server saw $k, not the node address $node_ip6"
	cport=$(ip netns exec "$node" conntrack -L -f ipv6 -p tcp -s "$pod1_ip6" 2>/dev/null |
		head -n 1 | grep -o " dport=[0-9]*" | sed -n 2p | cut -d= -f2)
	[ "$cport" = "$nport" ] && pass "IPv6: conntrack -L -f ipv6 has the translated port $nport" ||
		fail "IPv6: conntrack's reply port ${cport:-none}, nginx saw $nport"
	who_says "IPv6: who, the nginx line as it is, live" \
		"pod default/web-v6 ([$pod1_ip6]:30600), node $host (live," "$k" "$peer_ip6:80"
	out=$(ctl -j who "[$node_ip6]:$nport" "[$peer_ip6]:80" --log "$log" 2>&1) || true
	jq -e '.source == "live" and .proto == "tcp" and .src == "'"$pod1_ip6"'" and .sport == 30600 and
		.nat_src == "'"$node_ip6"'" and .nat_sport == '"$nport"' and .dst == "'"$peer_ip6"'" and
		.dport == 80 and .pod_name == "web-v6" and .pod_source == "ipam"' <<<"$out" >/dev/null 2>&1 &&
		pass "IPv6: who -j [ADDR]:PORT, live: the record of the translation" ||
		fail "IPv6: who -j: $out"
	if wait_for 10 grep -q "\"dst\":\"$peer_ip6\"" "$tmp/mon6.jsonl"; then
		r=$(grep "\"dst\":\"$peer_ip6\"" "$tmp/mon6.jsonl" | tail -n 1)
		jq -e '.proto == "tcp" and .src == "'"$pod1_ip6"'" and .sport == 30600 and
			.nat_src == "'"$node_ip6"'" and .nat_sport == '"$nport"' and .dport == 80 and
			.pod_namespace == "default" and .pod_name == "web-v6" and .pod_source == "ipam" and
			.zone == 0 and (.ct_id | type) == "number"' <<<"$r" >/dev/null 2>&1 &&
			pass "IPv6: monitor -j showed the event, the pod named from the IPv6 checkpoint: $r" ||
			fail "IPv6: monitor -j line: $r"
	else
		fail "IPv6: monitor -j showed no event to $peer_ip6 within 10 s"
	fi
	ip netns exec "$node" conntrack -F -f ipv6 2>/dev/null
	who_says "IPv6: who [ADDR]:PORT after conntrack -F, from the log" \
		"pod default/web-v6 ([$pod1_ip6]:30600), node $host (from log, translated at " \
		"[$node_ip6]:$nport" "[$peer_ip6]:80"
else
	fail "IPv6: request to [$peer_ip6]:80 from pod1 failed ($code) or was not logged"
fi
probe "$pod1" icmpv6 "$peer_ip6" 4322
if wait_for 10 has_rec '.proto == "icmpv6"'; then
	r=$(rec '.proto == "icmpv6"')
	nid=$(ct_field -f ipv6 -p icmpv6 -s "$pod1_ip6" id 2)
	if [ -n "$nid" ] && jq -e --argjson n "$nid" '.icmp_type == 128 and .icmp_code == 0 and
		.icmp_id == 4322 and .nat_icmp_id == $n and .nat_src == "'"$node_ip6"'"' <<<"$r" >/dev/null; then
		pass "icmpv6: the record has type 128, id 4322 translated to $nid, as conntrack -L"
	else
		fail "icmpv6: record $r; conntrack: id ${nid:-none}"
	fi
	who_says "icmpv6: who --proto icmpv6 --icmp-id $nid" "pod default/web-v6 ($pod1_ip6 id 4322), node $host (live," \
		--proto icmpv6 --icmp-id "$nid" "$node_ip6" "$peer_ip6"
else
	fail "icmpv6: no record of the echo request within 10 s"
fi
out=$(ctl explain "$pod1_ip6" "$peer_ip6" eth0 --iif enipod1 2>&1) || true
[ "$out" = "decision: translate to $node_ip6
reason: no-match
entry: none
mark: 0x80 (routed by the main table, out of the primary ENI)" ] &&
	pass "IPv6: explain says translate, mark" || fail "IPv6: explain: $out"
out=$(ctl -j explain "$pod1_ip6" 2001:db8:0:2::1 2>&1) || true
jq -e '.translate == false and .reason == "vpc" and .entry.cidr == "2001:db8::/56" and
	.src == "'"$pod1_ip6"'"' <<<"$out" >/dev/null 2>&1 &&
	pass "IPv6: explain -j inside the VPC: leave, entry 2001:db8::/56" || fail "IPv6: explain -j: $out"
kill -TERM "$log_pid" "$mon"
wait "$log_pid" || fail "snatctl log (IPv6) exited $?: $(head -c 300 "$tmp/log3.err")"
wait "$mon" || fail "monitor (IPv6) exited $?: $(head -c 300 "$tmp/mon6.err")"

#
# 6. A flood into a stopped monitor with a tiny receive buffer: every
#    translation is received or counted.
#
cc -O2 -Wall -o "$tmp/udpflood" "$repo/tests/vm/udpflood.c" || { fail "cannot build udpflood"; exit 1; }
"$snatctl" -n "$node" -j monitor --rcvbuf 4096 >"$tmp/flood.jsonl" 2>"$tmp/flood.err" &
mon=$!
on_exit stop_bg "$mon"
joined "$tmp/flood.jsonl" || fail "flood monitor printed nothing within 20 s"
t0=$(counter translated)
d0=$(counter events_dropped)
kill -STOP "$mon"
start=$SECONDS
out=$(ip netns exec "$pod1" timeout 300 "$tmp/udpflood" "$flood_ip" "$flood_count") ||
	fail "udpflood: $out"
flood_secs=$((SECONDS - start))
# Settled: the counter stops moving once the last datagram has gone through.
prev=-1
settled() { local n; n=$(counter translated); [ "$n" = "$prev" ] && return 0; prev=$n; sleep 0.5; return 1; }
wait_for 30 settled || fail "the translated counter did not settle within 30 s"
kill -CONT "$mon"
# One more after the overflow: the monitor goes on receiving.
ip netns exec "$pod2" bash -c "echo after >/dev/udp/$flood_ip/9" 2>/dev/null || true
wait_for 60 grep -q "\"src\":\"$pod2_ip\".*\"dst\":\"$flood_ip\"" "$tmp/flood.jsonl" &&
	pass "monitor receives again after the overflow" ||
	fail "monitor received nothing after the overflow"
kill -INT "$mon"
rc=0
wait "$mon" || rc=$?
[ "$rc" = 0 ] && pass "monitor exits 0 on SIGINT" || fail "monitor exited $rc on SIGINT: $(head -c 300 "$tmp/flood.err")"
t1=$(counter translated)
d1=$(counter events_dropped)
translated=$((t1 - t0))
received=$(grep -c "\"dst\":\"$flood_ip\"" "$tmp/flood.jsonl" || true)
lost=$(jq -s '[.[] | select(has("lost")) | .lost] | add // 0' "$tmp/flood.jsonl")
lost_records=$(grep -c '"lost":' "$tmp/flood.jsonl" || true)
echo "note: flood of $out in ${flood_secs} s: translated $translated, received $received, reported lost $lost in $lost_records records, events_dropped +$((d1 - d0))"
[ "$translated" -ge "$flood_count" ] && pass "all $flood_count flood connections were translated ($translated with the one after)" ||
	fail "only $translated of $flood_count flood connections were translated"
[ "$lost" -gt 0 ] && [ "$lost" = $((d1 - d0)) ] &&
	pass "monitor reported $lost lost events, the kernel's events_dropped delta" ||
	fail "monitor reported $lost lost events, events_dropped grew by $((d1 - d0))"
[ $((received + lost)) = "$translated" ] &&
	pass "translated ($translated) = received ($received) + lost ($lost): nothing lost uncounted" ||
	fail "translated ($translated) != received ($received) + lost ($lost)"
if grep -qv '^{' "$tmp/flood.jsonl" || ! jq -e . "$tmp/flood.jsonl" >/dev/null 2>&1; then
	fail "monitor -j wrote a line that is not JSON"
else
	pass "monitor -j wrote $(wc -l <"$tmp/flood.jsonl") lines, all JSON"
fi

ctl -j status | jq -e '.counters.events_dropped | type == "number"' >/dev/null &&
	pass "status -j has counters.events_dropped" || fail "status -j has no counters.events_dropped"
ctl status | grep -q "^events-dropped: $d1\$" && pass "status shows events-dropped: $d1" ||
	fail "status: $(ctl status | grep events || echo no events-dropped line)"
hits=$(ctl -j cidr list | jq '.[0].hits')
[ "$hits" -ge 0 ] 2>/dev/null && pass "cidr list -j has hits ($hits)" || fail "cidr list -j: no hits"

echo "note: who test took $SECONDS s ($probes probes)"
finish
