#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM (started by tests/kernel/run.sh): every suite
# in turn, or those named: kunit stress faults hostile genl.

set -u
here=$(cd "$(dirname "$0")" && pwd)
rc=0
[ $# -gt 0 ] || set -- kunit stress faults hostile genl
for t in "$@"; do
	start=$SECONDS
	echo "== kernel-$t"
	"$here/$t.sh" || rc=1
	echo "-- kernel-$t: $((SECONDS - start)) s"
done
exit "$rc"
