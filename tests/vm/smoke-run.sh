#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side: boot the test VM and run tests/vm/smoke.sh in it. Extra
# arguments go to tests/vm/run.sh (e.g. --kernel BZIMAGE --modules none).

set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.."
"$here/deps.sh"
exec "$here/run.sh" "$@" -- tests/vm/smoke.sh
