/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The event loop of snatctl monitor and snatctl log: joins the events group
 * of the current netns and writes each record to w->out, calling
 * w->batch_done after each batch of messages and w->reopen on SIGHUP
 * (SIGHUP stops the loop when reopen is NULL). A gap (the socket said
 * ENOBUFS, or the kernel's events_dropped grew) is written as a lost
 * record. Returns an exit code when SIGINT or SIGTERM arrives (0) or on an
 * error (after printing it). Each record names its pod (pods.h: from the
 * checkpoint at w->ipam and the cache in w->cni_results, the defaults when
 * NULL) and this node (node.h).
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdbool.h>
#include <stdio.h>

struct watch {
	bool json;
	int rcvbuf;				/* bytes; 0: the default, 32 MiB */
	const char *ipam, *cni_results;		/* NULL: PODS_DEFAULT_* */
	FILE *out;
	int (*batch_done)(struct watch *w);	/* 0, or an exit code to stop */
	int (*reopen)(struct watch *w);		/* same */
	void *ctx;
};
int watch_events(struct watch *w);

/* The value of --rcvbuf (bytes, 4096 to 1 GiB); false after saying why not. */
bool parse_rcvbuf(const char *v, int *rcvbuf);

/*
 * The options monitor and log share, for getopt_long(): --rcvbuf, --ipam,
 * --cni-results; watch_option() takes one into w (false after saying why
 * not).
 */
#define WATCH_OPTIONS \
	{ "rcvbuf", required_argument, NULL, 'r' }, \
	{ "ipam", required_argument, NULL, 'I' }, \
	{ "cni-results", required_argument, NULL, 'C' }
#define WATCH_USAGE "[--rcvbuf BYTES] [--ipam PATH] [--cni-results DIR]"
bool watch_option(struct watch *w, int opt, const char *arg);

#endif
