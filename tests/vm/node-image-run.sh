#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the install suite: dkms add + build on the host (seconds
# here, minutes under TCG), then tests/vm/node-image.sh in the VM runs
# make install, dkms install of that build, modprobe and snatctl apply.
# /var/tmp is on the host root, which the VM sees read-only.
set -u
cd "$(dirname "$0")/../.."
kver=$(tests/kver.sh)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
pre=$(mktemp -d /var/tmp/vpcsnat-dkms.XXXXXX)
trap 'rm -rf "$pre"' EXIT
src=$pre/src/vpcsnat-$version
mkdir -p "$src" "$pre/tree"
cp -r Kbuild dkms.conf module include "$src/"
rm -f "$src"/module/*.{o,ko,mod,mod.c,cmd} "$src"/module/.*.cmd \
	"$src/module/modules.order" "$src"/module/*_test.c 2>/dev/null
dkms=(dkms --dkmstree "$pre/tree" --sourcetree "$pre/src")
if ! "${dkms[@]}" add -m vpcsnat -v "$version" >"$pre/log" 2>&1 ||
   ! "${dkms[@]}" build -m vpcsnat -v "$version" -k "$kver" >>"$pre/log" 2>&1; then
	cat "$pre/log"
	echo "FAIL: install: dkms build on the host for $kver"
	exit 1
fi
# Compiling under TCG takes minutes: make install in the VM finds this done.
make -s KVER="$kver" all >"$pre/make.log" 2>&1 || { tail -n 20 "$pre/make.log"; echo "FAIL: install: make for $kver"; exit 1; }
tests/vm/run.sh --kver "$kver" --ko none --timeout 900 -- \
	env VPCSNAT_DKMS_PREBUILT="$pre" tests/vm/node-image.sh
