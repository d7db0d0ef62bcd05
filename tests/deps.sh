#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything `make`, `make check` and `make demo` need on a fresh
# Debian 12 machine; a quick no-op when all is there.

set -eu
cd "$(dirname "$0")/.."

# flex, bison, bc, libelf-dev, libssl-dev: the debug kernel (tests/kernel/).
packages=(build-essential libmnl-dev libjansson-dev dkms clang linux-source-6.1
	flex bison bc libelf-dev libssl-dev)
missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
tests/vm/deps.sh

# checkpatch.pl comes from the kernel source package's tarball.
if [ ! -x /usr/src/linux-source-6.1/scripts/checkpatch.pl ]; then
	tar -C /usr/src -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts linux-source-6.1/Documentation/dev-tools
fi
