#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run INSIDE the test VM by tests/bench/run.sh, from the
# repository root, with OUTDIR holding the lists gen.py wrote and the
# vpcsnat.ko run.sh built with the lookup benchmark. Prints "RESULT ..."
# lines that run.sh turns into the report.
#
#   pod 10.0.1.10/32 --veth-- node 10.0.0.10/24 eth0 --veth-- dst 10.0.0.1/24
#                                                        (owns 203.0.113.0/24,
#                                                         counts and drops UDP)
#
# and for IPv6 (the connection benchmark's IPv6 rows), the same shape:
#
#   pod fd00:10:0:1::10/128 --veth-- node fd00:10::10/64 --veth-- dst fd00:10::1/64
#   (default via fe80::1,                                  (owns 2001:db8:203::/120,
#    the node's MAC)                                         counts and drops UDP)
#
# Every measurement gets a fresh pod/node/dst, so no NAT table, conntrack
# entry or hook left by one mode can slow the next.

set -u
outdir=$1
secs=${BENCH_SECONDS:-3}
repeat=${BENCH_REPEAT:-3}
snatctl=$PWD/userspace/snatctl
udpgen=$outdir/udpgen
node_ip=10.0.0.10
node_ip6=fd00:10::10
fam=4	# the family of the topology topo_up builds

modprobe nf_nat
modprobe nf_conntrack
modprobe iptable_nat 2>/dev/null
modprobe nft_chain_nat 2>/dev/null
modprobe nft_fib_ipv4 2>/dev/null
modprobe ip6table_nat 2>/dev/null
modprobe nft_fib_ipv6 2>/dev/null
modprobe xt_addrtype 2>/dev/null
modprobe veth
insmod "$outdir/vpcsnat.ko" || { echo "FAIL: insmod vpcsnat.ko"; exit 1; }
sysctl -qw net.netfilter.nf_conntrack_max=4000000
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
mount -t debugfs none /sys/kernel/debug 2>/dev/null

pod= node= dst=

# topo_up [6]: the IPv4 topology, or the IPv6 one (which has no IPv4).
topo_up() {
	local s=$RANDOM$RANDOM nodemac dstmac
	fam=${1:-4}
	pod=bp$s node=bn$s dst=bd$s
	for ns in $pod $node $dst; do
		ip netns add $ns
		if [ $fam = 4 ]; then
			ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		else
			ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 \
				net.ipv6.conf.default.accept_dad=0
		fi
		ip -n $ns link set lo up
	done
	ip link add bt0$s type veth peer name bt1$s
	ip link set bt0$s netns $pod
	ip link set bt1$s netns $node
	ip -n $pod link set bt0$s name eth0
	ip -n $node link set bt1$s name vethpod
	ip link add bt2$s type veth peer name bt3$s
	ip link set bt2$s netns $node
	ip link set bt3$s netns $dst
	ip -n $node link set bt2$s name eth0
	ip -n $dst link set bt3$s name eth0
	for ns in $pod $node $dst; do ip -n $ns link set eth0 up 2>/dev/null; done
	ip -n $node link set vethpod up
	nodemac=$(ip -n $node -br link show vethpod | awk '{print $3}')
	dstmac=$(ip -n $dst -br link show eth0 | awk '{print $3}')
	if [ $fam = 6 ]; then
		topo_up6 "$nodemac" "$dstmac"
		return
	fi

	ip -n $pod addr add 10.0.1.10/32 dev eth0
	ip -n $pod route add 169.254.1.1 dev eth0 scope link
	ip -n $pod route add default via 169.254.1.1 dev eth0
	ip -n $pod neigh add 169.254.1.1 lladdr "$nodemac" dev eth0 nud permanent

	ip netns exec $node sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $node sysctl -qw net.ipv4.conf.all.rp_filter=0
	ip -n $node addr add $node_ip/24 dev eth0
	ip -n $node route add 10.0.1.10/32 dev vethpod
	ip -n $node route add default via 10.0.0.1
	ip -n $node neigh add 10.0.0.1 lladdr "$dstmac" dev eth0 nud permanent

	ip -n $dst addr add 10.0.0.1/24 dev eth0
	ip -n $dst route add local 203.0.113.0/24 dev lo
	ip netns exec $dst sysctl -qw net.ipv4.conf.all.rp_filter=0
	ip netns exec $dst nft -f - <<-NFT
	table ip count {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			ip saddr $node_ip counter
			ip protocol udp counter drop
		}
	}
	NFT
}

