# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The vocabulary of the shell tests that run inside the test VM: every test
# in tests/vm/ and, through tests/kernel/lib.sh, the debug-kernel suites
# source this file and define none of it themselves. Sourcing it sets the
# one EXIT trap; a script adds what must be undone to it with on_exit.
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   prefix="who: "          # each check prints "PASS: who: ..."; "" for none
#   require_root; require_tools ip nft; require_built "$snatctl"
#   make_tmp vpcsnat-who    # $tmp, /tmp/vpcsnat-who.XXXXXX, removed at exit
#   netns_new node          # $node is node-SUFFIX, lo up, deleted at exit
#   netns_new same samevpc  # $same is samevpc-SUFFIX
#   veth "$pod" eth0 "$node" enipod0
#   pass "..."; fail "..."; skip "..."; check NAME COMMAND...
#   finish                  # prints the counts; exit 0 if nothing failed

# shellcheck disable=SC2034 # for the scripts that source this
ksft_skip=4	# kselftest's status for "could not run here"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
snatctl=${SNATCTL:-$repo/userspace/snatctl}
ko=${VPCSNAT_KO:-$repo/module/vpcsnat.ko}
# The VM has no instance metadata service: snatctl must not wait for one.
# A test that wants one runs tests/vm/imds-stub.py and says where it is.
export AWS_EC2_METADATA_DISABLED=true

#
# Results: one line per check, counted.
#
prefix=""
quiet=0		# 1: FAIL lines only (scenario.sh --demo)
passed=0
failed=0
skipped=0

pass() {
	passed=$((passed + 1))
	[ "$quiet" = 1 ] || echo "PASS: $prefix$*"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL: $prefix$*"
}

skip() {
	skipped=$((skipped + 1))
	[ "$quiet" = 1 ] || echo "SKIP: $prefix$*"
}

# finish: the counts, then exit 0 if no check failed, else 1.
finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ] || exit 1
	exit 0
}

# What the whole script needs, or one SKIP line and exit 4.
skip_all() {
	echo "SKIP: $prefix$*"
	exit "$ksft_skip"
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "must run as root (inside the VM)"
}

require_tools() { # TOOL...
	local t
	for t; do
		command -v "$t" >/dev/null || skip_all "needs $t"
	done
}

require_built() { # FILE...
	local f
	for f; do
		[ -e "$f" ] || skip_all "$f not built"
	done
}

# check NAME COMMAND...: PASS NAME if COMMAND succeeds, else FAIL with the
# start of its output. Returns COMMAND's status.
check() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		pass "$name"
	else
		fail "$name: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
	fi
	return "$rc"
}

# run NAME STATUS COMMAND...: PASS NAME if COMMAND exits with STATUS. Its
# output stays in $tmp/out and $tmp/err for the checks that follow.
run() {
	local name=$1 want=$2 got=0
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name: exit $got, want $want; stderr: $(head -n 3 "$tmp/err")"
	fi
}

# same NAME FILE TEXT: PASS NAME if FILE holds exactly TEXT.
same() {
	if [ "$(cat "$2")" = "$3" ]; then
		pass "$1"
	else
		fail "$1: got [$(cat "$2")] want [$3]"
	fi
}

# same_file NAME FILE1 FILE2: PASS NAME if the two files are the same.
same_file() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1: $(diff "$2" "$3" | head -n 10)"
	fi
}

#
# Cleanup: one EXIT trap runs what on_exit gave it, the latest first.
#
cleanups=()

on_exit() { # COMMAND [ARG...]
	cleanups=("$(printf '%q ' "$@")" "${cleanups[@]}")
}

run_cleanups() {
	local c
	set +e
	for c in "${cleanups[@]}"; do
		eval "$c"
	done
	cleanups=()
}
trap run_cleanups EXIT

# make_tmp NAME: a new directory /tmp/NAME.XXXXXX in $tmp, removed at exit.
make_tmp() {
	tmp=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	on_exit rm -rf "$tmp"
}

