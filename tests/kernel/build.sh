#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug test kernel once and cache it outside the clone:
# linux-source-6.1 from Debian, tinyconfig plus tests/kernel/debug.config.
#
#   tests/kernel/build.sh        prints the cache directory on its last line
#
# The cache directory, ${VPCSNAT_KERNEL_CACHE:-/var/cache/vpcsnat-kernel}/KEY,
# keyed by the source package version and the fragment, holds bzImage and
# linux/, the built tree: `make -C DIR/linux M=... modules` builds external
# modules against it. A second run finds it and returns at once.
#
# About 6 minutes on 2 idle cores the first time (measured: see README).

set -eu

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz
# Bump when the recipe below changes in a way that changes the result.
recipe=1

die() {
	echo "kernel: $*" >&2
	exit 1
}

[ -r "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"
version=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed"
key=$version-$( { cat "$fragment"; echo "recipe $recipe"; } | sha256sum | cut -c1-12)

root=${VPCSNAT_KERNEL_CACHE:-/var/cache/vpcsnat-kernel}
mkdir -p "$root" 2>/dev/null && [ -w "$root" ] || die "cannot write $root (set VPCSNAT_KERNEL_CACHE)"
dir=$root/$key

if [ ! -e "$dir/ok" ]; then
	exec 9>"$root/.lock"
	flock 9
fi
if [ -e "$dir/ok" ]; then
	echo "$dir"
	exit 0
fi

start=$(date +%s)
work=$root/$key.building
rm -rf "$work" "$dir"
mkdir -p "$work"
echo "kernel: building $key in $work (first time only)" >&2
# A tree built from the same source with another fragment makes the build
# incremental: Kbuild rebuilds what the configuration change touches.
seed=$(ls -1td "$root/$version"-*/ok 2>/dev/null | head -n 1)
if [ -n "$seed" ]; then
	echo "kernel: starting from $(dirname "$seed")/linux" >&2
	cp -a "$(dirname "$seed")/linux" "$work/linux"
else
	tar -xJf "$tarball" -C "$work"
	mv "$work/linux-source-6.1" "$work/linux"
fi
src=$work/linux
jobs=$(nproc)

{
	rm -f "$src/.config"
	make -C "$src" -s tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" "$fragment"
	make -C "$src" -s olddefconfig
} >"$work/config.log" 2>&1 || { tail -n 30 "$work/config.log" >&2; die "configuration failed"; }

# Kconfig drops an option whose dependencies are missing without a word.
dropped=
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	name=${line%%=*}
	value=${line#*=}
	if [ "$value" = n ]; then
		grep -q "^$name=" "$src/.config" && dropped="$dropped $name(wanted n)"
	else
		grep -qx "$line" "$src/.config" ||
			dropped="$dropped $name(wanted $value, got $(grep -E "^$name=|^# $name is not set" "$src/.config" || echo absent))"
	fi
done <"$fragment"
[ -z "$dropped" ] || die "options the configuration dropped:$dropped"

make -C "$src" -j"$jobs" -s all >"$work/build.log" 2>&1 ||
	{ tail -n 40 "$work/build.log" >&2; die "build failed (log: $work/build.log)"; }
[ -s "$src/Module.symvers" ] || die "no Module.symvers after the build"
cp "$src/arch/x86/boot/bzImage" "$work/bzImage"
echo "$(($(date +%s) - start))" >"$work/build-seconds"
touch "$work/ok"
mv "$work" "$dir"
echo "kernel: built in $(cat "$dir/build-seconds") s" >&2
echo "$dir"
