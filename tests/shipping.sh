#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The log shipping configs of dist/shipping/ are ones their tool accepts:
# rsyslog's, node and server, each included from a main config as
# /etc/rsyslog.d/ files are (rsyslogd -N1). fluent-bit is not in Debian:
# its config is not checked here (SKIP).
set -u
cd "$(dirname "$0")/.."
if ! command -v rsyslogd >/dev/null; then
	echo "SKIP: shipping: rsyslogd is not installed (tests/deps.sh installs it)"
else
	for f in dist/shipping/rsyslog-*.conf; do
		d=$(mktemp -d)
		printf 'global(workDirectory="%s")\ninclude(file="%s")\n' "$d" "$PWD/$f" >"$d/main.conf"
		if out=$(rsyslogd -N1 -f "$d/main.conf" 2>&1); then
			echo "PASS: shipping: rsyslogd -N1 accepts $f"
		else
			echo "FAIL: shipping: rsyslogd -N1 refuses $f: $(echo "$out" | tr '\n' ' ' | cut -c1-300)"
		fi
		rm -rf "$d"
	done
fi
command -v fluent-bit >/dev/null ||
	echo "SKIP: shipping: fluent-bit is not in Debian; dist/shipping/fluent-bit-vpcsnat.conf is unchecked"
