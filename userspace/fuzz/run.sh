#!/bin/sh
# Runs the CIDR-file fuzzer for a while on a scratch copy of the seed corpus.
# Usage: run.sh FUZZER SECONDS
set -u
fuzzer=$1
secs=${2:-20}
dir=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$dir"/corpus/* "$work"/
log="$work/fuzz.log"
if "$fuzzer" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$dir/crash-" \
	-print_final_stats=1 "$work" >"$log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "PASS: fuzz cidr-file parser (${runs:-?} runs)"
else
	tail -n 40 "$log"
	echo "FAIL: fuzz cidr-file parser (crash input saved as $dir/crash-*)"
	exit 1
fi
