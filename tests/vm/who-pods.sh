#!/bin/bash
# shellcheck disable=SC2317,SC2015 # functions run through traps and wait_for; pass never fails
# shellcheck disable=SC2154 # netns_new names $node_a, $pod_a... by reference
# shellcheck disable=SC2016 # bash -c '... "$0" "$@"' expands in that bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of naming the pod and the node behind a node-IP
# connection, run as root inside the test VM:
#
#   tests/vm/run.sh -- tests/vm/who-pods.sh
#
# Node A's pods get their addresses the way the VPC CNI gives them: its
# IPAM checkpoint (/var/run/aws-node/ipam.json, the default path, made
# only after snatctl log started) rewritten as the CNI writes it, a
# temporary file and a rename, and the container runtime's CNI result cache
# (/var/lib/cni/results) written in place. First in the v1.11+ format (pod
# names in the checkpoint): pods A and B connect, A ends, its address goes
# to pod C, C connects. Then in the pre-1.11 format (no names: the cache
# has them): C ends, its address goes to pod E. Every line the server
# logged ($remote_addr:$remote_port) must resolve to the right
# NAMESPACE/NAME, live and after `conntrack -F`, before and after each
# reuse. Then node B, with its own settings, pods, files and log, and a
# hostname of its own, behind the same router: `snatctl who --log DIR` over
# both nodes' logs names the right node and pod for every line.
#
#  pod a/c/e 10.0.1.10 --+ node-a (own UTS)            router              peer
#  pod b     10.0.1.11 --+ eth0 10.0.0.10/24 ----- r-a 10.0.0.1/24
#                                                  r-p 172.31.0.1/24 --- 172.31.0.50 nginx
#  pod x     10.0.17.10 -+ node-b (own UTS)        r-b 10.0.16.1/24       (10.0.0.0/16 via r)
#  pod y     10.0.17.11 -+ eth0 10.0.16.10/24 ---/
#                          both: vpcsnat snat-ip = eth0's, vpc 10.0.0.0/16

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="who-pods: "

node_a_ip=10.0.0.10
node_b_ip=10.0.16.10
peer_ip=172.31.0.50
conns=3		# per pod and phase

require_root
require_tools ip nginx curl conntrack insmod jq unshare sha256sum
require_built "$snatctl"
[ -e /sys/module/vpcsnat ] || require_built "$ko"
make_tmp vpcsnat-who-pods
load_vpcsnat || { fail "cannot load $ko"; exit 1; }

stop_bg() { kill "$1" 2>/dev/null; }

#
# Topology
#
netns_new node_a
netns_new node_b
netns_new router
netns_new peer
veth "$node_a" eth0 "$router" r-a
veth "$node_b" eth0 "$router" r-b
veth "$router" r-p "$peer" eth0
ip -n "$router" addr add 10.0.0.1/24 dev r-a
ip -n "$router" addr add 10.0.16.1/24 dev r-b
ip -n "$router" addr add 172.31.0.1/24 dev r-p
ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1
ip -n "$peer" addr add "$peer_ip/24" dev eth0
ip -n "$peer" route add 10.0.0.0/16 via 172.31.0.1
for n in a b; do
	ns=node_$n ip=node_${n}_ip
	ip -n "${!ns}" addr add "${!ip}/24" dev eth0
	ip -n "${!ns}" route add default via "${!ip%.*}.1"
	ip netns exec "${!ns}" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "${!ns}" "$snatctl" set snat-ip "${!ip}" >/dev/null
	ip netns exec "${!ns}" "$snatctl" cidr add 10.0.0.0/16 vpc >/dev/null
	ip netns exec "${!ns}" "$snatctl" enable >/dev/null
done

# shellcheck disable=SC2016 # nginx's variables, not ours
start_nginx "$peer" "$peer_ip" "$tmp/www" '$remote_addr:$remote_port $request_uri' ||
	{ fail "nginx did not listen on $peer_ip:80"; exit 1; }

# pod_up VAR NODE IP HOSTIF: a pod netns (its name in $VAR) with IP, behind NODE.
pod_up() {
	local var=$1 node=$2 addr=$3 hostif=$4 ns
	netns_new "$var" || return 1
	ns=${!var}
	cni_pod "$ns" "$addr" "$node" "$hostif"
}
pod_down() { netns_destroy "$1"; }

