# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The stress/fault topology, built inside the VM (sourced after lib.sh):
#
#   pod1 10.0.1.11 --+
#   pod2 10.0.1.12 --+-- node --- up0 192.0.2.1 (+ .2, .3) ---- srv 192.0.2.254
#   pod3 10.0.1.13 --+            (vpcsnat runs here)             10.0.9.1  (vpc)
#                                                                 10.0.9.2  (snat entry)
#                                                                 203.0.113.1 (internet)
#
# Each server address runs `udpprobe serve`, which answers with the source
# address it saw. topo_up [NODE_ADDRS...] (default: 192.0.2.1 .2 .3).
#
# The namespaces are $node, $srv, $pod1, $pod2 and $pod3 (netns_new gives
# them a random suffix); the pods are named by label in $pods, and a label's
# namespace is ${!label}. The node's interface to a pod is named after it.

# shellcheck disable=SC2154 # netns_new names $node, $srv, $pod1... by reference
require_tools conntrack ss sysctl
pods="pod1 pod2 pod3"
pod_ip() { echo "10.0.1.1${1#pod}"; }
dsts="10.0.9.1 10.0.9.2 203.0.113.1"

topo_up() {
	local p addrs=${*:-192.0.2.1 192.0.2.2 192.0.2.3} a
	netns_new node
	netns_new srv
	ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
	for p in $pods; do
		netns_new "$p"
		veth "${!p}" eth0 "$node" "$p"
		ip -n "${!p}" addr add "$(pod_ip "$p")/24" dev eth0
		ip -n "${!p}" route add default via 10.0.1.1
		# scope link: never picked as a source by auto mode
		ip -n "$node" addr add 10.0.1.1/32 dev "$p" scope link
		ip -n "$node" route add "$(pod_ip "$p")/32" dev "$p"
	done
	veth "$node" up0 "$srv" eth0
	for a in $addrs; do
		ip -n "$node" addr add "$a/24" dev up0
	done
	ip -n "$node" route add 10.0.9.0/24 via 192.0.2.254
	ip -n "$node" route add 203.0.113.0/24 via 192.0.2.254
	ip -n "$srv" addr add 192.0.2.254/24 dev eth0
	for a in $dsts; do
		ip -n "$srv" addr add "$a/32" dev eth0
		ip netns exec "$srv" "$udpprobe" serve "$a" 7777 &
		srv_pids="${srv_pids-} $!"
	done
	ip -n "$srv" route add 10.0.1.0/24 via 192.0.2.1
	wait_for 30 servers_bound || fail "topology: the servers did not bind within 30 s"
}

servers_bound() {
	[ "$(ip netns exec "$srv" ss -Hlun 'sport = :7777' | wc -l)" -ge 3 ]
}

topo_down() {
	local p
	# shellcheck disable=SC2086
	[ -z "${srv_pids-}" ] || { kill $srv_pids; wait $srv_pids; } 2>/dev/null
	srv_pids=""
	for p in $pods; do
		netns_destroy "${!p-}"
	done
	netns_destroy "${node-}" "${srv-}"
}

# probe POD DST COUNT: "reply ADDR" / "noreply" lines
probe() {
	ip netns exec "${!1}" "$udpprobe" probe "$2" 7777 "$3" 2000
}

# expect_exact WHAT WANT_VPC WANT_SNAT WANT_INET COUNT: every pod probes
# every server COUNT times; each reply must name exactly the wanted address
# ("pod" stands for the pod's own address). The node's conntrack table is
# flushed first: a probe whose ephemeral port an earlier prober used would
# otherwise match that flow's live entry and keep its old translation,
# which is right for a flow but not what this checks (the decision for a
# new connection under the configuration in force).
expect_exact() {
	local what=$1 count=$5 p d want got bad="" n=0
	ip netns exec "$node" conntrack -F >/dev/null 2>&1 || note "$what: conntrack -F failed in the node"
	for p in $pods; do
		for d in $dsts; do
			case "$d" in
			10.0.9.1) want=$2 ;;
			10.0.9.2) want=$3 ;;
			*) want=$4 ;;
			esac
			[ "$want" = pod ] && want=$(pod_ip "$p")
			got=$(probe "$p" "$d" "$count" | sort | uniq -c | tr -s ' ' | tr '\n' ',')
			n=$((n + count))
			[ "$got" = " $count reply $want," ] || bad="$bad $p->$d: want $want, got$got;"
		done
	done
	if [ -z "$bad" ]; then
		pass "$what: $n probes, every server saw the expected address"
	else
		fail "$what:$bad"
	fi
}
