// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl log: each translation appended to the log (logfile.h), until a signal. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "logfile.h"
#include "parse.h"
#include "pods.h"
#include "verbs.h"

static void log_usage(FILE *f)
{
	fprintf(f, "Usage: %s log [--file PATH] [--max-size BYTES] [--keep N]\n"
		"           " WATCH_USAGE "\n"
		"Appends each connection vpcsnat translates in this network namespace to PATH\n"
		"(default %s) as a JSON line, until SIGINT or SIGTERM; SIGHUP\n"
		"reopens PATH. When PATH reaches BYTES (default %u) it becomes PATH.1, PATH.1\n"
		"becomes PATH.2 and so on, keeping N (default %u). Each record names the pod,\n"
		"from the VPC CNI's checkpoint (--ipam, default %s)\n"
		"and the container runtime's CNI results (--cni-results, default\n"
		"%s), and this node.\n",
		g.prog, LOGFILE_DEFAULT_PATH, LOGFILE_DEFAULT_MAX_SIZE, LOGFILE_DEFAULT_KEEP,
		PODS_DEFAULT_IPAM, PODS_DEFAULT_CNI_RESULTS);
}

static int log_main(int argc, const char *argv[])
{
	struct logfile l = { .path = LOGFILE_DEFAULT_PATH, .max_size = LOGFILE_DEFAULT_MAX_SIZE,
			     .keep = LOGFILE_DEFAULT_KEEP, .fd = -1 };
	struct watch w = { .json = true, .batch_done = logfile_batch_done,
			  .reopen = logfile_reopen, .ctx = &l };
	static const struct option options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "max-size", required_argument, NULL, 's' },
		{ "keep", required_argument, NULL, 'k' },
		WATCH_OPTIONS,
		{ 0 }
	};
	char err[PARSE_ERR_LEN];
	uint32_t v;
	int o, ret;

	while ((o = next_option(argc, argv, "", options)) != -1) {
		switch (o) {
		case 'f':
			if (!*optarg) {
				fputs("Error: --file needs a path\n", stderr);
				return EXIT_USAGE;
			}
			l.path = optarg;
			break;
		case 's':
			if (!parse_u32("size", optarg, 1024, UINT32_MAX, &v, err))
				goto bad;
			l.max_size = v;
			break;
		case 'k':
			if (!parse_u32("number of files to keep", optarg, 0, LOGFILE_KEEP_MAX, &v, err))
				goto bad;
			l.keep = v;
			break;
		case 'r':
		case 'I':
		case 'C':
			if (!watch_option(&w, o, optarg))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: Unexpected argument %s after log\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!logfile_start(&l, &w))
		return EXIT_FAILURE;
	ret = watch_events(&w);
	logfile_stop(&l, &w);
	return ret;
bad:
	return bad_input(err);
}

VERB(log, "log", log_main, log_usage,
     "Records each translated connection to a JSON-lines file, rotated by size");
