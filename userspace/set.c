// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

static const struct setting {
	const char *key;
	unsigned int attr;
} settings[] = {
	{ "snat-ip", VPCSNAT_A_SNAT_IP },
	{ "external-snat", VPCSNAT_A_EXTERNAL_SNAT },
	{ "random", VPCSNAT_A_RANDOM },
	{ "skip-ifaces", VPCSNAT_A_SKIP_IFACES },
	{ "table-limit", VPCSNAT_A_TABLE_LIMIT },
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static void set_usage(FILE *f)
{
	fprintf(f, "Usage: %s set <setting> <value> [<setting> <value>]...\n"
		"  snat-ip <IPv4>|auto\n"
		"  external-snat on|off\n"
		"  random none|hashrandom|prng\n"
		"  skip-ifaces <prefix>[,<prefix>]...|none\n"
		"  table-limit <1-%u>\n"
		"All settings given are applied together or not at all.\n",
		g.prog, VPCSNAT_MAX_TABLE_LIMIT);
}

/* Puts one setting; returns false after printing why the value is bad. */
static bool put_setting(struct nlmsghdr *nlh, unsigned int attr, const char *key, const char *v)
{
	char err[PARSE_ERR_LEN];
	struct iface_list l;
	struct nlattr *nest;
	uint32_t u32;
	uint8_t u8;
	bool on;
	unsigned int i;

	switch (attr) {
	case VPCSNAT_A_SNAT_IP:
		if (!strcmp(v, "auto"))
			u32 = 0;
		else if (!parse_ipv4(v, &u32, err))
			goto bad;
		mnl_attr_put_u32(nlh, attr, htonl(u32));
		return true;
	case VPCSNAT_A_EXTERNAL_SNAT:
		if (!parse_onoff(v, &on, err))
			goto bad;
		mnl_attr_put_u8(nlh, attr, on);
		return true;
	case VPCSNAT_A_RANDOM:
		if (!parse_random(v, &u8, err))
			goto bad;
		mnl_attr_put_u8(nlh, attr, u8);
		return true;
	case VPCSNAT_A_SKIP_IFACES:
		if (!parse_iface_list(v, &l, err))
			goto bad;
		nest = mnl_attr_nest_start(nlh, attr);
		for (i = 0; i < l.n; i++)
			mnl_attr_put_strz(nlh, VPCSNAT_A_IFACE, l.name[i]);
		mnl_attr_nest_end(nlh, nest);
		return true;
	case VPCSNAT_A_TABLE_LIMIT:
		if (!parse_u32(key, v, 1, VPCSNAT_MAX_TABLE_LIMIT, &u32, err))
			goto bad;
		mnl_attr_put_u32(nlh, attr, u32);
		return true;
	}
	return false;
bad:
	fprintf(stderr, "Error: %s\n", err);
	return false;
}

static int send_config(struct nlmsghdr *nlh, struct nl *nl, const char *what,
		       const uint32_t *offs, const char *const *argv)
{
	struct nl_error e;
	unsigned int i;

	if (!nl_talk(nl, nlh, NULL, NULL, &e)) {
		nl_close(nl);
		return EXIT_SUCCESS;
	}
	/* Name the one setting the kernel blamed, if it did. */
	for (i = 0; offs && e.has_offs && i < NSETTINGS; i++) {
		if (offs[i] && offs[i] == e.offs) {
			nl_perror(&e, "set %s %s", settings[i].key, argv[i]);
			goto out;
		}
	}
	nl_perror(&e, "%s", what);
out:
	nl_close(nl);
	return EXIT_FAILURE;
}

int set_main(int argc, const char *argv[])
{
	char buf[NL_TX_SIZE], what[256] = "set";
	const char *values[NSETTINGS] = { 0 };
	uint32_t offs[NSETTINGS] = { 0 };
	struct nlmsghdr *nlh;
	struct nl nl;
	unsigned int i;
	int a, ret;

	if (wants_help(argc, argv)) {
		set_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (argc < 3) {
		if (argc == 2)
			fprintf(stderr, "Error: Missing value for %s\n", argv[1]);
		set_usage(stderr);
		return EXIT_USAGE;
	}
	for (a = 1; a < argc; a += 2) {
		for (i = 0; i < NSETTINGS && strcmp(argv[a], settings[i].key); i++)
			;
		if (i == NSETTINGS) {
			fprintf(stderr, "Error: Unknown setting %s; expected snat-ip, external-snat, "
				"random, skip-ifaces or table-limit\n", argv[a]);
			return EXIT_USAGE;
		}
		if (a + 1 == argc) {
			fprintf(stderr, "Error: Missing value for %s\n", argv[a]);
			return EXIT_USAGE;
		}
		if (values[i]) {
			fprintf(stderr, "Error: Setting %s is given twice\n", argv[a]);
			return EXIT_USAGE;
		}
		values[i] = argv[a + 1];
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s %s",
			 argv[a], argv[a + 1]);
	}
	/* Validate everything before touching the kernel. */
	nlh = nl_request(&(struct nl){ 0 }, buf, VPCSNAT_CMD_SET_CONFIG, 0);
	for (i = 0; i < NSETTINGS; i++)
		if (values[i] && !put_setting(nlh, settings[i].attr, settings[i].key, values[i]))
			return EXIT_USAGE;
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_SET_CONFIG, 0);
	for (i = 0; i < NSETTINGS; i++) {
		if (!values[i])
			continue;
		offs[i] = (uint32_t)nlh->nlmsg_len;
		put_setting(nlh, settings[i].attr, settings[i].key, values[i]);
	}
	return send_config(nlh, &nl, what, offs, values);
}

static int set_enabled(int argc, const char *argv[], bool on)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (wants_help(argc, argv)) {
		printf("Usage: %s %s\n", g.prog, argv[0]);
		return EXIT_SUCCESS;
	}
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[1], argv[0]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, VPCSNAT_A_ENABLED, on);
	return send_config(nlh, &nl, argv[0], NULL, NULL);
}

int enable_main(int argc, const char *argv[])
{
	return set_enabled(argc, argv, true);
}

int disable_main(int argc, const char *argv[])
{
	return set_enabled(argc, argv, false);
}
