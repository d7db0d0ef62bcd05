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

# start_nginx NS ADDRESS DIR LOG_FORMAT: an nginx in NS answering "ok" on
# ADDRESS:80 (and /big, 8 MiB sent at 64 KiB/s), logging LOG_FORMAT to
# DIR/access.log, everything it writes under DIR; waits until it listens.
start_nginx() {
	local ns=$1 addr=$2 dir=$3 format=$4
	mkdir -p "$dir/www"
	head -c $((8 * 1024 * 1024)) /dev/zero >"$dir/www/big"
	cat >"$dir/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
	log_format addr '$format';
	access_log $dir/access.log addr;
	client_body_temp_path $dir/client_body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	server {
		listen $addr:80;
		root $dir/www;
		location / { default_type text/plain; return 200 "ok\n"; }
		location = /big { limit_rate 64k; }
	}
}
NGINX
	if ! ip netns exec "$ns" nginx -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" ||
	   ! wait_for 15 nginx_listening "$ns" "$addr"; then
		cat "$dir/error.log" >&2 2>/dev/null
		return 1
	fi
}
nginx_listening() { ip netns exec "$1" ss -Hltn | grep -q " $2:80 "; }

# kernel_log_clean SINCE: no WARNING, BUG, Oops or Call Trace in the kernel
# log after its first SINCE lines; otherwise prints them and fails.
kernel_log_clean() {
	local splat
	splat=$(dmesg | tail -n +"$(($1 + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace' | head -n 3)
	[ -z "$splat" ] && return 0
	printf '%s\n' "$splat" | tr '\n' '|'
	echo
	dmesg | tail -n +"$(($1 + 1))" | tail -n 40
	return 1
}
