// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "json.h"
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

static const enum mnl_attr_data_type config_types[VPCSNAT_A_MAX + 1] = {
	[VPCSNAT_A_ENABLED] = MNL_TYPE_U8,
	[VPCSNAT_A_EXTERNAL_SNAT] = MNL_TYPE_U8,
	[VPCSNAT_A_SNAT_IP] = MNL_TYPE_U32,
	[VPCSNAT_A_RANDOM] = MNL_TYPE_U8,
	[VPCSNAT_A_SKIP_IFACES] = MNL_TYPE_NESTED,
	[VPCSNAT_A_TABLE_SIZE] = MNL_TYPE_U32,
	[VPCSNAT_A_TABLE_LIMIT] = MNL_TYPE_U32,
	[VPCSNAT_A_COUNTERS] = MNL_TYPE_NESTED,
};

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *ctr[VPCSNAT_CTR_A_MAX + 1], *a;
	struct kconfig *c = data;
	unsigned int i;

	nl_parse_genl(nlh, c->tb, VPCSNAT_A_MAX);
	for (i = 0; i <= VPCSNAT_A_MAX; i++)
		if (c->tb[i] && config_types[i] && mnl_attr_validate(c->tb[i], config_types[i]) < 0)
			goto bad;
	if (c->tb[VPCSNAT_A_ENABLED])
		c->enabled = mnl_attr_get_u8(c->tb[VPCSNAT_A_ENABLED]);
	if (c->tb[VPCSNAT_A_EXTERNAL_SNAT])
		c->external_snat = mnl_attr_get_u8(c->tb[VPCSNAT_A_EXTERNAL_SNAT]);
	if (c->tb[VPCSNAT_A_SNAT_IP])
		c->snat_ip = ntohl(mnl_attr_get_u32(c->tb[VPCSNAT_A_SNAT_IP]));
	if (c->tb[VPCSNAT_A_RANDOM])
		c->random = mnl_attr_get_u8(c->tb[VPCSNAT_A_RANDOM]);
	if (c->tb[VPCSNAT_A_TABLE_SIZE])
		c->table_size = mnl_attr_get_u32(c->tb[VPCSNAT_A_TABLE_SIZE]);
	if (c->tb[VPCSNAT_A_TABLE_LIMIT])
		c->table_limit = mnl_attr_get_u32(c->tb[VPCSNAT_A_TABLE_LIMIT]);
	if (c->tb[VPCSNAT_A_SKIP_IFACES]) {
		mnl_attr_for_each_nested(a, c->tb[VPCSNAT_A_SKIP_IFACES]) {
			if (mnl_attr_get_type(a) != VPCSNAT_A_IFACE)
				continue;
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
			    c->skip.n == VPCSNAT_MAX_SKIP_IFACES)
				goto bad;
			snprintf(c->skip.name[c->skip.n++], sizeof(c->skip.name[0]), "%s",
				 mnl_attr_get_str(a));
		}
	}
	if (c->tb[VPCSNAT_A_COUNTERS]) {
		nl_parse_nested(c->tb[VPCSNAT_A_COUNTERS], ctr, VPCSNAT_CTR_A_MAX);
		for (i = 1; i <= VPCSNAT_CTR_A_MAX; i++) {
			if (!ctr[i])
				continue;
			if (mnl_attr_validate(ctr[i], MNL_TYPE_U64) < 0)
				goto bad;
			c->ctr[i] = mnl_attr_get_u64(ctr[i]);
		}
	}
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static const char *snat_ip_str(const struct kconfig *c, char *buf)
{
	return c->snat_ip ? ipv4_str(c->snat_ip, buf) : "auto";
}

