// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl cidr add, del, list, flush and replace: the table. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "client.h"
#include "conffile.h"
#include "verbs.h"

static void cidr_usage(FILE *f)
{
	fprintf(f, "Usage: %s cidr add <CIDR> [vpc|exclude|snat]\n"
		"       %s cidr del <CIDR>\n"
		"       %s [-j|--json] cidr list [-s|--stats]\n"
		"       %s cidr flush\n"
		"       %s cidr replace -f FILE   (FILE: one CIDR [kind] per line; - for stdin)\n",
		g.prog, g.prog, g.prog, g.prog, g.prog);
}

/* One request that returns nothing but an ACK; fallback if the kernel says only quiet_errno. */
static int simple(uint8_t cmd, const struct cidr *c, int quiet_errno,
		  const char *fallback, const char *what)
{
	struct nl_error e;
	struct nl nl;
	int ret;

	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	ret = client_cidr(&nl, cmd, c, &e);
	nl_close(&nl);
	if (!ret)
		return EXIT_SUCCESS;
	if (!e.has_msg && e.err == quiet_errno) {
		snprintf(e.msg, sizeof(e.msg), "%s", fallback);
		e.has_msg = true;
	}
	nl_perror(&e, "%s", what);
	return EXIT_FAILURE;
}

static int cidr_add_del(int argc, const char *argv[], bool add)
{
	char err[PARSE_ERR_LEN], what[128];
	struct cidr c;

	if (argc < 2) {
		fprintf(stderr, "Error: cidr %s needs a CIDR\n", argv[0]);
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	if (!parse_cidr(argv[1], &c, err) ||
	    (add && argc > 2 && !parse_kind(argv[2], &c.kind, err)))
		return bad_input(err);
	if (argc > (add ? 3 : 2)) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[add ? 3 : 2],
			argv[add ? 2 : 1]);
		return EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "cidr %s %.64s", argv[0], argv[1]);
	if (add)
		return simple(VPCSNAT_CMD_ADD_CIDR, &c, EEXIST, "Prefix is already in the table", what);
	return simple(VPCSNAT_CMD_DEL_CIDR, &c, ENOENT, "Prefix is not in the table", what);
}

struct list_state {
	unsigned long n;
	bool stats;
};

/* Each entry as a replace file holds it (-s: its hits as a comment), or as JSON. */
static int list_cb(const struct cidr *c, uint64_t hits, void *data)
{
	struct list_state *st = data;
	char s[CIDR_STR_LEN];

	if (g.json) {
		json_t *o = json_pack("{s:s,s:s,s:I}", "cidr", cidr_str(c, s), "kind",
				      kind_name(c->kind), "hits", (json_int_t)hits);

		if (st->n)
			putchar(',');
		json_dumpf(o, stdout, JSON_COMPACT);
		json_decref(o);
	} else if (st->stats) {
		printf("%s %s # hits %" PRIu64 "\n", cidr_str(c, s), kind_name(c->kind), hits);
	} else {
		printf("%s %s\n", cidr_str(c, s), kind_name(c->kind));
	}
	st->n++;
	return 0;
}

static int cidr_list(int argc, const char *argv[])
{
	struct list_state st = { 0 };
	struct nl_error e;
	struct nl nl;
	int ret;

	argc = take_json_flag(argc, argv);
	/* -s adds the hits as a comment, so the output still reads back. */
	if (argc > 1 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "--stats"))) {
		st.stats = true;
		argv++;
		argc--;
	}
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after cidr list\n", argv[1]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	if (g.json)
		putchar('[');
	ret = client_dump(&nl, list_cb, &st, &e);
	nl_close(&nl);
	if (g.json)
		puts("]");
	if (ret < 0) {
		fflush(stdout);
		nl_perror(&e, "cidr list");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static int cidr_flush(int argc, const char *argv[])
{
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after cidr flush\n", argv[1]);
		return EXIT_USAGE;
	}
	return simple(VPCSNAT_CMD_FLUSH_CIDRS, NULL, 0, NULL, "cidr flush");
}

static int cidr_replace(int argc, const char *argv[])
{
	const char *path = NULL;
	struct replace_result r;
	struct cidr_list l;
	struct nl nl;
	char what[256];
	int ret;

	if (argc == 3 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "--file")))
		path = argv[2];
	else if (argc == 2 && !strncmp(argv[1], "--file=", 7))
		path = argv[1] + 7;
	if (!path || !*path) {
		if (argc > 3)
			fprintf(stderr, "Error: Unexpected argument %s after cidr replace -f %s\n",
				argv[3], argv[2]);
		else
			fprintf(stderr, "Error: cidr replace needs -f FILE\n");
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	if ((ret = cidr_file_read(path, &l))) {
		cidr_list_free(&l);
		return ret;
	}
	if ((ret = nl_open(&nl, g.netns))) {
		cidr_list_free(&l);
		return ret;
	}
	snprintf(what, sizeof(what), "cidr replace -f %.200s", path);
	ret = report_replace(client_replace(&nl, &l, NULL, &r), &r, NULL, input_name(path),
			     "cidr replace", what);
	nl_close(&nl);
	cidr_list_free(&l);
	return ret;
}

static int cidr_main(int argc, const char *argv[])
{
	if (argc < 2) {
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "add"))
		return cidr_add_del(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "del"))
		return cidr_add_del(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "list"))
		return cidr_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flush"))
		return cidr_flush(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replace"))
		return cidr_replace(argc - 1, argv + 1);
	fprintf(stderr, "Error: Unknown cidr subcommand %s; expected add, del, list, flush or replace\n",
		argv[1]);
	return EXIT_USAGE;
}

VERB(cidr, "cidr", cidr_main, cidr_usage,
     "Adds, deletes, lists, flushes or replaces the CIDR table");
