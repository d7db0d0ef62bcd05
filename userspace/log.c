// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "subcommands.h"

#define DEFAULT_MAX_SIZE (64u << 20)
#define DEFAULT_KEEP 5

struct logfile {
	const char *path;
	uint64_t max_size;
	unsigned int keep;
	bool write_failed;	/* reported once until a write works again */
};

static FILE *open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	FILE *f;

	if (fd < 0 && errno == ENOENT) {
		char *dir = strdup(path);

		/* The directory itself, not its parents: systemd's LogsDirectory= makes it. */
		if (dir && mkdir(dirname(dir), 0750) == 0)
			fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		free(dir);
		if (fd < 0)
			errno = ENOENT;
	}
	if (fd < 0) {
		fprintf(stderr, "Error: Cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "a");
	if (!f) {
		fprintf(stderr, "Error: Cannot open %s: %s\n", path, strerror(errno));
		close(fd);
	}
	return f;
}

static int reopen(struct watch *w)
{
	struct logfile *l = w->ctx;
	FILE *f;

	fclose(w->out);
	w->out = NULL;
	f = open_log(l->path);
	if (!f)
		return EXIT_FAILURE;
	w->out = f;
	return 0;
}

/* path.{keep-1} -> path.keep, ..., path -> path.1, then a new path. */
static int rotate(struct watch *w)
{
	struct logfile *l = w->ctx;
	size_t len = strlen(l->path) + 16;
	char *from = malloc(len), *to = malloc(len);
	unsigned int i;
	int ret;

	if (!from || !to) {
		free(from);
		free(to);
		fputs("Error: Out of memory rotating the log\n", stderr);
		return EXIT_FAILURE;
	}
	if (!l->keep) {
		unlink(l->path);
	} else {
		for (i = l->keep; i > 1; i--) {
			snprintf(from, len, "%s.%u", l->path, i - 1);
			snprintf(to, len, "%s.%u", l->path, i);
			if (rename(from, to) < 0 && errno != ENOENT)
				fprintf(stderr, "Warning: Cannot rename %s to %s: %s\n", from, to,
					strerror(errno));
		}
		snprintf(to, len, "%s.1", l->path);
		if (rename(l->path, to) < 0)
			fprintf(stderr, "Warning: Cannot rename %s to %s: %s\n", l->path, to,
				strerror(errno));
	}
	free(from);
	free(to);
	ret = reopen(w);
	return ret;
}

static int log_done(struct watch *w)
{
	struct logfile *l = w->ctx;
	struct stat st;

	if (fflush(w->out) == EOF || ferror(w->out)) {
		/* A full disk must not stop the recorder: say so once, go on. */
		if (!l->write_failed)
			fprintf(stderr, "Warning: Cannot write %s: %s; events are being lost\n",
				l->path, strerror(errno));
		l->write_failed = true;
		clearerr(w->out);
		return 0;
	}
	if (l->write_failed)
		fprintf(stderr, "Writing %s again\n", l->path);
	l->write_failed = false;
	if (fstat(fileno(w->out), &st) == 0 && (uint64_t)st.st_size >= l->max_size)
		return rotate(w);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s log [--file PATH] [--max-size BYTES] [--keep N] [--rcvbuf BYTES]\n"
		"Appends each connection vpcsnat translates in this network namespace to PATH\n"
		"(default %s) as a JSON line, until SIGINT or SIGTERM; SIGHUP\n"
		"reopens PATH. When PATH reaches BYTES (default %u) it becomes PATH.1, PATH.1\n"
		"becomes PATH.2 and so on, keeping N (default %u).\n",
		g.prog, DEFAULT_LOG_PATH, DEFAULT_MAX_SIZE, DEFAULT_KEEP);
}

int log_main(int argc, const char *argv[])
{
	struct logfile l = { DEFAULT_LOG_PATH, DEFAULT_MAX_SIZE, DEFAULT_KEEP, false };
	struct watch w = { .json = true, .batch_done = log_done, .reopen = reopen, .ctx = &l };
	char err[PARSE_ERR_LEN];
	uint32_t v;
	int i, ret;

	if (wants_help(argc, argv)) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (take_rcvbuf(argc, argv, &i, &w.rcvbuf))
			continue;
		if (strcmp(a, "--file") && strcmp(a, "--max-size") && strcmp(a, "--keep")) {
			fprintf(stderr, "Error: Unexpected argument %s after log\n", a);
			return EXIT_USAGE;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "Error: %s needs a value\n", a);
			return EXIT_USAGE;
		}
		if (!strcmp(a, "--file")) {
			if (!*argv[i + 1]) {
				fputs("Error: --file needs a path\n", stderr);
				return EXIT_USAGE;
			}
			l.path = argv[i + 1];
		} else if (!strcmp(a, "--max-size")) {
			if (!parse_u32("size", argv[i + 1], 1024, UINT32_MAX, &v, err)) {
				fprintf(stderr, "Error: %s\n", err);
				return EXIT_USAGE;
			}
			l.max_size = v;
		} else {
			if (!parse_u32("number of files to keep", argv[i + 1], 0, LOG_KEEP_MAX, &v, err)) {
				fprintf(stderr, "Error: %s\n", err);
				return EXIT_USAGE;
			}
			l.keep = v;
		}
		i++;
	}
	w.out = open_log(l.path);
	if (!w.out)
		return EXIT_FAILURE;
	ret = watch_events(&w);
	if (w.out)
		fclose(w.out);
	return ret;
}