static void print_human(const struct kconfig *c)
{
	static const uint8_t left_alone[] = {
		VPCSNAT_REASON_VPC, VPCSNAT_REASON_EXCLUDE, VPCSNAT_REASON_SRC_LOCAL,
		VPCSNAT_REASON_DST_LOCAL, VPCSNAT_REASON_SKIP_IFACE,
		VPCSNAT_REASON_EXTERNAL_SNAT, VPCSNAT_REASON_DISABLED,
	};
	const uint64_t *ctr = c->ctr;
	uint64_t alone = 0;
	char ip[16];
	unsigned int i;

#define HAVE(a, s) (c->tb[VPCSNAT_A_##a] ? (s) : "unknown")
	printf("enabled: %s\n", HAVE(ENABLED, c->enabled ? "yes" : "no"));
	printf("external-snat: %s\n", HAVE(EXTERNAL_SNAT, c->external_snat ? "on" : "off"));
	printf("snat-ip: %s\n", HAVE(SNAT_IP, snat_ip_str(c, ip)));
	printf("random: %s\n", HAVE(RANDOM, random_name(c->random)));
	printf("skip-ifaces: ");
	for (i = 0; i < c->skip.n; i++)
		printf("%s%s", i ? "," : "", c->skip.name[i]);
	printf("%s\n", c->skip.n ? "" : HAVE(SKIP_IFACES, "none"));
#undef HAVE
	printf("table: %" PRIu32 " %s (limit %" PRIu32 ")\n", c->table_size,
	       c->table_size == 1 ? "entry" : "entries", c->table_limit);
	printf("translated: %" PRIu64 " (snat-entry %" PRIu64 ", no-match %" PRIu64 ")\n",
	       ctr[VPCSNAT_CTR_A_SNAT_ENTRY] + ctr[VPCSNAT_CTR_A_NO_MATCH],
	       ctr[VPCSNAT_CTR_A_SNAT_ENTRY], ctr[VPCSNAT_CTR_A_NO_MATCH]);
	for (i = 0; i < sizeof(left_alone); i++)
		alone += ctr[left_alone[i] + 1];
	printf("left alone: %" PRIu64 " (", alone);
	for (i = 0; i < sizeof(left_alone); i++)
		printf("%s%s %" PRIu64, i ? ", " : "", reason_name(left_alone[i]),
		       ctr[left_alone[i] + 1]);
	printf(")\nfailed: %" PRIu64 "\n", ctr[VPCSNAT_CTR_A_FAILED]);
	printf("events-dropped: %" PRIu64 "\n", ctr[VPCSNAT_CTR_A_EVENTS_DROPPED]);
}

static void print_json(const struct kconfig *c)
{
	char ip[16];
	unsigned int i;

#define B(a, v) (c->tb[VPCSNAT_A_##a] ? ((v) ? "true" : "false") : "null")
	printf("{\"enabled\":%s,\"external_snat\":%s,\"snat_ip\":",
	       B(ENABLED, c->enabled), B(EXTERNAL_SNAT, c->external_snat));
#undef B
	if (c->tb[VPCSNAT_A_SNAT_IP])
		printf("\"%s\"", snat_ip_str(c, ip));
	else
		printf("null");
	printf(",\"random\":");
	if (c->tb[VPCSNAT_A_RANDOM])
		json_string(stdout, random_name(c->random));
	else
		printf("null");
	printf(",\"skip_ifaces\":[");
	for (i = 0; i < c->skip.n; i++) {
		if (i)
			putchar(',');
		json_string(stdout, c->skip.name[i]);
	}
	printf("],\"table_size\":%" PRIu32 ",\"table_limit\":%" PRIu32 ",\"counters\":{",
	       c->table_size, c->table_limit);
	for (i = 0; i <= VPCSNAT_REASON_MAX; i++)
		printf("\"%s\":%" PRIu64 ",", reason_key((uint8_t)i), c->ctr[i + 1]);
	printf("\"failed\":%" PRIu64 ",\"translated\":%" PRIu64 ",\"events_dropped\":%" PRIu64 "}}\n",
	       c->ctr[VPCSNAT_CTR_A_FAILED],
	       c->ctr[VPCSNAT_CTR_A_SNAT_ENTRY] + c->ctr[VPCSNAT_CTR_A_NO_MATCH],
	       c->ctr[VPCSNAT_CTR_A_EVENTS_DROPPED]);
}

int kconfig_get(struct nl *nl, struct kconfig *c, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_GET_CONFIG, 0);

	memset(c, 0, sizeof(*c));
	return nl_talk(nl, nlh, config_cb, c, e);
}

int status_main(int argc, const char *argv[])
{
	struct kconfig c;
	struct nl_error e;
	struct nl nl;
	int ret;

	if (wants_help(argc, argv)) {
		printf("Usage: %s [-j|--json] %s\n", g.prog, argv[0]);
		return EXIT_SUCCESS;
	}
	argc = take_json_flag(argc, argv);
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[1], argv[0]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	if (kconfig_get(&nl, &c, &e) < 0) {
		nl_perror(&e, "Cannot read the configuration");
		nl_close(&nl);
		return EXIT_FAILURE;
	}
	nl_close(&nl);
	if (g.json)
		print_json(&c);
	else
		print_human(&c);
	return EXIT_SUCCESS;
}
