#!/bin/sh
# Runs a fuzzer for a while on a scratch copy of its seed corpus.
# Usage: run.sh FUZZER SECONDS [NAME [CORPUS-DIR]]
set -u
fuzzer=$1
secs=${2:-20}
name=${3:-cidr-file parser}
dir=$(dirname "$0")
corpus=${4:-$dir/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$corpus"/* "$work"/
log="$work/fuzz.log"
if "$fuzzer" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$dir/crash-" \
	-print_final_stats=1 "$work" >"$log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "PASS: fuzz $name (${runs:-?} runs)"
else
	tail -n 40 "$log"
	echo "FAIL: fuzz $name (crash input saved as $dir/crash-*)"
	exit 1
fi
