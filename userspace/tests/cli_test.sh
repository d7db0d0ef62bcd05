#!/bin/bash
# Command-line checks of snatctl that need no kernel module: argument errors,
# exit codes and the exact first line of each error.
# Usage: cli_test.sh ./snatctl
set -u
snatctl=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
# Instance metadata: never the real address from here. What is not sent to
# the loopback stub below goes to a loopback port where nothing listens.
export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9
unset AWS_EC2_METADATA_DISABLED

# expect NAME RC FIRST-STDERR-LINE-OR-- COMMAND...
expect() {
	local name=$1 rc=$2 want=$3 got_rc got
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got_rc=$?
	got=$(head -n 1 "$tmp/err")
	if [ "$got_rc" = "$rc" ] && { [ "$want" = - ] || [ "$got" = "$want" ]; }; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name: exit $got_rc (want $rc), stderr: $got"
		[ "$want" = - ] || echo "      wanted: $want"
		failed=$((failed + 1))
	fi
}

expect "help exits 0" 0 - "$snatctl" help
expect "--help exits 0" 0 - "$snatctl" --help
expect "-h exits 0" 0 - "$snatctl" -h
expect "--version exits 0" 0 - "$snatctl" --version
expect "subcommand --help exits 0" 0 - "$snatctl" cidr --help
expect "unknown verb" 2 "Error: Unknown subcommand frob; see snatctl help" "$snatctl" frob
expect "unknown option" 2 "Error: Unknown option -x; see snatctl help" "$snatctl" -x status
expect "-n without a name" 2 "Error: -n needs a network namespace name" "$snatctl" -n
expect "missing netns" 1 "Error: Cannot open network namespace no-such-ns-$$: No such file or directory" \
	"$snatctl" -n no-such-ns-$$ status
expect "status extra argument" 2 "Error: Unexpected argument foo after status" "$snatctl" status foo
expect "enable extra argument" 2 "Error: Unexpected argument now after enable" "$snatctl" enable now
expect "who icmp without an identifier" 2 "Error: ICMP has no ports; --icmp-id gives the identifier the server saw" \
	"$snatctl" who --proto icmp 10.0.0.10 172.31.0.50
expect "who icmp with a port" 2 "Error: Invalid address 10.0.0.10:5; this protocol has no ports" \
	"$snatctl" who --proto icmp --icmp-id 5 10.0.0.10:5 172.31.0.50
expect "who --icmp-id without icmp" 2 "Error: --icmp-id is for --proto icmp or icmpv6" \
	"$snatctl" who --icmp-id 5 10.0.0.10:1 172.31.0.50:80
expect "who an echo reply" 2 "Error: Invalid ICMP type echo-reply; expected echo-request (8), timestamp-request (13), info-request (15) or address-mask-request (17)" \
	"$snatctl" who --proto icmp --icmp-id 5 --icmp-type echo-reply 10.0.0.10 172.31.0.50
expect "who an unknown protocol" 2 "Error: Invalid protocol sctp6; expected tcp, udp, udplite, sctp, dccp, icmp, icmpv6, gre or a number 0 to 255" \
	"$snatctl" who --proto sctp6 10.0.0.10:1 172.31.0.50:80
expect "who --zone out of range" 2 - "$snatctl" who --zone 65536 10.0.0.10:1 172.31.0.50:80
expect "who --log DIR: no answer, why" 1 "No translation found for sctp 10.0.0.10:1 -> 172.31.0.50:80 in zone 3: 10.0.0.10 is not an address vpcsnat translates to (no record in $tmp has it); a server sees a pod's own address from the same VPC or with external SNAT, a NAT gateway's from the internet" \
	"$snatctl" who --proto sctp --zone 3 --log "$tmp" 10.0.0.10:1 172.31.0.50:80
# who --at with a second-precision time (nginx's $time_iso8601): a
# translation made during that second counts, not only one before it.
rec() { # TIME NS POD
	printf '{"time":"%s","timestamp_ns":%s,"proto":"tcp","src":"10.0.1.10","sport":38512,"nat_src":"10.0.0.10","nat_sport":41234,"dst":"172.31.0.50","dport":80,"zone":0,"netns":4026531840,"ct_id":1,"pod_namespace":"default","pod_name":"%s","pod_uid":null,"container_id":null,"pod_source":"ipam","hostname":"node-1","boot_id":null,"instance_id":null}\n' "$@"
}
mkdir -p "$tmp/at"
{ rec 2026-11-26T14:20:01.100Z 1795702801100000000 old-pod
  rec 2026-11-26T14:23:11.200Z 1795702991200000000 right-pod; } >"$tmp/at/node-1.jsonl"
# A FIFO beside the logs (rsyslog's ompipe) is not read: it would block.
mkfifo "$tmp/at/ompipe"
out=$(timeout 10 "$snatctl" who --at 2026-11-26T14:23:11+00:00 --log "$tmp/at" 10.0.0.10:41234 172.31.0.50:80 2>&1)
case "$out" in
"pod default/right-pod "*) echo "PASS: who --at a whole second: the translation made during it (a FIFO in DIR skipped)"; passed=$((passed + 1)) ;;
*) echo "FAIL: who --at a whole second said: $out"; failed=$((failed + 1)) ;;
esac
# IPv6: [ADDR]:PORT as nginx logs $remote_addr:$remote_port, or bare
# addresses for protocols without ports; every mistake one line.
expect "who IPv6 and IPv4" 2 "Error: 10.0.0.10:1 is IPv4 but [2001:db8::50]:80 is IPv6; a connection has one family" \
	"$snatctl" who 10.0.0.10:1 "[2001:db8::50]:80"
expect "who IPv6 in brackets without a port" 2 "Error: Invalid address and port [2001:db8::10]; expected IPv4:PORT, [IPv6]:PORT or IPv6:PORT" \
	"$snatctl" who "[2001:db8::10]" "[2001:db8::50]:80"
