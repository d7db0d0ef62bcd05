#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs vpcsnat the way a node image does, run as root INSIDE the test VM:
#
#   tests/vm/run.sh -- tests/vm/node-image.sh
#
# (tests/vm/node-image-run.sh does the dkms build on the host first, which
# is faster than under TCG, and then runs this.)
#
#   make install DESTDIR=$tmp/root     snatctl, man page, completion, unit,
#                                      modules-load.d entry, extra/vpcsnat.ko
#   dkms add + install                 private dkms and source trees; the module
#                                      lands in /lib/modules/KVER/updates/dkms,
#                                      a tmpfs copy (symlinks) of the read-only one
#   modprobe vpcsnat                   pulls in nf_nat, finds the dkms module
#   snatctl apply -f FILE              then reads it all back, re-applies
#                                      show-config (a no-op), is refused after
#                                      staged messages (nothing changes), takes a
#                                      table with the limit that makes room for
#                                      it, and is refused without
#                                      CAP_NET_ADMIN
#
# Traffic: none. One PASS:/FAIL:/SKIP: line per check.

set -u

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="install: "

require_root
require_tools make dkms modinfo modprobe rmmod depmod jq setpriv
kver=$(uname -r)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")
make_tmp node-image
chmod 0755 "$tmp"	# nobody reads the config files in here
root=$tmp/root
snatctl=$root/usr/sbin/snatctl
on_exit unload_vpcsnat

# state FILE: everything a change could touch, counters included.
state() {
	{ "$snatctl" -j status && "$snatctl" cidr list && "$snatctl" show-config; } >"$1" 2>&1 ||
		fail "cannot read the state: $(head -n 3 "$1")"
}
# jqok NAME FILTER: $tmp/out is JSON and FILTER is true of it.
jqok() {
	if [ -s "$tmp/out" ] && jq -e "$2" "$tmp/out" >/dev/null 2>&1; then
		pass "$1"
	else
		fail "$1: $(head -c 600 "$tmp/out")"
	fi
}

start=$SECONDS

# --- make install, as an image build does
if make -C "$repo" install DESTDIR="$root" KVER="$kver" >"$tmp/install.log" 2>&1; then
	pass "make install DESTDIR=$root ($((SECONDS - start)) s)"
else
	tail -n 30 "$tmp/install.log"
	fail "make install DESTDIR=$root"
	finish
fi
check "snatctl in /usr/sbin" test -x "$root/usr/sbin/snatctl"
check "snatctl(8) in /usr/share/man/man8" test -s "$root/usr/share/man/man8/snatctl.8"
check "bash completion" test -s "$root/usr/share/bash-completion/completions/snatctl"
check "unit in /lib/systemd/system" grep -qx 'ExecStart=/usr/sbin/snatctl apply -f /etc/vpcsnat.conf' \
	"$root/lib/systemd/system/vpcsnat.service"
check "unit waits for systemd-modules-load" grep -qx 'After=systemd-modules-load.service' \
	"$root/lib/systemd/system/vpcsnat.service"
check "agent unit in /lib/systemd/system" grep -qx \
	'ExecStart=/usr/sbin/snatctl agent --config /etc/vpcsnat.conf --state /run/vpcsnat/agent.json' \
	"$root/lib/systemd/system/vpcsnat-agent.service"
check "modules-load.d entry" grep -qx vpcsnat "$root/usr/lib/modules-load.d/vpcsnat.conf"
# modules_install compresses it as the kernel's own are (6.12's: .ko.xz).
ko=$(find "$root/lib/modules/$kver/extra" -name 'vpcsnat.ko*' 2>/dev/null | head -n 1)
if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$kver "; then
	pass "vpcsnat.ko in ${ko#"$root"/}"
else
	fail "no vpcsnat.ko for $kver in lib/modules/$kver/extra: $(find "$root/lib" -name '*.ko*')"
fi
check "example config passes apply --check" "$snatctl" apply --check \
	-f "$root/usr/share/doc/vpcsnat/vpcsnat.conf.example"
if command -v systemd-analyze >/dev/null; then
	# verify wants the ExecStart binary where the unit says.
	for u in vpcsnat.service vpcsnat-agent.service; do
		sed "s|/usr/sbin/snatctl|$snatctl|" "$root/lib/systemd/system/$u" >"$tmp/$u"
		check "systemd-analyze verify $u" systemd-analyze verify --man=no "$tmp/$u"
	done
else
	skip "systemd-analyze not installed"
fi

# --- the completion, sourced as bash-completion would
netns_new ns node-image
complete_words() {
	PATH=$root/usr/sbin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_snatctl; printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$root/usr/share/bash-completion/completions/snatctl" "$@" | sort | tr '\n' ' '
}
[ "$(complete_words snatctl sh)" = "show-config " ] && pass "completes verbs" ||
	fail "completes verbs: [$(complete_words snatctl sh)]"
