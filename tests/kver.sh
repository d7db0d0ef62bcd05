#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The one rule for which kernel vpcsnat is built for and the VM boots:
#
#   tests/kver.sh          the kernel: $KVER if set; else the running kernel
#                          if its headers are installed; else the newest
#                          kernel that has both an image in /boot and headers
#   tests/kver.sh --all    every kernel with both, oldest first (make check
#                          runs the stock-kernel VM suites on each)
#
# The Makefile and tests/vm/run.sh both ask it, so that a module built by
# make is the one the VM can load (with two kernels' headers installed,
# "the newest in /lib/modules" is not the running kernel).
set -u

# Kernels with an image and headers, oldest first.
bootable() {
	local d v
	for d in /lib/modules/*/; do
		v=$(basename "$d")
		[ -e "/lib/modules/$v/build/Makefile" ] && [ -e "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V
}

case "${1-}" in
--all)
	bootable
	;;
"")
	if [ -n "${KVER-}" ]; then
		echo "$KVER"
	elif [ -e "/lib/modules/$(uname -r)/build/Makefile" ]; then
		uname -r
	else
		bootable | tail -n 1
	fi
	;;
*)
	echo "usage: tests/kver.sh [--all]" >&2
	exit 2
	;;
esac
