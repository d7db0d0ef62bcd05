#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the module and snatctl, run as root INSIDE the test VM:
#
#   tests/vm/run.sh -- tests/vm/smoke.sh
#
# Loads module/vpcsnat.ko, pokes sysfs and snatctl in the initial netns,
# unloads it and checks the kernel log.

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="smoke: "
sysfs=/sys/kernel/vpcsnat

require_root
require_tools modprobe insmod rmmod dmesg
require_built "$ko" "$snatctl"

dmesg_start=$(dmesg | wc -l)

check "modprobe nf_nat" modprobe nf_nat
if [ -e /sys/module/vpcsnat ]; then
	rmmod vpcsnat || true
fi
check "insmod $(basename "$ko")" insmod "$ko" || exit 1
if [ -d "$sysfs" ]; then
	pass "$sysfs exists ($(cd "$sysfs" && echo *))"
else
	fail "$sysfs does not exist"
fi
check "snatctl status" "$snatctl" status
check "snatctl enable" "$snatctl" enable
check "snatctl cidr add 10.0.0.0/16 vpc" "$snatctl" cidr add 10.0.0.0/16 vpc
check "snatctl cidr add 172.31.0.0/16 exclude" "$snatctl" cidr add 172.31.0.0/16 exclude
check "snatctl set snat-ip 10.0.0.10" "$snatctl" set snat-ip 10.0.0.10

list=$("$snatctl" cidr list 2>&1) || true
if printf '%s\n' "$list" | grep -q '10\.0\.0\.0/16.*vpc'; then
	pass "snatctl cidr list shows 10.0.0.0/16 vpc"
else
	fail "snatctl cidr list does not show 10.0.0.0/16 vpc: $(printf '%s' "$list" | tr '\n' '|')"
fi
if [ -r "$sysfs/enabled" ]; then
	v=$(cat "$sysfs/enabled")
	case "$v" in 1|Y|y|on|yes) pass "$sysfs/enabled reads $v after snatctl enable" ;;
	*) fail "$sysfs/enabled reads '$v' after snatctl enable" ;; esac
fi
if [ -r "$sysfs/snat_ip" ]; then
	v=$(cat "$sysfs/snat_ip")
	if [ "$v" = 10.0.0.10 ]; then
		pass "$sysfs/snat_ip reads $v"
	else
		fail "$sysfs/snat_ip reads '$v', want 10.0.0.10"
	fi
fi
# Garbage after a NUL must not pass for the value before it.
for attr in enabled:0 snat_ip:10.0.0.99 random:none; do
	before=$(cat "$sysfs/${attr%%:*}")
	if printf '%s\0garbage' "${attr#*:}" >"$sysfs/${attr%%:*}" 2>/dev/null; then
		fail "$sysfs/${attr%%:*} accepted '${attr#*:}\0garbage'"
	elif [ "$(cat "$sysfs/${attr%%:*}")" != "$before" ]; then
		fail "$sysfs/${attr%%:*} changed on a refused write"
	else
		pass "$sysfs/${attr%%:*} refuses '${attr#*:}\0garbage' and keeps $before"
	fi
done
if "$snatctl" cidr add 10.0.0.0/16 vpc >/dev/null 2>&1; then
	fail "snatctl cidr add of a duplicate prefix succeeded"
else
	pass "snatctl cidr add of a duplicate prefix is refused"
fi
check "snatctl cidr del 172.31.0.0/16" "$snatctl" cidr del 172.31.0.0/16
check "snatctl disable" "$snatctl" disable
check "rmmod vpcsnat" rmmod vpcsnat
if [ -e "$sysfs" ]; then
	fail "$sysfs still exists after rmmod"
else
	pass "$sysfs is gone after rmmod"
fi

kernel_log_clean "$dmesg_start"
finish