expect "who IPv6 without a port" 2 "Error: Invalid address and port 2001:db8::; expected IPv4:PORT, [IPv6]:PORT or IPv6:PORT" \
	"$snatctl" who "[2001:db8::10]:1" 2001:db8::
expect "who IPv6 bad address" 2 "Error: Invalid IPv6 address 2001:db8::g: expected an IPv6 address" \
	"$snatctl" who "[2001:db8::g]:1" "[2001:db8::50]:80"
expect "who IPv6 zone index" 2 "Error: Invalid IPv6 address fe80::1%eth0: expected an IPv6 address" \
	"$snatctl" who "[fe80::1%eth0]:1" "[2001:db8::50]:80"
expect "who icmp with IPv6" 2 "Error: IPv6 addresses take --proto icmpv6" \
	"$snatctl" who --proto icmp --icmp-id 5 2001:db8::10 2001:db8::50
expect "who icmpv6 with IPv4" 2 "Error: IPv4 addresses take --proto icmp" \
	"$snatctl" who --proto icmpv6 --icmp-id 5 10.0.0.10 172.31.0.50
expect "who icmpv6 without an identifier" 2 "Error: ICMPv6 has no ports; --icmp-id gives the identifier the server saw" \
	"$snatctl" who --proto icmpv6 2001:db8::10 2001:db8::50
expect "who icmpv6 ICMP's echo request" 2 "Error: Invalid ICMPv6 type 8; expected echo-request (128) or node-info-query (139)" \
	"$snatctl" who --proto icmpv6 --icmp-id 5 --icmp-type 8 2001:db8::10 2001:db8::50
expect "who icmpv6 with a port" 2 "Error: Invalid address [2001:db8::10]:5; this protocol has no ports" \
	"$snatctl" who --proto icmpv6 --icmp-id 5 "[2001:db8::10]:5" 2001:db8::50
expect "who gre IPv6 in brackets" 2 "Error: Invalid address [2001:db8::10]; this protocol has no ports" \
	"$snatctl" who --proto gre "[2001:db8::10]" 2001:db8::50
expect "who --log DIR IPv6: no answer, why" 1 "No translation found for tcp [2001:db8::10]:1 -> [2001:db8::50]:80: 2001:db8::10 is not an address vpcsnat translates to (no record in $tmp/at has it); a server sees a pod's own address from the same VPC or with external SNAT, a NAT gateway's from the internet" \
	"$snatctl" who --log "$tmp/at" "[2001:db8::10]:1" "[2001:db8::50]:80"
printf '{"time":"2026-11-26T14:23:11.300Z","timestamp_ns":1795702991300000000,"proto":"tcp","src":"2001:db8:1::10","sport":38512,"nat_src":"2001:db8::10","nat_sport":41234,"dst":"2001:db8:2::50","dport":80,"zone":0,"netns":4026531840,"ct_id":2,"pod_namespace":"default","pod_name":"v6-pod","pod_uid":null,"container_id":null,"pod_source":"ipam","hostname":"node-1","boot_id":null,"instance_id":null}\n' >"$tmp/at/node-1-v6.jsonl"
# who_says WANT NAME ARGS...: what who prints starts with WANT.
who_says() {
	local want=$1 name=$2 out
	shift 2
	out=$(timeout 10 "$snatctl" who "$@" 2>&1)
	case "$out" in
	"$want"*) echo "PASS: $name"; passed=$((passed + 1)) ;;
	*) echo "FAIL: $name said: $out"; failed=$((failed + 1)) ;;
	esac
}
who_says "pod default/v6-pod ([2001:db8:1::10]:38512), node node-1 (from log" \
	"who --log DIR [IPv6]:PORT: the IPv6 record" --log "$tmp/at" "[2001:db8::10]:41234" "[2001:db8:2::50]:80"
who_says "pod default/v6-pod ([2001:db8:1::10]:38512)" \
	"who --log DIR: IPv6:PORT as nginx logs it" --log "$tmp/at" "2001:db8::10:41234" "2001:db8:2::50:80"
who_says "pod default/v6-pod ([2001:db8:1::10]:38512)" \
	"who --log DIR: any spelling of the IPv6 addresses" --log "$tmp/at" "[2001:db8:0:0::10]:41234" "[2001:DB8:2::0:50]:80"
who_says '{"source":"log","time":"2026-11-26T14:23:11.300Z","timestamp_ns":1795702991300000000,"proto":"tcp","src":"2001:db8:1::10",' \
	"who -j --log DIR IPv6: the record as JSON" -j --log "$tmp/at" "[2001:db8::10]:41234" "[2001:db8:2::50]:80"
who_says "pod default/right-pod (10.0.1.10:38512)" \
	"who: IPv4-mapped addresses (a dual-stack server's log) are IPv4" --log "$tmp/at" "[::ffff:10.0.0.10]:41234" "[::ffff:172.31.0.50]:80"
expect "log --ipam without a path" 2 "Error: --ipam needs a path" "$snatctl" log --ipam ""
expect "cidr add host bits" 2 "Error: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?" \
	"$snatctl" cidr add 10.0.0.1/16
expect "cidr add octal" 2 "Error: Invalid CIDR 010.0.0.0/8: leading zeros are not allowed" \
	"$snatctl" cidr add 010.0.0.0/8
expect "cidr add IPv6 host bits" 2 "Error: Invalid CIDR 2001:db8::1/64: prefix has host bits set; did you mean 2001:db8::/64?" \
	"$snatctl" cidr add 2001:db8::1/64
expect "cidr add IPv6 too long" 2 "Error: Invalid CIDR 2001:db8::/129: prefix length is longer than the address (32 for IPv4, 128 for IPv6)" \
	"$snatctl" cidr add 2001:db8::/129
expect "cidr add IPv4-mapped" 2 "Error: Invalid CIDR ::ffff:10.0.0.0/104: an IPv4-mapped prefix (::ffff:0:0/96): give it as IPv4" \
	"$snatctl" cidr add ::ffff:10.0.0.0/104 exclude
