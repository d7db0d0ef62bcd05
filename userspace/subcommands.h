/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef SUBCOMMANDS_H
#define SUBCOMMANDS_H

#include <stdbool.h>
#include <string.h>

#define EXIT_USAGE 2	/* bad command line or input; EXIT_FAILURE: refused or broken */

struct global {
	const char *prog;
	const char *netns;
	bool json;
};
extern struct global g;

static inline bool wants_help(int argc, const char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

/* Removes -j/--json from argv[1..], setting g.json; returns the new argc. */
int take_json_flag(int argc, const char *argv[]);

int status_main(int argc, const char *argv[]);
int enable_main(int argc, const char *argv[]);
int disable_main(int argc, const char *argv[]);
int set_main(int argc, const char *argv[]);
int cidr_main(int argc, const char *argv[]);
int explain_main(int argc, const char *argv[]);

#endif