# The addresses and routes of the IPv6 topology, as an IPv6 EKS node has
# them: the pod's default route via fe80::1 on its veth, answered by the
# node's end (here a permanent neighbour entry, as for IPv4's 169.254.1.1).
topo_up6() {
	local nodemac=$1 dstmac=$2

	ip -n $pod -6 addr add fd00:10:0:1::10/128 dev eth0 nodad
	ip -n $pod -6 route add default via fe80::1 dev eth0
	ip -n $pod -6 neigh add fe80::1 lladdr "$nodemac" dev eth0 nud permanent

	ip netns exec $node sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n $node -6 addr add $node_ip6/64 dev eth0 nodad
	ip -n $node -6 route add fd00:10:0:1::10/128 dev vethpod
	ip -n $node -6 route add default via fd00:10::1 dev eth0
	ip -n $node -6 neigh add fd00:10::1 lladdr "$dstmac" dev eth0 nud permanent

	ip -n $dst -6 addr add fd00:10::1/64 dev eth0 nodad
	ip -n $dst -6 route add local 2001:db8:203::/120 dev lo
	ip netns exec $dst nft -f - <<-NFT
	table ip6 count {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			ip6 saddr $node_ip6 counter
			meta l4proto udp counter drop
		}
	}
	NFT
}

topo_down() {
	for ns in $pod $node $dst; do ip netns del $ns; done
}

# Datagrams that reached dst: all of them (the rule that drops them), or
# with "nat" those with the node's address as source (translated).
received() {
	ip netns exec $dst nft -j list chain ip$([ $fam = 4 ] || echo 6) count pre |
		grep -o '"packets": [0-9]*' | grep -o '[0-9]*$' |
		if [ "${1-}" = nat ]; then head -n 1; else tail -n 1; fi
}

# configure MODE NAME: the node's SNAT with the list NAME, in the family of
# the topology.
configure() {
	[ $fam = 4 ] || { configure6 "$@"; return; }
	case $1 in
	none) ;;
	vpcsnat)
		$snatctl -n $node set snat-ip $node_ip &&
		$snatctl -n $node cidr replace -f "$outdir/$2.cidrs" &&
		$snatctl -n $node enable ;;
	iptables)
		ip netns exec $node iptables-legacy-restore <"$outdir/$2.ipt" ;;
	nftables)
		ip netns exec $node nft -f "$outdir/table.nft" &&
		ip netns exec $node nft -f "$outdir/$2.nft" ;;
	esac
}

# The same for IPv6: vpcsnat with snat-ip6; the CNI's chain in ip6tables
# (RETURN for each CIDR, then SNAT to the node); the nftables ip6 set.
configure6() {
	case $1 in
	none) ;;
	vpcsnat)
		$snatctl -n $node set ipv6 on snat-ip6 $node_ip6 &&
		$snatctl -n $node cidr replace -f "$outdir/$2.cidrs" &&
		$snatctl -n $node enable ;;
	iptables)
		ip netns exec $node ip6tables-legacy-restore <"$outdir/$2.ipt" ;;
	nftables)
		ip netns exec $node nft -f "$outdir/table6.nft" &&
		ip netns exec $node nft -f "$outdir/$2.nft" ;;
	esac
}

