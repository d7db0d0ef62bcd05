/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The verbs of snatctl: each file defines its verbs whole (name, one line
 * of help, usage, and what runs), and snatctl.c lists them.
 */
#ifndef VERBS_H
#define VERBS_H

#include <stdio.h>

struct verb {
	const char *name;
	int (*main)(int argc, const char *argv[]);	/* argv[0] is the verb */
	void (*usage)(FILE *f);				/* snatctl VERB --help */
	const char *help;				/* its line in snatctl help */
};

/* Defines ID_verb, the verb NAME, run by MAIN, described by USAGE and HELP. */
#define VERB(id, verb_name, main_fn, usage_fn, help_text)			\
	const struct verb id##_verb = {						\
		.name = verb_name, .main = main_fn, .usage = usage_fn,		\
		.help = help_text,						\
	}

extern const struct verb status_verb, enable_verb, disable_verb, set_verb, cidr_verb,
	explain_verb, apply_verb, show_config_verb, monitor_verb, log_verb, who_verb, agent_verb;

#endif
