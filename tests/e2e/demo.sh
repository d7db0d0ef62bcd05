#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side: boot the test VM and print what each server sees, default vs
# external SNAT.  tests/e2e/demo.sh [--backend vpcsnat|iptables]

set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/run.sh" --demo "$@"