#
# Network namespaces, all named NAME-SUFFIX with one random SUFFIX per run.
#
netns_suffix=$(mktemp -u XXXXXXXX)

# netns_new VAR [NAME]: a netns NAME-SUFFIX (NAME is VAR if not given) with
# lo up, its name in $VAR; destroyed at exit.
netns_new() {
	local __ns=${2:-$1}-$netns_suffix
	ip netns add "$__ns" || return 1
	on_exit netns_destroy "$__ns"
	ip -n "$__ns" link set lo up || return 1
	printf -v "$1" '%s' "$__ns"
}

# netns_destroy NS...: stop what runs in each namespace, then delete it.
netns_destroy() {
	local ns
	for ns; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# veth NS1 IF1 NS2 IF2: a veth pair between two netns, both ends up. Made
# with temporary names in the initial netns and renamed where it lands: a
# pair created under its final names would clash with an interface of the
# initial netns that has the same name.
veth() {
	local tmp1=vt$RANDOM$RANDOM tmp2=vt$RANDOM$RANDOM
	ip link add "$tmp1" type veth peer name "$tmp2" &&
		ip link set "$tmp1" netns "$1" &&
		ip link set "$tmp2" netns "$3" &&
		ip -n "$1" link set "$tmp1" name "$2" &&
		ip -n "$3" link set "$tmp2" name "$4" &&
		ip -n "$1" link set "$2" up &&
		ip -n "$3" link set "$4" up
}

# cni_pod NS ADDR NODE HOSTIF: a pod attached the VPC CNI's way (its
# cmd/routed-eni-cni-plugin/driver): ADDR/32 on the pod's eth0, a default
# route via the link-local 169.254.1.1 reached through a permanent
# neighbour entry for the host side's MAC, and on HOSTIF, the host side in
# NODE, a /32 route back to the pod.
cni_pod() {
	local mac
	veth "$1" eth0 "$3" "$4" || return 1
	ip -n "$1" addr add "$2/32" dev eth0
	ip -n "$1" route add 169.254.1.1 dev eth0 scope link
	ip -n "$1" route add default via 169.254.1.1 dev eth0
	mac=$(ip -n "$3" -o link show "$4" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	ip -n "$1" neigh add 169.254.1.1 dev eth0 lladdr "$mac" nud permanent
	ip -n "$3" route add "$2/32" dev "$4" scope link
}

# rules_1024 [-6]: how many "fwmark 0x80/0x80 lookup main priority 1024"
# rules the netns $node names holds: IPv4's, or with -6 IPv6's.
# shellcheck disable=SC2120 # -6 is optional
rules_1024() { ip -n "$node" "$@" rule show priority 1024 | grep -c 'fwmark 0x80/0x80 lookup main' || true; }

# node_snatctl ARGS...: snatctl in the netns $node names; its output, or, if
# it fails, one FAIL line with what it said.
node_snatctl() {
	local out
	if ! out=$(ip netns exec "$node" "$snatctl" "$@" 2>&1); then
		fail "snatctl $*: ${out:-failed}"
		return 1
	fi
	printf '%s\n' "$out"
}

# A bounded poll: wait_for SECONDS COMMAND... retries every 0.1 s.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

#
# The module and its tool
#
# load_vpcsnat: insmod $ko unless vpcsnat is loaded; nf_nat first, as
# insmod does not resolve dependencies (built in on the debug kernel).
load_vpcsnat() {
	[ ! -e /sys/module/vpcsnat ] || return 0
	modprobe -q nf_nat 2>/dev/null || true
	insmod "$ko"
}

# unload_vpcsnat: rmmod the KUnit module and vpcsnat, those loaded.
unload_vpcsnat() {
	[ ! -e /sys/module/vpcsnat_test ] || rmmod vpcsnat_test
	[ ! -e /sys/module/vpcsnat ] || rmmod vpcsnat
}

# nobody COMMAND...: COMMAND as user nobody, without capabilities.
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

# kernel_log_clean SINCE: one check, that the kernel log after its first
# SINCE lines has no WARNING, BUG, Oops or Call Trace; if it has, they and
# the end of the log are printed.
kernel_log_clean() {
	local splat
	splat=$(dmesg | tail -n +"$(($1 + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace' | head -n 3)
	if [ -z "$splat" ]; then
		pass "kernel log has no WARNING/BUG/Oops/Call Trace"
	else
		fail "kernel log: $(printf '%s' "$splat" | tr '\n' '|')"
		dmesg | tail -n +"$(($1 + 1))" | tail -n 40
	fi
}

# writable_modules KVER: /lib/modules/KVER, read only on the VM's root, made
# a writable copy (links to the files, its own modules.* for depmod) until
# exit, so that dkms and depmod can install into it as on a node.
writable_modules() {
	local kver=$1 mods orig f
	mods=$(mktemp -d /tmp/modules.XXXXXX) orig=$(mktemp -d /tmp/modules-orig.XXXXXX)
	on_exit rm -rf "$mods" "$orig"
	# The links must not go through /lib/modules/KVER once the copy covers it.
	mount --bind "/lib/modules/$kver" "$orig" && on_exit umount "$orig"
	for f in "$orig"/*; do
		case ${f##*/} in
		# Copies, for depmod to rewrite; dkms reads modules.dep for the
		# compression suffix (6.12's Debian modules are .ko.xz).
		modules.*) cp "$f" "$mods/" ;;
		*) ln -s "$(readlink -f "$f")" "$mods/${f##*/}" ;;
		esac
	done
	mount --bind "$mods" "/lib/modules/$kver" && on_exit umount "/lib/modules/$kver"
}