#
# The files, as their writers write them (see userspace/pods.c).
#
cid() { printf '%s' "$1" | sha256sum | cut -c1-64; }
uid() { cid "uid-$1" | sed 's/^\(.\{8\}\)\(.\{4\}\).\(.\{3\}\).\(.\{3\}\)\(.\{12\}\).*/\1-\2-4\3-8\4-\5/'; }
# entry NAME NS IP: a v1.11+ allocation; old_entry NAME IP: a v1.7-v1.10 one.
entry() {
	printf '{"networkName":"aws-cni","containerID":"%s","ifName":"eth0","ipv4":"%s","allocationTimestamp":%s,"metadata":{"k8sPodNamespace":"%s","k8sPodName":"%s","interfacesCount":1}}' \
		"$(cid "$1")" "$3" "$(date +%s%N)" "$2" "$1"
}
old_entry() {
	printf '{"networkName":"aws-cni","containerID":"%s","ifName":"eth0","ipv4":"%s"}' "$(cid "$1")" "$2"
}
# checkpoint FILE ENTRY...: ipamd's JSONFile.Checkpoint(): FILE.tmpN, then rename.
checkpoint() {
	local f=$1 t
	shift
	t="$f.tmp$RANDOM$RANDOM"
	(IFS=,; printf '{"version":"vpc-cni-ipam/1","allocations":[%s]}\n' "$*") >"$t"
	mv "$t" "$f"
}
# cache DIR NAME NS IP: libcni's cacheAdd(), os.WriteFile in place; uncache DIR NAME: cacheDel().
cache() {
	local c
	c=$(cid "$2")
	printf '{"kind":"cniCacheV1","containerId":"%s","config":"e30=","ifName":"eth0","networkName":"aws-cni","cniArgs":[["K8S_POD_UID","%s"],["IgnoreUnknown","1"],["K8S_POD_NAMESPACE","%s"],["K8S_POD_NAME","%s"],["K8S_POD_INFRA_CONTAINER_ID","%s"]],"result":{"cniVersion":"0.4.0","dns":{},"interfaces":[{"name":"eni0"},{"name":"eth0","sandbox":"/var/run/netns/x"}],"ips":[{"address":"%s/32","interface":1,"version":"4"}]}}' \
		"$c" "$(uid "$2")" "$3" "$2" "$c" "$4" >"$1/aws-cni-$c-eth0"
}
uncache() { rm -f "$1/aws-cni-$(cid "$2")-eth0"; }

#
# Requests: each nginx line, and the pod and node it must resolve to.
#
declare -A want		# node address:port -> "NS/NAME (IP:PORT), node HOST [INSTANCE-ID]"
declare -A instance	# hostname -> instance ID its metadata gives, if any
next_port=30000
logged() { grep -q " $1\$" "$tmp/www/access.log" 2>/dev/null; }
seen() { grep " $1\$" "$tmp/www/access.log" | tail -n 1 | cut -d' ' -f1; }
# get POD-NS IP NAMESPACE/NAME HOST: one request; want[] learns what nginx saw.
get() {
	local ns=$1 addr=$2 who=$3 host=$4 path code
	next_port=$((next_port + 1))
	path=/$host-${who//\//-}-$next_port
	code=$(ip netns exec "$ns" curl -sS -o /dev/null -w '%{http_code}' --connect-timeout 5 \
		--max-time 10 --local-port "$next_port" "http://$peer_ip$path" 2>/dev/null) || true
	if [ "$code" = 200 ] && wait_for 5 logged "$path"; then
		want[$(seen "$path")]="$who ($addr:$next_port), node $host${instance[$host]:+ ${instance[$host]}}"
		return 0
	fi
	fail "request $path from $who failed ($code)"
	return 1
}
# gets POD-NS IP NAMESPACE/NAME HOST: $conns requests.
gets() {
	local ok=0 _
	for _ in $(seq 1 "$conns"); do
		get "$@" && ok=$((ok + 1))
	done
	[ "$ok" = "$conns" ] && pass "$3 on $4: $ok requests reached the server"
}

# check_who NAME MODE LOG [KEY...]: each nginx line (all, or KEY...) through
# snatctl who on node A (MODE live: the conntrack table first; dir: --log
# is every node's logs), which must name the pod and node want[] says.
check_who() {
	local name=$1 mode=$2 log=$3 good=0 n=0 k out src
	shift 3
	[ $# -gt 0 ] || set -- "${!want[@]}"
	case $mode in
	live) src="(live," ;;
	*) src="(from log, translated at " ;;
	esac
	for k; do
		n=$((n + 1))
		out=$(ip netns exec "$node_a" "$snatctl" who "$k" "$peer_ip:80" --log "$log" 2>&1) || true
		case "$out" in
		"pod ${want[$k]} $src"*) good=$((good + 1)) ;;
		*) fail "$name: who $k said '$out', want 'pod ${want[$k]} $src...'" ;;
		esac
	done
	[ "$good" = "$n" ] && pass "$name: who named the right pod and node for all $n nginx lines"
}

