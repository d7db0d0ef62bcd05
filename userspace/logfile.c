// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The translation log: one JSON record (event.h) per line, written by
 * snatctl log and rotated by size, searched by snatctl who; see logfile.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netinet/in.h>

#include "fdio.h"
#include "logfile.h"
#include "parse.h"

/* Read too where we may, so that ends_torn() can read the last byte. */
static int open_append(const char *path)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	if (fd < 0 && errno == EACCES)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	return fd;
}

int logfile_open(const char *path)
{
	int fd = open_append(path);

	if (fd < 0 && errno == ENOENT) {
		char *dir = strdup(path);

		/* The directory itself, not its parents: systemd's LogsDirectory= makes it. */
		if (dir && mkdir(dirname(dir), 0750) == 0)
			fd = open_append(path);
		free(dir);
		if (fd < 0)
			errno = ENOENT;
	}
	if (fd < 0)
		fprintf(stderr, "Error: Cannot open %s: %s\n", path, strerror(errno));
	return fd;
}

/*
 * Whether the file at fd ends inside a record (a write cut short, by us
 * or by a run before): then the next record must start on a line of its
 * own. The same file reopened (SIGHUP, logrotate's copytruncate) keeps its
 * torn end; a new one has none.
 */
static bool ends_torn(int fd)
{
	struct stat st;
	char last;

	return fstat(fd, &st) == 0 && st.st_size > 0 &&
	       pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n';
}

/* An empty batch for the next records: w->out writes into l->batch. */
static bool new_batch(struct logfile *l, struct watch *w)
{
	if (w->out)
		fclose(w->out);
	free(l->batch);
	l->batch = NULL;
	l->batch_len = 0;
	w->out = open_memstream(&l->batch, &l->batch_len);
	if (!w->out)
		fputs("Error: Out of memory for the log's records\n", stderr);
	return w->out != NULL;
}

bool logfile_start(struct logfile *l, struct watch *w)
{
	/* A file size limit (LimitFSIZE=) must fail the write, not kill the recorder. */
	signal(SIGXFSZ, SIG_IGN);
	l->fd = logfile_open(l->path);
	if (l->fd < 0)
		return false;
	l->torn = ends_torn(l->fd);
	w->out = NULL;
	if (new_batch(l, w))
		return true;
	close(l->fd);
	l->fd = -1;
	return false;
}

/* The new file first: if it cannot be opened, the old one goes on. */
static void switch_file(struct logfile *l)
{
	int fd = logfile_open(l->path);

	if (fd < 0) {
		fprintf(stderr, "Warning: %s not reopened; still writing to the file it was\n", l->path);
		return;
	}
	close(l->fd);
	l->fd = fd;
	l->torn = ends_torn(fd);
}

int logfile_reopen(struct watch *w)
{
	struct logfile *l = w->ctx;

	l->rotate_failed = false;
	switch_file(l);
	return 0;
}

/* path.{keep-1} -> path.keep, ..., path -> path.1, then a new path. */
static int rotate(struct logfile *l)
{
	size_t len = strlen(l->path) + 16;
	char *from = malloc(len), *to = malloc(len);
	unsigned int i;

	if (!from || !to) {
		free(from);
		free(to);
		fputs("Error: Out of memory rotating the log\n", stderr);
		return EXIT_FAILURE;
	}
	if (!l->keep) {
		if (unlink(l->path) < 0) {
			fprintf(stderr, "Warning: Cannot remove %s: %s; not rotating until SIGHUP\n",
				l->path, strerror(errno));
			l->rotate_failed = true;
		}
	} else {
		for (i = l->keep; i > 1; i--) {
			snprintf(from, len, "%s.%u", l->path, i - 1);
			snprintf(to, len, "%s.%u", l->path, i);
			if (rename(from, to) < 0 && errno != ENOENT)
				fprintf(stderr, "Warning: Cannot rename %s to %s: %s\n", from, to,
					strerror(errno));
		}
		snprintf(to, len, "%s.1", l->path);
		if (rename(l->path, to) < 0) {
			fprintf(stderr, "Warning: Cannot rename %s to %s: %s; not rotating "
				"until SIGHUP\n", l->path, to, strerror(errno));
			l->rotate_failed = true;
		}
	}
	free(from);
	free(to);
	if (!l->rotate_failed)
		switch_file(l);
	return 0;
}

/*
 * The events the records of p[0..len) stand for, into l: one for each
 * translation's record, and a lost record's own count (its "lost"; null
 * makes the total unknown), so that a gap in a gap keeps its size.
 */
static void count_lost(struct logfile *l, const char *p, size_t len)
{
	const char *end = p + len, *nl, *k;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		k = memmem(p, (size_t)(nl - p), "\"lost\":", 7);
		if (!k)
			l->lost++;
		else if (k[7] >= '0' && k[7] <= '9')
			l->lost += strtoull(k + 7, NULL, 10);
		else
			l->lost_unknown = true;
	}
}

/*
 * Writes the batch, after what a gap needs: a newline if the file ends
 * inside a record (so that the next one is a line of its own), then a lost
 * record for what did not reach the file. A write that stops short (a full
 * disk) leaves its count for the next batch; the bytes that did go out are
 * accounted for exactly, so no two records ever share a line.
 */
