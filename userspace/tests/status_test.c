// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host-side tests of what status prints from the kernel's numbers: its
 * text, its JSON and the agent's metrics, both families' counters. One
 * PASS:/FAIL: line per case.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "metrics.h"
#include "tests/report.h"

/* A running configuration as GET_CONFIG reports it: every counter i is i * mult. */
static void running(struct conf *c, bool v6)
{
	unsigned int i;
	int k;

	conf_init(c);
	for (k = 0; k < CONF_NKEYS; k++)
		c->line[k] = 1;
	c->enabled = true;
	c->snat_ip = 0x0a00000a;
	c->has_stats = true;
	c->table_size = 5;
	for (i = 1; i <= VPCSNAT_CTR_A_MAX; i++)
		c->ctr[i] = i * 10;
	if (v6) {
		c->table6_size = 2;
		c->snat_ip6.hi = 0x26001f140abcde00ULL;
		c->snat_ip6.lo = 0x10;
		c->has_ctr6 = true;
		for (i = 1; i <= VPCSNAT_CTR_A_MAX; i++)
			c->ctr6[i] = i * 100;
		c->ctr6[VPCSNAT_CTR_A_EVENTS_DROPPED] = 0;
	}
}

static char *text_of(const struct conf *c, int what)
{
	struct agent_state st = { .ok = true };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (what == 0)
		conf_print_text(f, c);
	else if (what == 1)
		conf_print_json(f, c, CONF_JSON_STATS);
	else
		metrics_print(f, c, &st);
	fclose(f);
	return out;
}

/* The IPv4 lines, as status printed them before IPv6. */
static const char v4_counters[] =
	"translated: 170 (snat-entry 80, no-match 90)\n"
	"left alone: 280 (vpc 60, exclude 70, src-local 30, dst-local 40, skip-iface 50, "
	"external-snat 20, disabled 10)\n"
	"failed: 100\n"
	"marked: 120\n"
	"events-dropped: 110\n";

static void test_text(void)
{
	struct conf c;
	char *t;

	running(&c, false);
	t = text_of(&c, 0);
	report(strstr(t, "enabled: yes\nipv6: no\n") &&
	       strstr(t, "\nsnat-ip: 10.0.0.10\nsnat-ip6: auto\nrandom: prng\n") &&
	       strstr(t, "\ntable: 5 entries (limit 1000000)\n") && strstr(t, v4_counters) &&
	       !strstr(t, "ipv6 ") && !strstr(t, "IPv6"),
	       "status text without IPv6 counters: the IPv4 lines as they were:\n%s", t);
	free(t);
	running(&c, true);
	t = text_of(&c, 0);
	report(strstr(t, "\nsnat-ip6: 2600:1f14:abc:de00::10\n") &&
	       strstr(t, "\ntable: 5 entries, 2 IPv6 (limit 1000000)\n") && strstr(t, v4_counters) &&
	       strstr(t, "events-dropped: 110\n"
			 "ipv6 translated: 1700 (snat-entry 800, no-match 900)\n"
			 "ipv6 left alone: 2800 (vpc 600, exclude 700, src-local 300, dst-local 400, "
			 "skip-iface 500, external-snat 200, disabled 100)\n"
			 "ipv6 failed: 1000\n"
			 "ipv6 marked: 1200\n") &&
	       !strstr(t, "ipv6 events-dropped"),
	       "status text: the table's IPv6 part, the IPv6 counters after IPv4's:\n%s", t);
	free(t);
}

static void test_json(void)
{
	struct conf c;
	char *t;

	running(&c, false);
	t = text_of(&c, 1);
	report(strstr(t, "\"snat_ip6\":\"auto\"") && strstr(t, "\"table6_size\":0,\"counters6\":null"),
	       "status JSON without IPv6 counters: counters6 null: %s", t);
	free(t);
	running(&c, true);
	t = text_of(&c, 1);
	report(strstr(t, "\"snat_ip6\":\"2600:1f14:abc:de00::10\"") &&
	       strstr(t, "\"table_size\":5,\"counters\":{\"disabled\":10,") &&
	       strstr(t, "\"marked\":120,\"translated\":170,\"events_dropped\":110},") &&
	       strstr(t, "\"table6_size\":2,\"counters6\":{\"disabled\":100,\"external_snat\":200,"
			 "\"src_local\":300,\"dst_local\":400,\"skip_iface\":500,\"vpc\":600,"
			 "\"exclude\":700,\"snat_entry\":800,\"no_match\":900,\"failed\":1000,"
			 "\"marked\":1200,\"translated\":1700}"),
	       "status JSON: table6_size and counters6, the same keys but events_dropped: %s", t);
	free(t);
}

