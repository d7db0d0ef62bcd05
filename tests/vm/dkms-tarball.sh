#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A node that loads the prebuilt DKMS archive (dist/dkms-tarball.sh) with no
# compiler, the way the EKS AMI loads the modules it built at image time,
# run as root INSIDE the test VM:
#
#   tests/vm/run.sh --ko none -- env VPCSNAT_DKMS_TARBALL=FILE tests/vm/dkms-tarball.sh
#
# (tests/vm/dkms-tarball-run.sh makes the archive on the host first.)
# gcc, cc, make and ld are /bin/false here; dkms ldtarball and dkms install
# put the module of the booted kernel in place, modprobe loads it, and
# snatctl configures it and explains a connection with it.

set -u

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix="dkms-tarball: "

require_root
require_tools dkms modprobe modinfo rmmod mount
tarball=${VPCSNAT_DKMS_TARBALL:?set VPCSNAT_DKMS_TARBALL}
require_built "$tarball" "$snatctl"
kver=$(uname -r)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")
make_tmp dkms-tarball
on_exit unload_vpcsnat

# No compiler, no make: what the node has at boot.
for tool in gcc cc make ld "x86_64-linux-gnu-gcc-12"; do
	path=$(command -v "$tool") || continue
	mount --bind /bin/false "$(readlink -f "$path")" && on_exit umount "$(readlink -f "$path")"
done
if ! gcc --version >/dev/null 2>&1 && ! make --version >/dev/null 2>&1; then
	pass "no compiler and no make on this node"
else
	fail "a compiler or make still runs"
fi

writable_modules "$kver"
mkdir -p "$tmp/tree" "$tmp/src"
dkms=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src")
# dkms 3.0's ldtarball of a binaries-only archive ends with a test of the
# source tree that fails (there is no source): judge it by what it loaded.
"${dkms[@]}" ldtarball "$tarball" >"$tmp/out" 2>&1
if "${dkms[@]}" status -m vpcsnat -v "$version" -k "$kver" | grep -q ': built$'; then
	pass "dkms ldtarball $(basename "$tarball"): vpcsnat/$version built for $kver"
else
	fail "dkms ldtarball: $(tail -n 5 "$tmp/out" | tr '\n' ' ') status: $("${dkms[@]}" status 2>&1)"
fi
run "dkms install vpcsnat/$version for $kver, prebuilt" 0 \
	"${dkms[@]}" install -m vpcsnat -v "$version" -k "$kver"
case "$(modinfo -F filename vpcsnat 2>/dev/null)" in
"/lib/modules/$kver/updates/dkms/vpcsnat.ko"*) pass "modinfo finds the module dkms installed" ;;
*) fail "modinfo finds $(modinfo -F filename vpcsnat 2>&1)" ;;
esac
[ "$(modinfo -F vermagic vpcsnat | cut -d' ' -f1)" = "$kver" ] &&
	pass "the archive's module is the one for $kver" ||
	fail "vermagic $(modinfo -F vermagic vpcsnat)"
check "modprobe vpcsnat" modprobe vpcsnat

# The smoke checks: configure it and ask it.
printf '%s\n' "enabled yes" "snat-ip 10.0.0.10" "cidr 10.0.0.0/16 vpc" >"$tmp/conf"
check "snatctl apply -f" "$snatctl" apply -f "$tmp/conf"
run "snatctl explain" 0 "$snatctl" explain 10.0.1.5 192.0.2.1
grep -qx 'decision: translate to 10.0.0.10' "$tmp/out" && pass "explain: translate to 10.0.0.10" ||
	fail "explain: $(cat "$tmp/out")"
check "snatctl disable" "$snatctl" disable
check "rmmod vpcsnat" rmmod vpcsnat
kernel_log_clean 0
finish
