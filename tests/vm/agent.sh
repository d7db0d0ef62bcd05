#!/bin/bash
# shellcheck disable=SC2317 # functions run through wait_for and on_exit
# SPDX-License-Identifier: GPL-2.0
#
# snatctl agent inside the test VM: a node whose configuration names
# instance metadata (snat-ip imds, vpc-cidrs imds), read from a metadata
# stub (imds-stub.py) at 169.254.169.254 in a namespace of its own, and a
# configuration directory swapped the way kubelet updates a ConfigMap
# volume. Checks, each with status --check and the metrics file (promtool)
# telling the truth: a late metadata service; a VPC CIDR added and removed,
# followed within two intervals; 500s and an empty list keep the running
# table; tokens that expire and are revoked; a hand-deleted entry and rule
# restored; an atomic config swap applied at once, a bad one refused with
# the old state kept; SIGTERM leaves the running state.
#
#   node (agent, vpcsnat)  eth0 10.0.0.10/24 ---- eth0 10.0.0.1/24  imds
#     169.254.169.254 via 10.0.0.1                     169.254.169.254/32, the stub on :80
#
# Nothing is ever sent to 169.254.169.254 outside these namespaces.

set -eu

# shellcheck source=tests/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
unset AWS_EC2_METADATA_DISABLED	# this test has its metadata service
prefix="agent: "

require_root
require_tools ip python3 promtool
require_built "$snatctl" "$ko"
make_tmp vpcsnat-agent
dmesg_start=$(dmesg | wc -l)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
interval=1
# Two intervals, and what a cycle with retries and TCG's slowness may add.
follow=$((2 * interval + 4))
# A failing cycle takes longer: three attempts and their backoff (up to 5 s).
failing=$((follow + 5))
quiet_kill() { kill "$1" 2>/dev/null || true; }

netns_new node
netns_new imds
veth "$node" eth0 "$imds" eth0
ip -n "$node" addr add 10.0.0.10/24 dev eth0
ip -n "$node" route add 169.254.169.254/32 via 10.0.0.1
ip -n "$imds" addr add 10.0.0.1/24 dev eth0
ip -n "$imds" addr add 169.254.169.254/32 dev eth0

ctl() { ip netns exec "$node" "$snatctl" "$@"; }
state=$tmp/run/agent.json
metrics=$tmp/textfile/vpcsnat.prom

# The stub's answers: JSON, replaced whole.
imds_says() {
	printf '%s\n' "$1" >"$tmp/imds.new" && mv "$tmp/imds.new" "$tmp/imds.json"
}
start_stub() {
	rm -f "$tmp/imds.ready"
	ip netns exec "$imds" python3 "$here/imds-stub.py" --addr 169.254.169.254 --port 80 \
		--control "$tmp/imds.json" --log "$tmp/imds.log" --ready "$tmp/imds.ready" &
	stub_pid=$!
	on_exit quiet_kill "$stub_pid"
	wait_for 15 test -s "$tmp/imds.ready"
}

# A config directory as kubelet writes a ConfigMap volume
# (pkg/volume/util/atomic_writer.go): the data in a timestamped directory,
# ..data a symlink to it swapped by rename, vpcsnat.conf -> ..data/vpcsnat.conf.
cfg=$tmp/config
mkdir -p "$cfg"
swaps=0
kubelet_swap() { # CONTENT
	local old ts
	swaps=$((swaps + 1))
	ts=..2026_11_26_14_23_1$swaps.$RANDOM
	old=$(readlink "$cfg/..data" 2>/dev/null || true)
	mkdir "$cfg/$ts"
	printf '%s\n' "$1" >"$cfg/$ts/vpcsnat.conf"
	ln -s "$ts" "$cfg/..data_tmp"
	mv -T "$cfg/..data_tmp" "$cfg/..data"
	[ -e "$cfg/vpcsnat.conf" ] || ln -s ..data/vpcsnat.conf "$cfg/vpcsnat.conf"
	[ -z "$old" ] || rm -rf "${cfg:?}/$old"
}
base_conf='enabled yes
snat-ip imds
vpc-cidrs imds
skip-ifaces vlan
cidr 192.168.0.0/16 exclude'
kubelet_swap "$base_conf"

