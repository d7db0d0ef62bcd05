// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl set, enable and disable: some settings, applied together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "verbs.h"

void set_usage(FILE *f)
{
	int k;

	fprintf(f, "Usage: %s set <setting> <value> [<setting> <value>]...\n", g.prog);
	for (k = 0; k < CONF_NKEYS; k++)
		fprintf(f, "  %s %s\n", conf_settings[k].key, conf_settings[k].syntax);
	fputs("All settings given are applied together or not at all.\n", f);
}

/* SET_CONFIG of the settings of c in keys; what names the command in errors. */
static int send_settings(const struct conf *c, unsigned int keys, const char *const *values,
		const char *what)
{
	struct nl_error e;
	struct nl nl;
	int ret, blamed;

	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	ret = client_set(&nl, c, keys, &blamed, &e);
	nl_close(&nl);
	if (!ret)
		return EXIT_SUCCESS;
	/* Name the one setting the kernel blamed, if it did. */
	if (blamed >= 0 && values)
		nl_perror(&e, "set %s %s", conf_settings[blamed].key, values[blamed]);
	else
		nl_perror(&e, "%s", what);
	return EXIT_FAILURE;
}

int set_main(int argc, const char *argv[])
{
	const char *values[CONF_NKEYS] = { 0 };
	char what[256] = "set", err[PARSE_ERR_LEN], keys[256];
	unsigned int given = 0;
	struct conf c;
	int a, k;

	if (argc < 3) {
		if (argc == 2)
			fprintf(stderr, "Error: Missing value for %s\n", argv[1]);
		set_usage(stderr);
		return EXIT_USAGE;
	}
	/* Validate everything before touching the kernel. */
	conf_init(&c);
	for (a = 1; a < argc; a += 2) {
		k = conf_find(argv[a]);
		if (k < 0) {
			fprintf(stderr, "Error: Unknown setting %s; expected %s\n", argv[a],
				conf_key_list(keys, sizeof(keys), NULL));
			return EXIT_USAGE;
		}
		if (a + 1 == argc) {
			fprintf(stderr, "Error: Missing value for %s\n", argv[a]);
			return EXIT_USAGE;
		}
		if (given & 1u << k) {
			fprintf(stderr, "Error: Setting %s is given twice\n", argv[a]);
			return EXIT_USAGE;
		}
		if (!conf_set(&c, k, argv[a + 1], err)) {
			fprintf(stderr, "Error: %s\n", err);
			return EXIT_USAGE;
		}
		given |= 1u << k;
		values[k] = argv[a + 1];
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s %s",
			 argv[a], argv[a + 1]);
	}
	return send_settings(&c, given, values, what);
}

static int set_enabled(int argc, const char *argv[], bool on)
{
	struct conf c;

	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[1], argv[0]);
		return EXIT_USAGE;
	}
	conf_init(&c);
	c.enabled = on;
	return send_settings(&c, 1u << CONF_ENABLED, NULL, argv[0]);
}

void enable_usage(FILE *f)
{
	fprintf(f, "Usage: %s enable\n", g.prog);
}

void disable_usage(FILE *f)
{
	fprintf(f, "Usage: %s disable\n", g.prog);
}

int enable_main(int argc, const char *argv[])
{
	return set_enabled(argc, argv, true);
}

int disable_main(int argc, const char *argv[])
{
	return set_enabled(argc, argv, false);
}