# The VPC CNI's SNAT as network.go installs it, for a pod behind "veth"
# interfaces: the connmark chain and its restores, the SNAT chain, and the
# 1024 rule (pkg/networkutils/network.go, iptables_connmark.go).
cni_rules() {
	ip netns exec $node iptables-legacy-restore <<-IPT
	*mangle
	:PREROUTING ACCEPT [0:0]
	-A PREROUTING -i veth+ -m comment --comment "AWS, primary ENI" -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80
	COMMIT
	*nat
	:PREROUTING ACCEPT [0:0]
	:POSTROUTING ACCEPT [0:0]
	:AWS-CONNMARK-CHAIN-0 - [0:0]
	:AWS-SNAT-CHAIN-0 - [0:0]
	-A PREROUTING -i veth+ -m comment --comment "AWS, outbound connections" -j AWS-CONNMARK-CHAIN-0
	-A PREROUTING -m comment --comment "AWS, CONNMARK" -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80
	-A AWS-CONNMARK-CHAIN-0 -d 10.0.0.0/16 -m comment --comment "AWS CONNMARK CHAIN" -j RETURN
	-A AWS-CONNMARK-CHAIN-0 -m comment --comment "AWS, CONNMARK" -j CONNMARK --set-xmark 0x80/0x80
	-A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
	-A AWS-SNAT-CHAIN-0 -d 10.0.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN
	-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source $node_ip --random-fully
	COMMIT
	IPT
	ip -n $node rule add fwmark 0x80/0x80 lookup main priority 1024
}

# Datagrams a second of one established flow through the node (the mark's
# cost is per packet, where the SNAT's is per connection): no NAT at all;
# vpcsnat translating and marking (pod-ifaces veth, mark 0x80, its 1024
# rule); the VPC CNI's rules.
bench_flow() {
	local mode=$1 out sent ns got
	topo_up 4
	case $mode in
	none) ;;
	vpcsnat)
		printf '%s\n' "enabled yes" "snat-ip $node_ip" "pod-ifaces veth" "mark 0x80" \
			"cidr 10.0.0.0/16 vpc" | $snatctl -n $node apply -f - ;;
	cni) cni_rules ;;
	esac
	out=$(ip netns exec $pod "$udpgen" flow 203.0.113.9 "$secs")
	got=$(received)
	read -r _ sent _ _ _ ns <<<"$out"
	echo "RESULT flow $mode $((got * 1000000000 / ns)) sent=$sent got=$got"
	topo_down
}

# New connections a second through the node, IPv4 (RESULT conn) or IPv6
# (RESULT conn6).
bench_conn() {
	local f=$1 mode=$2 name=$3 size=$4 out sent ns got what=conn base=203.0.113.0
	[ $f = 4 ] || what=conn6 base=2001:db8:203::
	topo_up $f
	if ! configure "$mode" "$name" >/dev/null; then
		echo "RESULT $what $mode $size error"
		topo_down
		return
	fi
	out=$(ip netns exec $pod "$udpgen" flood $base 256 "$secs")
	got=$(received)
	read -r _ sent _ _ _ ns <<<"$out"
	echo "RESULT $what $mode $size $((got * 1000000000 / ns)) sent=$sent got=$got nat=$(received nat)"
	topo_down
}

# Seconds to replace a table of SIZE (list NAME-a) by another (NAME-b).
bench_replace() {
	local mode=$1 name=$2 size=$3 t0 t1 ok=1
	topo_up
	configure "$mode" "$name-a" >/dev/null || ok=0
	t0=$(date +%s%N)
	if [ $ok = 1 ]; then
		case $mode in
		vpcsnat)
			timeout 600 $snatctl -n $node cidr replace -f "$outdir/$name-b.cidrs" || ok=0 ;;
		iptables)
			timeout 600 ip netns exec $node iptables-legacy-restore <"$outdir/$name-b.ipt" || ok=0 ;;
		nftables)
			timeout 600 ip netns exec $node nft -f "$outdir/$name-b.nft" || ok=0 ;;
		esac
	fi
	t1=$(date +%s%N)
	if [ $ok = 1 ]; then
		echo "RESULT replace $mode $size $(( (t1 - t0) / 1000000 ))"
	else
		echo "RESULT replace $mode $size error"
	fi
	topo_down
}

