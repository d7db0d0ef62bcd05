#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An EC2 instance metadata service (IMDSv2 only) for tests/vm/agent.sh and
userspace/tests/cli_test.sh: the paths snatctl reads, tokens that are
required (401 without one), expire and can be revoked, and failures on
demand. It listens where it is told: 169.254.169.254 inside a network
namespace the VM test made, or 127.0.0.1 on the host; never anywhere else.

    imds-stub.py --addr ADDR [--port 80] --control FILE --log FILE [--ready FILE]

FILE (--control) is JSON, read again for every request (write it whole,
then rename it into place); a key left out has its default:

    {"mac": "0a:1b:2c:3d:4e:5f", "local_ipv4": "10.0.0.10",
     "ipv6": "2600:1f14:abc:de00::10",  # null (the default): 404, no IPv6
     "instance_id": "i-0123456789abcdef0",
     "cidrs": "10.0.0.0/16\\n100.64.0.0/16",  # served as it is: "" is an empty list
     "cidrs6": "2600:1f14:abc:de00::/56",  # the same; null (the default): 404,
                                           # as for a VPC without IPv6
     "fail": 0,           # 500, 503...: every request gets that status
     "token_ttl_max": 0,  # > 0: tokens live at most that many seconds
     "epoch": 0}          # a new value revokes every token given before

Each request is logged to --log as "METHOD PATH STATUS", one line, as it
is answered. --ready is written (with the port) once it listens.
"""
import argparse
import http.server
import json
import os
import secrets
import time

DEFAULTS = {
    "mac": "0a:1b:2c:3d:4e:5f",
    "local_ipv4": "10.0.0.10",
    "ipv6": None,
    "instance_id": "i-0123456789abcdef0",
    "cidrs": "10.0.0.0/16",
    "cidrs6": None,
    "fail": 0,
    "token_ttl_max": 0,
    "epoch": 0,
}
TTL = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN = "X-aws-ec2-metadata-token"


def control(path):
    c = dict(DEFAULTS)
    try:
        with open(path) as f:
            c.update(json.load(f))
    except (OSError, ValueError):
        pass
    return c


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    tokens = {}  # token -> (expiry, epoch)

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # a client that gave up waiting (its timeout) closed it

    def answer(self, status, body="", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: logged all the same
        with open(self.server.log, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, status))

    def do_PUT(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        c = control(self.server.control)
        if c["fail"]:
            return self.answer(c["fail"], "failing on purpose\n")
        if self.path != "/latest/api/token":
            return self.answer(404, "Not Found\n")
        try:
            ttl = int(self.headers.get(TTL, ""))
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= 21600:
            return self.answer(400, "Missing or Invalid Parameters\n")
        if c["token_ttl_max"]:
            ttl = min(ttl, c["token_ttl_max"])
        token = secrets.token_urlsafe(42)
        Handler.tokens[token] = (time.monotonic() + ttl, c["epoch"])
        self.answer(200, token, [(TTL, str(ttl))])

    def do_GET(self):
        c = control(self.server.control)
        if c["fail"]:
            return self.answer(c["fail"], "failing on purpose\n")
        t = Handler.tokens.get(self.headers.get(TOKEN, ""))
        if not t or t[0] <= time.monotonic() or t[1] != c["epoch"]:
            return self.answer(401, "Unauthorized\n")
        prefix = "/latest/meta-data/"
        macs = "network/interfaces/macs/%s/" % c["mac"]
        values = {
            "mac": c["mac"],
            "local-ipv4": c["local_ipv4"],
            "instance-id": c["instance_id"],
            macs + "vpc-ipv4-cidr-blocks": c["cidrs"],
            macs + "vpc-ipv4-cidr-block": c["cidrs"].split("\n")[0],
        }
        if c["cidrs6"] is not None:
            values[macs + "vpc-ipv6-cidr-blocks"] = c["cidrs6"]
        if c["ipv6"] is not None:
            values["ipv6"] = c["ipv6"]
        key = self.path[len(prefix):] if self.path.startswith(prefix) else None
        if key not in values:
            return self.answer(404, "Not Found\n")
        self.answer(200, values[key])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--control", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--ready")
    a = p.parse_args()
    if a.addr not in ("169.254.169.254", "127.0.0.1"):
        p.error("listens on 169.254.169.254 (in a test netns) or 127.0.0.1 only")
    # One thread a connection: a client's kept-alive connection must not
    # hold up its next one.
    srv = http.server.ThreadingHTTPServer((a.addr, a.port), Handler)
    srv.daemon_threads = True
    srv.control, srv.log = a.control, a.log
    if a.ready:
        tmp = a.ready + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, a.ready)
    srv.serve_forever()


if __name__ == "__main__":
    main()
