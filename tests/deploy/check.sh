#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deploy/ as a user applies it, with no cluster: rendered by `kubectl
# kustomize`, then `kubectl apply --dry-run=client` against discovery.py, a
# stand-in API server on 127.0.0.1 that answers discovery and 404 (client
# dry run still asks the server which resource a kind is, and whether each
# object exists). No real server is contacted: the kubeconfig names only
# that address. Schema validation needs the server's OpenAPI documents,
# which an offline check has not got: --validate=false, and the facts that
# matter are checked here instead, on what kubectl printed:
#
#   tests/deploy/check.sh [SNATCTL]
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
snatctl=${1:-$repo/userspace/snatctl}
passed=0 failed=0

pass() { echo "PASS: deploy: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: deploy: $*"; failed=$((failed + 1)); }
for t in kubectl python3; do
	command -v "$t" >/dev/null || { echo "SKIP: deploy: needs $t"; exit 0; }
done

tmp=$(mktemp -d)
python3 "$here/discovery.py" --ready "$tmp/port" --log "$tmp/requests" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
cat >"$tmp/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: offline, cluster: {server: "http://127.0.0.1:$(cat "$tmp/port")"}}]
contexts: [{name: offline, context: {cluster: offline, user: offline}}]
current-context: offline
users: [{name: offline, user: {token: offline}}]
KUBECONFIG
kube() { KUBECONFIG=$tmp/kubeconfig kubectl --cache-dir "$tmp/cache" "$@" </dev/null; }

if kubectl kustomize "$repo/deploy" >"$tmp/rendered.yaml" 2>"$tmp/err"; then
	pass "kubectl kustomize renders deploy/"
else
	fail "kubectl kustomize: $(head -n 3 "$tmp/err")"
	exit 1
fi
if kube apply --dry-run=client --validate=false -f "$tmp/rendered.yaml" >"$tmp/out" 2>"$tmp/err"; then
	pass "kubectl apply --dry-run=client: $(tr '\n' ' ' <"$tmp/out")"
else
	fail "kubectl apply --dry-run=client: $(head -n 3 "$tmp/err")"
fi
kube apply --dry-run=client --validate=false -f "$tmp/rendered.yaml" -o json >"$tmp/objects.json" 2>/dev/null
if grep -qv '^GET ' "$tmp/requests"; then
	fail "kubectl asked to change something: $(grep -v '^GET ' "$tmp/requests" | head -n 3)"
else
	pass "kubectl only read ($(wc -l <"$tmp/requests") requests, all to 127.0.0.1)"
fi

# The facts, one line each: "ok TEXT" or "bad TEXT". The ConfigMap's file is
# left in $tmp/vpcsnat.conf for snatctl to check.
python3 - "$tmp/objects.json" "$tmp/vpcsnat.conf" >"$tmp/facts" <<'PY'
import json, sys
objs = json.load(open(sys.argv[1]))["items"]
by = {o["kind"]: o for o in objs}
def fact(ok, text): print(("ok " if ok else "bad ") + text)
fact(sorted(by) == ["ConfigMap", "DaemonSet"] and len(objs) == 2,
     "a ConfigMap and a DaemonSet, nothing else (no RBAC: the agent never calls the API): %s" % sorted(by))
cm, ds = by.get("ConfigMap", {}), by.get("DaemonSet", {})
open(sys.argv[2], "w").write(cm.get("data", {}).get("vpcsnat.conf", ""))
fact(all(o["metadata"].get("namespace") == "kube-system" for o in objs), "in kube-system, beside aws-node")
spec = ds.get("spec", {}).get("template", {}).get("spec", {})
fact(spec.get("hostNetwork") is True, "hostNetwork: the node's network namespace")
fact(spec.get("automountServiceAccountToken") is False, "no service account token")
fact(ds["spec"]["selector"]["matchLabels"].items() <= ds["spec"]["template"]["metadata"]["labels"].items(),
     "the selector matches the pods")
inits, cons = spec.get("initContainers", []), spec.get("containers", [])
mounts = [m for c in inits + cons for m in c.get("volumeMounts", [])]
fact(not any("subPath" in m or "subPathExpr" in m for m in mounts), "no subPath anywhere")
vols = {v["name"]: v for v in spec.get("volumes", [])}
init = inits[0] if inits else {}
fact(len(inits) == 1 and init.get("command") == ["modprobe", "vpcsnat"] and
     init.get("securityContext", {}).get("privileged") is True and
     any(m["mountPath"] == "/lib/modules" and vols[m["name"]].get("hostPath", {}).get("path") == "/lib/modules"
         for m in init.get("volumeMounts", [])),
     "a privileged init container runs modprobe vpcsnat with the host's /lib/modules")
agent = cons[0] if cons else {}
args = agent.get("command", [])
opt = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in args if a.startswith("--") and "=" in a}
fact(args[:2] == ["snatctl", "agent"], "the container runs snatctl agent: %s" % args)
cfg = [m for m in agent.get("volumeMounts", []) if m["mountPath"] == opt.get("--config")]
fact(len(cfg) == 1 and vols[cfg[0]["name"]].get("configMap", {}).get("name") == cm.get("metadata", {}).get("name"),
     "--config is the ConfigMap, mounted as a directory")
probe = agent.get("readinessProbe", {}).get("exec", {}).get("command", [])
fact(probe[:3] == ["snatctl", "status", "--check"] and "--state=" + opt.get("--state", "?") in probe,
     "the readiness probe is status --check on the agent's state file: %s" % probe)
caps = agent.get("securityContext", {}).get("capabilities", {})
fact(caps.get("add") == ["NET_ADMIN"] and caps.get("drop") == ["ALL"] and
     not agent.get("securityContext", {}).get("privileged"), "the agent: CAP_NET_ADMIN only, unprivileged")
images = {c["image"] for c in inits + cons}
fact(len(images) == 1 and "/" in images.pop(), "one image, set by kustomize's images: entry")
PY
while read -r verdict text; do
	if [ "$verdict" = ok ]; then pass "$text"; else fail "$text"; fi
done <"$tmp/facts"
[ -s "$tmp/facts" ] || fail "the rendered objects could not be read"
if [ -x "$snatctl" ]; then
	if "$snatctl" apply --check -f "$tmp/vpcsnat.conf" >/dev/null 2>"$tmp/err"; then
		pass "the ConfigMap's vpcsnat.conf passes snatctl apply --check"
	else
		fail "the ConfigMap's vpcsnat.conf: $(head -n 3 "$tmp/err")"
	fi
	grep -qx 'snat-ip imds' "$tmp/vpcsnat.conf" && grep -qx 'vpc-cidrs imds' "$tmp/vpcsnat.conf" &&
		pass "no per-node value: snat-ip imds, vpc-cidrs imds" || fail "per-node values in the ConfigMap"
else
	echo "SKIP: deploy: $snatctl not built"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
