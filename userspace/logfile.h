/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The translation log: the JSON records of event.h, one a line, in PATH,
 * rotated by size to PATH.1, PATH.2, ... The one file that knows how the
 * log is laid out: the writer (snatctl log) and the search (snatctl who),
 * which also reads a directory of many nodes' logs.
 */
#ifndef LOGFILE_H
#define LOGFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "watch.h"

/* Where snatctl log writes and snatctl who reads by default. */
#define LOGFILE_DEFAULT_PATH "/var/log/vpcsnat/translations.jsonl"
#define LOGFILE_DEFAULT_MAX_SIZE (64u << 20)
#define LOGFILE_DEFAULT_KEEP 5
#define LOGFILE_KEEP_MAX 1000	/* most rotations snatctl log keeps */

/*
 * The writer's state: the ctx of its struct watch. Each batch of records
 * goes to memory (w->out), then to the file in one go, so that a write cut
 * short by a full disk is known to the byte.
 */
struct logfile {
	const char *path;
	uint64_t max_size;
	unsigned int keep;
	int fd;			/* path, appending */
	char *batch;		/* w->out's buffer: this batch's records */
	size_t batch_len;
	uint64_t lost;		/* events not written since the last write that worked */
	bool lost_unknown;	/* and some more, how many unknown */
	bool torn;		/* the file ends inside a record: a newline goes first */
	bool write_failed;	/* reported once until a write works again */
	bool rotate_failed;	/* path could not be renamed: not tried again until SIGHUP */
};

/* Opens path for appending (creating its directory, not its parents); -1 after saying why. */
int logfile_open(const char *path);
/* Opens l->path and points w->out at the first batch; false after saying why. */
bool logfile_start(struct logfile *l, struct watch *w);
/* Closes what logfile_start() opened, saying how many records never reached the file. */
void logfile_stop(struct logfile *l, struct watch *w);
/*
 * struct watch's callbacks: write the batch and rotate at max_size; reopen
 * on SIGHUP. A file that cannot be opened, renamed or written never stops
 * the recorder: it says so and goes on writing where it wrote. Records a
 * write could not take are counted, and the count is written as a lost
 * record (event.h, EVENT_LOST_WRITE) before the next ones that get in.
 */
int logfile_batch_done(struct watch *w);
int logfile_reopen(struct watch *w);

/*
 * Searches the log at path and its rotations path.1, path.2, ... or, if
 * path is a directory, every file under it (the logs of many nodes, as a
 * log shipper collects them), for the translation of key's connection as
 * a server saw it (event_matches()): the one translated last, or if
 * before is non-zero, last at or before it. *addr_seen says whether any
 * record has key's nat_src as its node address. Returns 1 with *found
 * filled in, 0 if there is none, -1 if path cannot be read (errno set)
 * and no rotation can either.
 */
int log_search(const char *path, const struct event *key, uint64_t before, struct event *found,
	       bool *addr_seen);

#endif