/* The routing rules: IPv4's always, IPv6's wanted only with ipv6 on. */
static void test_rules(void)
{
	struct conf c;
	char *t, *j;

	running(&c, false);
	c.mark = 0x80;
	c.rule[0] = CONF_RULE_OURS;
	c.rule[1] = CONF_RULE_NOT_WANTED;
	t = text_of(&c, 0);
	j = text_of(&c, 1);
	report(strstr(t, "\nrule: fwmark 0x80/0x80 lookup main priority 1024: in place\n"
			 "ipv6 rule: none wanted (ipv6 off)\n") &&
	       strstr(j, "\"rule\":{\"state\":\"in place\",\"mark\":128},"
			 "\"rule6\":{\"state\":\"not wanted\",\"mark\":null}"),
	       "status rules, ipv6 off: IPv4's in place, IPv6's not wanted:\n%s%s", t, j);
	free(t);
	free(j);
	c.ipv6 = true;
	c.rule[1] = CONF_RULE_MISSING;
	t = text_of(&c, 0);
	j = text_of(&c, 1);
	report(strstr(t, "\nipv6 rule: fwmark 0x80/0x80 lookup main priority 1024: missing\n") &&
	       strstr(j, "\"rule6\":{\"state\":\"missing\",\"mark\":128}"),
	       "status rules, ipv6 on: IPv6's missing, with its mark:\n%s%s", t, j);
	free(t);
	free(j);
	c.rule[1] = CONF_RULE_NO_POLICY_ROUTING;
	t = text_of(&c, 0);
	j = text_of(&c, 1);
	report(strstr(t, "\nipv6 rule: none (this kernel has no policy routing: the main table "
			 "routes every packet)\n") &&
	       strstr(j, "\"rule6\":{\"state\":\"no policy routing\",\"mark\":128}"),
	       "status rules, a kernel without IPv6 policy routing: said, not missing:\n%s%s", t, j);
	free(t);
	free(j);
	c.external_snat = true;
	c.rule[0] = c.rule[1] = CONF_RULE_NOT_WANTED;
	t = text_of(&c, 0);
	report(strstr(t, "\nrule: none wanted (translation off)\n"
			 "ipv6 rule: none wanted (translation off)\n") != NULL,
	       "status rules, external SNAT: neither wanted:\n%s", t);
	free(t);
}

/* The module's IPv4 series, as the agent wrote them before IPv6. */
static const char v4_metrics[] =
	"# HELP vpcsnat_translated_total New connections translated to the node address, by reason.\n"
	"# TYPE vpcsnat_translated_total counter\n"
	"vpcsnat_translated_total{reason=\"snat_entry\"} 80\n"
	"vpcsnat_translated_total{reason=\"no_match\"} 90\n"
	"# HELP vpcsnat_skipped_total New connections left alone, by reason.\n"
	"# TYPE vpcsnat_skipped_total counter\n"
	"vpcsnat_skipped_total{reason=\"vpc\"} 60\n"
	"vpcsnat_skipped_total{reason=\"exclude\"} 70\n"
	"vpcsnat_skipped_total{reason=\"src_local\"} 30\n"
	"vpcsnat_skipped_total{reason=\"dst_local\"} 40\n"
	"vpcsnat_skipped_total{reason=\"skip_iface\"} 50\n"
	"vpcsnat_skipped_total{reason=\"external_snat\"} 20\n"
	"vpcsnat_skipped_total{reason=\"disabled\"} 10\n"
	"# HELP vpcsnat_translation_failures_total Translations the NAT core refused (no free "
	"source port, no address): packet dropped.\n"
	"# TYPE vpcsnat_translation_failures_total counter\n"
	"vpcsnat_translation_failures_total 100\n"
	"# HELP vpcsnat_marked_total New pod connections marked for the main routing table.\n"
	"# TYPE vpcsnat_marked_total counter\n"
	"vpcsnat_marked_total 120\n"
	"# HELP vpcsnat_events_dropped_total Translation events a listener missed (its buffer was full).\n"
	"# TYPE vpcsnat_events_dropped_total counter\n"
	"vpcsnat_events_dropped_total 110\n"
	"# HELP vpcsnat_table_entries CIDR entries in the table.\n"
	"# TYPE vpcsnat_table_entries gauge\n"
	"vpcsnat_table_entries 5\n";

/* promtool check metrics on t, if promtool is here: 1 passed, 0 failed, -1 not run. */
static int promtool(const char *t)
{
	FILE *p;

	if (system("command -v promtool >/dev/null 2>&1"))
		return -1;
	p = popen("promtool check metrics", "w");
	if (!p)
		return 0;
	fputs(t, p);
	return pclose(p) == 0;
}

static void test_metrics(void)
{
	struct conf c;
	char *t;
	int ok;

	running(&c, false);
	t = text_of(&c, 2);
	report(strstr(t, v4_metrics) && !strstr(t, "ipv6"),
	       "metrics without IPv6 counters: the IPv4 series as they were:\n%s", t);
	free(t);
	running(&c, true);
	t = text_of(&c, 2);
	report(strstr(t, v4_metrics) &&
	       strstr(t, "vpcsnat_ipv6_translated_total{reason=\"snat_entry\"} 800\n"
			 "vpcsnat_ipv6_translated_total{reason=\"no_match\"} 900\n") &&
	       strstr(t, "vpcsnat_ipv6_skipped_total{reason=\"disabled\"} 100\n") &&
	       strstr(t, "\nvpcsnat_ipv6_translation_failures_total 1000\n") &&
	       strstr(t, "\nvpcsnat_ipv6_marked_total 1200\n") &&
	       strstr(t, "\nvpcsnat_table_ipv6_entries 2\n") &&
	       !strstr(t, "vpcsnat_ipv6_events_dropped"),
	       "metrics: the IPv4 series unchanged, IPv6's under vpcsnat_ipv6_*:\n%s", t);
	ok = promtool(t);
	if (ok >= 0)
		report(ok, "metrics with IPv6 series pass promtool check metrics");
	else
		printf("SKIP: promtool check metrics: no promtool\n");
	free(t);
}

int main(void)
{
	test_text();
	test_json();
	test_rules();
	test_metrics();
	return report_done("status_test");
}
