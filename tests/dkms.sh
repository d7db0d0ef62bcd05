#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms builds the module from a copy of the tree laid out as a node image
# would have it in /usr/src, against the installed Debian headers. Uses
# private dkms and source trees so that the system's dkms state is untouched.
set -u
cd "$(dirname "$0")/.."
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
tmp=$(mktemp -d /tmp/vpcsnat-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/vpcsnat-$version" "$tmp/tree"
cp -r Kbuild dkms.conf module include "$tmp/src/vpcsnat-$version/"
rm -f "$tmp/src/vpcsnat-$version"/module/*.{o,ko,mod,mod.c,cmd} 2>/dev/null
dkms=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src")
"${dkms[@]}" add -m vpcsnat -v "$version" >"$tmp/log" 2>&1

# Every kernel with headers: dkms.conf's AUTOINSTALL builds for each a node installs.
for d in /lib/modules/*/build/Makefile; do
	[ -e "$d" ] || continue
	kver=$(basename "$(dirname "$(dirname "$d")")")
	if "${dkms[@]}" build -m vpcsnat -v "$version" -k "$kver" >>"$tmp/log" 2>&1; then
		ko=$(find "$tmp/tree/vpcsnat/$version/$kver" -name 'vpcsnat.ko*' | head -n 1)
		if [ -n "$ko" ] && modinfo "$ko" | grep -q "^vermagic: *$kver "; then
			echo "PASS: dkms build of vpcsnat $version for $kver ($(basename "$ko"))"
		else
			echo "FAIL: dkms build produced no vpcsnat.ko for $kver"
		fi
	else
		tail -n 20 "$tmp/log"
		find "$tmp/tree" -name make.log -exec tail -n 20 {} \;
		echo "FAIL: dkms build of vpcsnat $version for $kver"
	fi
done
