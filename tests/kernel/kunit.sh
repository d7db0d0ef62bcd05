#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM: load vpcsnat.ko, then vpcsnat_test.ko in a
# scratch netns (its suites run as it loads), and turn the KTAP results in
# /sys/kernel/debug/kunit/<suite>/results into one line per case.

# shellcheck disable=SC2154 # netns_new names $kunit by reference
set -u
# shellcheck source=tests/kernel/lib.sh
. "$(dirname "$0")/lib.sh"

[ -r "$test_ko" ] || { fail "kunit: $test_ko not built"; exit 1; }
mark kunit
load_vpcsnat || { fail "kunit: insmod vpcsnat.ko"; exit 1; }
netns_new kunit
if ! ip netns exec "$kunit" insmod "$test_ko"; then
	fail "kunit: insmod vpcsnat_test.ko"
fi
found=0
for dir in /sys/kernel/debug/kunit/vpcsnat_*/; do
	[ -r "$dir/results" ] || continue
	found=1
	suite=$(basename "$dir")
	want=$(sed -n 's/^    1\.\.\([0-9]*\)$/\1/p' "$dir/results" | head -n 1)
	got=0
	while read -r line; do
		case "$line" in
		"ok "*"# SKIP"*)
			set -- $line
			skip "kunit $suite.$3 (${line#*# SKIP })"
			;;
		"ok "*)
			set -- $line
			pass "kunit $suite.$3"
			;;
		"not ok "*)
			set -- $line
			fail "kunit $suite.$4"
			;;
		*) continue ;;
		esac
		got=$((got + 1))
	done < <(sed -n 's/^    \(\(not \)\{0,1\}ok [0-9][0-9]* .*\)$/\1/p' "$dir/results")
	if [ "$got" != "${want:-0}" ]; then
		fail "kunit $suite: $got results for ${want:-?} cases"
	fi
	if grep -q '^    not ok\|^        # .*FAILED\|^        # .*failed' "$dir/results"; then
		sed -n '/^        /p' "$dir/results" | head -n 60 | sed 's/^/    /'
	fi
done
[ "$found" = 1 ] || fail "kunit: no vpcsnat_* suite in /sys/kernel/debug/kunit"
[ ! -e /sys/module/vpcsnat_test ] || rmmod vpcsnat_test
netns_destroy "$kunit"
check_clean kunit "kunit"
finish
