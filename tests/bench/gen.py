#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the benchmark's CIDR lists in the three formats compared.

gen.py OUTDIR NAME COUNT SEED NODE_IP
  OUTDIR/NAME.cidrs  for snatctl cidr replace -f   (CIDR exclude)
  OUTDIR/NAME.ipt    for iptables-restore          (the VPC CNI's chain)
  OUTDIR/NAME.nft    for nft -f: replaces the elements of the set that
                     OUTDIR/table.nft declares

Prefix lengths follow a routing table's rough shape (mostly /16 to /24,
some longer, a few shorter); addresses avoid 10/8 (the test VPC), 203/8 (the
benchmark's destinations) and non-unicast space, so every new connection to
a destination is translated.
"""
import random
import sys


def prefixes(count, seed):
    rnd = random.Random(seed)
    lens = [8] * 1 + [12] * 2 + [16] * 10 + [20] * 12 + [22] * 15 + \
        [24] * 45 + [28] * 5 + [32] * 10
    seen = set()
    while len(seen) < count:
        plen = rnd.choice(lens)
        addr = rnd.getrandbits(32)
        first = addr >> 24
        if first in (0, 10, 127, 203) or first >= 224:
            continue
        addr &= (0xffffffff << (32 - plen)) & 0xffffffff
        seen.add((addr, plen))
    out = sorted(seen)
    rnd.shuffle(out)
    return out


def fmt(addr, plen):
    return "%d.%d.%d.%d/%d" % (addr >> 24, addr >> 16 & 255, addr >> 8 & 255,
                               addr & 255, plen)


def main():
    outdir, name, count, seed, node_ip = sys.argv[1:6]
    cidrs = [fmt(a, p) for a, p in prefixes(int(count), int(seed))]
    with open("%s/%s.cidrs" % (outdir, name), "w") as f:
        f.writelines("%s exclude\n" % c for c in cidrs)
    with open("%s/%s.ipt" % (outdir, name), "w") as f:
        f.write("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
                ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                ":AWS-SNAT-CHAIN-0 - [0:0]\n"
                "-A POSTROUTING -m comment --comment \"AWS SNAT CHAIN\" "
                "-j AWS-SNAT-CHAIN-0\n")
        f.writelines("-A AWS-SNAT-CHAIN-0 -d %s -m comment --comment "
                     "\"AWS SNAT CHAIN EXCLUSION\" -j RETURN\n" % c
                     for c in cidrs)
        f.write("-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "
                "\"AWS, SNAT\" -m addrtype ! --dst-type LOCAL -j SNAT "
                "--to-source %s --random-fully\nCOMMIT\n" % node_ip)
    with open("%s/table.nft" % outdir, "w") as f:
        f.write("table ip vpcsnat_bench {\n"
                "\tset nosnat { type ipv4_addr; flags interval; auto-merge; }\n"
                "\tchain postrouting {\n"
                "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                "\t\tip daddr @nosnat return\n"
                "\t\tfib daddr type local return\n"
                "\t\toifname \"vlan*\" return\n"
                "\t\tsnat to %s fully-random\n\t}\n}\n" % node_ip)
    with open("%s/%s.nft" % (outdir, name), "w") as f:
        f.write("flush set ip vpcsnat_bench nosnat\n")
        for i in range(0, len(cidrs), 10000):
            f.write("add element ip vpcsnat_bench nosnat { %s }\n" %
                    ", ".join(cidrs[i:i + 10000]))


if __name__ == "__main__":
    main()