expect "cidr del IPv6 not an address" 2 "Error: Invalid CIDR 2001:db8::g/64: expected an IPv6 address" \
	"$snatctl" cidr del 2001:db8::g/64
expect "cidr add IPv6 unknown kind" 2 "Error: Unknown kind nat; expected vpc, exclude or snat" \
	"$snatctl" cidr add 2001:db8::/32 nat
expect "cidr add prefix range" 2 "Error: Invalid CIDR 10.0.0.0/33: prefix length out of range (0 to 32)" \
	"$snatctl" cidr add 10.0.0.0/33
expect "cidr add unknown kind" 2 "Error: Unknown kind nat; expected vpc, exclude or snat" \
	"$snatctl" cidr add 10.0.0.0/8 nat
expect "cidr add extra argument" 2 "Error: Unexpected argument x after vpc" \
	"$snatctl" cidr add 10.0.0.0/8 vpc x
expect "cidr del extra argument" 2 "Error: Unexpected argument vpc after 10.0.0.0/8" \
	"$snatctl" cidr del 10.0.0.0/8 vpc
expect "cidr add without CIDR" 2 "Error: cidr add needs a CIDR" "$snatctl" cidr add
expect "cidr unknown" 2 "Error: Unknown cidr subcommand show; expected add, del, list, flush or replace" \
	"$snatctl" cidr show
expect "cidr list extra" 2 "Error: Unexpected argument x after cidr list" "$snatctl" cidr list x
expect "cidr replace without -f" 2 "Error: cidr replace needs -f FILE" "$snatctl" cidr replace
expect "cidr replace missing file" 1 "Error: Cannot read $tmp/nope: No such file or directory" \
	"$snatctl" cidr replace -f "$tmp/nope"
printf '10.0.0.0/8\n10.0.0.1/8 vpc\n# ok\n10.0.0.0/8 snat\n' >"$tmp/bad"
expect "cidr replace bad file" 2 "$tmp/bad:2: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?" \
	"$snatctl" cidr replace -f "$tmp/bad"
if [ "$(sed -n 2p "$tmp/err")" = "$tmp/bad:4: Duplicate prefix 10.0.0.0/8, first given on line 1" ] &&
   [ "$(sed -n 3p "$tmp/err")" = "Error: $tmp/bad has 2 bad lines; the table was not changed" ]; then
	echo "PASS: cidr replace reports every bad line"; passed=$((passed + 1))
else
	echo "FAIL: cidr replace reports every bad line:"; cat "$tmp/err"; failed=$((failed + 1))
fi
printf '2001:db8::/32\n10.0.0.0/8\n2001:DB8::/32 snat\n::/0\n0.0.0.0/0\nfd00::1/8\n' >"$tmp/bad6"
expect "cidr replace IPv6 file" 2 "$tmp/bad6:3: Duplicate prefix 2001:DB8::/32, first given on line 1" \
	"$snatctl" cidr replace -f "$tmp/bad6"
