#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One new connection of a protocol curl cannot speak, for tests/vm/who.sh.

  protoprobe.py icmp DST ID                    one echo request with identifier ID
  protoprobe.py icmpv6 DST ID                  the same over IPv6 (type 128)
  protoprobe.py udplite DST PORT SPORT         one UDP-Lite datagram from SPORT
  protoprobe.py sctp-server ADDR PORT OUT      accepts one association, writes
                                               "ADDR:PORT" of the peer to OUT
                                               (and OUT.ready once listening)
  protoprobe.py sctp DST PORT SPORT            one association from SPORT, held 1 s
"""
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def icmp(dst, ident):
    payload = b"vpcsnat who"
    hdr = struct.pack("!BBHHH", 8, 0, 0, int(ident), 1)
    hdr = struct.pack("!BBHHH", 8, 0, checksum(hdr + payload), int(ident), 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.sendto(hdr + payload, (dst, 0))


def icmpv6(dst, ident):
    # The kernel fills in an ICMPv6 raw socket's checksum (RFC 3542 3.1).
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, int(ident), 1) + b"vpcsnat who", (dst, 0))


def udplite(dst, port, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
    s.bind(("0.0.0.0", int(sport)))
    s.sendto(b"vpcsnat who", (dst, int(port)))


def sctp_server(addr, port, out):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    open(out + ".ready", "w").close()
    c, peer = s.accept()
    with open(out, "w") as f:
        f.write("%s:%d\n" % peer)
    c.recv(100)
    c.close()


def sctp(dst, port, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    s.bind(("0.0.0.0", int(sport)))
    s.settimeout(5)
    s.connect((dst, int(port)))
    s.send(b"vpcsnat who")
    time.sleep(1)
    s.close()


if __name__ == "__main__":
    cmds = {"icmp": icmp, "icmpv6": icmpv6, "udplite": udplite, "sctp-server": sctp_server,
            "sctp": sctp}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
