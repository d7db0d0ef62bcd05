/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The agent's metrics in the Prometheus text exposition format, for
 * node-exporter's textfile collector (--metrics FILE, replaced whole each
 * cycle): the module's counters and table, and the agent's own. Names
 * follow Prometheus conventions (promtool check metrics): vpcsnat_ prefix,
 * _total for counters, base units (_seconds), labels for reasons.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdio.h>

#include "agentstate.h"
#include "conf.h"

/* Prints every metric: running's (NULL if the module could not be read) and st's. */
void metrics_print(FILE *out, const struct conf *running, const struct agent_state *st);

/* metrics_print() into the file path, replaced whole; 0, or -1 with errno set. */
int metrics_write(const char *path, const struct conf *running, const struct agent_state *st);

#endif
