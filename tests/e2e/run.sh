#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side: boot the test VM and run the end-to-end scenario in it.
#   tests/e2e/run.sh [--backend vpcsnat|iptables] [--demo]
# VM options (--kernel, --modules, --timeout, --append) can be given through
# VPCSNAT_VM_ARGS, e.g. VPCSNAT_VM_ARGS="--kernel /path/bzImage --modules none".

set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
"$repo/tests/vm/deps.sh"
# shellcheck disable=SC2086 # word splitting of the VM options is intended
exec "$repo/tests/vm/run.sh" ${VPCSNAT_VM_ARGS:-} -- tests/e2e/scenario.sh "$@"
