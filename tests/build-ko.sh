#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds vpcsnat.ko for one installed kernel in build/KVER/module/ (a copy
# of the sources: kbuild builds an external module in place, so two kernels
# need two trees): one PASS or FAIL line, a warning being a failure.
#
#   tests/build-ko.sh KVER
set -eu
cd "$(dirname "$0")/.."
kver=${1:?usage: tests/build-ko.sh KVER}
dir=build/$kver
[ -e "/lib/modules/$kver/build/Makefile" ] || { echo "FAIL: no headers for $kver"; exit 1; }
mkdir -p "$dir"
# Only what changed is copied, so kbuild rebuilds only that.
cp -ru Kbuild module include "$dir/"
if ! make -s -C "/lib/modules/$kver/build" M="$PWD/$dir" modules >"$dir/build.log" 2>&1; then
	tail -n 30 "$dir/build.log"
	echo "FAIL: vpcsnat.ko does not build for $kver"
	exit 1
fi
if grep -q 'warning:' "$dir/build.log"; then
	grep 'warning:' "$dir/build.log"
	echo "FAIL: vpcsnat.ko builds for $kver with warnings"
	exit 1
fi
echo "PASS: vpcsnat.ko builds for $kver without a warning"
