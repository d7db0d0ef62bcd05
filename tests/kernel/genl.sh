#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM: a long table build holds no other generic
# netlink family hostage. While `snatctl cidr replace` sends and builds the
# table of $out/genl.cidrs (run.sh writes 6,000,000 prefixes there),
# genlping asks the controller (nlctrl) for its own family over and over,
# each time on a new socket, as a command such as `genl` or `ethtool`
# does: its request goes through the generic netlink core, and closing the
# socket runs every netlink notifier, vpcsnat's among them. Every request
# must be answered within 1 s; the slowest are printed as notes.
#
# The same script measures a 16M build on the stock kernel: put a stock
# build of vpcsnat.ko, genlping and a 16,000,000-line genl.cidrs in DIR,
# then tests/vm/run.sh --memory 4096 -- env VPCSNAT_KOUT=DIR tests/kernel/genl.sh

set -u
. "$(dirname "$0")/lib.sh"
genlping=$out/genlping
cidrs=$out/genl.cidrs

[ -r "$cidrs" ] && [ -x "$genlping" ] || { fail "genl: $cidrs or $genlping not built"; exit 1; }
mark genl
load_vpcsnat || { fail "genl: insmod vpcsnat.ko"; exit 1; }
n=$(wc -l <"$cidrs")
"$snatctl" cidr flush >/dev/null
[ "$n" -le 1000000 ] || "$snatctl" set table-limit "$n" >/dev/null ||
	{ fail "genl: table-limit $n"; exit 1; }

"$snatctl" cidr replace -f "$cidrs" >/dev/null &
pid=$!
res=$("$genlping" -n "$pid")
ping_rc=$?
wait "$pid"
rc=$?
size=$("$snatctl" -j status | jq -r .table_size)
read -r _ requests _ worst _ at _ median _ <<<"$res"
note "replace of $n prefixes, nlctrl on a new socket per request:"
printf '%s\n' "$res" | sed 's/^/        /'
if [ "$ping_rc" != 0 ] || [ "$rc" != 0 ] || [ "$size" != "$n" ]; then
	fail "genl: replace (exit $rc, table $size of $n) or nlctrl (exit $ping_rc: $res) failed"
elif [ "${worst%.*}" -lt 1000 ]; then
	pass "genl: nlctrl answers within 1 s all through a $n-prefix replace ($requests requests, slowest ${worst} ms)"
else
	fail "genl: nlctrl waited ${worst} ms, at ${at} s, during a $n-prefix replace (median ${median} ms)"
fi
"$snatctl" cidr flush >/dev/null
"$snatctl" set table-limit 1000000 >/dev/null
check_clean genl "genl"
exit "$failed"
