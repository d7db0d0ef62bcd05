// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The events group, watched until a signal says stop; see watch.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <uapi/linux/vpcsnat.h>
#include "cli.h"
#include "client.h"
#include "node.h"
#include "pods.h"
#include "watch.h"

/*
 * Large enough that a burst of new connections does not overflow it: the
 * kernel doubles it and charges each event's skb (about 768 bytes) to it.
 */
#define DEFAULT_RCVBUF (32 << 20)
/* Messages read between two calls of batch_done under continuous load. */
#define BATCH 256

static volatile sig_atomic_t stop_sig, hup_sig;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_sig = 1;
	else
		stop_sig = sig;
}

struct state {
	struct watch *w;
	struct nl *ctl;		/* requests: GET_CONFIG */
	int fd;			/* the group member */
	char *buf;
	size_t buflen;
	int64_t dropped;	/* events_dropped when we last reported, -1 if unknown */
	struct pods *pods;
	struct node_id node;
};

/* Reports the events lost since the last report; always when forced (ENOBUFS). */
static void report_lost(struct state *st, bool force)
{
	int64_t now = client_events_dropped(st->ctl), lost = -1;

	if (now >= 0 && st->dropped >= 0)
		lost = now - st->dropped;
	if (now >= 0)
		st->dropped = now;
	if (force || lost != 0)
		event_print_lost(st->w->out, now_ns(), lost, st->w->json, EVENT_LOST_RCVBUF);
}

static void handle(struct state *st, const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)len;
	struct event ev;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != st->ctl->family ||
		    nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
		    genl->cmd != VPCSNAT_CMD_EVENT_TRANSLATED)
			continue;
		if (event_from_nlh(nlh, &ev) < 0) {
			fprintf(stderr, "Warning: Ignoring a malformed event\n");
			continue;
		}
		/*
		 * A change of the pod files made before this translation is in
		 * the inotify queue by now (the CNI's write comes before the
		 * pod's first packet): take it in, then ask for that time.
		 */
		pods_update(st->pods);
		pods_find(st->pods, &ev.src, ev.has_timestamp ? ev.timestamp_ns : now_ns(), &ev.pod);
		ev.node = st->node;
		event_print(st->w->out, &ev, st->w->json);
	}
}

/* Reads what is queued, at most BATCH messages; 1 if more may be, 0, or -1 after printing why. */
static int drain(struct state *st)
{
	int i;

	for (i = 0; i < BATCH; i++) {
		ssize_t n = recv(st->fd, st->buf, st->buflen, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				report_lost(st, true);
				continue;
			}
			fprintf(stderr, "Error: Cannot receive events: %s\n", strerror(errno));
			return -1;
		}
		handle(st, st->buf, (size_t)n);
	}
	return 1;
}

int watch_events(struct watch *w)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, orig;
	struct state st = { .w = w, .fd = -1 };
	const struct timespec zero = { 0 };
	struct pollfd pfd[2];
	uint32_t group;
	struct nl nl;
	int ret, more = 0;

	/* The signals are only let in while we wait, so none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	st.ctl = &nl;
	ret = EXIT_FAILURE;
	group = nl.events_group;
	st.buflen = MNL_SOCKET_BUFFER_SIZE;
	st.buf = malloc(st.buflen);
	if (!st.buf)
		goto out;
	st.fd = client_join_events(&nl, w->rcvbuf > 0 ? w->rcvbuf : DEFAULT_RCVBUF);
	if (st.fd < 0)
		goto out;
	/*
	 * Who is who, once we may listen: the node, then the pods. An event
	 * queued meanwhile is named for its own time all the same.
	 */
	node_read(&st.node, true);
	st.pods = pods_open(w->ipam ? w->ipam : PODS_DEFAULT_IPAM,
			    w->cni_results ? w->cni_results : PODS_DEFAULT_CNI_RESULTS);
	if (!st.pods)
		goto out;
	st.dropped = client_events_dropped(&nl);
	pfd[0].fd = st.fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = pods_fd(st.pods);
	pfd[1].events = POLLIN;
	for (;;) {
		/* With more queued, still let pending signals in, without waiting. */
		if (ppoll(pfd, 2, more ? &zero : NULL, &orig) < 0 && errno != EINTR) {
			fprintf(stderr, "Error: Cannot wait for events: %s\n", strerror(errno));
			goto out;
		}
		if (stop_sig)
			break;
		/* Each state of the pod files, as it comes, so that none is missed. */
		if (pfd[1].revents)
			pods_update(st.pods);
		if (hup_sig) {
			hup_sig = 0;
			if (!w->reopen)
				break;
			if ((ret = w->reopen(w)))
				goto out;
			ret = EXIT_FAILURE;
		}
		if ((more = drain(&st)) < 0)
			goto out;
		if (w->batch_done && (ret = w->batch_done(w)))
			goto out;
		ret = EXIT_FAILURE;
	}
	/* Leave first, so that what is queued is all there is, then count the rest. */
	setsockopt(st.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &group, sizeof(group));
	while ((more = drain(&st)) > 0)
		;
	if (more < 0)
		goto out;
	report_lost(&st, false);
	ret = w->batch_done ? w->batch_done(w) : EXIT_SUCCESS;
out:
	if (st.fd >= 0)
		close(st.fd);
	free(st.buf);
	pods_close(st.pods);
	nl_close(&nl);
	return ret;
}

bool parse_rcvbuf(const char *v, int *rcvbuf)
{
	char err[PARSE_ERR_LEN];
	uint32_t n;

	if (!parse_u32("receive buffer size", v, 4096, 1 << 30, &n, err)) {
		fprintf(stderr, "Error: %s\n", err);
		return false;
	}
	*rcvbuf = (int)n;
	return true;
}

bool watch_option(struct watch *w, int opt, const char *arg)
{
	switch (opt) {
	case 'r':
		return parse_rcvbuf(arg, &w->rcvbuf);
	case 'I':
	case 'C':
		if (!*arg) {
			fprintf(stderr, "Error: --%s needs a path\n", opt == 'I' ? "ipam" : "cni-results");
			return false;
		}
		*(opt == 'I' ? &w->ipam : &w->cni_results) = arg;
		return true;
	}
	return false;
}