#
# Servers
#
# start_nginx NS ADDRESS DIR LOG_FORMAT: an nginx in NS answering "ok" on
# ADDRESS:80 (and /big, 8 MiB sent at 64 KiB/s), logging LOG_FORMAT to
# DIR/access.log, everything it writes under DIR; waits until it listens,
# stopped at exit. ADDRESS may be several, space separated, an IPv6 one in
# brackets ("172.31.0.50 [::]": one listening socket each).
start_nginx() {
	local ns=$1 addr=$2 dir=$3 format=$4 a listen=
	for a in $addr; do
		listen+="listen $a:80; "
	done
	mkdir -p "$dir/www"
	head -c $((8 * 1024 * 1024)) /dev/zero >"$dir/www/big"
	cat >"$dir/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
	log_format addr '$format';
	access_log $dir/access.log addr;
	client_body_temp_path $dir/client_body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	server {
		$listen
		root $dir/www;
		location / { default_type text/plain; return 200 "ok\n"; }
		location = /big { limit_rate 64k; }
	}
}
NGINX
	on_exit stop_nginx "$dir"
	if ! ip netns exec "$ns" nginx -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" ||
	   ! wait_for 15 nginx_listening "$ns" "$addr"; then
		cat "$dir/error.log" >&2 2>/dev/null
		return 1
	fi
}
nginx_listening() { # NS ADDRESS...: a socket on ADDRESS:80 for each
	local out a
	out=$(ip netns exec "$1" ss -Hltn) || return 1
	for a in $2; do
		grep -qF " $a:80 " <<<"$out" || return 1
	done
}
stop_nginx() { [ ! -s "$1/nginx.pid" ] || kill "$(cat "$1/nginx.pid")" 2>/dev/null; }

#
# The world outside an EKS node, behind its VPC router: what the e2e
# scenarios (scenario.sh, routing.sh) send to and what they check.
#
same_ip=10.0.2.20	# a server in the same VPC, behind r-same
peer_ip=172.31.0.50	# a server in a connected VPC (peering, TGW), behind r-peer
natgw_priv=10.0.3.2	# the NAT gateway, behind r-nat
natgw_ip=198.51.100.1	# its public address
inet_ip=203.0.113.10	# a server on the internet, behind the NAT gateway

