// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood DST COUNT: sends COUNT datagrams to DST as fast as it can, each
 * a new connection for conntrack: two sockets (two source ports), each
 * walking the destination ports 1..65535. Prints "sent N failed N".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long count, i, sent = 0, failed = 0;
	int fd[2];

	if (argc != 3 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: udpflood DST COUNT\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 10);
	if (count > 2 * 65535ul) {
		fprintf(stderr, "udpflood: at most %lu distinct connections\n", 2 * 65535ul);
		return 2;
	}
	fd[0] = socket(AF_INET, SOCK_DGRAM, 0);
	fd[1] = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd[0] < 0 || fd[1] < 0) {
		perror("udpflood: socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		sa.sin_port = htons((unsigned short)(1 + i / 2));
		if (sendto(fd[i % 2], "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)) == 1)
			sent++;
		else
			failed++;
	}
	printf("sent %lu failed %lu\n", sent, failed);
	return 0;
}