if [ "$(sed -n 2,3p "$tmp/err")" = "$tmp/bad6:6: Invalid CIDR fd00::1/8: prefix has host bits set; did you mean fd00::/8?
Error: $tmp/bad6 has 2 bad lines; the table was not changed" ]; then
	echo "PASS: cidr replace IPv6: one family's prefix is no duplicate of the other's"; passed=$((passed + 1))
else
	echo "FAIL: cidr replace IPv6 file:"; cat "$tmp/err"; failed=$((failed + 1))
fi
expect "cidr replace stdin" 2 "<stdin>:1: Unknown kind nope; expected vpc, exclude or snat" \
	bash -c "echo '1.2.3.0/24 nope' | '$snatctl' cidr replace -f -"
head -c 300 /dev/zero | tr '\0' ' ' >"$tmp/long"
expect "cidr replace long line" 2 "$tmp/long:1: Line is too long (300 characters; at most 256)" \
	"$snatctl" cidr replace -f "$tmp/long"
expect "set without value" 2 "Error: Missing value for random" "$snatctl" set random
expect "set unknown" 2 "Error: Unknown setting mode; expected enabled, ipv6, external-snat, snat-ip, snat-ip6, random, skip-ifaces, pod-ifaces, mark or table-limit" \
	"$snatctl" set mode x
expect "set twice" 2 "Error: Setting random is given twice" "$snatctl" set random prng random none
expect "set random" 2 "Error: Unknown random mode fully; expected none, hashrandom or prng" \
	"$snatctl" set random fully
expect "set external-snat" 2 "Error: Invalid external-snat maybe; expected yes or no (or on or off)" \
	"$snatctl" set external-snat maybe
expect "set snat-ip" 2 "Error: Invalid IPv4 address 10.0.0.256: each number must be 0 to 255" \
	"$snatctl" set snat-ip 10.0.0.256
expect "set snat-ip an IPv6 address" 2 "Error: Invalid snat-ip 2600:1f14::10: an IPv6 address; IPv6 connections are translated to snat-ip6" \
	"$snatctl" set snat-ip 2600:1f14::10
expect "set snat-ip6 link-local" 2 "Error: Invalid snat-ip6 fe80::1: a link-local address is never translated to (no router forwards it)" \
	"$snatctl" set snat-ip6 fe80::1
expect "set snat-ip multicast" 2 "Error: Invalid snat-ip 224.0.0.251: a multicast address is never translated to" \
	"$snatctl" set snat-ip 224.0.0.251
expect "set snat-ip6 ::" 2 "Error: Invalid snat-ip6 ::; write auto instead" "$snatctl" set snat-ip6 ::
expect "set table-limit" 2 "Error: Invalid table-limit 0; expected a number from 1 to 16000000" \
	"$snatctl" set table-limit 0
expect "set skip-ifaces" 2 "Error: Interface prefix averyveryverylongname is longer than 15 characters" \
	"$snatctl" set skip-ifaces vlan,averyveryverylongname
expect "explain one address" 2 "Error: explain needs a source and a destination address" \
	"$snatctl" explain 10.0.0.1
expect "explain bad address" 2 "Error: Invalid IPv4 address 8.8.8: expected four decimal numbers separated by dots" \
	"$snatctl" explain 10.0.0.1 8.8.8
expect "explain extra" 2 "Error: Unexpected argument x after eth0" \
	"$snatctl" explain 10.0.0.1 8.8.8.8 eth0 x
expect "explain IPv4 to IPv6" 2 "Error: 10.0.0.1 is IPv4 but 2001:db8::1 is IPv6; a connection has one family" \
	"$snatctl" explain 10.0.0.1 2001:db8::1
expect "explain IPv6 to IPv4" 2 "Error: 2001:db8:1::10 is IPv6 but 8.8.8.8 is IPv4; a connection has one family" \
	"$snatctl" explain 2001:db8:1::10 8.8.8.8 eth0
expect "explain bad IPv6 address" 2 "Error: Invalid IPv6 address 2001:db8::g: expected an IPv6 address" \
	"$snatctl" explain 2001:db8:1::10 2001:db8::g
expect "explain IPv6 prefix" 2 "Error: Invalid IPv6 address 2001:db8::/64: expected an IPv6 address" \
	"$snatctl" explain 2001:db8:1::10 2001:db8::/64
expect "explain IPv6 bad oif" 2 - "$snatctl" explain 2001:db8:1::10 2001:db8::1 "eth 0"

# check NAME COMMAND...: PASS if COMMAND (a test) succeeds; shows $tmp/out and $tmp/err if not.
check() {
	local name=$1
	shift
	if "$@"; then
		echo "PASS: $name"; passed=$((passed + 1))
	else
		echo "FAIL: $name:"; cat "$tmp/out" "$tmp/err"; failed=$((failed + 1))
	fi
}

# apply: config files and the VPC CNI's environment, checked without a kernel.
printf '%s\n' '# vpcsnat configuration' 'enabled yes' 'ipv6 no' 'external-snat off' \
	'snat-ip 10.0.0.10        # or auto' 'snat-ip6 auto' 'random prng' \
	'skip-ifaces vlan         # comma separated, or none' 'pod-ifaces eni' 'mark 0x80' \
	'table-limit 1000000' \
	'cidr 10.0.0.0/16 vpc' 'cidr 192.168.0.0/16 exclude' >"$tmp/good.conf"
expect "apply --check good file" 0 - "$snatctl" apply --check -f "$tmp/good.conf"
expect "apply --check from stdin" 0 - bash -c "'$snatctl' apply --check -f - <'$tmp/good.conf'"
expect "apply --check --file=" 0 - "$snatctl" apply --check --file="$tmp/good.conf"
expect "apply --check --print" 0 - "$snatctl" apply --check --print -f "$tmp/good.conf"
check "apply --print normalizes the file" \
	[ "$(grep -v '^#' "$tmp/out")" = "$(grep -v '^#' "$tmp/good.conf" | sed 's/ *#.*//')" ]
{ cat "$tmp/good.conf"; printf '%s\n' 'cidr 2600:1F14:0abc:DE00::/56' 'cidr 64:ff9b::/96 exclude' \
	'cidr 2600:1f14:abc:de00::10 snat'; } >"$tmp/good6.conf"
expect "apply --print an IPv6 table" 0 - "$snatctl" apply --check --print -f "$tmp/good6.conf"
check "apply --print: IPv6 prefixes canonical, after the file's IPv4 ones" \
	[ "$(grep '^cidr' "$tmp/out" | tr '\n' ' ')" = "cidr 10.0.0.0/16 vpc cidr 192.168.0.0/16 exclude cidr 2600:1f14:abc:de00::/56 vpc cidr 64:ff9b::/96 exclude cidr 2600:1f14:abc:de00::10/128 snat " ]
expect "apply --print | apply --check: IPv6 reads back" 0 - bash -c \
	"'$snatctl' apply --check --print -f '$tmp/good6.conf' | '$snatctl' apply --check -f -"
printf 'enabled yes\nrandom fully\ncidr 2001:db8::1/32\nfrob 1\nenabled no\ncidr 10.0.0.0/16\ncidr 10.0.0.0/16 exclude\n' >"$tmp/bad.conf"
head -c 300 /dev/zero | tr '\0' '#' >>"$tmp/bad.conf"
expect "apply --check bad file" 2 "$tmp/bad.conf:2: Unknown random mode fully; expected none, hashrandom or prng" \
	"$snatctl" apply --check -f "$tmp/bad.conf"
check "apply --check reports every bad line" [ "$(sed -n 2,7p "$tmp/err")" = "$tmp/bad.conf:3: Invalid CIDR 2001:db8::1/32: prefix has host bits set; did you mean 2001:db8::/32?
$tmp/bad.conf:4: Unknown setting frob; expected enabled, ipv6, external-snat, snat-ip, snat-ip6, random, skip-ifaces, pod-ifaces, mark, table-limit, cidr or vpc-cidrs
$tmp/bad.conf:5: Setting enabled is given twice, first on line 1
$tmp/bad.conf:7: Duplicate prefix 10.0.0.0/16, first given on line 6
$tmp/bad.conf:8: Line is too long (300 characters; at most 256)
Error: $tmp/bad.conf has 6 bad lines; nothing was applied" ]
expect "apply bad file sends nothing" 2 "$tmp/bad.conf:2: Unknown random mode fully; expected none, hashrandom or prng" \
	"$snatctl" apply -f "$tmp/bad.conf"
expect "apply missing file" 2 "Error: Cannot read $tmp/nope.conf: No such file or directory" \
	"$snatctl" apply --check -f "$tmp/nope.conf"
[ -e /etc/vpcsnat.conf ] || expect "apply reads /etc/vpcsnat.conf by default" 2 \
	"Error: Cannot read /etc/vpcsnat.conf: No such file or directory" "$snatctl" apply --check
expect "apply -f without a file" 2 "Error: -f needs a value" "$snatctl" apply -f
expect "apply unknown option" 2 "Error: Unexpected argument --force after apply" "$snatctl" apply --force
expect "apply -f and --from-env" 2 "Error: apply takes -f FILE or --from-env, not both" \
	"$snatctl" apply -f x --from-env
expect "--vpc-cidrs without --from-env" 2 "Error: --vpc-cidrs goes with --from-env" \
	"$snatctl" apply --vpc-cidrs 10.0.0.0/16
expect "show-config extra argument" 2 "Error: Unexpected argument x after show-config" "$snatctl" show-config x

cni() {
	env -u AWS_VPC_K8S_CNI_EXTERNALSNAT -u AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS \
		-u AWS_VPC_K8S_CNI_RANDOMIZESNAT -u AWS_VPC_K8S_CNI_CONNMARK \
		-u AWS_VPC_K8S_CNI_VETHPREFIX -u ENABLE_IPv6 -u ENABLE_V6_EGRESS "$@"
}
expect "--from-env --print" 0 - cni AWS_VPC_K8S_CNI_EXTERNALSNAT=true \
	AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=100.64.0.0/10,52.94.0.0/22 AWS_VPC_K8S_CNI_RANDOMIZESNAT=hashrandom \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16,10.1.0.0/16 --snat-ip 10.0.0.10 --print
check "--from-env --print output" [ "$(cat "$tmp/out")" = "# vpcsnat configuration from the VPC CNI's environment
enabled yes
ipv6 no
external-snat on
snat-ip 10.0.0.10
snat-ip6 auto
random hashrandom
skip-ifaces vlan
pod-ifaces eni
mark 0x80
table-limit 1000000
cidr 10.0.0.0/16 vpc
cidr 10.1.0.0/16 vpc
cidr 100.64.0.0/10 exclude
cidr 52.94.0.0/22 exclude" ]
expect "--from-env --print | apply --check -f -" 0 - bash -c \
	"'$snatctl' apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip=auto --print | '$snatctl' apply --check -f -"
expect "--from-env with nothing set" 0 - cni \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
check "--from-env unset: prng, external SNAT off" \
	eval "grep -qx 'random prng' '$tmp/out' && grep -qx 'external-snat off' '$tmp/out'"
expect "--from-env empty RANDOMIZESNAT" 0 - cni AWS_VPC_K8S_CNI_RANDOMIZESNAT= \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
check "--from-env empty RANDOMIZESNAT is prng" grep -qx 'random prng' "$tmp/out"
# Where aws-node logs a bad value and uses its default, --from-env warns and
# does the same (pkg/networkutils/network.go); the cases themselves are
# parse_test's table.
expect "--from-env bad EXTERNALSNAT: a warning, the default" 0 \
	"Warning: AWS_VPC_K8S_CNI_EXTERNALSNAT: Invalid value yes; expected true or false; using false, as the VPC CNI does" \
	cni AWS_VPC_K8S_CNI_EXTERNALSNAT=yes "$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
check "--from-env bad EXTERNALSNAT: external SNAT off" grep -qx 'external-snat off' "$tmp/out"
expect "--from-env exclusions with spaces, as aws-node trims them" 0 - \
	cni "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=172.31.0.0/16, 192.168.0.0/16" \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
check "--from-env exclusions with spaces: both ranges excluded" \
	[ "$(grep '^cidr' "$tmp/out" | tr '\n' ' ')" = "cidr 10.0.0.0/16 vpc cidr 172.31.0.0/16 exclude cidr 192.168.0.0/16 exclude " ]
expect "--from-env invalid exclusions: warned and skipped" 0 \
	"Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 2: Invalid CIDR 10.0.0.0/33: prefix length out of range (0 to 32); skipped, as the VPC CNI does" \
	cni AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=1.0.0.0/8,10.0.0.0/33,fe80::/10 \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
check "--from-env invalid exclusions: the valid one kept" \
	[ "$(grep '^cidr' "$tmp/out" | tr '\n' ' ')" = "cidr 10.0.0.0/16 vpc cidr 1.0.0.0/8 exclude " ]
expect "--from-env --skip-invalid is still accepted" 0 - \
	cni AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=1.0.0.0/8,bogus \
	"$snatctl" apply --from-env --skip-invalid --vpc-cidrs 10.0.0.0/16 --snat-ip auto --print
expect "--from-env a VETHPREFIX aws-node refuses" 2 \
	"AWS_VPC_K8S_CNI_VETHPREFIX: vlan is reserved; the VPC CNI refuses to start with eth, lo or vlan" \
	cni AWS_VPC_K8S_CNI_VETHPREFIX=vlan "$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto
expect "--from-env without --vpc-cidrs" 2 "--vpc-cidrs: Missing; give the VPC's IPv4 CIDRs, comma separated, or imds" \
	cni "$snatctl" apply --from-env --snat-ip auto
expect "--from-env --check" 0 - cni "$snatctl" apply --from-env --check --vpc-cidrs 10.0.0.0/16 --snat-ip auto
# IPv6 as aws-node's egress plugin does it (cmd/egress-cni-plugin, snat/snat.go
# iptRules; the cases are parse_test's table).
expect "--from-env ENABLE_V6_EGRESS=true" 0 - cni ENABLE_V6_EGRESS=true \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip 10.0.0.10 --snat-ip6 2600:1F14::0010 --print
check "--from-env ENABLE_V6_EGRESS=true: to the node's IPv6, multicast left alone" \
	[ "$(grep -E '^(ipv6|snat-ip6|cidr)' "$tmp/out" | tr '\n' ' ')" = "ipv6 yes snat-ip6 2600:1f14::10 cidr 10.0.0.0/16 vpc cidr ff00::/8 exclude " ]
expect "--from-env ENABLE_V6_EGRESS=true without --snat-ip6" 2 \
	"--snat-ip6: Missing; ENABLE_V6_EGRESS=true: give the node's primary IPv6 address, auto, or imds (instance metadata's ipv6, as aws-node reads it)" \
	cni ENABLE_V6_EGRESS=true "$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto
expect "--snat-ip6 without --from-env" 2 "Error: --snat-ip6 goes with --from-env" \
	"$snatctl" apply --snat-ip6 auto

# Every setting's values through every input that takes them: `set`, a
# config file and, for the settings --from-env takes as flags, the flag.
# Without the module, a value `set` accepts gets as far as the kernel
# (exit 1, "not loaded"); one it refuses exits 2 before that. The VPC CNI's
# own variables follow the CNI's syntax instead (see the --from-env checks).
# KEY VALUE WANT: WANT is ok or bad.
setting_values() {
	cat <<'VALUES'
enabled yes ok
enabled no ok
enabled on ok
enabled off ok
enabled true bad
enabled 1 bad
enabled Yes bad
ipv6 yes ok
ipv6 no ok
ipv6 on ok
ipv6 true bad
ipv6 6 bad
external-snat on ok
external-snat off ok
external-snat yes ok
external-snat no ok
external-snat 1 bad
external-snat maybe bad
snat-ip 10.0.0.10 ok
snat-ip auto ok
snat-ip imds ok
snat-ip IMDS bad
snat-ip 0.0.0.0 bad
snat-ip 10.0.0.256 bad
snat-ip 010.0.0.1 bad
snat-ip 10.0.0.0/24 bad
snat-ip fe80::1 bad
snat-ip AUTO bad
snat-ip6 2600:1f14:abc:de00::10 ok
snat-ip6 2600:1F14:0ABC:DE00::0010 ok
snat-ip6 auto ok
snat-ip6 :: bad
snat-ip6 ff02::1 bad
snat-ip6 ::1 bad
snat-ip6 fe80::1 bad
snat-ip6 ::ffff:10.0.0.10 bad
snat-ip6 10.0.0.10 bad
snat-ip6 2600:1f14::/64 bad
snat-ip6 imds ok
snat-ip6 AUTO bad
random none ok
random hashrandom ok
random prng ok
random fully bad
random PRNG bad
skip-ifaces vlan ok
skip-ifaces vlan,eni ok
skip-ifaces none ok
skip-ifaces abcdefghijklmno ok
skip-ifaces abcdefghijklmnop bad
skip-ifaces vlan,vlan bad
skip-ifaces vlan, bad
skip-ifaces a/b bad
skip-ifaces eth0:1 bad
pod-ifaces eni ok
pod-ifaces eni,veth ok
pod-ifaces none ok
pod-ifaces eni,eni bad
pod-ifaces a:b bad
mark 0x80 ok
mark 128 ok
mark 0xffffffff ok
mark 0X4000 ok
mark none ok
mark 0 bad
mark 0x0 bad
mark 0x100000000 bad
mark 0200 bad
mark -1 bad
mark 0x bad
mark 0x8g bad
table-limit 1 ok
table-limit 16000000 ok
table-limit 0 bad
table-limit 16000001 bad
table-limit 01 bad
table-limit -1 bad
VALUES
}
# The flags --from-env takes for a setting.
declare -A env_flag=([snat-ip]=--snat-ip)
while read -r key value want; do
	"$snatctl" set "$key" "$value" >/dev/null 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" = 2 ]; then got_set=bad
	elif [ "$rc" = 1 ] && grep -q 'module is not loaded' "$tmp/err"; then got_set=ok
	else got_set="exit $rc: $(head -n 1 "$tmp/err")"; fi
	printf '%s %s\n' "$key" "$value" >"$tmp/one.conf"
	"$snatctl" apply --check -f "$tmp/one.conf" >/dev/null 2>&1 </dev/null
	rc=$?
	case "$rc" in 0) got_file=ok ;; 2) got_file=bad ;; *) got_file="exit $rc" ;; esac
	got_flag=$want
	if [ -n "${env_flag[$key]-}" ]; then
		cni "$snatctl" apply --from-env --check --vpc-cidrs 10.0.0.0/16 \
			"${env_flag[$key]}" "$value" >/dev/null 2>&1 </dev/null
		rc=$?
		case "$rc" in 0) got_flag=ok ;; 2) got_flag=bad ;; *) got_flag="exit $rc" ;; esac
	fi
	if [ "$got_set" = "$want" ] && [ "$got_file" = "$want" ] && [ "$got_flag" = "$want" ]; then
		echo "PASS: $key $value: $want for set, the config file${env_flag[$key]:+ and ${env_flag[$key]}}"
		passed=$((passed + 1))
	else
		echo "FAIL: $key $value: want $want; set: $got_set, config file: $got_file, flag: $got_flag"
		failed=$((failed + 1))
	fi