#
# 1. Node A: snatctl log before the CNI's directory exists; v1.11+ checkpoint.
#
ipam_dir=/var/run/aws-node results=/var/lib/cni/results
rm -rf "$ipam_dir" "$results"
mkdir -p "$tmp/logs/node-a" "$tmp/logs/b"
log_a=$tmp/logs/node-a/translations.jsonl
unshare --uts bash -c 'hostname node-a && exec "$0" "$@"' "$snatctl" -n "$node_a" log \
	--file "$log_a" --max-size 2048 --keep 50 2>"$tmp/log-a.err" &
log_a_pid=$!
on_exit stop_bg "$log_a_pid"
# It has joined once the directory it waits for is watched: give it a moment's proof.
wait_for 10 grep -q "Cannot watch $ipam_dir" "$tmp/log-a.err" &&
	pass "snatctl log started before $ipam_dir exists, and said so" ||
	fail "snatctl log did not say it waits for $ipam_dir: $(head -c 300 "$tmp/log-a.err")"

pod_up pod_a "$node_a" 10.0.1.10 enipoda
pod_up pod_b "$node_a" 10.0.1.11 enipodb
mkdir -p "$ipam_dir" "$results"
checkpoint "$ipam_dir/ipam.json" "$(entry web-a default 10.0.1.10)" "$(entry api-b shop 10.0.1.11)"
cache "$results" web-a default 10.0.1.10
cache "$results" api-b shop 10.0.1.11
# The first record proves the log listens; its pod proves it read the files.
named() { get "$pod_a" 10.0.1.10 default/web-a node-a >/dev/null 2>&1 &&
	grep -q '"pod_name":"web-a"' "$log_a" 2>/dev/null; }
if wait_for 20 named; then
	pass "v1.11+: the record names default/web-a, read from the checkpoint made after the start"
else
	fail "v1.11+: no record names web-a within 20 s: $(tail -n 1 "$log_a" 2>/dev/null)"
fi
want=()
gets "$pod_a" 10.0.1.10 default/web-a node-a
gets "$pod_b" 10.0.1.11 shop/api-b node-a
# One of pod A's lines, for who -j after the reuse.
for k in "${!want[@]}"; do
	case ${want[$k]} in default/web-a*) line_a=$k ;; esac
done

# Pod A ends: the CNI unassigns its address, the runtime drops its cache.
pod_down "$pod_a"
checkpoint "$ipam_dir/ipam.json" "$(entry api-b shop 10.0.1.11)"
uncache "$results" web-a
# Its address goes to pod C (the CNI's cooldown is not ours to wait for).
pod_up pod_c "$node_a" 10.0.1.10 enipodc
checkpoint "$ipam_dir/ipam.json" "$(entry api-b shop 10.0.1.11)" "$(entry web-c default 10.0.1.10)"
cache "$results" web-c default 10.0.1.10
gets "$pod_c" 10.0.1.10 default/web-c node-a
rec=$(grep '"pod_name":"web-c"' "$log_a" | tail -n 1)
jq -e --arg c "$(cid web-c)" --arg u "$(uid web-c)" '.pod_namespace == "default" and
	.pod_source == "ipam" and .container_id == $c and .pod_uid == $u and .hostname == "node-a" and
	(.boot_id | length) == 36 and .instance_id == null' <<<"$rec" >/dev/null 2>&1 &&
	pass "v1.11+: the record has namespace, name, container ID, the cache's UID, the node" ||
	fail "v1.11+: record $rec"

check_who "v1.11+, live, after the reuse" live "$log_a"
ip netns exec "$node_a" conntrack -F 2>/dev/null
check_who "v1.11+, from the log, after the reuse" log "$log_a"
out=$(ip netns exec "$node_a" "$snatctl" -j who "${line_a:-none}" "$peer_ip:80" --log "$log_a" 2>&1) || true
jq -e '.source == "log" and .pod_name == "web-a" and .hostname == "node-a"' <<<"$out" >/dev/null 2>&1 &&
	pass "who -j gives the pod's and the node's fields" || fail "who -j: $out"

#
# 2. The pre-1.11 checkpoint: no names, the runtime's cache has them.
#
checkpoint "$ipam_dir/ipam.json" "$(old_entry api-b 10.0.1.11)" "$(old_entry web-c 10.0.1.10)"
want=()
gets "$pod_c" 10.0.1.10 default/web-c node-a
pod_down "$pod_c"
checkpoint "$ipam_dir/ipam.json" "$(old_entry api-b 10.0.1.11)"
uncache "$results" web-c
pod_up pod_e "$node_a" 10.0.1.10 enipode
checkpoint "$ipam_dir/ipam.json" "$(old_entry api-b 10.0.1.11)" "$(old_entry web-e 10.0.1.10)"
cache "$results" web-e tools 10.0.1.10
gets "$pod_e" 10.0.1.10 tools/web-e node-a
gets "$pod_b" 10.0.1.11 shop/api-b node-a
rec=$(grep '"pod_name":"web-e"' "$log_a" | tail -n 1)
jq -e '.pod_namespace == "tools" and .pod_source == "cni-cache"' <<<"$rec" >/dev/null 2>&1 &&
	pass "pre-1.11: the record's name comes from the cache" || fail "pre-1.11: record $rec"
