// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny UDP prober for the debug-kernel tests: every probe is a new
 * socket, so a new conntrack entry, and the server answers with the source
 * address it saw.
 *
 *   udpprobe serve ADDR PORT
 *   udpprobe probe DST PORT COUNT [TIMEOUT_MS] [FIRST_SPORT]
 *
 * probe prints one line per probe, "reply ADDR" or "noreply", sending
 * from FIRST_SPORT, FIRST_SPORT + 1, ... if given, else from an ephemeral
 * port. UDPPROBE_GAP_MS in the environment: a pause between probes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int serve(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		perror("udpprobe: serve");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("udpprobe: bind");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		char buf[64];
		int n;

		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) < 0)
			continue;
		n = snprintf(buf, sizeof(buf), "%s", inet_ntoa(from.sin_addr));
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
}

static int probe(const char *dst, int port, long count, int timeout_ms, int sport)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	const char *gap = getenv("UDPPROBE_GAP_MS");
	long i;

	if (inet_pton(AF_INET, dst, &sin.sin_addr) != 1) {
		fprintf(stderr, "udpprobe: bad address %s\n", dst);
		return 2;
	}
	for (i = 0; i < count; i++) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[64];
		int n;

		if (fd < 0) {
			perror("udpprobe: socket");
			return 1;
		}
		if (sport) {
			struct sockaddr_in src = {
				.sin_family = AF_INET,
				.sin_port = htons(sport + i),
			};
			int one = 1;

			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (bind(fd, (struct sockaddr *)&src, sizeof(src))) {
				perror("udpprobe: bind");
				return 1;
			}
		}
		if (sendto(fd, "?", 1, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
		    poll(&p, 1, timeout_ms) != 1 ||
		    (n = recv(fd, buf, sizeof(buf) - 1, 0)) <= 0) {
			printf("noreply\n");
		} else {
			buf[n] = '\0';
			printf("reply %s\n", buf);
		}
		close(fd);
		if (gap)
			poll(NULL, 0, atoi(gap));
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "serve"))
		return serve(argv[2], atoi(argv[3]));
	if (argc >= 5 && argc <= 7 && !strcmp(argv[1], "probe"))
		return probe(argv[2], atoi(argv[3]), atol(argv[4]),
			     argc > 5 ? atoi(argv[5]) : 1000,
			     argc > 6 ? atoi(argv[6]) : 0);
	fprintf(stderr, "usage: udpprobe serve ADDR PORT | probe DST PORT COUNT [TIMEOUT_MS] [FIRST_SPORT]\n");
	return 2;
}