static void write_batch(struct logfile *l)
{
	bool gap_record = false;
	char gap[512];
	size_t glen = 0, k, rest;
	int err = 0;

	if (l->torn)
		gap[glen++] = '\n';
	if (l->lost || l->lost_unknown) {
		FILE *f = fmemopen(gap + glen, sizeof(gap) - glen, "w");

		if (f) {
			gap_record = event_print_lost(f, now_ns(), l->lost_unknown ? -1 :
						      (int64_t)l->lost, true, EVENT_LOST_WRITE) > 0 &&
				     fflush(f) == 0;
			if (gap_record)
				glen += (size_t)ftell(f);
			fclose(f);
		}
	}
	k = write_all(l->fd, gap, glen, &err);
	if (k == glen)
		k += write_all(l->fd, l->batch, l->batch_len, &err);
	if (k)
		l->torn = (k <= glen ? gap[k - 1] : l->batch[k - glen - 1]) != '\n';
	if (k >= glen && gap_record) {	/* the gap's record is in the file */
		l->lost = 0;
		l->lost_unknown = false;
	}
	if (k == glen + l->batch_len) {
		if (l->write_failed)
			fprintf(stderr, "Writing %s again; the records lost meanwhile are counted "
				"there\n", l->path);
		l->write_failed = false;
		return;
	}
	/* From the start of the record cut short: its "lost" may be in the part written. */
	rest = k > glen ? k - glen : 0;
	while (rest && l->batch[rest - 1] != '\n')
		rest--;
	count_lost(l, l->batch + rest, l->batch_len - rest);
	/* A full disk must not stop the recorder: say so once, go on. */
	if (!l->write_failed)
		fprintf(stderr, "Warning: Cannot write %s: %s; events are being lost\n",
			l->path, strerror(err));
	l->write_failed = true;
}

void logfile_stop(struct logfile *l, struct watch *w)
{
	/* What an error exit left unwritten goes in, or is counted. */
	if (w->out && fflush(w->out) == 0 && (l->batch_len || l->lost || l->lost_unknown))
		write_batch(l);
	if (l->lost || l->lost_unknown)
		fprintf(stderr, "Warning: %s%" PRIu64 " event%s never written to %s\n",
			l->lost_unknown ? "more than " : "", l->lost,
			l->lost == 1 && !l->lost_unknown ? " was" : "s were", l->path);
	if (w->out)
		fclose(w->out);
	w->out = NULL;
	free(l->batch);
	l->batch = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int logfile_batch_done(struct watch *w)
{
	struct logfile *l = w->ctx;
	struct stat st;

	if (fflush(w->out) == EOF) {
		fputs("Error: Out of memory for the log's records\n", stderr);
		return EXIT_FAILURE;
	}
	if (l->batch_len || l->lost || l->lost_unknown)
		write_batch(l);
	if (!new_batch(l, w))
		return EXIT_FAILURE;
	if (!l->write_failed && !l->rotate_failed && fstat(l->fd, &st) == 0 &&
	    (uint64_t)st.st_size >= l->max_size)
		return rotate(l);
	return 0;
}

static bool better(const struct event *cand, const struct event *best, bool have, uint64_t before)
{
	if (before && cand->timestamp_ns > before)
		return false;
	return !have || cand->timestamp_ns >= best->timestamp_ns;
}

/* What one search is after, and what it found so far. */
struct search {
	const struct event *key;
	uint64_t before;
	char prefilter[16];	/* the translated port or identifier, as written */
	char node_key[64];	/* "nat_src":"ADDR", as written */
	struct event *best;
	bool have, addr_seen, readable;
};

/* 0, or -1 if path cannot be opened. */
static int search_file(const char *path, struct search *s)
{
	char *line = NULL;
	size_t cap = 0;
	struct event ev;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	s->readable = true;
	while (getline(&line, &cap, f) > 0) {
		if (!s->addr_seen && strstr(line, s->node_key))
			s->addr_seen = true;
		/* Most lines are other connections: skip them before parsing. */
		if ((s->prefilter[0] && !strstr(line, s->prefilter)) ||
		    !event_parse_json(line, &ev) || !event_matches(s->key, &ev))
			continue;
		if (better(&ev, s->best, s->have, s->before)) {
			*s->best = ev;
			s->have = true;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/* nftw() has no argument for its callback. */
static struct search *walking;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct stat target;

	(void)ftw;
	/*
	 * Regular files, and links to them (log layouts use them); never a
	 * FIFO or a device, which could block or never end.
	 */
	if ((type == FTW_F && S_ISREG(st->st_mode)) ||
	    (type == FTW_SL && stat(path, &target) == 0 && S_ISREG(target.st_mode)))
		search_file(path, walking);
	return 0;
}

int log_search(const char *path, const struct event *key, uint64_t before, struct event *found,
	       bool *addr_seen)
{
	struct search s = { .key = key, .before = before, .best = found };
	char ip[IPV6_STR_LEN];
	struct stat st;
	int err = 0;

	if (proto_has_ports(key->proto))
		snprintf(s.prefilter, sizeof(s.prefilter), "%u", key->nat_sport);
	else if (event_icmp(key))
		snprintf(s.prefilter, sizeof(s.prefilter), "%u", key->nat_icmp_id);
	snprintf(s.node_key, sizeof(s.node_key), "\"nat_src\":\"%s\"", ipaddr_str(&key->nat_src, ip));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		walking = &s;
		if (nftw(path, walk_one, 16, FTW_PHYS) < 0)
			err = errno;
		walking = NULL;
	} else {
		size_t len = strlen(path) + 16;
		char *name = malloc(len);
		unsigned int i;

		if (!name)
			return -1;
		if (search_file(path, &s) < 0)
			err = errno;
		/* A rotation in progress leaves a gap for a moment: look at every number. */
		for (i = 1; i <= LOGFILE_KEEP_MAX; i++) {
			snprintf(name, len, "%s.%u", path, i);
			search_file(name, &s);
		}
		free(name);
	}
	*addr_seen = s.addr_seen;
	if (!s.readable && err) {
		errno = err;
		return -1;
	}
	return s.have;
}