[ "$(complete_words snatctl set random '')" = "hashrandom none prng " ] &&
	pass "completes set values" || fail "completes set values: [$(complete_words snatctl set random '')]"
[ "$(complete_words snatctl cidr add 10.0.0.0/8 '')" = "exclude snat vpc " ] &&
	pass "completes kinds" || fail "completes kinds: [$(complete_words snatctl cidr add 10.0.0.0/8 '')]"
[ "$(complete_words snatctl -n node-image)" = "$ns " ] && pass "-n completes /run/netns names" ||
	fail "-n completes: [$(complete_words snatctl -n node-image)]"

# --- dkms install into a writable copy of /lib/modules/KVER
writable_modules "$kver"
dstart=$SECONDS
if [ -n "${VPCSNAT_DKMS_PREBUILT-}" ]; then
	# tests/vm/node-image-run.sh ran dkms add + build on the host: compiling
	# under TCG takes minutes. A writable copy at the same path, so that
	# the trees' absolute links still hold, and dkms install does the rest.
	pre=$VPCSNAT_DKMS_PREBUILT
	cp -a "$pre" "$tmp/prebuilt"
	mount --bind "$tmp/prebuilt" "$pre" && on_exit umount "$pre"
	dkms=(dkms --dkmstree "$pre/tree" --sourcetree "$pre/src")
	"${dkms[@]}" status -m vpcsnat >"$tmp/dkms.log" 2>&1
