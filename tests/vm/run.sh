#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel under qemu (TCG) with the host root filesystem shared
# read-only over virtio-9p and this repository shared read-write at the same
# absolute path, run one command inside, stream its output here and exit with
# its status.
#
#   tests/vm/run.sh [--kver KVER | --kernel BZIMAGE] [--modules DIR|none]
#                   [--ko PATH|none] [--timeout SECONDS] [--memory MIB]
#                   [--append "extra cmdline"] [--verbose] -- COMMAND [ARGS...]
#
# The kernel is /boot/vmlinuz-KVER with its modules, KVER as tests/kver.sh
# says (the kernel make builds for), unless --kernel names another. The
# vpcsnat.ko the tests load is PATH (default module/vpcsnat.ko), passed in
# as VPCSNAT_KO; booting a kernel of /boot, run.sh refuses a vpcsnat.ko
# built for another kernel, rather than let insmod say "Invalid module
# format".
#
# The command runs as root in the directory run.sh was started from (or the
# repository root if that directory is not visible inside), with PATH, /tmp,
# /run, /var/{log,lib,cache} on tmpfs, and modprobe working for the booted
# kernel. Its status leaves the VM through a second serial port (ttyS1).
# Exit status: the command's; 124 if the VM timed out; 125 if the VM died
# without reporting one (panic, WARN with panic_on_warn, failed boot).
#
# Boot to the command takes about 4-5 s with the stock Debian kernel under TCG.
#
# Environment: VPCSNAT_VM_CACHE (initramfs cache directory, default
# /var/cache/vpcsnat-vm, or /tmp/vpcsnat-vm-cache if that is not writable).

set -eu

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
	sed -n '9,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

die() {
	echo "vm: $*" >&2
	exit 125
}

kernel=
kver=
ko=
moddir=
timeout=600
memory=1536
append=
verbose=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--kver) [ $# -ge 2 ] || usage; kver=$2; shift 2 ;;
	--ko) [ $# -ge 2 ] || usage; ko=$2; shift 2 ;;
	--modules) [ $# -ge 2 ] || usage; moddir=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--memory) [ $# -ge 2 ] || usage; memory=$2; shift 2 ;;
	--append) [ $# -ge 2 ] || usage; append=$2; shift 2 ;;
	--verbose) verbose=1; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || usage
case "$timeout" in ''|*[!0-9]*) die "--timeout wants a number of seconds, not '$timeout'" ;; esac

for tool in qemu-system-x86_64 busybox cpio modprobe timeout; do
	command -v "$tool" >/dev/null || die "$tool not found (run tests/vm/deps.sh)"
done
busybox=$(command -v busybox)
# The initramfs needs a busybox that runs without shared libraries.
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked; install busybox-static"
fi

if [ -n "$kernel" ] && [ -n "$kver" ]; then
	die "--kernel and --kver name the kernel twice: give one"
fi
if [ -z "$kernel" ]; then
	[ -n "$kver" ] || kver=$("$repo/tests/kver.sh")
	[ -n "$kver" ] || die "no kernel with both an image and headers (tests/deps.sh installs them)"
	kernel=/boot/vmlinuz-$kver
	[ -e "$kernel" ] || die "no $kernel (apt-get install linux-image-$kver, or KVER=another)"
	# The module the tests load must be one this kernel takes.
	[ -n "$ko" ] || ko=$repo/module/vpcsnat.ko
	if [ "$ko" != none ] && [ -e "$ko" ]; then
		built=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
		[ "$built" = "$kver" ] ||
			die "$ko was built for ${built:-an unknown kernel}, this VM boots $kver: make KVER=$kver, or tests/vm/run.sh --kver $built"
	fi
fi
[ -r "$kernel" ] || die "cannot read kernel $kernel"
kernel=$(readlink -f "$kernel")

# The release string of a bzImage: a pointer at offset 0x20e of the setup
# header, relative to 0x200.
kernel_release() {
	local off
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] || return 0
	dd if="$1" bs=1 skip=$((off + 512)) count=128 2>/dev/null | tr '\0' '\n' | head -n 1 | cut -d' ' -f1
}
kver=$(kernel_release "$kernel")
[ -n "$kver" ] || die "cannot read the kernel release from $kernel"

if [ -z "$moddir" ]; then
	moddir=/lib/modules/$kver
	[ -d "$moddir" ] || moddir=none
fi
if [ "$moddir" != none ]; then
	[ -d "$moddir" ] || die "modules directory $moddir does not exist"
	moddir=$(readlink -f "$moddir")
fi

cache=${VPCSNAT_VM_CACHE:-/var/cache/vpcsnat-vm}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	cache=/tmp/vpcsnat-vm-cache
	mkdir -p "$cache"
fi

tmp=$(mktemp -d /tmp/vpcsnat-vm.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The modules that get the 9p root mounted, in load order; none if built in.
modules=()
if [ "$moddir" != none ]; then
	# modprobe -d wants BASE/lib/modules/VERSION; point one at $moddir.
	mkdir -p "$tmp/base/lib/modules"
	ln -s "$moddir" "$tmp/base/lib/modules/$kver"
	for want in 9p 9pnet_virtio virtio_pci; do
		deps=$(modprobe -d "$tmp/base" -S "$kver" --show-depends "$want" 2>/dev/null) ||
			{ echo "vm: $want not found in $moddir, assuming it is built in" >&2; continue; }
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			path=${path#"$tmp/base/lib/modules/$kver/"}
			case " ${modules[*]-} " in *" $path "*) ;; *) modules+=("$path") ;; esac
		done <<<"$deps"
	done
fi

