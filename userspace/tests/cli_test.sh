#!/bin/bash
# Command-line checks of snatctl that need no kernel module: argument errors,
# exit codes and the exact first line of each error.
# Usage: cli_test.sh ./snatctl
set -u
snatctl=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect NAME RC FIRST-STDERR-LINE-OR-- COMMAND...
expect() {
	local name=$1 rc=$2 want=$3 got_rc got
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got_rc=$?
	got=$(head -n 1 "$tmp/err")
	if [ "$got_rc" = "$rc" ] && { [ "$want" = - ] || [ "$got" = "$want" ]; }; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name: exit $got_rc (want $rc), stderr: $got"
		[ "$want" = - ] || echo "      wanted: $want"
		failed=$((failed + 1))
	fi
}

expect "help exits 0" 0 - "$snatctl" help
expect "--help exits 0" 0 - "$snatctl" --help
expect "-h exits 0" 0 - "$snatctl" -h
expect "--version exits 0" 0 - "$snatctl" --version
expect "subcommand --help exits 0" 0 - "$snatctl" cidr --help
expect "unknown verb" 2 "Error: Unknown subcommand frob; see snatctl help" "$snatctl" frob
expect "unknown option" 2 "Error: Unknown option -x; see snatctl help" "$snatctl" -x status
expect "-n without a name" 2 "Error: -n needs a network namespace name" "$snatctl" -n
expect "missing netns" 1 "Error: Cannot open network namespace no-such-ns-$$: No such file or directory" \
	"$snatctl" -n no-such-ns-$$ status
expect "status extra argument" 2 "Error: Unexpected argument foo after status" "$snatctl" status foo
expect "enable extra argument" 2 "Error: Unexpected argument now after enable" "$snatctl" enable now
expect "cidr add host bits" 2 "Error: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?" \
	"$snatctl" cidr add 10.0.0.1/16
expect "cidr add octal" 2 "Error: Invalid CIDR 010.0.0.0/8: leading zeros are not allowed" \
	"$snatctl" cidr add 010.0.0.0/8
expect "cidr add IPv6" 2 "Error: IPv6 is not supported: 2001:db8::/32" \
	"$snatctl" cidr add 2001:db8::/32
expect "cidr add prefix range" 2 "Error: Invalid CIDR 10.0.0.0/33: prefix length out of range (0 to 32)" \
	"$snatctl" cidr add 10.0.0.0/33
expect "cidr add unknown kind" 2 "Error: Unknown kind nat; expected vpc, exclude or snat" \
	"$snatctl" cidr add 10.0.0.0/8 nat
expect "cidr add extra argument" 2 "Error: Unexpected argument x after vpc" \
	"$snatctl" cidr add 10.0.0.0/8 vpc x
expect "cidr del extra argument" 2 "Error: Unexpected argument vpc after 10.0.0.0/8" \
	"$snatctl" cidr del 10.0.0.0/8 vpc
expect "cidr add without CIDR" 2 "Error: cidr add needs a CIDR" "$snatctl" cidr add
expect "cidr unknown" 2 "Error: Unknown cidr subcommand show; expected add, del, list, flush or replace" \
	"$snatctl" cidr show
expect "cidr list extra" 2 "Error: Unexpected argument x after cidr list" "$snatctl" cidr list x
expect "cidr replace without -f" 2 "Error: cidr replace needs -f FILE" "$snatctl" cidr replace
expect "cidr replace missing file" 1 "Error: Cannot read $tmp/nope: No such file or directory" \
	"$snatctl" cidr replace -f "$tmp/nope"
printf '10.0.0.0/8\n10.0.0.1/8 vpc\n# ok\n10.0.0.0/8 snat\n' >"$tmp/bad"
expect "cidr replace bad file" 2 "$tmp/bad:2: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?" \
	"$snatctl" cidr replace -f "$tmp/bad"
if [ "$(sed -n 2p "$tmp/err")" = "$tmp/bad:4: Duplicate prefix 10.0.0.0/8, first given on line 1" ] &&
   [ "$(sed -n 3p "$tmp/err")" = "Error: $tmp/bad has 2 bad lines; the table was not changed" ]; then
	echo "PASS: cidr replace reports every bad line"; passed=$((passed + 1))
else
	echo "FAIL: cidr replace reports every bad line:"; cat "$tmp/err"; failed=$((failed + 1))
fi
expect "cidr replace stdin" 2 "<stdin>:1: Unknown kind nope; expected vpc, exclude or snat" \
	bash -c "echo '1.2.3.0/24 nope' | '$snatctl' cidr replace -f -"
head -c 300 /dev/zero | tr '\0' ' ' >"$tmp/long"
expect "cidr replace long line" 2 "$tmp/long:1: Line is too long (300 characters; at most 256)" \
	"$snatctl" cidr replace -f "$tmp/long"
expect "set without value" 2 "Error: Missing value for random" "$snatctl" set random
expect "set unknown" 2 "Error: Unknown setting mode; expected snat-ip, external-snat, random, skip-ifaces or table-limit" \
	"$snatctl" set mode x
expect "set twice" 2 "Error: Setting random is given twice" "$snatctl" set random prng random none
expect "set random" 2 "Error: Unknown random mode fully; expected none, hashrandom or prng" \
	"$snatctl" set random fully
expect "set external-snat" 2 "Error: Invalid value yes; expected on or off" \
	"$snatctl" set external-snat yes
expect "set snat-ip" 2 "Error: Invalid IPv4 address 10.0.0.256: each number must be 0 to 255" \
	"$snatctl" set snat-ip 10.0.0.256
expect "set table-limit" 2 "Error: Invalid table-limit 0; expected a number from 1 to 16000000" \
	"$snatctl" set table-limit 0
expect "set skip-ifaces" 2 "Error: Interface prefix averyveryverylongname is longer than 15 characters" \
	"$snatctl" set skip-ifaces vlan,averyveryverylongname
expect "explain one address" 2 "Error: explain needs a source and a destination address" \
	"$snatctl" explain 10.0.0.1
expect "explain bad address" 2 "Error: Invalid IPv4 address 8.8.8: expected four decimal numbers separated by dots" \
	"$snatctl" explain 10.0.0.1 8.8.8
expect "explain extra" 2 "Error: Unexpected argument x after eth0" \
	"$snatctl" explain 10.0.0.1 8.8.8.8 eth0 x

if [ -d /sys/module/vpcsnat ]; then
	echo "SKIP: module-not-loaded message (vpcsnat is loaded)"
else
	expect "status without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" "$snatctl"
	printf '10.0.0.0/8\n' >"$tmp/good"
	expect "replace without module" 1 "vpcsnat module is not loaded; modprobe vpcsnat" \
		"$snatctl" cidr replace -f "$tmp/good"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
