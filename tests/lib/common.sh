# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the shell tests that run inside the VM; sourced.

# A bounded poll: wait_for SECONDS COMMAND... retries every 0.1 s.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# netns_destroy NS...: stop what runs in each namespace, then delete it.
netns_destroy() {
	local ns
	for ns; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
