#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM: hostile input.
#  - nlfuzz: random and mutated vpcsnat genl messages (FUZZ_MESSAGES,
#    default 120000, or FUZZ_SECONDS, default 120, whichever comes first),
#    in a scratch netns and in the initial one; the module answers after.
#  - /sys/kernel/vpcsnat/* fed garbage, over-long and binary strings: each
#    refused, nothing changed.
#  - an unprivileged user in its own user namespace cannot change the
#    initial netns or another one, but can change a netns it owns.

# shellcheck disable=SC2154 # netns_new names $fuzz, $victim by reference
set -u
# shellcheck source=tests/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dd od setpriv timeout unshare
sysfs=/sys/kernel/vpcsnat
make_tmp vpcsnat-hostile

mark hostile
load_vpcsnat || { fail "hostile: insmod vpcsnat.ko"; exit 1; }
kmemleak_clear

#
# Netlink fuzzing
#
netns_new fuzz
msgs=${FUZZ_MESSAGES:-120000}
secs=${FUZZ_SECONDS:-120}
if out=$(ip netns exec "$fuzz" "$nlfuzz" "$msgs" "$secs" 1 2>&1) &&
	ctl "$fuzz" status >/dev/null 2>&1; then
	pass "hostile: netlink fuzz in a scratch netns: ${out#nlfuzz: }"
else
	fail "hostile: netlink fuzz in a scratch netns: $out"
fi
# The initial netns too, briefly: sysfs and netlink share its state.
if out=$("$nlfuzz" $((msgs / 10)) $((secs / 6)) 2 2>&1) && "$snatctl" status >/dev/null 2>&1; then
	pass "hostile: netlink fuzz in the initial netns: ${out#nlfuzz: }"
else
	fail "hostile: netlink fuzz in the initial netns: $out"
fi
netns_destroy "$fuzz"

#
# sysfs garbage
#
# put FILE < DATA: one write(2), bounded: a store() that returns less than it
# was given makes the writer retry the rest, forever if it returns 0.
put() {
	timeout 10 dd of="$sysfs/$1" bs=4096 count=1 status=none 2>/dev/null
}
"$snatctl" disable >/dev/null
"$snatctl" cidr flush >/dev/null
good=""
for kv in snat_ip=10.0.0.10 random=prng skip_ifaces=vlan table_limit=1000; do
	if ! printf '%s\n' "${kv#*=}" | put "${kv%%=*}" || [ "$(cat "$sysfs/${kv%%=*}")" != "${kv#*=}" ]; then
		good="$good ${kv%%=*};"
	fi
done
if [ -z "$good" ]; then
	pass "hostile: sysfs: a valid value with a newline is accepted in one write"
else
	fail "hostile: sysfs: a valid value with a newline, in one write, is refused, cut short or hangs:$good"
fi
snapshot() { for f in enabled external_snat snat_ip random skip_ifaces table_limit table_size; do printf '%s=%s ' "$f" "$(cat "$sysfs/$f")"; done; }
before=$(snapshot)
head -c 5000 /dev/urandom >"$tmp/long"
printf 'auto%.0s' $(seq 1 40) >"$tmp/longauto"
bad=""
n=0
# write FILE [printf args...]: the write must fail, nothing change
refuse() {
	local f=$1
	shift
	n=$((n + 1))
	if printf "$@" | put "$f"; then
		bad="$bad $f accepted '$(printf "$@" | head -c 24 | od -An -c | tr -s ' ' | sed 's/^ //')';"
	fi
}
for f in enabled external_snat snat_ip random skip_ifaces table_limit; do
	if [ "$f" != skip_ifaces ]; then	# both are valid prefixes
		refuse "$f" '%s' "garbage"
		refuse "$f" '%s' "%s%n%x"
	fi
	refuse "$f" '\xff\xfe\x80'
	if ! put "$f" <"$tmp/long"; then :; else bad="$bad $f accepted 4096 random bytes;"; fi
	n=$((n + 1))
	if ! put "$f" <"$tmp/longauto"; then :; else bad="$bad $f accepted 160 bytes;"; fi
	n=$((n + 1))
done
for f in enabled external_snat; do refuse "$f" '2'; refuse "$f" '%s' "-1"; refuse "$f" '\n'; done
for v in 1.2.3 1.2.3.4.5 256.1.1.1 224.0.0.1 255.255.255.255 127.0.0.1 ::1 10.0.0.1/24 ' 10.0.0.1' '10.0.0.1 x' AUTO; do
	refuse snat_ip '%s' "$v"
done
for v in NONE prng2 'none prng' 3 '\n'; do refuse random "$v"; done
for v in 0 -1 16000001 4294967296 1e3 0x10 ' 5' '5 5'; do refuse table_limit '%s' "$v"; done
for v in 'a/b' 'x:y' '0123456789abcdef' "$(printf 'v%.0s' $(seq 1 17) | sed 's/v/v /g')" $'\x7f'; do
	refuse skip_ifaces '%s' "$v"
done
for f in table_size counters; do
	n=$((n + 1))
	if echo 1 | put "$f"; then bad="$bad read-only $f accepted a write;"; fi
