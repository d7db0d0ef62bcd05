#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module follows the kernel's coding style: checkpatch finds nothing.
set -u
cd "$(dirname "$0")/.."
cp=/usr/src/linux-source-6.1/scripts/checkpatch.pl
files=$(ls module/*.c module/*.h include/uapi/linux/*.h | grep -v '\.mod\.c$')
# portable.h's typedefs stand in for the kernel's own in userspace builds.
out=$($cp --no-tree --terse -q --ignore NEW_TYPEDEFS,FILE_PATH_CHANGES -f $files 2>&1 | grep -v '^total:')
if [ -z "$out" ]; then
	echo "PASS: checkpatch: no errors or warnings in module/ and the uAPI header"
else
	echo "$out"
	echo "FAIL: checkpatch: $(echo "$out" | wc -l) findings"
fi
