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
# and by time when a translated port was reused. Then `snatctl monitor`:
# no CPU when idle, clean exit on SIGTERM/SIGINT, and under a flood of new
# connections into a tiny, stopped receive buffer, every translation is
# either received or counted as lost.
#
#   pod1                     node                                peer (connected VPC)
#  +----------------+       +-------------------------------+   +----------------------+
#  | eth0           +-------+ enipod1 (10.0.1.10/32 dev)    |   | eth0 172.31.0.50/24  |
#  | 10.0.1.10/32   | veth  |                               |   |      172.31.0.51/32  |
#  +----------------+       | eth0 10.0.0.10/24             +---+ 10.0.0.0/16 dev eth0 |
#  pod2                     | 172.31.0.0/16 dev eth0        |   | nginx on .50:80      |
#  +----------------+       |                               |   | drops udp to .51     |
#  | eth0           +-------+ enipod2 (10.0.1.11/32 dev)    |   +----------------------+
#  | 10.0.1.11/32   | veth  | vpcsnat: snat-ip 10.0.0.10,   |
#  +----------------+       |   vpc 10.0.0.0/16             |
#                           +-------------------------------+

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="who: "
flood_count=${WHO_FLOOD_COUNT:-100000}

pod1_ip=10.0.1.10
pod2_ip=10.0.1.11
node_ip=10.0.0.10
peer_ip=172.31.0.50
flood_ip=172.31.0.51
gw_ll=169.254.1.1
conns=5		# per pod

require_root
require_tools ip nginx curl nft ss conntrack cc modprobe insmod jq
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
netns_new node
netns_new peer
add_pod() { # ns address host-side-name
	veth "$1" eth0 "$node" "$3"
	ip -n "$1" addr add "$2/32" dev eth0
	ip -n "$1" route add "$gw_ll" dev eth0 scope link
	ip -n "$1" route add default via "$gw_ll" dev eth0
	ip -n "$1" neigh add "$gw_ll" dev eth0 nud permanent lladdr \
		"$(ip -n "$node" -o link show "$3" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')"
	ip -n "$node" route add "$2/32" dev "$3" scope link
}
add_pod "$pod1" "$pod1_ip" enipod1
add_pod "$pod2" "$pod2_ip" enipod2
veth "$node" eth0 "$peer" eth0
ip -n "$node" addr add "$node_ip/24" dev eth0
ip -n "$node" route add 172.31.0.0/16 dev eth0
ip -n "$peer" addr add "$peer_ip/24" dev eth0
ip -n "$peer" addr add "$flood_ip/32" dev eth0
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
	wait_for 1 grep -Eq "$peer_ip(\",\"dport\":|:)7[ ,]" "$1"
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

# check_who MODE: every nginx line through snatctl who, MODE live or log.
check_who() {
	local mode=$1 good=0 k out want_txt
	[ "$mode" = live ] && want_txt="(live," || want_txt="(from log, translated at "
	for k in "${!want[@]}"; do
		out=$(ctl who "$k" "$peer_ip:80" --log "$log" 2>&1) || true
		case "$out" in
		"pod ${want[$k]} $want_txt"*) good=$((good + 1)) ;;
		*) fail "$mode: who $k $peer_ip:80 said '$out', want pod ${want[$k]} $want_txt...)" ;;
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
	.time == null' <<<"$out" >/dev/null 2>&1; then
	pass "live: who -j gives a JSON record with source live"
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
	wait_for 5 grep -q "\"sport\":$reused,\"nat_src\":\"$node_ip\",\"nat_sport\":$reused,.*\"dport\":80" "$log"; then
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
		"pod $pod2_ip:$reused (live,"*) pass "reused port: who names the live one, pod2" ;;
		*) fail "reused port: who said '$out', want pod $pod2_ip:$reused (live, ...)" ;;
		esac
		out=$(ctl who "$a" "$peer_ip:80" --log "$log" --at "$t_mid" 2>&1) || true
		case "$out" in
		"pod $pod1_ip:$reused (from log,"*) pass "reused port: who --at (before the reuse) names pod1, from the log" ;;
		*) fail "reused port: who --at $t_mid said '$out', want pod $pod1_ip:$reused (from log, ...)" ;;
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
"1:No translation found for tcp $node_ip:1 -> $peer_ip:80") pass "an unknown connection: 'No translation found', exit 1" ;;
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
	if [[ "$line" =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:]{8}\.[0-9]{3}Z\ udp\ $pod1_ip:[0-9]+\ -\>\ $peer_ip:7\ as\ $node_ip:[0-9]+\ netns\ [0-9]+\ ct\ [0-9]+$ ]]; then
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
# 4. A flood into a stopped monitor with a tiny receive buffer: every
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
