#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms builds the module from a copy of the tree laid out as a node image
# would have it in /usr/src, against the installed Debian headers. Uses
# private dkms and source trees so that the system's dkms state is untouched.
set -u
cd "$(dirname "$0")/.."
kver=${KVER:-$(ls -1 /lib/modules | sort -V | tail -n 1)}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
tmp=$(mktemp -d /tmp/vpcsnat-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/vpcsnat-$version" "$tmp/tree"
cp -r Kbuild dkms.conf module include "$tmp/src/vpcsnat-$version/"
rm -f "$tmp/src/vpcsnat-$version"/module/*.{o,ko,mod,mod.c,cmd} 2>/dev/null

if dkms build --dkmstree "$tmp/tree" --sourcetree "$tmp/src" \
	-m vpcsnat -v "$version" -k "$kver" >"$tmp/log" 2>&1; then
	ko=$(find "$tmp/tree" -name 'vpcsnat.ko*' | head -n 1)
	if [ -n "$ko" ] && modinfo "$ko" | grep -q "^vermagic: *$kver "; then
		echo "PASS: dkms build of vpcsnat $version for $kver ($(basename "$ko"))"
	else
		cat "$tmp/log"
		echo "FAIL: dkms build produced no vpcsnat.ko for $kver"
	fi
else
	cat "$tmp/log"
	find "$tmp/tree" -name make.log -exec cat {} \;
	echo "FAIL: dkms build of vpcsnat $version for $kver"
fi
