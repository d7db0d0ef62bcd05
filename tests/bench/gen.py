#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the benchmark's CIDR lists in the three formats compared.

gen.py OUTDIR NAME COUNT SEED NODE_IP [cidrs|mixed]
  OUTDIR/NAME.cidrs  for snatctl cidr replace -f   (CIDR exclude)
  OUTDIR/NAME.ipt    for iptables-restore or ip6tables-restore (the VPC
                     CNI's chain)
  OUTDIR/NAME.nft    for nft -f: replaces the elements of the set that
                     OUTDIR/table.nft (IPv6: table6.nft) declares
The family is NODE_IP's. With "cidrs", only NAME.cidrs (the lookup
benchmark's lists, which iptables and nftables never load). "mixed" is
"cidrs" with the same prefixes as SEED's list, each of a random kind
(vpc, exclude or snat): prefixes of one kind that touch flatten into one
range, and the 1,000,000 IPv4 prefixes of one kind cover nearly all of
the space and flatten into 9 ranges; of mixed kinds they make 1.2M.

IPv4: prefix lengths follow a routing table's rough shape (mostly /16 to
/24, some longer, a few shorter); addresses avoid 10/8 (the test VPC), 203/8
(the benchmark's destinations) and non-unicast space, so every new
connection to a destination is translated.

IPv6: the same idea, spread over the global unicast space 2000::/3 in the
shape of an IPv6 routing table (half /48, the rest mostly /29 to /44, some
/56 and /64, a few /128), avoiding 2001:db8::/32 (the benchmark's
destinations; the test VPC is in fd00::/8, outside 2000::/3). Spread, not
packed in a VPC's /56: the lists that grow to 10,000 or a million entries
are routes to other networks (on premises, peered VPCs, the internet), the
VPC's own /56 is one entry of them, and the IPv4 lists are spread the same
way, so the two families' numbers compare the same kind of table. A table
packed in one /56 (the lookup's other shape) is what callgrind.sh counts.
"""
import ipaddress
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


LENS6 = [29] * 1 + [32] * 8 + [36] * 3 + [40] * 5 + [44] * 8 + \
    [48] * 50 + [56] * 10 + [64] * 12 + [128] * 3
DOC6 = 0x20010db8 << 96


def prefixes6(count, seed):
    rnd = random.Random(seed)
    seen = set()
    while len(seen) < count:
        plen = rnd.choice(LENS6)
        addr = (1 << 125) | rnd.getrandbits(125)
        addr &= ((1 << 128) - 1) ^ ((1 << (128 - plen)) - 1)
        if (addr ^ DOC6) >> (128 - min(plen, 32)) == 0:
            continue
        seen.add((addr, plen))
    out = sorted(seen)
    rnd.shuffle(out)
    return out


def fmt6(addr, plen):
    return "%s/%d" % (ipaddress.IPv6Address(addr), plen)


def fmt(addr, plen):
    return "%d.%d.%d.%d/%d" % (addr >> 24, addr >> 16 & 255, addr >> 8 & 255,
                               addr & 255, plen)


def main():
    outdir, name, count, seed, node_ip = sys.argv[1:6]
    v6 = ":" in node_ip
    if v6:
        cidrs = [fmt6(a, p) for a, p in prefixes6(int(count), int(seed))]
    else:
        cidrs = [fmt(a, p) for a, p in prefixes(int(count), int(seed))]
    kinds = ["exclude"] * len(cidrs)
    if sys.argv[6:7] == ["mixed"]:
        rnd = random.Random(int(seed) + 1000)
        kinds = [rnd.choice(["vpc", "exclude", "snat"]) for c in cidrs]
    with open("%s/%s.cidrs" % (outdir, name), "w") as f:
        f.writelines("%s %s\n" % ck for ck in zip(cidrs, kinds))
    if sys.argv[6:7] in (["cidrs"], ["mixed"]):
        return
    # The same chain and set, in the family's own table.
    fam, table, addr = ("ip6", "vpcsnat_bench6", "ipv6_addr") if v6 else \
        ("ip", "vpcsnat_bench", "ipv4_addr")
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
    with open("%s/table%s.nft" % (outdir, "6" if v6 else ""), "w") as f:
        f.write("table %s %s {\n"
                "\tset nosnat { type %s; flags interval; auto-merge; }\n"
                "\tchain postrouting {\n"
                "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                "\t\t%s daddr @nosnat return\n"
                "\t\tfib daddr type local return\n"
                "\t\toifname \"vlan*\" return\n"
                "\t\tsnat to %s fully-random\n\t}\n}\n" %
                (fam, table, addr, fam, node_ip))
    with open("%s/%s.nft" % (outdir, name), "w") as f:
        f.write("flush set %s %s nosnat\n" % (fam, table))
        for i in range(0, len(cidrs), 10000):
            f.write("add element %s %s nosnat { %s }\n" %
                    (fam, table, ", ".join(cidrs[i:i + 10000])))


if __name__ == "__main__":
    main()
