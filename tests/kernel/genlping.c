// SPDX-License-Identifier: GPL-2.0
/*
 * How long another generic netlink family waits while something else runs:
 * asks the controller (nlctrl) for its own family, CTRL_CMD_GETFAMILY
 * "nlctrl", again and again, and times each answer.
 *
 *   genlping [-n] PID
 *
 * Runs while process PID lives (at least one request), then prints
 *
 *   requests N worst_ms W at_s T median_ms M for_s S
 *   slowest_ms W1@T1 W2@T2 ...
 *
 * W the longest a request waited for its answer, T when that request was
 * sent (seconds after the start), M the median, S how long PID lived; then
 * the five slowest requests, each with the time it was sent. -n opens and
 * closes a new socket for each request, as a command such as `genl ctrl
 * list` does: closing a netlink socket runs every netlink notifier, so that
 * is timed too. Exit 1 if a request fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define MAX_SAMPLES (1 << 20)
#define SLOWEST 5

struct sample {
	double lat, at;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct mnl_socket *open_sock(void)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);

	if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("genlping: socket");
		exit(1);
	}
	return s;
}

/* One CTRL_CMD_GETFAMILY "nlctrl", up to its answer. */
static void ask(struct mnl_socket *s, unsigned int seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	int len;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0) {
		perror("genlping: send");
		exit(1);
	}
	/* The reply, then the ACK. */
	for (;;) {
		len = mnl_socket_recvfrom(s, buf, sizeof(buf));
		if (len < 0) {
			perror("genlping: recv");
			exit(1);
		}
		len = mnl_cb_run(buf, len, seq, mnl_socket_get_portid(s), NULL, NULL);
		if (len < 0) {
			perror("genlping: nlctrl");
			exit(1);
		}
		if (len == MNL_CB_STOP)
			return;
	}
}

/* A zombie is gone too: its parent may not have reaped it yet. */
static bool alive(pid_t pid)
{
	char path[64], state = 'Z';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 'Z';
	fclose(f);
	return state != 'Z' && state != 'X';
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Keep @s among the SLOWEST slowest, slowest first. */
static void keep_slowest(struct sample *slow, struct sample s)
{
	int i = SLOWEST - 1;

	if (s.lat <= slow[i].lat)
		return;
	for (; i > 0 && slow[i - 1].lat < s.lat; i--)
		slow[i] = slow[i - 1];
	slow[i] = s;
}

int main(int argc, char **argv)
{
	struct sample slow[SLOWEST] = {};
	struct mnl_socket *s = NULL;
	bool fresh = false;
	double start, t, *lat;
	unsigned int n = 0, m, i;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		fresh = true;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: genlping [-n] PID\n");
		return 2;
	}
	pid = atoi(argv[1]);
	lat = malloc(MAX_SAMPLES * sizeof(*lat));
	if (!lat)
		return 1;
	if (!fresh)
		s = open_sock();
	start = now();
	do {
		t = now();
		if (fresh)
			s = open_sock();
		ask(s, n + 1);
		if (fresh) {
			mnl_socket_close(s);
			s = NULL;
		}
		lat[n % MAX_SAMPLES] = now() - t;
		keep_slowest(slow, (struct sample){ lat[n % MAX_SAMPLES], t - start });
		n++;
	} while (alive(pid));
	t = now() - start;
	if (s)
		mnl_socket_close(s);
	m = n < MAX_SAMPLES ? n : MAX_SAMPLES;
	qsort(lat, m, sizeof(*lat), cmp);
	printf("requests %u worst_ms %.1f at_s %.1f median_ms %.2f for_s %.1f\nslowest_ms",
	       n, slow[0].lat * 1e3, slow[0].at, lat[m / 2] * 1e3, t);
	for (i = 0; i < SLOWEST && slow[i].lat > 0; i++)
		printf(" %.0f@%.1f", slow[i].lat * 1e3, slow[i].at);
	printf("\n");
	return 0;
}
