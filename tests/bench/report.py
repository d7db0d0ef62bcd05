#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns vm-bench.sh's RESULT lines and callgrind.sh's lines into the
report printed by make bench (markdown, pasted into BENCHMARKS.md)."""
import statistics
import sys

SIZES = {"0": 0, "10": 10, "100": 100, "1k": 1000, "10k": 10000,
         "100k": 100000, "1m": 1000000}


def ratio(a, b):
    return "%.2fx" % (a / b) if a and b else "n/a"


def conn_rows(med, modes, sizes):
    """Section 2's rows, either family: each mode's rate and vpcsnat's ratios."""
    for s in sizes:
        row = [med.get((m, s)) for m in modes]
        v = med.get(("vpcsnat", s))
        print("| %s | %s | %s | %s | %s | %s |" % (
            "{:,}".format(SIZES[s]),
            " | ".join("%d" % x if x else "n/a" for x in row),
            ratio(v, med.get(("none", s))),
            ratio(v, med.get(("vpcsnat", "0"))),
            ratio(v, med.get(("nftables", s))),
            ratio(v, med.get(("iptables", s)))))


def conn6_report(conn, conn6):
    """Section 2's IPv6 rows, and IPv6 against IPv4 in the same rounds."""
    modes = ["none", "vpcsnat", "nftables", "iptables"]
    med = {k: statistics.median(v) for k, v in conn6.items()}
    med4 = {k: statistics.median(v) for k, v in conn.items()}
    sizes = [s for s in ["0", "100", "1k", "10k"]
             if any((m, s) in conn6 for m in modes)]
    print("### 2c. IPv6: new connections per second through the node "
          "(UDP, median of runs; iptables is ip6tables)")
    print()
    print("| CIDRs | none | vpcsnat | nftables | ip6tables "
          "| vpcsnat / no NAT | vpcsnat / vpcsnat at 0 | vpcsnat / nftables "
          "| vpcsnat / ip6tables |")
    print("|---" * 9 + "|")
    conn_rows(med, modes, sizes)
    print()
    print("IPv6 / IPv4 connections per second, each IPv6 run right after its "
          "IPv4 one: the ratio of the medians, and for vpcsnat the median "
          "(range) of the rounds' own ratios. Time per connection: 1/rate, "
          "and what the mode adds to no NAT's.")
    print()
    print("| CIDRs | none | vpcsnat | nftables | iptables "
          "| vpcsnat, by round | vpcsnat us/conn v4 / v6 "
          "| added to no NAT, us/conn v4 / v6 |")
    print("|---" * 8 + "|")
    for s in sizes:
        r4, r6 = conn.get(("vpcsnat", s), []), conn6.get(("vpcsnat", s), [])
        rounds = [b / a for a, b in zip(r4, r6) if a and b]
        byround = "%.2fx (%.2fx - %.2fx)" % (
            statistics.median(rounds), min(rounds), max(rounds)) \
            if rounds else "n/a"
        us = [1e6 / x if x else None for x in
              (med4.get(("vpcsnat", s)), med.get(("vpcsnat", s)),
               med4.get(("none", s)), med.get(("none", s)))]
        cost = "%.1f / %.1f" % (us[0], us[1]) if None not in us[:2] else "n/a"
        added = "%.1f / %.1f" % (us[0] - us[2], us[1] - us[3]) \
            if None not in us else "n/a"
        print("| %s | %s | %s | %s | %s |" % (
            "{:,}".format(SIZES[s]),
            " | ".join(ratio(med.get((m, s)), med4.get((m, s)))
                       for m in modes), byround, cost, added))
    print()