# vpc_world ROUTER VPC_CIDR: the namespaces $same, $peer, $natgw and $inet,
# linked to the router namespace ROUTER (which routes to them; its default
# route is the NAT gateway, which masquerades VPC_CIDR), each server an
# nginx logging "$remote_addr $remote_port $request_uri" to ${log_of[ADDR]}.
vpc_world() {
	local router=$1 vpc=$2 s ns addr name
	netns_new same samevpc
	netns_new peer
	netns_new natgw
	netns_new inet internet
	veth "$router" r-same "$same" eth0
	ip -n "$router" addr add 10.0.2.1/24 dev r-same
	ip -n "$same" addr add "$same_ip/24" dev eth0
	ip -n "$same" route add default via 10.0.2.1
	veth "$router" r-peer "$peer" eth0
	ip -n "$router" addr add 172.31.0.1/24 dev r-peer
	ip -n "$peer" addr add "$peer_ip/24" dev eth0
	ip -n "$peer" route add "$vpc" via 172.31.0.1
	veth "$router" r-nat "$natgw" priv
	ip -n "$router" addr add 10.0.3.1/24 dev r-nat
	ip -n "$router" route add default via "$natgw_priv"
	ip -n "$natgw" addr add "$natgw_priv/24" dev priv
	ip -n "$natgw" route add "$vpc" via 10.0.3.1
	veth "$natgw" pub "$inet" eth0
	ip -n "$natgw" addr add "$natgw_ip/24" dev pub
	ip -n "$inet" addr add 198.51.100.254/24 dev eth0
	ip -n "$inet" addr add "$inet_ip/32" dev eth0
	ip -n "$natgw" route add 203.0.113.0/24 via 198.51.100.254
	ip netns exec "$natgw" nft -f - <<NFT
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr $vpc oifname "pub" masquerade
	}
}
NFT
	for ns in "$router" "$natgw"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	done
	declare -gA log_of=()
	for s in "$same:$same_ip:samevpc" "$peer:$peer_ip:peer" "$inet:$inet_ip:internet"; do
		IFS=: read -r ns addr name <<<"$s"
		# shellcheck disable=SC2016 # nginx's variables
		start_nginx "$ns" "$addr" "$tmp/$name" '$remote_addr $remote_port $request_uri' ||
			{ fail "nginx in $name did not listen on $addr:80 within 15 s"; return 1; }
		log_of[$addr]=$tmp/$name/access.log
	done
}

# request NS SERVER [CURL ARGS...]: one HTTP request from NS to SERVER (an
# IPv4 or IPv6 address) on a unique path; sets seen_addr and seen_port from
# the server's log line (${log_of[SERVER]}); 1 if it failed. $requests and
# $answered count them.
requests=0
answered=0
seen_addr=
seen_port=
logged() { grep -q " $1\$" "$2" 2>/dev/null; }
request() {
	local ns=$1 server=$2 host=$2 code path line
	shift 2
	case "$server" in *:*) host="[$server]" ;; esac
	requests=$((requests + 1))
	path="/req-$requests"
	seen_addr=none seen_port=none
	code=$(ip netns exec "$ns" curl -sS -o /dev/null -w '%{http_code}' --connect-timeout 5 \
		--max-time 10 "$@" "http://$host$path" 2>"$tmp/curl.err") || code="curl: $(head -c 200 "$tmp/curl.err")"
	[ "$code" = 200 ] || { seen_addr="nothing (request failed: $code)"; return 1; }
	answered=$((answered + 1))
	# nginx logs after it has sent the response.
	wait_for 5 logged "$path" "${log_of[$server]}" || { seen_addr="nothing (no log line)"; return 1; }
	line=$(grep " $path\$" "${log_of[$server]}" | tail -n 1)
	seen_addr=${line%% *}
	line=${line#* }
	seen_port=${line%% *}
}

# The source the NAT gateway received the last request to the internet
# server from, found by the masqueraded port the server logged.
natgw_got() {
	local got
	# The first src= of a conntrack entry is the original source.
	got=$(ip netns exec "$natgw" conntrack -L -p tcp --orig-dst "$inet_ip" \
		--reply-port-dst "$seen_port" 2>/dev/null | grep -o 'src=[0-9.]*' | head -n 1)
	echo "${got#src=}"
}
