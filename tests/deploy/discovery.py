#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Just enough of a Kubernetes API server on 127.0.0.1 for `kubectl apply
--dry-run=client` to run with no cluster: the discovery documents of the
kinds deploy/ holds (kubectl needs them to map a kind to its resource), and
404 for every object, so that each is a create. Nothing is stored; every
other request is refused and logged, so that a test can tell that kubectl
asked for nothing else.

    discovery.py --ready FILE --log FILE
"""
import argparse
import http.server
import json
import os

RESOURCES = {
    "/api/v1": ("v1", [("configmaps", "ConfigMap", True), ("namespaces", "Namespace", False),
                       ("serviceaccounts", "ServiceAccount", True)]),
    "/apis/apps/v1": ("apps/v1", [("daemonsets", "DaemonSet", True)]),
    "/apis/rbac.authorization.k8s.io/v1": ("rbac.authorization.k8s.io/v1", [
        ("clusterroles", "ClusterRole", False), ("clusterrolebindings", "ClusterRoleBinding", False),
        ("roles", "Role", True), ("rolebindings", "RoleBinding", True)]),
}
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def group(gv):
    g, v = gv.split("/")
    return {"name": g, "versions": [{"groupVersion": gv, "version": v}],
            "preferredVersion": {"groupVersion": gv, "version": v}}


DOCS = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1",
              "groups": [group(gv) for gv, _ in RESOURCES.values() if "/" in gv]},
}
for path, (gv, rs) in RESOURCES.items():
    DOCS[path] = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                  "resources": [{"name": n, "singularName": k.lower(), "namespaced": ns,
                                 "kind": k, "verbs": VERBS} for n, k, ns in rs]}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        with open(self.server.log, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, status))

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in DOCS:
            return self.reply(200, DOCS[path])
        if any(path.startswith(p + "/") for p in RESOURCES):
            return self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                    "reason": "NotFound", "code": 404,
                                    "message": "not found (no cluster: an offline check)"})
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})

    def refuse(self):
        self.reply(405, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 405,
                         "message": "an offline check: nothing is ever changed"})

    do_POST = do_PUT = do_PATCH = do_DELETE = refuse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ready", required=True)
    p.add_argument("--log", required=True)
    a = p.parse_args()
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    srv.log = a.log
    with open(a.ready + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(a.ready + ".tmp", a.ready)
    srv.serve_forever()


if __name__ == "__main__":
    main()