done < <(setting_values)

# The man page renders without warnings; the completion loads and completes.
if command -v man >/dev/null && command -v groff >/dev/null; then
	expect "man page renders without warnings" 0 "" \
		env MANWIDTH=80 man --warnings -l "$here/../snatctl.8"
else
	echo "SKIP: man page check (man-db or groff missing)"
fi
complete_words() {
	PATH=$(dirname "$snatctl"):$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _snatctl
		echo "${COMPREPLY[*]}"' _ "$here/../completion/snatctl.bash" "$@"
}
check "completion lists the verbs" \
	[ "$(complete_words snatctl '')" = "status enable disable set cidr explain apply show-config monitor log who agent help" ]
check "completion lists the set keys" \
	[ "$(complete_words snatctl -j set random none '')" = "enabled ipv6 external-snat snat-ip snat-ip6 random skip-ifaces pod-ifaces mark table-limit" ]
check "completion lists a setting's words" \
	[ "$(complete_words snatctl set random none external-snat '')" = "on off" ]
check "completion lists snat-ip's words" [ "$(complete_words snatctl set snat-ip '')" = "auto imds" ]
check "completion lists snat-ip6's words" [ "$(complete_words snatctl set snat-ip6 '')" = "auto imds" ]
check "completion lists the kinds" [ "$(complete_words snatctl cidr add 10.0.0.0/8 '')" = "vpc exclude snat" ]
check "completion lists icmpv6 among who's protocols" \
	[ "$(complete_words snatctl who --proto icmp)" = "icmp icmpv6" ]