def main():
    lookup, conn, replace, loss, info, cg = {}, {}, {}, [], [], []
    lookup6, conn6, ranges, lookupmix = {}, {}, {}, {}
    flow = {}
    incr = {}
    for line in open(sys.argv[1]):
        w = line.split()
        if not w:
            continue
        if w[0] == "INFO":
            info.append(" ".join(w[1:]))
        if w[0] != "RESULT" or len(w) < 3:
            continue
        if w[1] in ("lookup", "lookup6", "lookupmix") and len(w) >= 7:
            # The fastest round: noise under TCG only ever adds time.
            d = {"lookup": lookup, "lookup6": lookup6}.get(w[1], lookupmix)
            ns = int(w[6]) / int(w[4])
            d[w[2]] = min(ns, d.get(w[2], ns))
            if len(w) >= 13 and w[11] == "ranges":
                ranges[(w[1], w[2])] = int(w[12])
        elif w[1] == "flow":
            flow.setdefault(w[2], []).append(int(w[3]))
        elif w[1] in ("conn", "conn6") and w[4] != "error":
            d = conn if w[1] == "conn" else conn6
            d.setdefault((w[2], w[3]), []).append(int(w[4]))
        elif w[1] == "replace":
            replace[(w[2], w[3])] = None if w[4] == "error" else int(w[4]) / 1000
        elif w[1] == "incremental" and len(w) == 7:
            incr[w[2]] = (int(w[4]), int(w[6]))
        elif w[1] == "loss":
            loss.append(" ".join(w[2:]))
    for line in open(sys.argv[2]):
        w = line.split()
        if w and w[0] == "CALLGRIND":
            d = dict(zip(w[2::2], w[3::2]))
            cg.append((int(w[1]), int(d["ir"]) / int(d["lookups"]), d))

    print("Measured in one boot of the test VM: %s." % "; ".join(info))
    print()
    print("### 1. Table lookups in the kernel (debugfs lookup_bench, fastest of the rounds)")
    print()
    print("| prefixes | ranges | ns per lookup | lookups/s | vs 10 prefixes |")
    print("|---|---|---|---|---|")
    base = lookup.get("10")
    for s in ["10", "1k", "10k", "100k", "1m"]:
        if s in lookup:
            print("| %s | %s | %.1f | %.1fM | %s |" % (
                "{:,}".format(SIZES[s]),
                "{:,}".format(ranges[("lookup", s)])
                if ("lookup", s) in ranges else "n/a",
                lookup[s], 1000 / lookup[s], ratio(lookup[s], base)))
    print()
    if lookup6:
        print("IPv6 (debugfs lookup_bench6, fastest of the rounds; three "
              "addresses in four inside the table's span), and IPv4's "
              "list of the same size again with mixed kinds (a million "
              "prefixes flatten into 1.2M ranges, as IPv6's into 2.0M, where "
              "IPv4's of one kind merge into 9):")
        print()
        print("| family | prefixes | ranges | ns per lookup | lookups/s "
              "| vs 10 prefixes | IPv6 / IPv4 mixed |")
        print("|---|---|---|---|---|---|---|")
        basem = lookupmix.get("10")
        for s in ["10", "1k", "10k", "100k", "1m"]:
            if s in lookupmix:
                print("| IPv4, mixed kinds | %s | %s | %.1f | %.1fM | %s | |" % (
                    "{:,}".format(SIZES[s]),
                    "{:,}".format(ranges[("lookupmix", s)])
                    if ("lookupmix", s) in ranges else "n/a",
                    lookupmix[s], 1000 / lookupmix[s],
                    ratio(lookupmix[s], basem)))
        base6 = lookup6.get("10")
        for s in ["10", "1k", "10k", "100k", "1m"]:
            if s in lookup6:
                print("| IPv6 | %s | %s | %.1f | %.1fM | %s | %s |" % (
                    "{:,}".format(SIZES[s]),
                    "{:,}".format(ranges[("lookup6", s)])
                    if ("lookup6", s) in ranges else "n/a",
                    lookup6[s], 1000 / lookup6[s],
                    ratio(lookup6[s], base6),
                    ratio(lookup6[s], lookupmix.get(s))))
        print()
    if incr:
        print("One `snatctl cidr add` / `cidr del` (a whole snatctl run each, ms):")
        print()
        print("| prefixes in the table | add | del |")
        print("|---|---|---|")
        for s in ["10", "1k", "10k", "100k", "1m"]:
            if s in incr:
                print("| %s | %d | %d |" % ("{:,}".format(SIZES[s]), *incr[s]))
        print()
    print("### 2. New connections per second through the node (UDP, each datagram a new conntrack; median of runs)")
    print()
    modes = ["none", "vpcsnat", "nftables", "iptables"]
    med = {k: statistics.median(v) for k, v in conn.items()}
    print("| CIDRs | " + " | ".join(modes) +
          " | vpcsnat / no NAT | vpcsnat / vpcsnat at 0 | vpcsnat / nftables | vpcsnat / iptables |")
    print("|---" * (len(modes) + 5) + "|")
    conn_rows(med, modes, ["0", "100", "1k", "10k"])
    print()
    if flow:
        fmed = {k: statistics.median(v) for k, v in flow.items()}
        print("### 2b. One established flow through the node: the mark's cost per packet (UDP datagrams/s, median of runs)")
        print()
        print("| no NAT | vpcsnat (SNAT + mark) | VPC CNI (CONNMARK + SNAT chain) | vpcsnat / no NAT | vpcsnat / VPC CNI |")
        print("|---|---|---|---|---|")
        print("| %s | %s | %s | %s | %s |" % tuple(
            ["%d" % fmed[m] if m in fmed else "n/a" for m in ["none", "vpcsnat", "cni"]] +
            [ratio(fmed.get("vpcsnat"), fmed.get("none")),
             ratio(fmed.get("vpcsnat"), fmed.get("cni"))]))
        print()
    if conn6:
        conn6_report(conn, conn6)
    print("### 3. Time to replace the whole table (seconds)")
    print()
    print("| prefixes | vpcsnat | nft -f (set) | iptables-restore (chain) | nft / vpcsnat | iptables / vpcsnat |")
    print("|---|---|---|---|---|---|")
    for s in ["1k", "100k", "1m"]:
        v = [replace.get((m, s)) for m in ["vpcsnat", "nftables", "iptables"]]
        print("| %s | %s | %s | %s |" % (
            "{:,}".format(SIZES[s]),
            " | ".join("%.2f" % x if x is not None else "failed/timeout"
                       for x in v),
            ratio(v[1], v[0]), ratio(v[2], v[0])))
    print()
    for x in loss:
        print("Packets during repeated 100k replaces: %s" % x)
    print()
    print("### 4. Instructions per lookup in userspace (callgrind, same code)")
    print()
    print("| family | shape | prefixes | ranges | index bits "
          "| instructions per lookup |")
    print("|---|---|---|---|---|---|")
    for n, per, d in cg:
        print("| IPv{} | {} | {:,} | {:,} | {} | {:.1f} |".format(
            d["family"], d["shape"], n, int(d["ranges"]), d["index_bits"],
            per))


if __name__ == "__main__":
    main()
