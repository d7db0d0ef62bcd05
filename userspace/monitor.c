// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl monitor: each translation as it happens. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pods.h"
#include "verbs.h"
#include "watch.h"

static int monitor_done(struct watch *w)
{
	if (fflush(w->out) == EOF) {
		fprintf(stderr, "Error: Cannot write events: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	return 0;
}

static void monitor_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] monitor " WATCH_USAGE "\n"
		"Prints each connection vpcsnat translates in this network namespace, as it\n"
		"happens, until SIGINT or SIGTERM, with the pod that made it: from the VPC\n"
		"CNI's checkpoint (default %s) and the container runtime's\n"
		"CNI results (default %s).\n", g.prog, PODS_DEFAULT_IPAM,
		PODS_DEFAULT_CNI_RESULTS);
}

static int monitor_main(int argc, const char *argv[])
{
	struct watch w = { .out = stdout, .batch_done = monitor_done };
	static const struct option options[] = {
		WATCH_OPTIONS,
		{ 0 }
	};
	int o;

	argc = take_json_flag(argc, argv);
	while ((o = next_option(argc, argv, "", options)) != -1)
		if (!watch_option(&w, o, optarg))
			return EXIT_USAGE;
	if (optind < argc) {
		fprintf(stderr, "Error: Unexpected argument %s after monitor\n", argv[optind]);
		return EXIT_USAGE;
	}
	w.json = g.json;
	return watch_events(&w);
}

VERB(monitor, "monitor", monitor_main, monitor_usage,
     "Prints each translated connection as it happens");
