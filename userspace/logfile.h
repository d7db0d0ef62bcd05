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

/* The writer's state: the ctx of its struct watch. */
struct logfile {
	const char *path;
	uint64_t max_size;
	unsigned int keep;
	bool write_failed;	/* reported once until a write works again */
	bool rotate_failed;	/* path could not be renamed: not tried again until SIGHUP */
};

/* Opens path for appending (creating its directory, not its parents); NULL after saying why. */
FILE *logfile_open(const char *path);
/*
 * struct watch's callbacks: flush and rotate at max_size; reopen on SIGHUP.
 * A file that cannot be opened or renamed never stops the recorder: it
 * says so and goes on writing where it wrote.
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
