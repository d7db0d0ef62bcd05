#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module on a debug kernel (KASAN, lockdep, PROVE_RCU, kmemleak, fault
# injection), from the host:
#
#   tests/kernel/run.sh [kunit|stress|faults|hostile|genl ...]
#
# Builds the debug kernel once (build.sh, cached outside the clone), builds
# vpcsnat.ko and vpcsnat_test.ko against it from a copy of the tree in
# tests/kernel/out/ (module/ is left alone for the stock-kernel tests), the
# helpers, and boots the VM to run the suites (default: all). Prints one
# PASS/FAIL/SKIP line per KUnit case and per test.
#
# Environment: REPLACES (600), STRESS_SECONDS (600), FUZZ_MESSAGES
# (120000), FUZZ_SECONDS (120), VPCSNAT_KERNEL_CACHE (build.sh);
# VPCSNAT_KOUT (tests/kernel/out) and VPCSNAT_PATCH, a patch applied to
# the copy of the tree before the build (mutants.sh).

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${VPCSNAT_KOUT:-$here/out}

die() {
	echo "FAIL: kernel: $*"
	exit 1
}

start=$SECONDS
kdir=$("$here/build.sh" | tail -n 1) || die "the debug kernel did not build"
[ -s "$kdir/bzImage" ] || die "no bzImage in $kdir"
echo "kernel: debug kernel $kdir ($((SECONDS - start)) s)" >&2

rm -rf "$out"
mkdir -p "$out/src"
cp -r "$repo/Kbuild" "$repo/module" "$repo/include" "$out/src/"
find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name 'modules.order' -o -name 'Module.symvers' \) -delete
if [ -n "${VPCSNAT_PATCH-}" ]; then
	patch -s -p1 -d "$out/src" <"$VPCSNAT_PATCH" || die "$VPCSNAT_PATCH does not apply"
fi
make -C "$kdir/linux" M="$out/src" VPCSNAT_TEST=1 -j"$(nproc)" modules >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log"; die "vpcsnat.ko/vpcsnat_test.ko do not build against the debug kernel"; }
cp "$out/src/module/vpcsnat.ko" "$out/src/module/vpcsnat_test.ko" "$out/"
cflags="-std=gnu11 -Wall -Wextra -Werror -O2 -I$repo/include/uapi"
# shellcheck disable=SC2086
gcc $cflags -o "$out/udpprobe" "$here/udpprobe.c" || die "udpprobe does not build"
# shellcheck disable=SC2086
gcc $cflags -o "$out/nlfuzz" "$here/nlfuzz.c" -lmnl || die "nlfuzz does not build"
# shellcheck disable=SC2086
gcc $cflags -o "$out/genlping" "$here/genlping.c" -lmnl || die "genlping does not build"
# genl.sh's table: 6,000,000 distinct /24s.
awk 'BEGIN { for (i = 65536; i < 6065536; i++)
	printf "%d.%d.%d.0/24\n", int(i / 65536), int(i / 256) % 256, i % 256 }' >"$out/genl.cidrs"
[ -x "$repo/userspace/snatctl" ] || make -s -C "$repo/userspace" >/dev/null ||
	die "snatctl does not build"

# no_timer_check: a loaded host makes the IO-APIC timer check fail (panic).
# pci=noacpi: ACPI's PCI interrupt routing (_PRT) runs into AML loop
# timeouts under KASAN and TCG, for minutes; ACPI is there for the CPUs.
env=()
for v in REPLACES STRESS_SECONDS FUZZ_MESSAGES FUZZ_SECONDS VPCSNAT_KOUT; do
	[ -z "${!v-}" ] || env+=("$v=${!v}")
done
"$repo/tests/vm/run.sh" --kernel "$kdir/bzImage" --modules none --memory 3072 \
	--timeout "${KERNEL_VM_TIMEOUT:-3000}" --append "log_buf_len=8M no_timer_check pci=noacpi" \
	-- env ${env[@]+"${env[@]}"} "$here/guest.sh" "$@"
rc=$?
echo "kernel: total $((SECONDS - start)) s" >&2
exit "$rc"
