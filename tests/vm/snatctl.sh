#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# snatctl against the real module, inside the test VM:
#
#   tests/vm/run.sh -- tests/vm/snatctl.sh
#
# Loads module/vpcsnat.ko if it is not loaded, drives every verb and checks
# exact outputs and exit codes. One PASS:/FAIL: line per check.
set -u

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_tools ip modprobe insmod python3 timeout
require_built "$snatctl"
make_tmp vpcsnat-snatctl

json() { python3 -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
sysfs=/sys/kernel/vpcsnat

load_vpcsnat || { fail "cannot load vpcsnat"; exit 1; }

run "status" 0 "$snatctl"
grep -q '^enabled: ' "$tmp/out" && pass "status prints enabled" || fail "status output: $(cat "$tmp/out")"
cat "$tmp/out"
run "status -j" 0 "$snatctl" -j status
cat "$tmp/out"
[ "$(json 'sorted(d["counters"].keys())')" = "['disabled', 'dst_local', 'events_dropped', 'exclude', 'external_snat', 'failed', 'marked', 'no_match', 'skip_iface', 'snat_entry', 'src_local', 'translated', 'vpc']" ] &&
	pass "status -j counter keys" || fail "status -j counter keys: $(json 'sorted(d["counters"].keys())')"

run "enable" 0 "$snatctl" enable
run "status after enable" 0 "$snatctl" status
grep -qx 'enabled: yes' "$tmp/out" && pass "enabled: yes" || fail "enabled: $(head -n1 "$tmp/out")"
run "set several" 0 "$snatctl" set snat-ip 10.0.0.10 random prng skip-ifaces vlan,eni external-snat on table-limit 6000
run "status -j after set" 0 "$snatctl" status -j
[ "$(json '(d["enabled"], d["external_snat"], d["snat_ip"], d["random"], d["skip_ifaces"], d["table_limit"])')" = \
  "(True, True, '10.0.0.10', 'prng', ['vlan', 'eni'], 6000)" ] && pass "settings read back" || fail "settings: $(cat "$tmp/out")"
run "set back" 0 "$snatctl" set snat-ip auto skip-ifaces none external-snat off random hashrandom
run "status after set back" 0 "$snatctl" status
grep -qx 'snat-ip: auto' "$tmp/out" && grep -qx 'skip-ifaces: none' "$tmp/out" && grep -qx 'random: hashrandom' "$tmp/out" &&
	pass "auto/none/hashrandom read back" || fail "status: $(cat "$tmp/out")"
run "set table-limit 0 (client refuses)" 2 "$snatctl" set table-limit 0

run "cidr flush" 0 "$snatctl" cidr flush
run "cidr add vpc" 0 "$snatctl" cidr add 10.0.0.0/16
run "cidr add snat" 0 "$snatctl" cidr add 10.0.5.0/24 snat
run "cidr add exclude" 0 "$snatctl" cidr add 100.64.0.0/10 exclude
run "cidr add existing" 1 "$snatctl" cidr add 10.0.0.0/16 exclude
echo "      $(cat "$tmp/err")"
grep -q '^Error: cidr add 10.0.0.0/16: ' "$tmp/err" && pass "EEXIST names the CIDR" || fail "EEXIST: $(cat "$tmp/err")"
run "cidr list" 0 "$snatctl" cidr list
same "cidr list output" "$tmp/out" "10.0.0.0/16 vpc
10.0.5.0/24 snat
100.64.0.0/10 exclude"
run "cidr list -j" 0 "$snatctl" -j cidr list
same "cidr list -j output" "$tmp/out" '[{"cidr":"10.0.0.0/16","kind":"vpc","hits":0},{"cidr":"10.0.5.0/24","kind":"snat","hits":0},{"cidr":"100.64.0.0/10","kind":"exclude","hits":0}]'
run "cidr list -j after verb" 0 "$snatctl" cidr list -j
run "cidr del" 0 "$snatctl" cidr del 100.64.0.0/10
run "cidr del missing" 1 "$snatctl" cidr del 100.64.0.0/10
echo "      $(cat "$tmp/err")"
grep -q '^Error: cidr del 100.64.0.0/10: ' "$tmp/err" && pass "ENOENT names the CIDR" || fail "ENOENT: $(cat "$tmp/err")"

run "explain vpc" 0 "$snatctl" explain 10.0.1.5 10.0.2.6
cat "$tmp/out"
same "explain vpc output" "$tmp/out" "decision: leave alone
reason: vpc
entry: 10.0.0.0/16 vpc"
run "explain snat entry" 0 "$snatctl" -j explain 10.0.1.5 10.0.5.9 eth0
cat "$tmp/out"
[ "$(json '(d["translate"], d["reason"], d["entry"], d["oif"])')" = "(True, 'snat_entry', {'cidr': '10.0.5.0/24', 'kind': 'snat'}, 'eth0')" ] &&
	pass "explain -j snat entry" || fail "explain -j: $(cat "$tmp/out")"
run "explain no match" 0 "$snatctl" explain 10.0.1.5 192.0.2.1
cat "$tmp/out"
grep -qx 'reason: no-match' "$tmp/out" && grep -qx 'entry: none' "$tmp/out" && pass "explain no-match" || fail "explain: $(cat "$tmp/out")"

run "set snat-ip for explain" 0 "$snatctl" set snat-ip 10.0.0.10
run "explain with snat-ip" 0 "$snatctl" explain 10.0.1.5 192.0.2.1
grep -qx 'decision: translate to 10.0.0.10' "$tmp/out" && pass "explain names snat-ip" || fail "explain: $(cat "$tmp/out")"
run "explain -j with snat-ip" 0 "$snatctl" explain -j 10.0.1.5 192.0.2.1
[ "$(json 'd["snat_ip"]')" = 10.0.0.10 ] && pass "explain -j snat_ip" || fail "explain -j: $(cat "$tmp/out")"
run "explain with skip iface" 0 "$snatctl" set skip-ifaces vlan snat-ip auto
run "explain skip-iface" 0 "$snatctl" explain 10.0.1.5 192.0.2.1 vlan.100
grep -qx 'reason: skip-iface' "$tmp/out" && pass "explain skip-iface" || fail "explain: $(cat "$tmp/out")"
run "clear skip-ifaces" 0 "$snatctl" set skip-ifaces none

# A table of 5000 entries goes in three REPLACE_CIDRS messages.
for i in $(seq 0 4999); do echo "172.$((16 + i / 256)).$((i % 256)).0/24 exclude"; done >"$tmp/big"
echo "10.0.0.0/8 # vpc" >>"$tmp/big"
run "cidr replace 5001 entries" 0 "$snatctl" cidr replace -f "$tmp/big"
run "status -j after replace" 0 "$snatctl" -j status
[ "$(json 'd["table_size"]')" = 5001 ] && pass "table_size 5001" || fail "table_size $(json 'd["table_size"]')"
run "cidr list after replace" 0 "$snatctl" cidr list
[ "$(wc -l <"$tmp/out")" = 5001 ] && pass "cidr list has 5001 lines" || fail "cidr list has $(wc -l <"$tmp/out") lines"
run "set table-limit below size" 1 "$snatctl" set table-limit 100
echo "      $(cat "$tmp/err")"
run "table-limit 4000" 0 "$snatctl" cidr flush
run "set table-limit 4000" 0 "$snatctl" set table-limit 4000
run "cidr replace over the limit" 1 "$snatctl" cidr replace -f "$tmp/big"
echo "      $(cat "$tmp/err")"
run "status -j after refused replace" 0 "$snatctl" -j status
[ "$(json 'd["table_size"]')" = 0 ] && pass "refused replace left the table alone" || fail "table_size $(json 'd["table_size"]')"
run "set table-limit back" 0 "$snatctl" set table-limit 1000000
run "cidr replace from stdin" 0 "$snatctl" cidr replace -f - <<<10.0.0.0/8
run "cidr list after stdin replace" 0 "$snatctl" cidr list
same "stdin replace" "$tmp/out" "10.0.0.0/8 vpc"
: >"$tmp/empty"
run "cidr replace empty file" 0 "$snatctl" cidr replace -f "$tmp/empty"
run "cidr list after empty replace" 0 "$snatctl" cidr list
same "empty replace empties" "$tmp/out" ""

# IPv6 beside IPv4: one table, listed IPv4 first; the kernel's own refusal
# (sysfs has no table) for what the client lets through; snat-ip6 and ipv6
# in sysfs.
run "cidr add IPv6" 0 "$snatctl" cidr add 2600:1f14:aa::/56
run "cidr add IPv6 snat" 0 "$snatctl" cidr add 2600:1f14:aa:5::/64 snat
run "cidr add IPv4 after IPv6" 0 "$snatctl" cidr add 10.0.0.0/16
run "cidr add IPv6 existing" 1 "$snatctl" cidr add 2600:1f14:aa::/56 exclude
run "cidr list, both families" 0 "$snatctl" cidr list
same "cidr list, IPv4 then IPv6" "$tmp/out" "10.0.0.0/16 vpc
2600:1f14:aa::/56 vpc
2600:1f14:aa:5::/64 snat"
run "cidr add IPv6 with host bits" 2 "$snatctl" cidr add 2600:1f14:aa::1/56
same "IPv6 host bits: one line" "$tmp/err" "Error: Invalid CIDR 2600:1f14:aa::1/56: prefix has host bits set; did you mean 2600:1f14:aa::/56?"
run "cidr add IPv4-mapped" 2 "$snatctl" cidr add ::ffff:10.0.0.0/104
same "IPv4-mapped: one line" "$tmp/err" "Error: Invalid CIDR ::ffff:10.0.0.0/104: an IPv4-mapped prefix (::ffff:0:0/96): give it as IPv4"
run "status -j: the table's IPv6 part" 0 "$snatctl" -j status
[ "$(json 'd["table_size"], d["table6_size"]')" = "3 2" ] &&
	pass "status -j: table_size 3, table6_size 2" ||
	fail "status -j: table sizes: $(json 'd["table_size"], d["table6_size"]')"
run "explain IPv6, ipv6 off" 0 "$snatctl" explain 2600:1f14:aa:1::10 2600:1f14:aa:5::9
grep -q '^reason: disabled$' "$tmp/out" && pass "explain: IPv6 is disabled while ipv6 is off" ||
	fail "explain IPv6, ipv6 off: $(tr '\n' '|' <"$tmp/out")"
run "set ipv6 and snat-ip6" 0 "$snatctl" set ipv6 on snat-ip6 2600:1f14:aa::10
run "explain IPv6 in the snat entry" 0 "$snatctl" explain 2600:1f14:aa:1::10 2600:1f14:aa:5::9
grep -q '2600:1f14:aa:5::/64' "$tmp/out" && grep -q '2600:1f14:aa::10' "$tmp/out" &&
	pass "explain names the IPv6 entry and snat-ip6" ||
	fail "explain IPv6: $(tr '\n' '|' <"$tmp/out")"
[ "$(cat "$sysfs/ipv6") $(cat "$sysfs/snat_ip6")" = "1 2600:1f14:aa::10" ] &&
	pass "sysfs ipv6 and snat_ip6 read what snatctl set" ||
	fail "sysfs ipv6 snat_ip6: $(cat "$sysfs/ipv6") $(cat "$sysfs/snat_ip6")"
run "set snat-ip6 link-local (client refuses)" 2 "$snatctl" set snat-ip6 fe80::1
if echo fe80::1 >"$sysfs/snat_ip6" 2>/dev/null; then
	fail "sysfs snat_ip6 took fe80::1"
else
	pass "sysfs snat_ip6 refuses fe80::1, as snatctl does"
fi
grep -q '^no_match 0$' "$sysfs/counters6" && pass "sysfs counters6 reads" ||
	fail "sysfs counters6: $(tr '\n' '|' <"$sysfs/counters6")"
run "set ipv6 off, snat-ip6 auto" 0 "$snatctl" set ipv6 off snat-ip6 auto
run "cidr flush, both families" 0 "$snatctl" cidr flush
[ "$(cat "$sysfs/table_size")" = 0 ] && pass "flush empties both families" ||
	fail "table_size after flush: $(cat "$sysfs/table_size")"

# A lost answer (the socket says ENOBUFS: the kernel could not queue its
# ACK) to the last message of a replace: snatctl reads back and says
# whether it was applied. lostack.so throws the kernel's answer away.
lostack=$repo/userspace/tests/lostack.so
lost() { # SKIP COMMAND...: loses the answer to replace message SKIP+1
	LOSTACK_SKIP=$1 LD_PRELOAD=$lostack "${@:2}"
}
# listed WHAT N FIRST: the table has N entries, the first one FIRST
listed() {
	"$snatctl" cidr list >"$tmp/out" 2>&1
	if [ "$(wc -l <"$tmp/out")" = "$2" ] && [ "$(head -n 1 "$tmp/out")" = "$3" ]; then
		pass "$1"
	else
		fail "$1: want $2 entries from $3, got $(wc -l <"$tmp/out") from $(head -n 1 "$tmp/out")"
	fi
}
lost_msg="the kernel's answer was lost (No buffer space available)"
if [ ! -f "$lostack" ]; then
	fail "lost answers: $lostack is not built (make -C userspace tests/lostack.so)"
else
	printf '10.1.0.0/16 vpc\n' >"$tmp/one"
	run "lost answer, one message: exit 0" 0 lost 0 "$snatctl" cidr replace -f "$tmp/one"
	same "lost answer, one message: says applied" "$tmp/err" \
		"Warning: cidr replace -f $tmp/one: $lost_msg; read back, the table in force is the one sent: applied"
	listed "lost answer, one message: the table is the new one" 1 "10.1.0.0/16 vpc"
	run "lost answer, last of 3 messages: exit 0" 0 lost 2 "$snatctl" cidr replace -f "$tmp/big"
	same "lost answer, last of 3 messages: says applied" "$tmp/err" \
		"Warning: cidr replace -f $tmp/big: $lost_msg; read back, the table in force is the one sent: applied"
	listed "lost answer, last of 3 messages: the table is the new one" 5001 "10.0.0.0/8 vpc"
	run "lost answer: back to one entry" 0 "$snatctl" cidr replace -f "$tmp/one"
	run "lost answer, first of 3 messages: exit 1" 1 lost 0 "$snatctl" cidr replace -f "$tmp/big"
	same "lost answer, first of 3 messages: the staged part goes with the socket" "$tmp/err" \
		"Error: cidr replace -f $tmp/big: No buffer space available
Nothing was changed"
	listed "lost answer, first of 3 messages: the table is the old one" 1 "10.1.0.0/16 vpc"
	run "lost answer: set table-limit 100" 0 "$snatctl" set table-limit 100
	run "lost answer to a refusal: exit 1" 1 lost 2 "$snatctl" cidr replace -f "$tmp/big"
	same "lost answer to a refusal: says not applied" "$tmp/err" \
		"Error: cidr replace -f $tmp/big: $lost_msg; read back, the table in force is not the one sent: not applied"
	listed "lost answer to a refusal: the table is the old one" 1 "10.1.0.0/16 vpc"
	printf 'enabled yes\nsnat-ip 10.0.0.10\nskip-ifaces vlan,eni\ntable-limit 200\ncidr 10.2.0.0/16 vpc\n' >"$tmp/conf"
	run "lost answer to apply: exit 0" 0 lost 0 "$snatctl" apply -f "$tmp/conf"
	same "lost answer to apply: says applied" "$tmp/err" \
		"Warning: apply -f $tmp/conf: $lost_msg; read back, the configuration in force is the one sent: applied"
	run "lost answer to apply: show-config" 0 "$snatctl" show-config
	grep -v '^#' "$tmp/out" | grep -v '^$' >"$tmp/shown"
	same "lost answer to apply: the configuration is the new one" "$tmp/shown" "enabled yes
ipv6 no
external-snat off
snat-ip 10.0.0.10
snat-ip6 auto
random prng
skip-ifaces vlan,eni
pod-ifaces eni
mark 0x80
table-limit 200
cidr 10.2.0.0/16 vpc"
	printf 'enabled no\n' >"$tmp/conf"
	run "apply the defaults back" 0 "$snatctl" apply -f "$tmp/conf"
fi

netns_new ns snatctl-test
run "-n NETNS status" 0 "$snatctl" -n "$ns" -j status
[ "$(json 'd["table_size"]')" = 0 ] && pass "netns has its own table" || fail "netns: $(cat "$tmp/out")"
run "-n NETNS cidr add" 0 "$snatctl" -n "$ns" cidr add 192.168.0.0/16
run "-n NETNS cidr list" 0 "$snatctl" --netns "$ns" cidr list
same "netns list" "$tmp/out" "192.168.0.0/16 vpc"
run "root netns untouched" 0 "$snatctl" cidr list
same "root netns list" "$tmp/out" ""

if command -v setpriv >/dev/null; then
	run "unprivileged cidr add" 1 nobody "$snatctl" cidr add 10.9.0.0/16
	same "EPERM message" "$tmp/err" "Error: cidr add 10.9.0.0/16: Permission denied; this needs CAP_NET_ADMIN (run as root)"
	run "unprivileged status" 0 nobody "$snatctl"
	# A dump holds its table: reading the table is privileged.
	run "unprivileged cidr list" 1 nobody "$snatctl" cidr list
	same "unprivileged cidr list: EPERM message" "$tmp/err" \
		"Error: cidr list: Permission denied; this needs CAP_NET_ADMIN (run as root)"
	run "unprivileged explain" 0 nobody "$snatctl" explain 10.0.1.5 192.0.2.1
	# The events name other pods' connections (a joined monitor would run
	# until timeout kills it: 124).
	run "unprivileged monitor" 1 timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$snatctl" monitor
	same "unprivileged monitor: EPERM message" "$tmp/err" \
		"Error: Cannot join the vpcsnat events group: Operation not permitted; this needs CAP_NET_ADMIN (run as root)"
fi

# sysfs: `echo VALUE >attr` is one write of VALUE and a newline; it must
# succeed whole (a short count makes the shell write the newline again).
for kv in enabled=1 external_snat=1 snat_ip=10.0.0.10 random=prng skip_ifaces=vlan table_limit=5000 \
	pod_ifaces=veth mark=0x4000 enabled=0 external_snat=0 snat_ip=auto random=none skip_ifaces= \
	table_limit=1000000 pod_ifaces=eni mark=none mark=0x80; do
	f=${kv%%=*} v=${kv#*=}
	run "sysfs: echo '$v' >$f" 0 timeout 10 sh -c "echo '$v' >$sysfs/$f"
	same "sysfs: $f reads back" "$sysfs/$f" "$v"
done
# The kernel holds a prefix list to the rule snatctl does: none twice.
run "sysfs: a repeated skip prefix is refused" 1 timeout 10 sh -c "echo 'vlan vlan' >$sysfs/skip_ifaces"
same "sysfs: the refused list left skip_ifaces" "$sysfs/skip_ifaces" ""
timeout 10 sh -c "echo 1 >$sysfs/external_snat"
run "status after a sysfs write" 0 "$snatctl" -j status
[ "$(json 'd["external_snat"]')" = True ] && pass "snatctl sees the sysfs write" ||
	fail "snatctl after sysfs external_snat=1: $(cat "$tmp/out")"
timeout 10 sh -c "echo 0 >$sysfs/external_snat"
run "sysfs: a bad value is refused" 1 timeout 10 sh -c "echo 1.2.3 >$sysfs/snat_ip"
same "sysfs: refused value left snat_ip" "$sysfs/snat_ip" "auto"

run "disable" 0 "$snatctl" disable
finish
