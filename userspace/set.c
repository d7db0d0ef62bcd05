// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl set, enable and disable: some settings, applied together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "imds.h"
#include "verbs.h"

static void set_usage(FILE *f)
{
	int k;

	fprintf(f, "Usage: %s set <setting> <value> [<setting> <value>]...\n", g.prog);
	for (k = 0; k < CONF_NKEYS; k++)
		fprintf(f, "  %s %s\n", conf_settings[k].key, conf_settings[k].syntax);
	fputs("All settings given are applied together or not at all. snat-ip imds is the\n"
	      "node's local-ipv4 from instance metadata, snat-ip6 imds its ipv6, read once\n"
	      "(at $" IMDS_ENDPOINT_ENV ", or " IMDS_DEFAULT_ENDPOINT ").\n", f);
}

struct set {
	struct nl nl;
	const struct conf *c;
	unsigned int keys;
	const char *const *values;	/* as given, for messages; NULL for enable/disable */
	const char *what;
};

static int do_set(void *data)
{
	struct set *st = data;
	struct nl_error e;
	int blamed;

	if (!client_set(&st->nl, st->c, st->keys, &blamed, &e))
		return EXIT_SUCCESS;
	/* Name the one setting the kernel blamed, if it did. */
	if (blamed >= 0 && st->values)
		nl_perror(&e, "set %s %s", conf_settings[blamed].key, st->values[blamed]);
	else
		nl_perror(&e, "%s", st->what);
	return EXIT_FAILURE;
}

/*
 * SET_CONFIG of the settings of c in keys; what names the command in
 * errors. The routing rule follows what runs after it (with_rule()).
 */
static int send_settings(struct conf *c, unsigned int keys, const char *const *values,
			 const char *what)
{
	char ierr[IMDS_ERR_LEN];
	struct imds m;
	struct set st = { .c = c, .keys = keys, .values = values, .what = what };
	char v[256], err[PARSE_ERR_LEN];
	struct conf after;
	struct nl_error e;
	int ret, k;

	if ((ret = nl_open(&st.nl, g.netns)))
		return ret;
	conf_init(&after);
	if (client_get(&st.nl, &after, &e) < 0) {
		nl_perror(&e, "Cannot read the configuration");
		ret = EXIT_FAILURE;
		goto out;
	}
	/* snat-ip imds: what instance metadata says now, once (the agent follows it). */
	if (conf_needs_imds(c)) {
		ret = imds_open(&m, NULL, ierr) < 0 || imds_resolve(&m, c, ierr) < 0;
		imds_close(&m);
		if (ret) {
			fprintf(stderr, "Error: %s; nothing was changed\n", ierr);
			ret = EXIT_FAILURE;
			goto out;
		}
	}
	/* What will run: what runs, with the given settings (the printer's text reads back). */
	for (k = 0; k < CONF_NKEYS; k++)
		if (keys & 1u << k)
			conf_set(&after, k, conf_value_str(c, k, v, sizeof(v)), err);
	ret = with_rule(&after, do_set, &st);
out:
	conf_free(&after);
	nl_close(&st.nl);
	return ret;
}

static int set_main(int argc, const char *argv[])
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
		if (!conf_set(&c, k, argv[a + 1], err))
			return bad_input(err);
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

static void enabled_usage(FILE *f)
{
	fprintf(f, "Usage: %s enable|disable\n", g.prog);
}

/* enable and disable: argv[0] says which. */
static int enabled_main(int argc, const char *argv[])
{
	return set_enabled(argc, argv, !strcmp(argv[0], "enable"));
}

VERB(enable, "enable", enabled_main, enabled_usage,
     "Turns translation on in this network namespace");

VERB(disable, "disable", enabled_main, enabled_usage,
     "Turns translation off in this network namespace");

VERB(set, "set", set_main, set_usage,
     "Changes some settings, applied together");
