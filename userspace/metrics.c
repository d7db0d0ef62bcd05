// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The agent's metrics, Prometheus text format; see metrics.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "metrics.h"
#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void head(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void one(FILE *out, const char *name, const char *type, const char *help, uint64_t v)
{
	head(out, name, type, help);
	fprintf(out, "%s %" PRIu64 "\n", name, v);
}

static void seconds(FILE *out, const char *name, const char *help, uint64_t ns)
{
	head(out, name, "gauge", help);
	fprintf(out, "%s %" PRIu64 ".%03" PRIu64 "\n", name, ns / 1000000000,
		ns % 1000000000 / 1000000);
}

/* The reasons of each family, as the counters' keys name them. */
static const uint8_t translated[] = { VPCSNAT_REASON_SNAT_ENTRY, VPCSNAT_REASON_NO_MATCH };
static const uint8_t skipped[] = {
	VPCSNAT_REASON_VPC, VPCSNAT_REASON_EXCLUDE, VPCSNAT_REASON_SRC_LOCAL,
	VPCSNAT_REASON_DST_LOCAL, VPCSNAT_REASON_SKIP_IFACE, VPCSNAT_REASON_EXTERNAL_SNAT,
	VPCSNAT_REASON_DISABLED,
};

static void by_reason(FILE *out, const uint64_t *ctr, const char *name, const char *help,
		      const uint8_t *reasons, size_t n)
{
	size_t i;

	head(out, name, "counter", help);
	for (i = 0; i < n; i++)
		fprintf(out, "%s{reason=\"%s\"} %" PRIu64 "\n", name, reason_key(reasons[i]),
			ctr[VPCSNAT_CTR_A_REASON(reasons[i])]);
}

/*
 * One family's connection counters: IPv4's under the names they always had,
 * IPv6's under the same names with "ipv6_" after "vpcsnat_", so that no
 * existing series, and no query of one, changes meaning.
 */
static void counters(FILE *out, const char *family, const char *which, const uint64_t *ctr)
{
	char name[64], help[160];

	snprintf(name, sizeof(name), "vpcsnat_%stranslated_total", family);
	snprintf(help, sizeof(help), "New %sconnections translated to the node address, by reason.",
		 which);
	by_reason(out, ctr, name, help, translated, ARRAY_SIZE(translated));
	snprintf(name, sizeof(name), "vpcsnat_%sskipped_total", family);
	snprintf(help, sizeof(help), "New %sconnections left alone, by reason.", which);
	by_reason(out, ctr, name, help, skipped, ARRAY_SIZE(skipped));
	snprintf(name, sizeof(name), "vpcsnat_%stranslation_failures_total", family);
	snprintf(help, sizeof(help), "Translations %sthe NAT core refused (no free source port, "
		 "no address): packet dropped.", *which ? "of IPv6 connections " : "");
	one(out, name, "counter", help, ctr[VPCSNAT_CTR_A_FAILED]);
	snprintf(name, sizeof(name), "vpcsnat_%smarked_total", family);
	snprintf(help, sizeof(help), "New pod %sconnections marked for the main routing table.",
		 which);
	one(out, name, "counter", help, ctr[VPCSNAT_CTR_A_MARKED]);
}

void metrics_print(FILE *out, const struct conf *c, const struct agent_state *st)
{
	one(out, "vpcsnat_up", "gauge",
	    "Whether the vpcsnat module answered the agent's last cycle.", c != NULL);
	if (c) {
		one(out, "vpcsnat_enabled", "gauge", "Whether translation is enabled.", c->enabled);
		counters(out, "", "", c->ctr);
		one(out, "vpcsnat_events_dropped_total", "counter",
		    "Translation events a listener missed (its buffer was full).",
		    c->ctr[VPCSNAT_CTR_A_EVENTS_DROPPED]);
		one(out, "vpcsnat_table_entries", "gauge", "CIDR entries in the table.",
		    c->table_size);
		one(out, "vpcsnat_table_limit_entries", "gauge",
		    "The most CIDR entries the table accepts.", c->table_limit);
		if (c->has_ctr6) {
			counters(out, "ipv6_", "IPv6 ", c->ctr6);
			one(out, "vpcsnat_table_ipv6_entries", "gauge",
			    "IPv6 CIDR entries in the table (vpcsnat_table_entries counts them too).",
			    c->table6_size);
		}
	}
	one(out, "vpcsnat_agent_in_wanted_state", "gauge",
	    "Whether the agent's last cycle left the wanted state running.", st->ok);
	seconds(out, "vpcsnat_agent_last_success_timestamp_seconds",
		"When a cycle last left the wanted state running (0: never).", st->last_success_ns);
	seconds(out, "vpcsnat_agent_last_apply_timestamp_seconds",
		"When the agent last applied a change successfully (0: never).", st->last_apply_ns);
	one(out, "vpcsnat_agent_applies_total", "counter",
	    "Changes the agent applied: the wanted state changed, or the running one drifted.",
	    st->applies);
	one(out, "vpcsnat_agent_apply_errors_total", "counter",
	    "Cycles whose apply failed or that could not read the running state.",
	    st->apply_errors);
	one(out, "vpcsnat_agent_metadata_errors_total", "counter",
	    "Cycles that could not read instance metadata, or read an unusable answer.",
	    st->metadata_errors);
	one(out, "vpcsnat_agent_config_errors_total", "counter",
	    "Cycles whose configuration could not be read or was refused.", st->config_errors);
	one(out, "vpcsnat_agent_config_generation", "gauge",
	    "How many distinct configurations the agent has read.", st->config_generation);
}

int metrics_write(const char *path, const struct conf *c, const struct agent_state *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return -1;
	metrics_print(f, c, st);
	if (fclose(f)) {
		free(text);
		errno = ENOMEM;
		return -1;
	}
	ret = replace_file(path, text, len);
	free(text);
	return ret;
}
