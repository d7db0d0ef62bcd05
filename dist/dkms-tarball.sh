#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Binaries-only DKMS archives of vpcsnat, for a node image that builds at
# image time and loads at boot with no compiler (as the EKS AMI does with
# its out-of-tree modules): dkms build for a kernel, then dkms mktarball
# --binaries-only, one archive per kernel (dkms 3.0's mktarball and
# ldtarball declare a loop variable read-only: past the first kernel of an
# archive they stop). On the node: dkms ldtarball FILE; dkms install -m
# vpcsnat -v VERSION -k KVER.
#
#   dist/dkms-tarball.sh [KVER...]     default: every kernel with headers
#
# Private dkms and source trees under build/dkms (the system's dkms state
# is left alone). Prints the archives' paths, build/vpcsnat-VERSION-KVER.dkms.tar.gz.
set -eu
cd "$(dirname "$0")/.."
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
kvers=("$@")
if [ ${#kvers[@]} = 0 ]; then
	for d in /lib/modules/*/build/Makefile; do
		[ -e "$d" ] && kvers+=("$(basename "$(dirname "$(dirname "$d")")")")
	done
fi
[ ${#kvers[@]} -gt 0 ] || { echo "dkms-tarball: no kernel headers installed" >&2; exit 1; }

top=$PWD/build/dkms
rm -rf "$top"
src=$top/src/vpcsnat-$version
mkdir -p "$src" "$top/tree"
cp -r Kbuild dkms.conf module include "$src/"
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
	-o -name '*_test.c' -o -name 'modules.order' -o -name 'Module.symvers' \) -delete
dkms=(dkms --dkmstree "$top/tree" --sourcetree "$top/src")
"${dkms[@]}" add -m vpcsnat -v "$version" >"$top/log" 2>&1
for k in "${kvers[@]}"; do
	"${dkms[@]}" build -m vpcsnat -v "$version" -k "$k" >>"$top/log" 2>&1 ||
		{ tail -n 30 "$top/log" >&2; find "$top/tree" -name make.log -exec tail -n 20 {} \; >&2
		  echo "dkms-tarball: dkms build for $k failed" >&2; exit 1; }
	rm -rf "$top/tree/vpcsnat/$version/tarball"
	"${dkms[@]}" mktarball -m vpcsnat -v "$version" -k "$k" --binaries-only >>"$top/log" 2>&1 ||
		{ tail -n 20 "$top/log" >&2; exit 1; }
	out=build/vpcsnat-$version-$k.dkms.tar.gz
	cp "$(find "$top/tree/vpcsnat/$version/tarball" -name '*.dkms.tar.gz' | head -n 1)" "$out"
	echo "$PWD/$out"
done