check "completion lists ICMPv6's requests after --proto icmpv6" \
	[ "$(complete_words snatctl who --proto icmpv6 --icmp-type '')" = "echo-request node-info-query" ]
check "completion lists ICMP's requests after --proto icmp" \
	[ "$(complete_words snatctl who --proto icmp --icmp-type e)" = "echo-request" ]

# Instance metadata through a stub of it on the loopback address
# (tests/vm/imds-stub.py; the VM test puts it at 169.254.169.254 in a netns).
stub=$here/../../tests/vm/imds-stub.py
if command -v python3 >/dev/null; then
	python3 "$stub" --addr 127.0.0.1 --port 0 --control "$tmp/imds.json" --log "$tmp/imds.log" \
		--ready "$tmp/imds.port" &
	stub_pid=$!
	trap 'kill $stub_pid 2>/dev/null; rm -rf "$tmp"' EXIT
	for _ in $(seq 50); do [ -s "$tmp/imds.port" ] && break; sleep 0.1; done
	imds=http://127.0.0.1:$(cat "$tmp/imds.port")
	ctl_imds() { # JSON: the stub's answers from now on
		printf '%s\n' "$1" >"$tmp/imds.new" && mv "$tmp/imds.new" "$tmp/imds.json"
	}
	ctl_imds '{"cidrs": "10.0.0.0/16\n100.64.7.0/16", "local_ipv4": "10.0.0.10"}'
	printf '%s\n' 'enabled yes' 'snat-ip imds' 'vpc-cidrs imds' 'cidr 100.64.0.0/16 exclude' \
		'cidr 52.94.0.0/22 snat' >"$tmp/imds.conf"
	expect "apply --check with imds values asks nothing" 0 - \
		"$snatctl" apply --check --imds "$imds" -f "$tmp/imds.conf"
	check "apply --check made no request" [ ! -s "$tmp/imds.log" ]
	expect "apply --print resolves imds values" 0 - "$snatctl" apply --print --imds "$imds" -f "$tmp/imds.conf"
	check "apply --print: local-ipv4, the VPC CIDRs the file does not list, kind vpc" \
		[ "$(grep -v '^#' "$tmp/out" | tr '\n' ' ')" = "enabled yes ipv6 no external-snat off snat-ip 10.0.0.10 snat-ip6 auto random prng skip-ifaces none pod-ifaces eni mark 0x80 table-limit 1000000 cidr 100.64.0.0/16 exclude cidr 52.94.0.0/22 snat cidr 10.0.0.0/16 vpc " ]
	check "IMDSv2: a token first, then each GET with it (no vpc-ipv6-cidr-blocks: 404)" \
		[ "$(cut -d' ' -f1,3 "$tmp/imds.log" | tr '\n' ' ')" = "PUT 200 GET 200 GET 200 GET 200 GET 404 " ]
	check "the primary ENI's MAC, then its vpc-ipv4-cidr-blocks" \
		grep -qx 'GET /latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/vpc-ipv4-cidr-blocks 200' "$tmp/imds.log"
	ctl_imds '{"cidrs": "10.0.0.0/16\n100.64.7.0/16", "cidrs6": "2600:1F14:abc:de00::/56\n2a05:d014:0:100::/56"}'
	expect "apply --print: the VPC's IPv6 CIDRs too" 0 - "$snatctl" apply --print --imds "$imds" -f "$tmp/imds.conf"
	check "apply --print: vpc-ipv6-cidr-blocks, canonical, kind vpc" \
		[ "$(grep '^cidr' "$tmp/out" | tr '\n' ' ')" = "cidr 100.64.0.0/16 exclude cidr 52.94.0.0/22 snat cidr 10.0.0.0/16 vpc cidr 2600:1f14:abc:de00::/56 vpc cidr 2a05:d014:0:100::/56 vpc " ]
	check "its vpc-ipv6-cidr-blocks" \
		grep -qx 'GET /latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/vpc-ipv6-cidr-blocks 200' "$tmp/imds.log"
	{ grep -v '^vpc-cidrs' "$tmp/imds.conf"; echo 'vpc-cidrs imds ipv4'; } >"$tmp/imds4.conf"
	expect "apply --print vpc-cidrs imds ipv4" 0 - "$snatctl" apply --print --imds "$imds" -f "$tmp/imds4.conf"
	check "vpc-cidrs imds ipv4: the IPv4 ones only" \
		[ "$(grep '^cidr' "$tmp/out" | tr '\n' ' ')" = "cidr 100.64.0.0/16 exclude cidr 52.94.0.0/22 snat cidr 10.0.0.0/16 vpc " ]
	check "the stub refuses a GET without a token (401)" \
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$imds/latest/meta-data/mac")" = 401 ]
	expect "--from-env --vpc-cidrs imds --snat-ip imds, endpoint from the environment" 0 - \
		cni AWS_EC2_METADATA_SERVICE_ENDPOINT="$imds" \
		"$snatctl" apply --from-env --vpc-cidrs imds --snat-ip imds --print
	check "--from-env imds: resolved, the VPC's IPv4 CIDRs only (GetVPCIPv4CIDRs)" \
		[ "$(grep -E '^(snat-ip |cidr)' "$tmp/out" | tr '\n' ' ')" = "snat-ip 10.0.0.10 cidr 10.0.0.0/16 vpc cidr 100.64.0.0/16 vpc " ]
	expect "--from-env ENABLE_V6_EGRESS=true --snat-ip6 imds, no ipv6 there" 1 \
		"Error: instance metadata $imds: GET /latest/meta-data/ipv6: HTTP 404 (1 attempt); nothing was printed" \
		cni AWS_EC2_METADATA_SERVICE_ENDPOINT="$imds" ENABLE_V6_EGRESS=true \
		"$snatctl" apply --from-env --vpc-cidrs imds --snat-ip imds --snat-ip6 imds --print
	ctl_imds '{"cidrs": "10.0.0.0/16", "ipv6": "2600:1F14:abc:de00::0010"}'
	expect "--from-env ENABLE_V6_EGRESS=true --snat-ip6 imds" 0 - \
		cni AWS_EC2_METADATA_SERVICE_ENDPOINT="$imds" ENABLE_V6_EGRESS=true \
		"$snatctl" apply --from-env --vpc-cidrs imds --snat-ip imds --snat-ip6 imds --print
	check "--from-env --snat-ip6 imds: the egress plugin's nodeIP, instance metadata's ipv6" \
		[ "$(grep -E '^(snat-ip6|cidr)' "$tmp/out" | tr '\n' ' ')" = "snat-ip6 2600:1f14:abc:de00::10 cidr ff00::/8 exclude cidr 10.0.0.0/16 vpc " ]
	imds_refuses() { # NAME JSON FIRST-STDERR-LINE: apply --print of imds.conf, refused (exit 1)
		ctl_imds "$2"
		expect "$1" 1 "$3" "$snatctl" apply --print --imds "$imds" -f "$tmp/imds.conf"
	}
	imds_refuses "an empty VPC CIDR list is never applied" '{"cidrs": ""}' \
		"Error: instance metadata $imds: vpc-cidrs imds: the VPC CIDR list is empty; an empty list is never applied; nothing was printed"
	imds_refuses "one bad CIDR fails the list" '{"cidrs": "10.0.0.0/16 fe80::/64"}' \
		"Error: instance metadata $imds: /latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/vpc-ipv4-cidr-blocks: item 2: IPv6 is not supported: fe80::/64; nothing was printed"
	imds_refuses "an IPv4 CIDR among the IPv6 ones fails the list" '{"cidrs": "10.0.0.0/16", "cidrs6": "10.1.0.0/16"}' \
		"Error: instance metadata $imds: /latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/vpc-ipv6-cidr-blocks: item 1: Invalid CIDR 10.1.0.0/16: not an IPv6 prefix; nothing was printed"
	ctl_imds '{"fail": 503}'
	start=$SECONDS
	expect "503s: three attempts, then one line" 1 \
		"Error: instance metadata $imds: PUT /latest/api/token: HTTP 503 (3 attempts); nothing was printed" \
		"$snatctl" apply --print --imds "$imds" -f "$tmp/imds.conf"
	check "503s: given up within the 5 s budget" [ $((SECONDS - start)) -le 6 ]
	ctl_imds '{"local_ipv4": "10.0.0.10", "token_ttl_max": 1}'
	: >"$tmp/imds.log"
	expect "a token the service grants for 1 s" 0 - "$snatctl" apply --print --imds "$imds" -f "$tmp/imds.conf"
	expect "nothing listening: one line" 1 \
		"Error: instance metadata http://127.0.0.1:9: PUT /latest/api/token: Couldn't connect to server (3 attempts); nothing was printed" \
		"$snatctl" apply --print -f "$tmp/imds.conf"
