/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every verb of snatctl shares: the global options, argument helpers,
 * reading an input file, and saying what the kernel refused.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

#define EXIT_USAGE 2	/* bad command line or input; EXIT_FAILURE: refused or broken */

struct global {
	const char *prog;
	const char *netns;	/* -n NETNS, or NULL */
	bool json;		/* -j */
};
extern struct global g;

/* Whether -h or --help is among argv[1..]. */
bool wants_help(int argc, const char *argv[]);

/* Removes -j/--json from argv[1..], setting g.json; returns the new argc. */
int take_json_flag(int argc, const char *argv[]);

/* For a verb that takes only -j: 0, or EXIT_USAGE after naming what else came. */
int json_flag_only(int argc, const char *argv[]);

/* A bad argument or input: its one line "Error: ERR" on stderr; EXIT_USAGE. */
int bad_input(const char *err);
/*
 * Whether a and b, given as sa and sb, are of two families: then says so
 * in one line, for the caller to exit EXIT_USAGE.
 */
bool mixed_families(const char *sa, const struct ipaddr *a, const char *sb,
		    const struct ipaddr *b);

struct option;
/*
 * The next option of a verb's argv (argv[0] is the verb), as getopt_long()
 * finds it with shortopts and opts: its val, or -1 when only operands are
 * left (argv[optind..]: getopt_long() moves them to the end), or '?' after
 * saying what was wrong ("Error: -f needs a value", "Error: Unexpected
 * argument --force after apply").
 */
int next_option(int argc, const char *argv[], const char *shortopts,
		const struct option *opts);

struct conf;
struct replace_result;

/*
 * The running settings and counters (and the table, if table) of the
 * network namespace snatctl acts on, into c; 0, or an exit code after
 * saying why (c is then freed).
 */
int read_running(struct conf *c, bool table);

/*
 * Says how client_replace() ended (ret, r) and returns the exit code: the entry or
 * setting the kernel blamed as "Error: VERB: NAME:LINE: ...", else "Error:
 * WHAT: ...", then "Nothing was changed"; or, for a lost answer, whether
 * what was read back is what was sent. settings as given to client_replace().
 */
int report_replace(int ret, const struct replace_result *r, const struct conf *settings,
		   const char *name, const char *verb, const char *what);

/*
 * Makes a change that leaves the configuration after (every setting):
 * the routing rules it wants (routerule.h: IPv4's, and IPv6's with ipv6 on)
 * are put in place first, then change(ctx) makes the change and returns an
 * exit code; on success ours that are no longer wanted go, and a warning
 * names any VPC CNI chain still there (cnirules.h); on failure the rules
 * this added go again.
 */
int with_rule(const struct conf *after, int (*change)(void *ctx), void *ctx);

/*
 * Whether the routing rules c wants (IPv4's, IPv6's) are in place, into
 * c->rule[]: missing, ours, another's, not wanted, or a kernel without
 * policy routing for that family (unknown if the rules cannot be read).
 */
void look_at_rules(struct conf *c);

/*
 * Replaces the file path with len bytes of data at once, for a reader that
 * must never see half of it (a readiness probe, node-exporter's textfile
 * collector): written to a temporary file beside it, then renamed over it.
 * Makes path's directory if it is missing. 0, or -1 with errno set.
 */
int replace_file(const char *path, const char *data, size_t len);

#endif