check_who "pre-1.11, live, after the reuse" live "$log_a"
ip netns exec "$node_a" conntrack -F 2>/dev/null
check_who "pre-1.11, from the log, after the reuse" log "$log_a"
[ -e "$log_a.1" ] && pass "node A's log rotated ($(find "$tmp/logs/node-a" -type f | wc -l) files)" ||
	fail "node A's log did not rotate at 2048 bytes"

#
# 3. Node B, behind the same router: its own files, log and hostname.
#
b_ipam=$tmp/node-b/aws-node/ipam.json b_results=$tmp/node-b/cni/results
mkdir -p "${b_ipam%/*}" "$b_results"
pod_up pod_x "$node_b" 10.0.17.10 enipodx
pod_up pod_y "$node_b" 10.0.17.11 enipody
checkpoint "$b_ipam" "$(entry worker-x batch 10.0.17.10)"
# Node B's second network card has pod Y.
checkpoint "${b_ipam%.json}-nic-1.json" "$(entry cache-y default 10.0.17.11)"
log_b=$tmp/logs/b/node-b.jsonl
# Node B's instance ID from a metadata stub on its own loopback (node A has
# none: its records say null).
instance[node-b]=i-0b0b0b0b0b0b0b0b1
echo "{\"instance_id\": \"${instance[node-b]}\"}" >"$tmp/imds.json"
ip netns exec "$node_b" python3 "$repo/tests/vm/imds-stub.py" --addr 127.0.0.1 --port 0 \
	--control "$tmp/imds.json" --log "$tmp/imds.log" --ready "$tmp/imds.ready" &
on_exit stop_bg "$!"
wait_for 15 test -s "$tmp/imds.ready" || fail "the metadata stub did not start"
AWS_EC2_METADATA_DISABLED='' AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$(cat "$tmp/imds.ready")" \
	unshare --uts bash -c 'hostname node-b && exec "$0" "$@"' "$snatctl" -n "$node_b" log \
	--file "$log_b" --ipam "$b_ipam" --cni-results "$b_results" 2>"$tmp/log-b.err" &
log_b_pid=$!
on_exit stop_bg "$log_b_pid"
# Until its log has joined, a request is not logged: these are not in want[].
named_b() {
	ip netns exec "$pod_x" curl -s -o /dev/null --max-time 5 "http://$peer_ip/node-b-probe"
	grep -q '"pod_name":"worker-x"' "$log_b" 2>/dev/null
}
wait_for 20 named_b && pass "node B's log names its pods" ||
	fail "node B's log: $(head -c 300 "$tmp/log-b.err")"
gets "$pod_x" 10.0.17.10 batch/worker-x node-b
gets "$pod_y" 10.0.17.11 default/cache-y node-b
gets "$pod_e" 10.0.1.10 tools/web-e node-a
n=$(for k in "${!want[@]}"; do echo "${k%%:*}"; done | sort -u | tr '\n' ' ')
[ "$n" = "$node_a_ip $node_b_ip " ] && pass "the server saw both nodes: $n" || fail "the server saw: $n"
check_who "two nodes, who --log DIR" dir "$tmp/logs"
rec=$(grep -m1 '"pod_name":"worker-x"' "$log_b")
jq -e --arg i "${instance[node-b]}" '.instance_id == $i and .hostname == "node-b"' <<<"$rec" >/dev/null 2>&1 &&
	pass "node B's records carry its instance ID, from instance metadata" ||
	fail "node B's record: $rec; $(head -c 300 "$tmp/log-b.err")"
out=$(ip netns exec "$node_a" "$snatctl" who "$node_b_ip:$(jq -r .nat_sport <<<"$rec")" "$peer_ip:80" \
	--log "$tmp/logs" 2>&1) || true
case "$out" in
*"node node-b ${instance[node-b]} ("*) pass "who names node B by hostname and instance ID: $out" ;;
*) fail "who for node B's record said: $out" ;;
esac
kill -TERM "$log_a_pid" "$log_b_pid"
wait "$log_a_pid" && wait "$log_b_pid" && pass "both logs exit 0 on SIGTERM" ||
	fail "a log exited non-zero: $(cat "$tmp/log-a.err" "$tmp/log-b.err" | head -c 300)"
bytes=$(wc -c <"$log_b") lines=$(wc -l <"$log_b")
echo "note: node B's records average $((bytes / lines)) bytes ($lines records)"
rm -rf "$ipam_dir" "$results"
finish