# Packets lost while the table is replaced again and again under traffic.
bench_loss() {
	local name=$1 size=$2 i out1 out2 sent1 sent2 got f1 f2
	topo_up
	configure vpcsnat "$name-a" >/dev/null
	ip netns exec $pod "$udpgen" steady 203.0.113.7 500 "$3" same >/tmp/loss-same &
	ip netns exec $pod "$udpgen" steady 203.0.113.8 500 "$3" new >/tmp/loss-new &
	i=0
	while [ -n "$(jobs -r)" ]; do
		$snatctl -n $node cidr replace -f "$outdir/$name-$([ $((i % 2)) = 0 ] && echo b || echo a).cidrs" && i=$((i + 1))
	done
	wait
	read -r _ sent1 _ f1 _ </tmp/loss-same
	read -r _ sent2 _ f2 _ </tmp/loss-new
	got=$(received)
	echo "RESULT loss $size replaces=$i sent=$((sent1 + sent2)) failed=$((f1 + f2)) got=$got"
	topo_down
}

# Milliseconds for one cidr add and one cidr del (each a whole snatctl run)
# in the initial netns, with the table holding list NAME.
bench_incremental() {
	local size=$1 name=$2 t0 t1 t2
	$snatctl cidr replace -f "$outdir/$name.cidrs" >/dev/null || return
	t0=$(date +%s%N)
	$snatctl cidr add 203.0.113.0/24 exclude
	t1=$(date +%s%N)
	$snatctl cidr del 203.0.113.0/24
	t2=$(date +%s%N)
	echo "RESULT incremental $size add $(( (t1 - t0) / 1000000 )) del $(( (t2 - t1) / 1000000 ))"
}

# lookup SIZE NAME [6 [TAG]]: RESULT lookupTAG (default: lookup for IPv4,
# lookup6 for IPv6), the table list NAME.
lookup() {
	local size=$1 name=$2 f=${3:-} tag=${4-${3:-}} out
	$snatctl cidr replace -f "$outdir/$name.cidrs" >/dev/null || {
		echo "RESULT lookup$tag $size error"; return; }
	echo "${BENCH_LOOKUPS:-20000000}" >/sys/kernel/debug/vpcsnat/lookup_bench$f
	out=$(cat /sys/kernel/debug/vpcsnat/lookup_bench$f)
	echo "RESULT lookup$tag $size $out"
}

echo "INFO kernel $(uname -r), $(nproc) vCPUs, $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"

# Rounds interleave the sizes (and below, the modes), so that a slow
# moment of the host under TCG does not fall on one column only.
for r in $(seq "$repeat"); do
	for s in ${BENCH_LOOKUP_SIZES-10 1k 10k 100k 1m}; do
		lookup $s l$s
	done
	for s in ${BENCH_LOOKUP6_SIZES-10 1m}; do
		lookup $s lmix-$s "" mix
		lookup $s l6-$s 6
	done
done
$snatctl cidr flush
for s in ${BENCH_LOOKUP_SIZES-10 1k 10k 100k 1m}; do
	bench_incremental $s l$s
done
$snatctl cidr flush

# IPv4 and IPv6 of a size share the rounds, each mode's IPv6 run right
# after its IPv4 one, so that the IPv6/IPv4 ratios compare the same moment.
conn4=" ${BENCH_CONN_SIZES-0 100 1k 10k} "
conn6=" ${BENCH_CONN6_SIZES-0 10k} "
for s in $(printf '%s\n' $conn4 $conn6 | awk '!seen[$0]++'); do
	for r in $(seq "$repeat"); do
		for mode in none vpcsnat nftables iptables; do
			[[ $conn4 != *" $s "* ]] || bench_conn 4 $mode c$s $s
			[[ $conn6 != *" $s "* ]] || bench_conn 6 $mode c6-$s $s
		done
	done
done

if [ -n "${BENCH_FLOW-1}" ]; then
	for r in $(seq "$repeat"); do
		for mode in none vpcsnat cni; do
			bench_flow $mode
		done
	done
fi

for s in ${BENCH_REPLACE_SIZES-1k 100k 1m}; do
	for mode in vpcsnat nftables iptables; do
		bench_replace $mode r$s $s
	done
done

loss=${BENCH_LOSS_SIZE-100k}
[ -z "$loss" ] || bench_loss r$loss $loss "${BENCH_LOSS_SECONDS:-20}"
echo "RESULT done"
