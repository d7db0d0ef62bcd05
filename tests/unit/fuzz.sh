#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the table's libFuzzer target with Debian clang and runs it for a
# bounded time (FUZZ_TIME seconds, default 20).
set -u
cd "$(dirname "$0")"
clang -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I../../include/uapi -I../../include -I../../module \
	table_fuzz.c ../../module/table.c ../../module/table6.c -o table_fuzz || {
	echo "FAIL: table fuzz target does not build"
	exit 1
}
dir=$(mktemp -d /tmp/vpcsnat-table-fuzz.XXXXXX)
trap 'rm -rf "$dir"' EXIT
if ./table_fuzz -max_total_time="${FUZZ_TIME:-20}" -max_len=1200 \
	-artifact_prefix="$dir/" "$dir" >"$dir/log" 2>&1; then
	runs=$(grep -o 'Done [0-9]* runs' "$dir/log" | grep -o '[0-9]*')
	echo "PASS: fuzz table against a linear scan (${runs:-?} runs)"
else
	tail -n 30 "$dir/log"
	echo "FAIL: fuzz table against a linear scan found a crash"
fi
