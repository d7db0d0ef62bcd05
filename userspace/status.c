// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * snatctl status and show-config: the running state. status: the settings,
 * the table's size and the counters; show-config: the settings and the
 * table, as a config file that apply reads back.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentstate.h"
#include "cli.h"
#include "conf.h"
#include "cnirules.h"
#include "conffile.h"
#include "event.h"
#include "routerule.h"
#include "verbs.h"

static void status_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] status\n"
		"       %s status --check [--state FILE]\n"
		"--check (a readiness probe) exits 0 only when the module is loaded, the\n"
		"agent's last cycle succeeded and what runs is what it wanted then; else it\n"
		"says why not and exits 1. FILE is the agent's state (default %s).\n",
		g.prog, g.prog, AGENT_STATE_DEFAULT_PATH);
}

static void show_config_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] show-config\n"
		"Prints the running configuration and table in the format of %s,\n"
		"so that %s show-config | %s apply -f - changes nothing.\n",
		g.prog, CONFIG_DEFAULT_PATH, g.prog, g.prog);
}

/* The first family whose wanted rule is missing or unreadable, or -1 if none. */
static int rule_not_ready(const struct conf *c)
{
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		if (c->rule[v6] == CONF_RULE_MISSING ||
		    (c->rule[v6] == CONF_RULE_UNKNOWN && conf_rule_mark(c, v6)))
			return v6;
	}
	return -1;
}

/* Reads the running state (with the table for show-config) and prints it. */
static int show(int argc, const char *argv[], bool config)
{
	struct conf c;
	int ret;

	if ((ret = json_flag_only(argc, argv)) || (ret = read_running(&c, config)))
		return ret;
	if (!config) {
		look_at_rules(&c);
		if (c.enabled)
			cni_rules_warn();
	}
	if (g.json)
		conf_print_json(stdout, &c, config ? CONF_JSON_TABLE : CONF_JSON_STATS);
	else if (config)
		conf_print(stdout, &c, "vpcsnat configuration (snatctl show-config)");
	else
		conf_print_text(stdout, &c);
	conf_free(&c);
	return EXIT_SUCCESS;
}

/* How old the agent's state may be: two cycles late and some, it is not running. */
static uint64_t stale_ns(const struct agent_state *st)
{
	return ((uint64_t)st->interval * 2 + 10) * 1000000000ull;
}

/* status --check: one line, "Ready: ..." and 0, or "Not ready: ..." and 1. */
static int check(const char *state_path)
{
	char err[AGENT_ERROR_LEN], t[TIME_STR_LEN], s[200], r[RULE_STR_LEN];
	struct agent_state st;
	uint64_t now = now_ns();
	struct conf c;
	int ret, v6;

	if ((ret = read_running(&c, true)))	/* it said why */
		return ret;
	ret = EXIT_FAILURE;
	if (agent_state_read(state_path, &st, err) < 0)
		printf("Not ready: %s (is snatctl agent running?)\n", err);
	else if (!st.running)
		printf("Not ready: the agent stopped at %s\n", time_str(st.updated_ns, t));
	else if (now > st.updated_ns && now - st.updated_ns > stale_ns(&st))
		printf("Not ready: the agent's state is from %s, %" PRIu64 " s ago (every %u s "
		       "expected)\n", time_str(st.updated_ns, t),
		       (now - st.updated_ns) / 1000000000, st.interval);
	else if (!st.ok)
		printf("Not ready: the agent's last cycle failed: %s\n", st.error);
	else if (conf_digest(&c) != st.wanted_digest)
		printf("Not ready: the running configuration is not the one the agent applied "
		       "(changed since %s)\n", time_str(st.updated_ns, t));
	else if (look_at_rules(&c), (v6 = rule_not_ready(&c)) >= 0)
		printf("Not ready: the %s %s is %s\n", RULE_NAME(v6),
		       rule_str(conf_rule_mark(&c, v6), r),
		       c.rule[v6] == CONF_RULE_MISSING ? "missing" : "unreadable");
	else
		ret = EXIT_SUCCESS;
	if (!ret) {
		snprintf(s, sizeof(s), "%s", st.last_apply_ns ? time_str(st.last_apply_ns, t) : "never");
		printf("Ready: %s, %u %s, as the agent wants (last change applied: %s)\n",
		       c.enabled ? "enabled" : "disabled", c.table_size,
		       c.table_size == 1 ? "entry" : "entries", s);
	}
	conf_free(&c);
	return ret;
}

static int status_main(int argc, const char *argv[])
{
	static const struct option options[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 's' },
		{ 0 }
	};
	const char *state = NULL;
	bool checking = false;
	int o, i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--check"))
			checking = true;
	if (!checking)
		return show(argc, argv, false);
	while ((o = next_option(argc, argv, "", options)) != -1) {
		if (o == 's' && *optarg)
			state = optarg;
		else if (o != 'c')
			return EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "Error: Unexpected argument %s after status\n", argv[optind]);
		return EXIT_USAGE;
	}
	return check(state ? state : AGENT_STATE_DEFAULT_PATH);
}

static int show_config_main(int argc, const char *argv[])
{
	return show(argc, argv, true);
}

VERB(status, "status", status_main, status_usage,
     "Shows the configuration, table size and counters");

VERB(show_config, "show-config", show_config_main, show_config_usage,
     "Prints the running configuration in the config file format");
