#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every test suite and counts their PASS:/FAIL: lines into one
# summary line, "N passed, N failed". A suite that exits non-zero without
# saying FAIL counts as one failure, so a crash is never a silent pass.
#
#   tests/run-all.sh [--quick|--debug]
#
# --quick leaves out the debug-kernel suites (tests/kernel/), which build
# their kernel the first time (about 6 minutes on 2 idle cores); --debug runs
# only those.

set -u
cd "$(dirname "$0")/.." || exit 2
stock=1 debug=1
case "${1-}" in
--quick) debug=0 ;;
--debug) stock=0 ;;
"") ;;
*) echo "usage: tests/run-all.sh [--quick|--debug]" >&2; exit 2 ;;
esac

log=$(mktemp -d /tmp/vpcsnat-check.XXXXXX)
trap 'rm -rf "$log"' EXIT
passed=0
failed=0
skipped=0

suite() {
	local name=$1 out="$log/$1.log" rc p f s start
	shift
	start=$SECONDS
	echo "== $name"
	"$@" >"$out" 2>&1 </dev/null
	rc=$?
	grep -E '^(PASS|FAIL|SKIP): ' "$out"
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^SKIP: ' "$out")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $name exited $rc; its last lines:"
		tail -n 20 "$out" | sed 's/^/    /'
		f=1
	elif [ "$f" != 0 ]; then
		echo "-- $name: last lines of its output"
		tail -n 40 "$out" | sed 's/^/    /'
	fi
	echo "-- $name: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

if [ "$stock" = 1 ]; then
	suite table tests/unit/run.sh
	suite table-fuzz tests/unit/fuzz.sh
	suite snatctl make -s -C userspace check
	suite fuzz make -s -C userspace fuzz-run
	suite deploy tests/deploy/check.sh
	suite checkpatch tests/checkpatch.sh
	suite shipping tests/shipping.sh
	suite dkms tests/dkms.sh
	# The module's suites on every kernel with an image and headers (6.1
	# and 6.12 here), each kernel with a vpcsnat.ko built for it.
	for k in $(tests/kver.sh --all); do
		suite "build@$k" tests/build-ko.sh "$k"
		vm=(tests/vm/run.sh --kver "$k" --ko "build/$k/module/vpcsnat.ko" --)
		suite "vm-smoke@$k" "${vm[@]}" tests/vm/smoke.sh
		suite "vm-snatctl@$k" "${vm[@]}" tests/vm/snatctl.sh
		suite "e2e-vpcsnat@$k" "${vm[@]}" tests/vm/scenario.sh --backend vpcsnat
		suite "e2e-v6@$k" "${vm[@]}" tests/vm/scenario6.sh
		suite "e2e-routing@$k" "${vm[@]}" tests/vm/routing.sh --backend vpcsnat
		suite "e2e-who@$k" "${vm[@]}" tests/vm/who.sh
		suite "e2e-who-pods@$k" "${vm[@]}" tests/vm/who-pods.sh
		suite "install@$k" env KVER="$k" tests/vm/node-image-run.sh
		suite "dkms-tarball@$k" env KVER="$k" tests/vm/dkms-tarball-run.sh
	done
	# The agent with a metadata stub: about 2 minutes of 1 s cycles, so once,
	# on the default kernel.
	k=$(tests/kver.sh)
	suite vm-agent tests/vm/run.sh --kver "$k" --ko "build/$k/module/vpcsnat.ko" -- tests/vm/agent.sh
	# What the VPC CNI's own rules do, without the module: once.
	suite e2e-iptables tests/vm/run.sh --ko none -- tests/vm/scenario.sh --backend iptables
	suite e2e-routing-cni tests/vm/run.sh --ko none -- tests/vm/routing.sh --backend cni
fi
if [ "$debug" = 1 ]; then
	suite kernel-debug tests/kernel/run.sh
	suite kernel-mutants tests/kernel/mutants.sh
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