# The busybox + modules part of the initramfs only changes with the kernel.
key=$( { echo "$kver $moddir $busybox"; stat -c '%n %s %Y' "$busybox";
	for m in ${modules[@]+"${modules[@]}"}; do stat -c '%n %s %Y' "$moddir/$m"; done; } |
	sha1sum | cut -c1-12)
base="$cache/initramfs-$kver-$key.cpio"
if [ ! -s "$base" ]; then
	staging="$tmp/initramfs"
	mkdir -p "$staging/bin" "$staging/modules" "$staging/dev" "$staging/proc" \
		"$staging/sys" "$staging/newroot"
	cp "$busybox" "$staging/bin/busybox"
	: >"$staging/modules.list"
	for m in ${modules[@]+"${modules[@]}"}; do
		name=$(basename "$m")
		case "$name" in
		*.ko.xz) xz -dc "$moddir/$m" >"$staging/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$moddir/$m" >"$staging/modules/${name%.zst}"; name=${name%.zst} ;;
		*.ko.gz) gzip -dc "$moddir/$m" >"$staging/modules/${name%.gz}"; name=${name%.gz} ;;
		*) cp "$moddir/$m" "$staging/modules/$name" ;;
		esac
		echo "$name" >>"$staging/modules.list"
	done
	(cd "$staging" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$base.tmp.$$"
	mv "$base.tmp.$$" "$base"
fi

# The per-run part: init scripts, settings and the command.
run="$tmp/run"
mkdir -p "$run"
install -m 0755 "$here/init" "$run/init"
install -m 0755 "$here/guest-init.sh" "$run/stage2"
cwd=$PWD
case "$cwd" in
/tmp|/tmp/*|/run|/run/*|/var/log*|/var/lib*|/var/cache*|/proc*|/sys*|/dev*) cwd=$repo ;;
esac
share_modules=0
if [ "$moddir" != none ] && [ "$moddir" != "$(readlink -f "/lib/modules/$kver" 2>/dev/null || true)" ]; then
	share_modules=1
fi
{
	printf 'REPO=%q\n' "$repo"
	printf 'KVER=%q\n' "$kver"
	printf 'SHARE_MODULES=%q\n' "$share_modules"
	printf 'VERBOSE=%q\n' "$verbose"
	[ -z "$ko" ] || [ "$ko" = none ] || printf 'export VPCSNAT_KO=%q\n' "$(readlink -f "$ko")"
} >"$run/vm.conf"
{
	printf 'cd %q || exit 125\n' "$cwd"
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$run/cmd"
(cd "$run" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$tmp/run.cpio"
cat "$base" "$tmp/run.cpio" >"$tmp/initrd"

cmdline="console=ttyS0 rdinit=/init panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
cmdline="$cmdline mitigations=off random.trust_cpu=on net.ifnames=0 tsc=unstable"
[ "$verbose" = 1 ] || cmdline="$cmdline quiet"
[ -z "$append" ] || cmdline="$cmdline $append"

# shellcheck disable=SC2054 # the commas are qemu's
qemu=(qemu-system-x86_64
	-nodefaults -machine pc,accel=tcg -cpu max -smp 2 -m "$memory"
	-no-reboot -display none -monitor none
	-serial stdio -serial "file:$tmp/result"
	-kernel "$kernel" -initrd "$tmp/initrd" -append "$cmdline"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$repo,mount_tag=repo,security_model=none,multidevs=remap")
[ "$share_modules" = 0 ] ||
	qemu+=(-virtfs "local,path=$moddir,mount_tag=modules,security_model=none,readonly=on,multidevs=remap")

boot() {
	rm -f "$tmp/result"
	start=$(date +%s)
	set +e
	# Serial output ends lines with CRLF; strip the CR. No pipefail: we want
	# qemu's own status.
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>"$tmp/qemu.err" |
		sed -u 's/\r$//' | tee "$tmp/console.log"
	qrc=${PIPESTATUS[0]}
	set -e
	elapsed=$(($(date +%s) - start))
}
boot
# A stock kernel that dies before it runs /init (an oops in its own boot,
# seen once in a few hundred TCG boots of 6.12) has not run a line of ours:
# no module of this repository is loaded before the command. Once, boot again
# and say so; a death after /init started is reported as it is.
if [ "$qrc" != 124 ] && [ "$qrc" != 137 ] && ! grep -q '^VPCSNAT-VM-USERSPACE' "$tmp/result" 2>/dev/null; then
	why=$(grep -m1 -E 'Kernel panic|BUG:|Oops|WARNING:' "$tmp/console.log" || true)
	echo "vm: the kernel died while booting, before /init ran (${why:-qemu exited with $qrc}); booting once more" >&2
	boot
fi

[ ! -s "$tmp/qemu.err" ] || grep -v 'warning: TCG doesn.t support requested feature' "$tmp/qemu.err" >&2 || true

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "FAIL: vm: timed out after ${timeout} s, VM killed (command: $*)"
	exit 124
fi
fatal=$(sed -n 's/^VPCSNAT-VM-FATAL \(.*\)$/\1/p' "$tmp/result" 2>/dev/null | tr -d '\r' | head -n 1)
if [ -n "$fatal" ]; then
	echo "FAIL: vm: the VM did not come up: $fatal"
	exit 125
fi
status=$(sed -n 's/^VPCSNAT-VM-EXIT \([0-9]\{1,\}\)\r\{0,1\}$/\1/p' "$tmp/result" 2>/dev/null | tail -n 1)
if [ -z "$status" ]; then
	why=$(grep -m1 -E 'Kernel panic|BUG:|Oops|WARNING:' "$tmp/console.log" || true)
	[ -n "$why" ] || why="no status line (qemu exited with $qrc)"
	echo "FAIL: vm: the VM died without reporting the command's status: $why"
	exit 125
fi
echo "vm: command exited with status $status after ${elapsed} s (kernel $kver)" >&2
exit "$status"
