#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side of the dkms-tarball suite: makes the binaries-only archive
# of every kernel with headers (dist/dkms-tarball.sh, as an image build
# does), then boots KVER (tests/kver.sh) and installs its archive there
# with no compiler (tests/vm/dkms-tarball.sh).
set -u
cd "$(dirname "$0")/../.."
kver=$(tests/kver.sh)
tarball=$(dist/dkms-tarball.sh 2>"/tmp/dkms-tarball.$$.log" | grep -F -- "-$kver.dkms.tar.gz")
if [ -z "$tarball" ] || [ ! -s "$tarball" ]; then
	cat "/tmp/dkms-tarball.$$.log"
	rm -f "/tmp/dkms-tarball.$$.log"
	echo "FAIL: dkms-tarball: dist/dkms-tarball.sh made no archive"
	exit 1
fi
rm -f "/tmp/dkms-tarball.$$.log"
echo "PASS: dkms-tarball: an archive for every kernel with headers, $(basename "$tarball") among them"
exec tests/vm/run.sh --kver "$kver" --ko none -- \
	env VPCSNAT_DKMS_TARBALL="$tarball" tests/vm/dkms-tarball.sh