else
	echo "SKIP: instance metadata checks (python3 missing)"
fi
expect "--imds: not a URL" 1 \
	"Error: Invalid instance metadata endpoint ftp://x; expected http://HOST[:PORT]; nothing was printed" \
	"$snatctl" apply --print --imds ftp://x -f "$tmp/imds.conf"
expect "AWS_EC2_METADATA_DISABLED=true" 1 \
	"Error: instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true); nothing was printed" \
	env AWS_EC2_METADATA_DISABLED=true "$snatctl" apply --print -f "$tmp/imds.conf"
expect "apply -f a directory reads its vpcsnat.conf" 2 "$tmp/cfgdir/vpcsnat.conf:1: Unknown setting frob; expected enabled, ipv6, external-snat, snat-ip, snat-ip6, random, skip-ifaces, pod-ifaces, mark, table-limit, cidr or vpc-cidrs" \
	bash -c "mkdir -p '$tmp/cfgdir' && echo 'frob 1' >'$tmp/cfgdir/vpcsnat.conf' && '$snatctl' apply --check -f '$tmp/cfgdir'"

# agent and status --check: their command lines.
expect "agent --interval 0" 2 "Error: Invalid interval 0; expected a number from 1 to 86400 seconds" \
	"$snatctl" agent --interval 0