else
	src=$tmp/src/vpcsnat-$version
	mkdir -p "$src" "$tmp/dkms"
	cp -r "$repo/Kbuild" "$repo/dkms.conf" "$repo/module" "$repo/include" "$src/"
	rm -f "$src"/module/*.{o,ko,mod,mod.c,cmd} "$src"/module/.*.cmd "$src/module/modules.order" 2>/dev/null
	dkms=(dkms --dkmstree "$tmp/dkms" --sourcetree "$tmp/src")
	"${dkms[@]}" add -m vpcsnat -v "$version" >"$tmp/dkms.log" 2>&1
fi
if "${dkms[@]}" install -m vpcsnat -v "$version" -k "$kver" >>"$tmp/dkms.log" 2>&1; then
	pass "dkms install vpcsnat/$version for $kver ($((SECONDS - dstart)) s)"
else
	tail -n 30 "$tmp/dkms.log"
	find "$tmp/dkms" -name make.log -exec tail -n 20 {} \;
	fail "dkms install vpcsnat/$version for $kver"
fi
check "dkms status says installed" bash -c \
	"'${dkms[0]}' ${dkms[*]:1} status -m vpcsnat | grep -q 'installed'"
case $(modinfo -n vpcsnat 2>&1) in
"/lib/modules/$kver/updates/dkms/vpcsnat.ko"*) pass "modinfo finds the dkms module" ;;
*) fail "modinfo -n vpcsnat: $(modinfo -n vpcsnat 2>&1)" ;;
esac

# --- modprobe, as systemd-modules-load would
[ ! -d /sys/module/vpcsnat ] || rmmod vpcsnat
run "modprobe vpcsnat" 0 modprobe vpcsnat
if [ ! -d /sys/module/vpcsnat ]; then
	echo "$passed passed, $failed failed, $skipped skipped (stopped: no module)"
	exit 1
fi
check "nf_nat came with it" test -d /sys/module/nf_nat

# --- apply a config file
cat >"$tmp/a.conf" <<'EOF'
# node image config
enabled yes
external-snat off
snat-ip 10.0.0.10
random hashrandom
skip-ifaces vlan,eni
table-limit 3000
cidr 10.0.0.0/16 vpc
cidr 10.0.5.0/24 snat
cidr 192.168.0.0/16 exclude
EOF
run "apply -f a.conf" 0 "$snatctl" apply -f "$tmp/a.conf"
run "status -j" 0 "$snatctl" -j status
jqok "status -j is exactly a.conf" '.enabled == true and .external_snat == false and
	.snat_ip == "10.0.0.10" and .random == "hashrandom" and .skip_ifaces == ["vlan", "eni"] and
	.table_size == 3 and .table_limit == 3000 and (.counters | type) == "object" and
	(.counters.translated | type) == "number"'
run "cidr list" 0 "$snatctl" cidr list
printf '10.0.0.0/16 vpc\n10.0.5.0/24 snat\n192.168.0.0/16 exclude\n' >"$tmp/want"
same_file "cidr list is exactly a.conf" "$tmp/out" "$tmp/want"
run "cidr list -j" 0 "$snatctl" -j cidr list
jqok "cidr list -j" 'map(del(.hits)) == [{"cidr":"10.0.0.0/16","kind":"vpc"},
	{"cidr":"10.0.5.0/24","kind":"snat"}, {"cidr":"192.168.0.0/16","kind":"exclude"}]'
run "show-config" 0 "$snatctl" show-config
grep -v '^#' "$tmp/out" >"$tmp/shown"
"$snatctl" apply --print -f "$tmp/a.conf" | grep -v '^#' >"$tmp/want"
same_file "show-config prints a.conf" "$tmp/shown" "$tmp/want"
run "show-config -j" 0 "$snatctl" show-config -j
jqok "show-config -j" '.enabled and .table_limit == 3000 and (.cidrs | length) == 3'

# --- what the unit runs
exec_start=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/vpcsnat.service")
exec_start=${exec_start//\/usr\/sbin\/snatctl/$snatctl}
exec_start=${exec_start//\/etc\/vpcsnat.conf/$tmp/a.conf}
check "the unit's ExecStart applies the file" $exec_start

# --- show-config | apply -f - changes nothing
state "$tmp/before"
run "show-config | apply -f -" 0 bash -c "'$snatctl' show-config | '$snatctl' apply -f -"
state "$tmp/after"
same_file "show-config | apply -f - is a no-op (settings, table, counters)" "$tmp/before" "$tmp/after"

# --- failures leave the previous state untouched
for i in $(seq 0 4999); do echo "cidr 172.$((16 + i / 256)).$((i % 256)).0/24 exclude"; done >"$tmp/cidrs"
{ echo "enabled no"; echo "table-limit 10000"; cat "$tmp/cidrs"; } >"$tmp/big.conf"
sed -n 's/^cidr //p' "$tmp/cidrs" >"$tmp/big.cidrs"
state "$tmp/before"
# 5000 entries go in three messages; cidr replace sends no table-limit, so
# the table is held to the one in force (3000): refused on the last.
run "cidr replace over the table-limit in force" 1 "$snatctl" cidr replace -f "$tmp/big.cidrs"
grep -q 'table_limit\|table-limit' "$tmp/err" && pass "the refusal names the table-limit" ||
	fail "refusal over the table-limit: $(cat "$tmp/err")"
state "$tmp/after"
same_file "a refusal after staged messages changed nothing" "$tmp/before" "$tmp/after"
{ echo "enabled no"; echo "table-limit 10"; cat "$tmp/cidrs"; } >"$tmp/small-limit.conf"
run "table-limit below the CIDR count" 2 "$snatctl" apply -f "$tmp/small-limit.conf"
grep -q '^.*small-limit.conf:2: table-limit 10 is below the 5000 CIDRs' "$tmp/err" &&
	pass "table-limit error names its line" || fail "table-limit error: $(cat "$tmp/err")"
{ echo "table-limit 10000"; cat "$tmp/cidrs"; echo "cidr 172.16.3.0/24 vpc"; } >"$tmp/dup.conf"
run "duplicate in the last chunk" 2 "$snatctl" apply -f "$tmp/dup.conf"
grep -qx ".*dup.conf:5002: Duplicate prefix 172.16.3.0/24, first given on line 5" "$tmp/err" &&
	pass "duplicate names both lines" || fail "duplicate: $(cat "$tmp/err")"
state "$tmp/after"
same_file "refused files changed nothing" "$tmp/before" "$tmp/after"
# The table and the table-limit that makes room for it, in one apply: the
# settings ride on the last message, the staged ones wait for them.
run "apply 5000 CIDRs with table-limit 10000 (3000 in force)" 0 "$snatctl" apply -f "$tmp/big.conf"
"$snatctl" -j status >"$tmp/out"
jqok "5000 CIDRs applied with defaults for the rest" '.enabled == false and .table_size == 5000 and
	.table_limit == 10000 and .snat_ip == "auto" and .random == "prng" and .skip_ifaces == []'
run "apply a.conf back" 0 "$snatctl" apply -f "$tmp/a.conf"

# --- from the VPC CNI's environment
run "apply --from-env" 0 env AWS_VPC_K8S_CNI_EXTERNALSNAT=false AWS_VPC_K8S_CNI_RANDOMIZESNAT= \
	AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=100.64.0.0/10,52.94.0.0/22 \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16,10.1.0.0/16 --snat-ip 10.0.0.10
"$snatctl" -j status >"$tmp/out"
jqok "from-env settings" '.enabled and .external_snat == false and .random == "prng" and
	.snat_ip == "10.0.0.10" and .skip_ifaces == ["vlan"] and .table_size == 4'
"$snatctl" cidr list >"$tmp/out"
printf '10.0.0.0/16 vpc\n10.1.0.0/16 vpc\n52.94.0.0/22 exclude\n100.64.0.0/10 exclude\n' >"$tmp/want"
same_file "from-env table" "$tmp/out" "$tmp/want"
state "$tmp/before"
run "from-env with a value aws-node refuses applies nothing" 2 env AWS_VPC_K8S_CNI_VETHPREFIX=vlan \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto
state "$tmp/after"
same_file "a refused env value changed nothing" "$tmp/before" "$tmp/after"
# An entry aws-node logs and skips is skipped, with a warning, as there.
run "from-env with an entry aws-node skips" 0 env AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=1.2.3.0/24,bogus \
	"$snatctl" apply --from-env --vpc-cidrs 10.0.0.0/16 --snat-ip auto
grep -q "^Warning: AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: entry 2: .*; skipped, as the VPC CNI does$" "$tmp/err" &&
	pass "from-env warns of the skipped entry" || fail "from-env: $(cat "$tmp/err")"
"$snatctl" cidr list >"$tmp/out"
printf '1.2.3.0/24 exclude\n10.0.0.0/16 vpc\n' >"$tmp/want"
same_file "from-env applies the entries it can" "$tmp/out" "$tmp/want"
run "from-env --skip-invalid" 0 env AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS=1.2.3.0/24,bogus \
	"$snatctl" apply --from-env --skip-invalid --vpc-cidrs 10.0.0.0/16 --snat-ip auto
"$snatctl" cidr list >"$tmp/out"
printf '1.2.3.0/24 exclude\n10.0.0.0/16 vpc\n' >"$tmp/want"
same_file "--skip-invalid applied the valid entries" "$tmp/out" "$tmp/want"
run "apply a.conf again" 0 "$snatctl" apply -f "$tmp/a.conf"

# --- without CAP_NET_ADMIN
state "$tmp/before"
perm='Permission denied; this needs CAP_NET_ADMIN (run as root)'
run "nobody: apply refused" 1 nobody "$snatctl" apply -f "$tmp/a.conf"
grep -qF "$perm" "$tmp/err" && pass "nobody: permission message" || fail "nobody: $(cat "$tmp/err")"
run "nobody: status is allowed" 0 nobody "$snatctl" status
run "nobody: reading the table is refused" 1 nobody "$snatctl" show-config
grep -qF "$perm" "$tmp/err" && pass "nobody: show-config permission message" || fail "nobody show-config: $(cat "$tmp/err")"
# The initial netns by name, as ip netns attach names it (only the name
# goes at exit: netns_destroy would stop everything running in it).
init=init-$$
ip netns attach "$init" 1 && on_exit ip netns del "$init"
enter_denied="Error: Cannot enter network namespace $init: Operation not permitted; this needs CAP_SYS_ADMIN in the user namespace that owns it"
run "nobody: -n to the initial netns refused" 1 nobody "$snatctl" -n "$init" apply -f "$tmp/a.conf"
grep -qxF "$enter_denied" "$tmp/err" && pass "nobody: -n message" || fail "nobody -n: $(cat "$tmp/err")"
run "nobody: nsenter to the initial netns refused" 1 nobody nsenter --net=/run/netns/"$init" \
	"$snatctl" apply -f "$tmp/a.conf"
if nobody unshare -U -r true 2>/dev/null; then
	run "userns root, initial netns: refused" 1 nobody unshare -U -r "$snatctl" apply -f "$tmp/a.conf"
	grep -qF "$perm" "$tmp/err" && pass "userns root: permission message" ||
		fail "userns root: $(cat "$tmp/err")"
	run "userns root: -n to the initial netns refused" 1 nobody unshare -U -r -n \
		"$snatctl" -n "$init" apply -f "$tmp/a.conf"
	grep -qxF "$enter_denied" "$tmp/err" && pass "userns root -n: message" ||
		fail "userns root -n: $(cat "$tmp/err")"
	run "userns root configures its own netns" 0 nobody unshare -U -r -n \
		bash -c "'$snatctl' apply -f '$tmp/a.conf' && '$snatctl' -j status"
	jqok "own netns holds a.conf" '.enabled and .table_size == 3 and .snat_ip == "10.0.0.10"'
else
	skip "unprivileged user namespaces are disabled"
fi
state "$tmp/after"
same_file "refused changes left the initial netns alone" "$tmp/before" "$tmp/after"

run "disable" 0 "$snatctl" disable

# --- and out again
if make -C "$repo" uninstall DESTDIR="$root" KVER="$kver" >"$tmp/uninstall.log" 2>&1; then
	pass "make uninstall DESTDIR=$root"
else
	fail "make uninstall: $(tail -n 5 "$tmp/uninstall.log")"
fi
left=$(find "$root" -type f ! -name 'modules.*' | sed "s|^$root||")
[ -z "$left" ] && pass "uninstall removed every file" || fail "uninstall left: $left"
echo "node-image test took $((SECONDS - start)) s"
finish
