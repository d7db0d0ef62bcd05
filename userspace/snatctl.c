// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/linux/vpcsnat.h>
#include "cli.h"
#include "verbs.h"

#ifndef SNATCTL_VERSION
#define SNATCTL_VERSION "0.1.0"
#endif

static const struct verb *const verbs[] = {
	&status_verb, &enable_verb, &disable_verb, &set_verb, &cidr_verb, &explain_verb,
	&apply_verb, &show_config_verb, &monitor_verb, &log_verb, &who_verb, &agent_verb,
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] [-n NETNS|--netns NETNS] <cmd> [<args>]\n"
		"Available subcommands:\n", g.prog);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-11s %s\n", verbs[i]->name, verbs[i]->help);
	fprintf(f, "  %-11s %s\n", "help", "Shows this help");
	fprintf(f, "With no subcommand, %s shows the status. "
		"Pass --help to any subcommand for its usage.\n", g.prog);
}

int main(int argc, const char *argv[])
{
	static const char *status_argv[] = { "status", NULL };
	size_t i;

	for (argc--, argv++; argc && argv[0][0] == '-'; argc--, argv++) {
		const char *a = argv[0];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			g.json = true;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--netns")) {
			if (argc < 2) {
				fprintf(stderr, "Error: %s needs a network namespace name\n", a);
				return EXIT_USAGE;
			}
			g.netns = argv[1];
			argc--, argv++;
		} else if (!strncmp(a, "--netns=", 8)) {
			g.netns = a + 8;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			show_usage(stdout);
			return EXIT_SUCCESS;
		} else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("snatctl %s (vpcsnat genetlink version %d)\n", SNATCTL_VERSION,
			       VPCSNAT_GENL_VERSION);
			return EXIT_SUCCESS;
		} else {
			fprintf(stderr, "Error: Unknown option %s; see %s help\n", a, g.prog);
			return EXIT_USAGE;
		}
	}
	if (g.netns && !*g.netns) {
		fputs("Error: Empty network namespace name\n", stderr);
		return EXIT_USAGE;
	}
	if (!argc)
		return status_verb.main(1, status_argv);
	if (!strcmp(argv[0], "help")) {
		show_usage(stdout);
		return EXIT_SUCCESS;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[0], verbs[i]->name)) {
			if (wants_help(argc, argv)) {
				verbs[i]->usage(stdout);
				return EXIT_SUCCESS;
			}
			return verbs[i]->main(argc, argv);
		}
	fprintf(stderr, "Error: Unknown subcommand %s; see %s help\n", argv[0], g.prog);
	return EXIT_USAGE;
}
