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

static const struct {
	const char *verb;
	int (*fn)(int argc, const char *argv[]);
	void (*usage)(FILE *f);
	const char *help;
} subcommands[] = {
	{ "status", status_main, status_usage, "Shows the configuration, table size and counters" },
	{ "enable", enable_main, enable_usage, "Turns translation on in this network namespace" },
	{ "disable", disable_main, disable_usage, "Turns translation off in this network namespace" },
	{ "set", set_main, set_usage, "Changes some settings, applied together" },
	{ "cidr", cidr_main, cidr_usage, "Adds, deletes, lists, flushes or replaces the CIDR table" },
	{ "explain", explain_main, explain_usage, "Asks the kernel whether and why it would translate a connection" },
	{ "apply", apply_main, apply_usage, "Replaces the whole configuration from a file or the VPC CNI's environment" },
	{ "show-config", show_config_main, show_config_usage, "Prints the running configuration in the config file format" },
	{ "monitor", monitor_main, monitor_usage, "Prints each translated connection as it happens" },
	{ "log", log_main, log_usage, "Records each translated connection to a JSON-lines file, rotated by size" },
	{ "who", who_main, who_usage, "Names the pod behind a connection a server saw from the node's address" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] [-n NETNS|--netns NETNS] <cmd> [<args>]\n"
		"Available subcommands:\n", g.prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-11s %s\n", subcommands[i].verb, subcommands[i].help);
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
		return status_main(1, status_argv);
	if (!strcmp(argv[0], "help")) {
		show_usage(stdout);
		return EXIT_SUCCESS;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[0], subcommands[i].verb)) {
			if (wants_help(argc, argv)) {
				subcommands[i].usage(stdout);
				return EXIT_SUCCESS;
			}
			return subcommands[i].fn(argc, argv);
		}
	fprintf(stderr, "Error: Unknown subcommand %s; see %s help\n", argv[0], g.prog);
	return EXIT_USAGE;
}
