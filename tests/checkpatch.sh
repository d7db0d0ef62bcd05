#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module follows the kernel's coding style: checkpatch finds nothing.
set -u
cd "$(dirname "$0")/.."
cp=/usr/src/linux-source-6.1/scripts/checkpatch.pl
files=$(ls module/*.c module/*.h include/uapi/linux/*.h include/vpcsnat/*.h |
	grep -v '\.mod\.c$' | grep -vx module/compat.h)
# portable.h's typedefs stand in for the kernel's own in userspace builds.
ignore=NEW_TYPEDEFS,FILE_PATH_CHANGES
out=$($cp --no-tree --terse -q --ignore $ignore -f $files 2>&1 | grep -v '^total:')
# compat.h is the one file that tests the kernel's version, as it must.
out=$out$($cp --no-tree --terse -q --ignore $ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f module/compat.h 2>&1 | grep -v '^total:')
if [ -z "$out" ]; then
	echo "PASS: checkpatch: no errors or warnings in module/ and the uAPI header"
else
	echo "$out"
	echo "FAIL: checkpatch: $(echo "$out" | wc -l) findings"
fi
