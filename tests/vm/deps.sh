#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the VM tests need (Debian/Ubuntu). A quick no-op when
# everything is already installed.

set -eu

packages=(linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
	iproute2 nftables iptables conntrack nginx curl jq kmod cpio)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only if they are missing or a first attempt fails.
if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
	apt-get update -q
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	{ apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }
# nginx's Debian service would listen on port 80 of the host: we only want
# the binary.
if printf '%s\n' "${missing[@]}" | grep -qx nginx && command -v systemctl >/dev/null; then
	systemctl disable --now nginx >/dev/null 2>&1 || true
fi