expect "agent extra argument" 2 "Error: Unexpected argument now after agent" "$snatctl" agent now
expect "agent --config -" 2 "Error: --config, --state and --metrics need a path" "$snatctl" agent --config -
expect "agent --imds bad URL" 2 "Error: Invalid instance metadata endpoint nope://; expected http://HOST[:PORT]" \
	"$snatctl" agent --imds nope://
expect "status --check extra argument" 2 "Error: Unexpected argument x after status" "$snatctl" status --check x

if [ -d /sys/module/vpcsnat ]; then
	echo "SKIP: module-not-loaded message (vpcsnat is loaded)"
else
	expect "status without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" "$snatctl"
	expect "explain IPv6 without module: parsed, then the kernel" 1 \
		"vpcsnat module is not loaded; modprobe vpcsnat" "$snatctl" explain 2001:db8:1::10 2001:db8::1
	printf '10.0.0.0/8\n' >"$tmp/good"
	expect "replace without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" \
		"$snatctl" cidr replace -f "$tmp/good"
	expect "apply without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" \
		"$snatctl" apply -f "$tmp/good.conf"
	expect "show-config without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" \
		"$snatctl" show-config
	expect "status --check without module: not ready" 1 "vpcsnat module is not loaded; modprobe vpcsnat" \
		"$snatctl" status --check --state "$tmp/none.json"
	expect "set snat-ip imds without module: the kernel first, no metadata asked" 1 \
		"vpcsnat module is not loaded; modprobe vpcsnat" "$snatctl" set snat-ip imds
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
