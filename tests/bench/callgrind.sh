#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Instructions per table lookup, counted by callgrind (repeatable: the same
# count on every run), at 10 and 1,000,000 prefixes.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d /tmp/vpcsnat-callgrind.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cc -std=gnu11 -O2 -g -I../../include/uapi -I../../include -I../../module \
	lookup_count.c ../../module/table.c -o "$tmp/lookup_count"
m=100000
for n in 10 1000000; do
	valgrind --tool=callgrind --toggle-collect=bench_lookups \
		--callgrind-out-file="$tmp/cg.$n" "$tmp/lookup_count" $n $m \
		>"$tmp/out.$n" 2>/dev/null
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$tmp/cg.$n")
	echo "CALLGRIND $n $(cat "$tmp/out.$n") ir $ir lookups $m"
done
