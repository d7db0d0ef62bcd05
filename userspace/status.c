// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * snatctl status and show-config: the running state. status: the settings,
 * the table's size and the counters; show-config: the settings and the
 * table, as a config file that apply reads back.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "conf.h"
#include "cnirules.h"
#include "conffile.h"
#include "routerule.h"
#include "verbs.h"

static void status_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] status\n", g.prog);
}

static void show_config_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] show-config\n"
		"Prints the running configuration and table in the format of %s,\n"
		"so that %s show-config | %s apply -f - changes nothing.\n",
		g.prog, CONFIG_DEFAULT_PATH, g.prog, g.prog);
}

/* Whether the routing rule the configuration wants is in place. */
static void look_at_rule(struct conf *c)
{
	uint32_t want = conf_rule_mark(c);
	struct rule_state st;
	struct nl_error e;

	if (!want)
		c->rule = CONF_RULE_NOT_WANTED;
	else if (rule_get(want, &st, &e) < 0)
		c->rule = CONF_RULE_UNKNOWN;
	else
		c->rule = st.ours ? CONF_RULE_OURS : st.others ? CONF_RULE_OTHERS : CONF_RULE_MISSING;
}

/* Reads the running state (with the table for show-config) and prints it. */
static int show(int argc, const char *argv[], bool config)
{
	struct conf c;
	int ret;

	if ((ret = json_flag_only(argc, argv)) || (ret = read_running(&c, config)))
		return ret;
	if (!config) {
		look_at_rule(&c);
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

static int status_main(int argc, const char *argv[])
{
	return show(argc, argv, false);
}

static int show_config_main(int argc, const char *argv[])
{
	return show(argc, argv, true);
}

VERB(status, "status", status_main, status_usage,
     "Shows the configuration, table size and counters");

VERB(show_config, "show-config", show_config_main, show_config_usage,
     "Prints the running configuration in the config file format");
