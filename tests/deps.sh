#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything `make`, `make check` and `make demo` need on a fresh
# Debian 12 machine; a quick no-op when all is there.

set -eu
cd "$(dirname "$0")/.."

# flex, bison, bc, libelf-dev, libssl-dev: the debug kernel (tests/kernel/).
# libcurl4-openssl-dev: snatctl's instance metadata client. prometheus: its
# promtool checks the agent's metrics (the server itself is not wanted).
# python3: the metadata stub. (kubectl, for deploy/, is in no Debian source:
# its check skips without it.) rsyslog: tests/shipping.sh checks the log
# shipping configs with it.
packages=(build-essential libmnl-dev libjansson-dev dkms clang linux-source-6.1
	flex bison bc libelf-dev libssl-dev libcurl4-openssl-dev prometheus python3
	rsyslog)
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
	# Debian's prometheus starts a server on port 9090: only promtool is wanted.
	if printf '%s\n' "${missing[@]}" | grep -qx prometheus && command -v systemctl >/dev/null; then
		systemctl disable --now prometheus >/dev/null 2>&1 || true
	fi
fi
tests/vm/deps.sh

# The second kernel EKS nodes run (Amazon Linux 2023 ships 6.1 and 6.12):
# Debian 12's newest 6.12, image and headers, unless one is installed.
have612=0
for m in /lib/modules/6.12.*/build/Makefile; do
	[ -e "$m" ] && [ -e "/boot/vmlinuz-$(basename "$(dirname "$(dirname "$m")")")" ] && have612=1
done
if [ "$have612" = 0 ]; then
	newest612() {
		apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
			cut -d' ' -f1 | sed 's/^linux-headers-//' | sort -V | tail -n 1
	}
	v=$(newest612)
	[ -n "$v" ] || { apt-get update -q >/dev/null; v=$(newest612); }
	[ -n "$v" ] || { echo "deps: no linux-headers-6.12.*+deb12-amd64 in the apt sources" >&2; exit 1; }
	echo "deps: installing linux-image-$v linux-headers-$v" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-image-$v" "linux-headers-$v" >/dev/null
fi

# checkpatch.pl comes from the kernel source package's tarball.
if [ ! -x /usr/src/linux-source-6.1/scripts/checkpatch.pl ]; then
	tar -C /usr/src -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts linux-source-6.1/Documentation/dev-tools
fi
