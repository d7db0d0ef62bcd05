#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug-kernel tests must catch the bugs they are there for. Each
# tests/kernel/mutants/NAME.patch breaks the module on purpose (a lock
# dropped around the configuration swap, a free without a grace period);
# run.sh builds the patched copy and runs the KUnit suites on the debug
# kernel. One PASS line per mutant when the run fails and the kernel log
# names the patch's "Expect:" line, else FAIL: a checker went blind.
#
#   tests/kernel/mutants.sh [NAME...]
#
# The working tree is never touched: the patch goes to a copy in
# tests/kernel/out-mutant/.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/out-mutant
log=$(mktemp /tmp/vpcsnat-mutant.XXXXXX)
trap 'rm -f "$log"' EXIT
failed=0

if [ $# -eq 0 ]; then
	set -- "$here"/mutants/*.patch
else
	set -- "${@/#/$here/mutants/}"
	set -- "${@/%/.patch}"
fi

for p in "$@"; do
	name=$(basename "$p" .patch)
	expect=$(sed -n 's/^Expect: //p' "$p" | head -n 1)
	if [ -z "$expect" ]; then
		echo "FAIL: mutant $name: $p has no Expect: line"
		failed=1
		continue
	fi
	start=$SECONDS
	mkdir -p "$out"
	VPCSNAT_KOUT=$out VPCSNAT_PATCH=$p "$here/run.sh" kunit >"$log" 2>&1
	rc=$?
	seen=$(grep -m1 -F -- "$expect" "$log")
	if [ "$rc" != 0 ] && [ -n "$seen" ]; then
		echo "PASS: mutant $name is caught: '${seen#"${seen%%[! ]*}"}' ($((SECONDS - start)) s)"
	else
		echo "FAIL: mutant $name is not caught (run.sh exited $rc; want a failure naming '$expect'); last lines:"
		tail -n 15 "$log" | sed 's/^/    /'
		failed=1
	fi
done
rm -rf "$out"
exit "$failed"
