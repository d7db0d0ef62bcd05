#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Instructions per table lookup, counted by callgrind (repeatable: the same
# count on every run), at 10 and 1,000,000 prefixes, IPv4 and IPv6, spread
# over the address space and clustered in one block.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d /tmp/vpcsnat-callgrind.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cc -std=gnu11 -O2 -g -Wall -Wextra -Werror -I../../include/uapi \
	-I../../include -I../../module lookup_count.c ../../module/table.c \
	../../module/table6.c -o "$tmp/lookup_count"
m=100000
for family in 4 6; do
	for shape in spread clustered; do
		for n in 10 1000000; do
			out=$tmp/cg.$family.$shape.$n
			valgrind --tool=callgrind \
				--toggle-collect=bench_lookups \
				--toggle-collect=bench_lookups6 \
				--callgrind-out-file="$out" "$tmp/lookup_count" \
				$family $shape $n $m >"$out.txt" 2>/dev/null
			ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out")
			echo "CALLGRIND $n $(cat "$out.txt") ir $ir lookups $m"
		done
	done
done