agent_pid=
start_agent() { # INTERVAL
	rm -f "$state"
	ip netns exec "$node" "$snatctl" agent --config "$cfg" --interval "$1" --state "$state" \
		--metrics "$metrics" 2>>"$tmp/agent.log" &
	agent_pid=$!
	on_exit quiet_kill "$agent_pid"
}
stop_agent() {
	local rc=0
	kill -TERM "$agent_pid"
	wait "$agent_pid" || rc=$?
	agent_pid=
	return "$rc"
}

table() { ctl cidr list | tr '\n' ';'; }
table_is() { [ "$(table)" = "$1" ]; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$state" "$1"; }
state_says() { grep -q "$1" "$state" 2>/dev/null; }
metric() { awk -v n="$1" '$1 == n { print $2 }' "$metrics"; }
ready() { ctl status --check --state "$state" >"$tmp/check" 2>&1; }
not_ready() { ! ready; }
cycles_since() { [ "$(json updated_ns)" -gt "$1" ]; }
now_ns() { date +%s%N; }

# check_truth LABEL READY(0|1) [TEXT [IN_WANTED]]: status --check and the
# metrics agree with what the test knows: ready or not (and why, TEXT), the
# agent's last cycle in the wanted state (IN_WANTED, by default 1 if
# ready); promtool accepts the file.
check_truth() {
	local label=$1 want=$2 text=${3-} in_wanted=${4-$((1 - $2))} rc=0
	ready || rc=$?
	if [ "$want" = 0 ] && [ "$rc" = 0 ]; then
		pass "$label: status --check: $(cat "$tmp/check")"
	elif [ "$want" = 1 ] && [ "$rc" = 1 ] && grep -q -- "$text" "$tmp/check"; then
		pass "$label: status --check: $(cat "$tmp/check")"
	else
		fail "$label: status --check exit $rc, want $want${text:+ ($text)}: $(cat "$tmp/check")"
	fi
	if [ "$(metric vpcsnat_agent_in_wanted_state)" = "$in_wanted" ]; then
		pass "$label: vpcsnat_agent_in_wanted_state $in_wanted"
	else
		fail "$label: vpcsnat_agent_in_wanted_state $(metric vpcsnat_agent_in_wanted_state)"
	fi
	if promtool check metrics <"$metrics" >"$tmp/promtool" 2>&1; then
		pass "$label: promtool check metrics"
	else
		fail "$label: promtool: $(head -n 3 "$tmp/promtool")"
	fi
}

# timed LABEL SECONDS COMMAND...: PASS if COMMAND holds within SECONDS, saying when.
timed() {
	local label=$1 limit=$2 start=$SECONDS
	shift 2
	if wait_for "$limit" "$@"; then
		pass "$label (within $((SECONDS - start)) s)"
	else
		fail "$label: not within $limit s; table: $(table); state: $(cat "$state" 2>/dev/null)"
		tail -n 5 "$tmp/agent.log"
	fi
}

load_vpcsnat || { fail "cannot load $ko"; finish; }
# What runs before the agent: a node applied at boot, say.
printf '%s\n' "enabled yes" "snat-ip 10.0.0.10" "cidr 10.99.0.0/16 vpc" >"$tmp/boot.conf"
check "a boot-time configuration" ctl apply -f "$tmp/boot.conf"
boot_table='10.99.0.0/16 vpc;'
# No agent has run: status --check says so, naming the file once.
rm -f "$state"
ready && fail "no agent yet: status --check says ready" ||
	{ grep -qx "Not ready: Cannot read $state: No such file or directory (is snatctl agent running?)" "$tmp/check" &&
	  pass "no agent yet: $(cat "$tmp/check")" || fail "no agent yet: $(cat "$tmp/check")"; }

# 1. The metadata service starts late: what runs stays.
imds_says '{"cidrs": "10.0.0.0/16", "local_ipv4": "10.0.0.10"}'
start_agent "$interval"
timed "no metadata service: the agent says so" 15 state_says 'PUT /latest/api/token: '
table_is "$boot_table" && pass "no metadata service: the running table is kept" ||
	fail "no metadata service: table $(table)"
check_truth "no metadata service" 1 "last cycle failed: instance metadata http://169.254.169.254: PUT /latest/api/token"
[ "$(metric vpcsnat_agent_metadata_errors_total)" -ge 1 ] &&
	pass "no metadata service: metadata errors counted ($(metric vpcsnat_agent_metadata_errors_total))" ||
	fail "no metadata service: vpcsnat_agent_metadata_errors_total $(metric vpcsnat_agent_metadata_errors_total)"
grep -q "^agent: instance metadata http://169.254.169.254: PUT /latest/api/token: .*; keeping what runs$" \
	"$tmp/agent.log" && pass "no metadata service: one line says why" ||
	fail "no metadata service: log: $(tail -n 3 "$tmp/agent.log")"

start_stub || { fail "the metadata stub did not start"; finish; }
want='10.0.0.0/16 vpc;192.168.0.0/16 exclude;'
timed "the service comes up: the table is the VPC's CIDRs and the file's" "$follow" table_is "$want"
wait_for 5 ready || true
check_truth "the service is up" 0
ctl show-config | grep -qx 'snat-ip 10.0.0.10' && pass "snat-ip imds: 10.0.0.10, its local-ipv4" ||
	fail "snat-ip: $(ctl show-config | grep snat-ip)"
[ "$(metric vpcsnat_table_entries)" = 2 ] && [ "$(metric vpcsnat_agent_applies_total)" = 1 ] &&
	[ "$(metric vpcsnat_agent_config_generation)" = 1 ] &&
	awk '$1 == "vpcsnat_agent_last_apply_timestamp_seconds" && $2 > 1e9 { ok = 1 } END { exit !ok }' "$metrics" &&
	pass "metrics: 2 entries, 1 apply, generation 1, the apply's time" ||
	fail "metrics: $(grep -v '^#' "$metrics" | tr '\n' ' ')"
[ "$(json instance_id)" = i-0123456789abcdef0 ] && pass "the state names the instance" ||
	fail "instance_id: $(json instance_id)"
grep -q '^agent: applied: first apply (2 entries, snat-ip 10.0.0.10)$' "$tmp/agent.log" &&
	pass "one line for the apply" || fail "log: $(tail -n 3 "$tmp/agent.log")"

# 2. The VPC gets a CIDR, then loses one.
imds_says '{"cidrs": "10.0.0.0/16\n100.64.0.0/16"}'
timed "a VPC CIDR associated: followed" "$follow" table_is "10.0.0.0/16 vpc;100.64.0.0/16 vpc;192.168.0.0/16 exclude;"
imds_says '{"cidrs": "100.64.0.0/16"}'
want='100.64.0.0/16 vpc;192.168.0.0/16 exclude;'
timed "a VPC CIDR disassociated: followed" "$follow" table_is "$want"
wait_for 5 ready || true
check_truth "after the CIDR changes" 0

# 3. Failures keep what runs: 500s, an empty list.
errors=$(metric vpcsnat_agent_metadata_errors_total)
imds_says '{"cidrs": "100.64.0.0/16", "fail": 500}'
timed "500s: the agent says so" "$failing" state_says 'HTTP 500 (3 attempts)'
table_is "$want" && pass "500s: the running table is kept" || fail "500s: table $(table)"
check_truth "500s" 1 "HTTP 500"
[ "$(metric vpcsnat_agent_metadata_errors_total)" -gt "$errors" ] && pass "500s: counted" ||
	fail "500s: metadata errors $(metric vpcsnat_agent_metadata_errors_total)"
imds_says '{"cidrs": ""}'
timed "an empty VPC CIDR list: refused" "$failing" state_says 'the VPC CIDR list is empty'
table_is "$want" && pass "an empty list: the running table is kept" || fail "empty list: table $(table)"
check_truth "an empty list" 1 "an empty list is never applied"
imds_says '{"cidrs": "100.64.0.0/16"}'
timed "the service recovers: ready again" "$failing" ready
check_truth "recovered" 0

# 4. Tokens: a revoked one is met with a 401, a new token and the same
# request again; short-lived ones are renewed before they expire.
marker=$(wc -l <"$tmp/imds.log")
imds_says '{"cidrs": "100.64.0.0/16\n100.65.0.0/16", "epoch": 1, "token_ttl_max": 2}'
want='100.64.0.0/16 vpc;100.65.0.0/16 vpc;192.168.0.0/16 exclude;'
timed "a revoked token: the change is followed all the same" "$follow" table_is "$want"
# Whichever request comes first after the revocation meets the 401: the
# IPv4 or the IPv6 CIDR list (404 on this stub: the VPC has none), so the
# same path must come back with the answer it gets with a good token.
if tail -n +"$((marker + 1))" "$tmp/imds.log" | grep -A2 -m1 ' 401$' | tr '\n' ' ' |
	grep -Eq '^GET ([^ ]*) 401 PUT /latest/api/token 200 GET \1 (200|404) $'; then
	pass "a revoked token: 401, a new token, the GET again"
else
	fail "a revoked token: $(tail -n +"$((marker + 1))" "$tmp/imds.log" | head -n 6 | tr '\n' ' ')"
fi
marker=$(wc -l <"$tmp/imds.log")
t0=$(now_ns)
# Five seconds of cycles: the 2 s tokens must be renewed, never found expired.
wait_for 20 cycles_since "$((t0 + 5000000000))" || true
puts=$(tail -n +"$((marker + 1))" "$tmp/imds.log" | grep -c '^PUT .* 200$' || true)
unauth=$(tail -n +"$((marker + 1))" "$tmp/imds.log" | grep -c ' 401$' || true)
if [ "$puts" -ge 2 ] && [ "$unauth" = 0 ]; then
	pass "2 s tokens: $puts new ones in $((($(now_ns) - t0) / 1000000000)) s, each before expiry (no 401)"
else
	fail "2 s tokens: $puts PUTs, $unauth 401s"
fi
check_truth "after the tokens" 0

# 5. Hand edits are undone.
applies=$(metric vpcsnat_agent_applies_total)
ctl cidr del 192.168.0.0/16
timed "a hand-deleted entry is restored" "$follow" table_is "$want"
grep -q 'applied: the running table or settings drifted' "$tmp/agent.log" &&
	pass "the drift is named" || fail "log: $(tail -n 3 "$tmp/agent.log")"
ip -n "$node" rule del fwmark 0x80/0x80 lookup main priority 1024
one_rule() { [ "$(rules_1024)" = 1 ]; }
timed "a hand-deleted 1024 rule is restored" "$follow" one_rule
wait_for 5 test "$(metric vpcsnat_agent_applies_total)" -ge $((applies + 2)) || true
[ "$(metric vpcsnat_agent_applies_total)" -ge $((applies + 2)) ] && pass "both applies counted" ||
	fail "applies: $(metric vpcsnat_agent_applies_total), were $applies"
# With ipv6 on, IPv6's 1024 rule too (ip -6 rule).
kubelet_swap "$base_conf
ipv6 yes"
one_rule6() { [ "$(rules_1024 -6)" = 1 ]; }
timed "ipv6 yes: the IPv6 1024 rule added" "$follow" one_rule6
ip -n "$node" -6 rule del fwmark 0x80/0x80 lookup main priority 1024
timed "a hand-deleted IPv6 1024 rule is restored" "$follow" one_rule6

# 6. SIGTERM: the agent goes, what runs stays.
ctl show-config >"$tmp/before"
if stop_agent; then pass "SIGTERM: exit 0"; else fail "SIGTERM: exit $?"; fi
ctl show-config >"$tmp/after"
same_file "SIGTERM: the running state is left as it was" "$tmp/before" "$tmp/after"
ready && fail "stopped: status --check says ready" ||
	{ grep -q 'Not ready: the agent stopped at' "$tmp/check" && pass "stopped: status --check: $(cat "$tmp/check")" ||
	  fail "stopped: $(cat "$tmp/check")"; }

# 7. The configuration: a long interval, so that only inotify (or SIGHUP) can explain speed.
start_agent 60
timed "restarted: ready, nothing to apply" 15 ready
[ "$(metric vpcsnat_agent_applies_total)" = 0 ] && pass "restarted: no apply needed" ||
	fail "restarted: $(metric vpcsnat_agent_applies_total) applies"
ctl cidr add 203.0.113.0/24 snat
# The agent's metrics speak of its last cycle, which was fine; status --check sees now.
check_truth "a hand edit before the agent saw it" 1 "the running configuration is not the one the agent applied" 1
kill -HUP "$agent_pid"
timed "SIGHUP: the hand edit undone" 10 table_is "$want"
wait_for 5 ready || true
check_truth "after SIGHUP" 0

gen=$(metric vpcsnat_agent_config_generation)
kubelet_swap "$base_conf
cidr 52.94.0.0/22 snat"
want='52.94.0.0/22 snat;100.64.0.0/16 vpc;100.65.0.0/16 vpc;192.168.0.0/16 exclude;'
timed "a kubelet-style swap of the config directory: applied at once" 3 table_is "$want"
[ "$(rules_1024 -6)" = 0 ] && pass "the swap left ipv6 out: the IPv6 1024 rule removed" ||
	fail "ipv6 off: $(rules_1024 -6) IPv6 1024 rules"
wait_for 5 ready || true
check_truth "after the swap" 0
[ "$(metric vpcsnat_agent_config_generation)" = $((gen + 1)) ] && pass "config generation $((gen + 1))" ||
	fail "config generation $(metric vpcsnat_agent_config_generation), was $gen"

errors=$(metric vpcsnat_agent_config_errors_total)
kubelet_swap "$base_conf
random fully
cidr 52.94.0.0/22 snat"
timed "a bad config swapped in: refused" 3 state_says 'vpcsnat.conf:6: Unknown random mode fully'
table_is "$want" && pass "a bad config: the running table is kept" || fail "bad config: table $(table)"
grep -q "^$cfg/vpcsnat.conf:6: Unknown random mode fully; expected none, hashrandom or prng\$" "$tmp/agent.log" &&
	grep -q "^Error: $cfg/vpcsnat.conf has 1 bad line; keeping what runs\$" "$tmp/agent.log" &&
	pass "a bad config: FILE:LINE, and what it means" || fail "bad config log: $(tail -n 3 "$tmp/agent.log")"
check_truth "a bad config" 1 "vpcsnat.conf:6: Unknown random mode fully"
[ "$(metric vpcsnat_agent_config_errors_total)" -gt "$errors" ] && pass "a bad config: counted" ||
	fail "config errors $(metric vpcsnat_agent_config_errors_total)"
kubelet_swap "$base_conf"
want='100.64.0.0/16 vpc;100.65.0.0/16 vpc;192.168.0.0/16 exclude;'
timed "the config fixed: applied at once" 3 table_is "$want"
wait_for 5 ready || true
check_truth "the config fixed" 0

if stop_agent; then pass "SIGTERM again: exit 0"; else fail "SIGTERM again: exit $?"; fi

# 8. snatctl set snat-ip imds: what the metadata says now, once.
imds_says '{"cidrs": "100.64.0.0/16", "local_ipv4": "10.0.0.77"}'
check "set snat-ip imds" ctl set snat-ip imds
ctl show-config | grep -qx 'snat-ip 10.0.0.77' && pass "set snat-ip imds: 10.0.0.77, the local-ipv4 now" ||
	fail "set snat-ip imds: $(ctl show-config | grep snat-ip)"
kernel_log_clean "$dmesg_start"
finish