done
after=$(snapshot)
if [ -z "$bad" ] && [ "$before" = "$after" ]; then
	pass "hostile: sysfs: $n garbage, over-long and binary writes refused, settings unchanged"
else
	fail "hostile: sysfs:$bad"
	[ "$before" = "$after" ] || note "before: $before" "after: $after"
fi
# A valid value (the current one), then a NUL and more: binary input that
# a C string function would cut short. Must be refused whole.
bad=""
n=0
before=$(snapshot)
refuse enabled '0\0garbage'
refuse external_snat '0\0garbage'
refuse snat_ip '10.0.0.10\0garbage'
refuse random 'prng\0garbage'
refuse skip_ifaces 'vlan\0garbage'
refuse table_limit '1000\0garbage'
if [ -z "$bad" ] && [ "$before" = "$(snapshot)" ]; then
	pass "hostile: sysfs: a valid value followed by a NUL and more bytes is refused ($n attributes)"
else
	fail "hostile: sysfs: a valid value followed by a NUL and more bytes is accepted, the rest ignored:$bad"
fi
# (Read back, counters parse.)
if grep -q '^failed [0-9]*$' "$sysfs/counters"; then
	pass "hostile: sysfs counters still read after the garbage"
else
	fail "hostile: sysfs counters: $(head -c 200 "$sysfs/counters")"
fi

#
# Unprivileged users in their own user namespace
#
[ ! -w /proc/sys/kernel/unprivileged_userns_clone ] || echo 1 >/proc/sys/kernel/unprivileged_userns_clone
netns_new victim
ctl "$victim" set snat-ip 192.0.2.9 >/dev/null
init_before=$(snapshot)
victim_before=$(ctl "$victim" -j status)
if nobody unshare -Ur true 2>/dev/null; then
	tries=(
		"initial netns|nobody unshare -Ur $snatctl set snat-ip 192.0.2.66"
		"initial netns|nobody unshare -Ur $snatctl cidr add 10.66.0.0/16"
		"initial netns|nobody unshare -Ur $snatctl enable"
		"initial netns|nobody unshare -Ur $snatctl cidr flush"
		"another netns|ip netns exec $victim setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur $snatctl set snat-ip 192.0.2.66"
		"another netns|ip netns exec $victim setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur $snatctl cidr add 10.66.0.0/16"
		"initial netns sysfs|nobody unshare -Ur sh -c 'echo 1 | timeout 10 dd of=$sysfs/enabled status=none'"
	)
	bad=""
	for t in "${tries[@]}"; do
		if eval "${t#*|}" >/dev/null 2>&1; then bad="$bad ${t%%|*}: '${t#*|}' succeeded;"; fi
	done
	if [ -z "$bad" ] && [ "$(snapshot)" = "$init_before" ] && [ "$(ctl "$victim" -j status)" = "$victim_before" ]; then
		pass "hostile: an unprivileged user in its own user namespace cannot change the initial netns (netlink, sysfs) or another netns"
	else
		fail "hostile: unprivileged user:$bad"
	fi
	# Events name every pod's connections: joining the group needs
	# CAP_NET_ADMIN over the netns. A refused monitor exits 1 at once; one
	# that joined runs until timeout kills it (124).
	# refused_listen WHAT PREFIX...: "PREFIX snatctl monitor" must be refused
	refused_listen() {
		local out rc
		out=$("${@:2}" "$snatctl" monitor 2>&1 >/dev/null)
		rc=$?
		[ "$rc" = 1 ] && [[ "$out" == *"Cannot join the vpcsnat events group: Operation not permitted"* ]] ||
			bad="$bad $1: exit $rc, '$out';"
	}
	bad=""
	refused_listen "initial netns, no user namespace" nobody timeout 10
	refused_listen "initial netns" nobody timeout 10 unshare -Ur
	refused_listen "another netns" ip netns exec "$victim" \
		setpriv --reuid=65534 --regid=65534 --clear-groups timeout 10 unshare -Ur
	nobody timeout 5 unshare -Urn "$snatctl" monitor >/dev/null 2>&1
	rc=$?
	if [ -z "$bad" ] && [ "$rc" = 124 ]; then
		pass "hostile: an unprivileged user cannot listen to the events of the initial netns or another netns, and can listen in a netns it owns"
	else
		fail "hostile: event listening:$bad own netns: exit $rc (want 124, still listening)"
	fi
	# Control: the same user does own a netns it creates, and can read.
	if nobody unshare -Urn sh -c "$snatctl set snat-ip 192.0.2.77 && $snatctl cidr add 10.77.0.0/16 && $snatctl enable" >/dev/null 2>&1 &&
		nobody unshare -Ur "$snatctl" status >/dev/null 2>&1 &&
		[ "$(snapshot)" = "$init_before" ]; then
		pass "hostile: the same user can configure a netns it owns, and read status, without touching the initial one"
	else
		fail "hostile: an unprivileged user cannot configure its own netns or read status"
	fi
else
	skip "hostile: unprivileged user namespaces are not available"
fi
netns_destroy "$victim"

unload_vpcsnat
check_clean hostile "hostile"
check_leaks "hostile"
finish
