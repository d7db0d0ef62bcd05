// SPDX-License-Identifier: GPL-2.0
/*
 * A UDP sender for the benchmark, run in the pod netns.
 *
 *   udpgen flood BASE NADDRS SECONDS
 *	as fast as it can, each datagram to a new (address, port) of
 *	BASE..BASE+NADDRS-1, so each is a new connection for conntrack
 *   udpgen steady DST PPS SECONDS same|new
 *	PPS datagrams a second to DST, on one flow (same) or each on a new
 *	destination port (new)
 *   udpgen flow DST SECONDS
 *	as fast as it can, every datagram on one flow: after the first, an
 *	established connection for conntrack
 *
 * BASE and DST are IPv4 or IPv6 addresses; an IPv6 BASE counts up in its
 * last 32 bits. Prints "sent N failed N ns N" at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: udpgen flood BASE NADDRS SECONDS | steady DST PPS SECONDS same|new"
		" | flow DST SECONDS\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t sent = 0, failed = 0, start, end, i = 0;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	char payload[16] = "vpcsnat-bench";
	uint32_t base, naddrs = 1;
	struct sockaddr *to = (struct sockaddr *)&sa;
	socklen_t tolen = sizeof(sa);
	double seconds, pps = 0;
	int fd, flood, same = 0;

	/* One flow is a flood to one address and port. */
	if (argc == 4 && !strcmp(argv[1], "flow")) {
		static char *flow[6] = { "udpgen", "flood", NULL, "1", NULL };

		flow[2] = argv[2];
		flow[4] = argv[3];
		argv = flow;
		argc = 5;
		same = 1;
	}
	if (argc < 5)
		return usage();
	flood = !strcmp(argv[1], "flood");
	if (!flood && (strcmp(argv[1], "steady") || argc != 6))
		return usage();
	if (inet_pton(AF_INET, argv[2], &sa.sin_addr) == 1) {
		base = ntohl(sa.sin_addr.s_addr);
	} else if (inet_pton(AF_INET6, argv[2], &sa6.sin6_addr) == 1) {
		memcpy(&base, &sa6.sin6_addr.s6_addr[12], 4);
		base = ntohl(base);
		to = (struct sockaddr *)&sa6;
		tolen = sizeof(sa6);
	} else {
		return usage();
	}
	if (flood)
		naddrs = strtoul(argv[3], NULL, 10);
	else
		pps = strtod(argv[3], NULL);
	seconds = strtod(argv[4], NULL);
	if (!flood)
		same = !strcmp(argv[5], "same");
	if (!naddrs || seconds <= 0 || (!flood && pps <= 0))
		return usage();

	fd = socket(to->sa_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	start = now_ns();
	end = start + (uint64_t)(seconds * 1e9);
	for (;;) {
		uint32_t addr;
		uint64_t t;

		if (flood) {
			if (!(i & 255) && now_ns() >= end)
				break;
			addr = htonl(base + i % naddrs);
			sa.sin_addr.s_addr = addr;
			memcpy(&sa6.sin6_addr.s6_addr[12], &addr, 4);
			sa.sin_port = htons(same ? 9 : 1024 + (i / naddrs) % 60000);
		} else {
			t = start + (uint64_t)(i * 1e9 / pps);
			if (t >= end)
				break;
			while (now_ns() < t) {
				struct timespec ts = { 0, 100000 };

				nanosleep(&ts, NULL);
			}
			sa.sin_port = htons(same ? 9 : 1024 + i % 60000);
		}
		sa6.sin6_port = sa.sin_port;
		if (sendto(fd, payload, sizeof(payload), 0, to, tolen) < 0)
			failed++;
		else
			sent++;
		i++;
	}
	printf("sent %llu failed %llu ns %llu\n", (unsigned long long)sent,
	       (unsigned long long)failed,
	       (unsigned long long)(now_ns() - start));
	return 0;
}
