#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: generates the CIDR lists on the host, builds its own copy of
# vpcsnat.ko with the debugfs lookup benchmark (VPCSNAT_BENCH=1; the module
# users install has none), runs every measurement in one boot of the test
# VM (tests/bench/vm-bench.sh), counts instructions per lookup in userspace
# with callgrind, and prints one report.
#
# BENCH_OUT (default /var/tmp/vpcsnat-bench) holds the lists (~700 MB), that
# module and the raw results; the VM sees it read-only through its 9p root.
# KVER: the kernel to build for and boot (tests/kver.sh).

set -eu
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-/var/tmp/vpcsnat-bench}
node_ip=10.0.0.10
node_ip6=fd00:10::10
mkdir -p "$out"

cc -O2 -Wall -Wextra -Werror -o "$out/udpgen" tests/bench/udpgen.c

kver=$(tests/kver.sh)
rm -rf "$out/src"
mkdir -p "$out/src"
cp -r Kbuild module include "$out/src/"
find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name 'modules.order' -o -name 'Module.symvers' \) -delete
make -C "/lib/modules/$kver/build" M="$out/src" VPCSNAT_BENCH=1 modules \
	>"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log"; exit 1; }
cp "$out/src/module/vpcsnat.ko" "$out/vpcsnat.ko"

gen() {	# NAME COUNT SEED [NODE_IP [cidrs]]
	[ -s "$out/$1.cidrs" ] && [ "$(wc -l <"$out/$1.cidrs")" = "$2" ] && return
	echo "bench: generating $1 ($2 prefixes)" >&2
	tests/bench/gen.py "$out" "$1" "$2" "$3" "${4:-$node_ip}" ${5:+"$5"}
}
gen l10 10 1
gen l10k 10000 2
gen c0 0 3
gen c100 100 4
gen c1k 1000 5
gen c10k 10000 6
seed=10
for s in 1k:1000 100k:100000 1m:1000000; do
	gen "r${s%%:*}-a" "${s#*:}" $((seed++))
	gen "r${s%%:*}-b" "${s#*:}" $((seed++))
done
# IPv6: the lookup lists (snatctl's only) and the connection lists.
# IPv4's lookup lists again (the same prefixes as l10 and r1m-a), of
# mixed kinds, so that they flatten into about as many ranges as IPv6's
# (1.2M and 2.0M at a million; IPv4's of one kind merge into 9).
gen lmix-10 10 1 $node_ip mixed
gen lmix-1m 1000000 10 $node_ip mixed
gen l6-10 10 31 $node_ip6 cidrs
gen l6-1m 1000000 32 $node_ip6 cidrs
gen c6-0 0 33 $node_ip6
gen c6-10k 10000 34 $node_ip6
ln -sf r1k-a.cidrs "$out/l1k.cidrs"
ln -sf r100k-a.cidrs "$out/l100k.cidrs"
ln -sf r1m-a.cidrs "$out/l1m.cidrs"

echo "bench: booting the VM; this takes a while under TCG" >&2
start=$SECONDS
# The VM does not inherit this environment: hand the BENCH_* knobs over.
mapfile -t knobs < <(env | grep '^BENCH_' || true)
tests/vm/run.sh --kver "$kver" --ko "$out/vpcsnat.ko" --memory 6144 --timeout 5400 -- env "${knobs[@]}" tests/bench/vm-bench.sh "$out" |
	tee "$out/results.txt" | grep --line-buffered -E '^(RESULT|INFO|FAIL)' >&2
echo "bench: VM part took $((SECONDS - start)) s" >&2

tests/bench/callgrind.sh >"$out/callgrind.txt"
tests/bench/report.py "$out/results.txt" "$out/callgrind.txt"
