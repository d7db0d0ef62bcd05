// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "config.h"
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

/*
 * Entries per REPLACE_CIDRS message. Each VPCSNAT_A_CIDR nest is 28 bytes
 * and the VPCSNAT_A_CIDRS nest around them has a 16-bit length, so a chunk
 * must stay under 65535 / 28 = 2340 entries.
 */
#define REPLACE_CHUNK 2048

static void apply_usage(FILE *f)
{
	fprintf(f, "Usage: %s apply [--check] [--print] [-f FILE]\n"
		"       %s apply --from-env --vpc-cidrs CIDR[,CIDR]... --snat-ip IPv4|auto\n"
		"                    [--skip-invalid] [--check] [--print]\n"
		"FILE is %s by default, - for stdin. The whole configuration and table\n"
		"are replaced in one atomic change. --check only validates, --print prints the\n"
		"configuration that would be applied; neither changes anything.\n",
		g.prog, g.prog, CONFIG_DEFAULT_PATH);
}

/* Puts every setting of c; start[k]..end[k] is where setting k landed. */
static void put_settings(struct nlmsghdr *nlh, const struct conf *c, uint32_t *start,
			 uint32_t *end)
{
	struct nlattr *nest;
	unsigned int i;

#define MARK(k, put) do { start[k] = nlh->nlmsg_len; put; end[k] = nlh->nlmsg_len; } while (0)
	MARK(CONF_ENABLED, mnl_attr_put_u8(nlh, VPCSNAT_A_ENABLED, c->enabled));
	MARK(CONF_EXTERNAL_SNAT, mnl_attr_put_u8(nlh, VPCSNAT_A_EXTERNAL_SNAT, c->external_snat));
	MARK(CONF_SNAT_IP, mnl_attr_put_u32(nlh, VPCSNAT_A_SNAT_IP, htonl(c->snat_ip)));
	MARK(CONF_RANDOM, mnl_attr_put_u8(nlh, VPCSNAT_A_RANDOM, c->random));
	MARK(CONF_TABLE_LIMIT, mnl_attr_put_u32(nlh, VPCSNAT_A_TABLE_LIMIT, c->table_limit));
	start[CONF_SKIP_IFACES] = nlh->nlmsg_len;
	nest = mnl_attr_nest_start(nlh, VPCSNAT_A_SKIP_IFACES);
	for (i = 0; i < c->skip.n; i++)
		mnl_attr_put_strz(nlh, VPCSNAT_A_IFACE, c->skip.name[i]);
	mnl_attr_nest_end(nlh, nest);
	end[CONF_SKIP_IFACES] = nlh->nlmsg_len;
#undef MARK
}

static void setting_str(const struct conf *c, int k, char *buf, size_t size)
{
	char ip[16];
	unsigned int i;
	size_t n;

	switch (k) {
	case CONF_ENABLED:
		snprintf(buf, size, "%s", c->enabled ? "yes" : "no");
		break;
	case CONF_EXTERNAL_SNAT:
		snprintf(buf, size, "%s", c->external_snat ? "on" : "off");
		break;
	case CONF_SNAT_IP:
		snprintf(buf, size, "%s", c->snat_ip ? ipv4_str(c->snat_ip, ip) : "auto");
		break;
	case CONF_RANDOM:
		snprintf(buf, size, "%s", random_name(c->random));
		break;
	case CONF_TABLE_LIMIT:
		snprintf(buf, size, "%u", c->table_limit);
		break;
	case CONF_SKIP_IFACES:
		snprintf(buf, size, "%s", c->skip.n ? "" : "none");
		for (i = 0; i < c->skip.n && (n = strlen(buf)) < size; i++)
			snprintf(buf + n, size - n, "%s%s", i ? "," : "", c->skip.name[i]);
		break;
	}
}

/* Names what the kernel blamed (offset off into the message), if we can. */
static bool blame(const struct nl_error *e, const char *verb, const char *name,
		  const struct cidr_file *f, size_t first, size_t n, const uint32_t *offs,
		  const struct conf *conf, const uint32_t *start, const uint32_t *end)
{
	char s[CIDR_STR_LEN], where[300], v[300];
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		const struct cidr_entry *ent = &f->entries[first + i];

		if (offs[i] > e->offs || e->offs >= offs[i + 1])
			continue;
		if (ent->line)
			snprintf(where, sizeof(where), "%s:%lu: ", name, ent->line);
		else
			where[0] = '\0';
		nl_perror(e, "%s: %s%s%s %s", verb, where, conf ? "cidr " : "",
			  cidr_str(&ent->cidr, s), kind_name(ent->cidr.kind));
		return true;
	}
	for (k = 0; conf && k < CONF_NKEYS; k++) {
		if (start[k] > e->offs || e->offs >= end[k])
			continue;
		if (conf->line[k])
			snprintf(where, sizeof(where), "%s:%lu: ", name, conf->line[k]);
		else
			where[0] = '\0';
		setting_str(conf, k, v, sizeof(v));
		nl_perror(e, "%s: %s%s %s", verb, where, conf_key_names[k], v);
		return true;
	}
	return false;
}

/*
 * The running settings and table into c (conf_init()ed by the caller). 0, or
 * -1 after printing "Error: <what>: <why>".
 */
static int running_conf(struct nl *nl, struct conf *c, const char *what)
{
	struct kconfig k;
	struct nl_error e;

	if (kconfig_get(nl, &k, &e) < 0 || cidrs_get(nl, &c->cidrs, &e) < 0) {
		nl_perror(&e, "%s", what);
		return -1;
	}
	/* k.tb points into the socket's buffer: look before it is reused. */
	if (!k.tb[VPCSNAT_A_ENABLED] || !k.tb[VPCSNAT_A_EXTERNAL_SNAT] || !k.tb[VPCSNAT_A_SNAT_IP] ||
	    !k.tb[VPCSNAT_A_RANDOM] || !k.tb[VPCSNAT_A_TABLE_LIMIT] || !k.tb[VPCSNAT_A_SKIP_IFACES]) {
		fprintf(stderr, "Error: %s: the kernel left out a setting\n", what);
		return -1;
	}
	c->enabled = k.enabled;
	c->external_snat = k.external_snat;
	c->snat_ip = k.snat_ip;
	c->random = k.random;
	c->skip = k.skip;
	c->table_limit = k.table_limit;
	return 0;
}

/*
 * The last message's answer was lost (ENOBUFS): the replace is atomic, so
 * it is in force whole or not at all. Read back on a new socket and say
 * which. A concurrent writer could blur this; then the state read back is
 * still what is reported.
 */
static int replace_lost(const struct cidr_file *f, const struct conf *conf, const char *what)
{
	const char *thing = conf ? "configuration" : "table";
	struct conf got, want;
	struct nl nl;
	int same = -1;

	conf_init(&got);
	conf_init(&want);
	want.cidrs = *f;	/* borrowed: want is never freed */
	if (!nl_open(&nl, NULL)) {
		if (!running_conf(&nl, &got, "Cannot read it back"))
			same = conf_same(conf ? conf : &want, &got, conf != NULL);
		nl_close(&nl);
	}
	conf_free(&got);
	if (same == 1) {
		fprintf(stderr, "Warning: %s: the kernel's answer was lost (%s); read back, the %s in force is the one sent: applied\n",
			what, strerror(ENOBUFS), thing);
		return EXIT_SUCCESS;
	}
	fprintf(stderr, "Error: %s: the kernel's answer was lost (%s); %s\n", what, strerror(ENOBUFS),
		same ? "it may or may not have been applied" :
		conf ? "read back, the configuration in force is not the one sent: not applied" :
		"read back, the table in force is not the one sent: not applied");
	return EXIT_FAILURE;
}

int replace_send(struct nl *nl, const struct cidr_file *f, const struct conf *conf,
		 const char *name, const char *verb, const char *what)
{
	static char buf[NL_TX_SIZE];
	static uint32_t offs[REPLACE_CHUNK + 1];
	uint32_t start[CONF_NKEYS] = { 0 }, end[CONF_NKEYS] = { 0 };
	struct nl_error e;
	size_t first = 0;

	/* Staged entries survive only on this socket: one socket for every chunk. */
	do {
		size_t n = f->n - first < REPLACE_CHUNK ? f->n - first : REPLACE_CHUNK, i;
		struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_REPLACE_CIDRS, 0);
		struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDRS);
		bool more = first + n < f->n;

		for (i = 0; i < n; i++) {
			offs[i] = nlh->nlmsg_len;
			put_cidr(nlh, &f->entries[first + i].cidr, true);
		}
		offs[n] = nlh->nlmsg_len;
		mnl_attr_nest_end(nlh, nest);
		if (more)
			mnl_attr_put(nlh, VPCSNAT_A_MORE, 0, NULL);
		else if (conf)
			put_settings(nlh, conf, start, end);
		if (nl_talk(nl, nlh, NULL, NULL, &e) < 0) {
			/* Earlier chunks were only staged, and go with the socket. */
			if (e.lost && !more)
				return replace_lost(f, conf, what);
			if (!e.has_offs || !blame(&e, verb, name, f, first, n, offs,
						  more ? NULL : conf, start, end))
				nl_perror(&e, "%s", what);
			fprintf(stderr, "Nothing was changed\n");
			return EXIT_FAILURE;
		}
		first += n;
	} while (first < f->n);
	return EXIT_SUCCESS;
}

/* Takes "--opt VALUE" or "--opt=VALUE" at argv[*i]; NULL if argv[*i] is not opt. */
static const char *opt_value(int argc, const char *argv[], int *i, const char *opt,
			     const char *alt, bool *missing)
{
	size_t len = strlen(opt);

	if (!strcmp(argv[*i], opt) || (alt && !strcmp(argv[*i], alt))) {
		if (*i + 1 >= argc) {
			*missing = true;
			return NULL;
		}
		return argv[++*i];
	}
	if (!strncmp(argv[*i], opt, len) && argv[*i][len] == '=')
		return argv[*i] + len + 1;
	return NULL;
}

int apply_main(int argc, const char *argv[])
{
	const char *path = NULL, *name, *v;
	bool check = false, print = false, from_env = false, missing = false;
	struct conf_env env = { 0 };
	struct conf c;
	struct nl nl;
	char what[300];
	long bad;
	int i, ret;

	if (wants_help(argc, argv)) {
		apply_usage(stdout);
		return EXIT_SUCCESS;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--print")) {
			print = true;
		} else if (!strcmp(argv[i], "--from-env")) {
			from_env = true;
		} else if (!strcmp(argv[i], "--skip-invalid")) {
			env.skip_invalid = true;
		} else if ((v = opt_value(argc, argv, &i, "--file", "-f", &missing))) {
			path = v;
		} else if ((v = opt_value(argc, argv, &i, "--vpc-cidrs", NULL, &missing))) {
			env.vpc_cidrs = v;
		} else if ((v = opt_value(argc, argv, &i, "--snat-ip", NULL, &missing))) {
			env.snat_ip = v;
		} else if (missing) {
			fprintf(stderr, "Error: %s needs a value\n", argv[i]);
			apply_usage(stderr);
			return EXIT_USAGE;
		} else {
			fprintf(stderr, "Error: Unexpected argument %s after apply\n", argv[i]);
			apply_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (from_env && path) {
		fprintf(stderr, "Error: apply takes -f FILE or --from-env, not both\n");
		return EXIT_USAGE;
	}
	if (!from_env && (env.skip_invalid || env.vpc_cidrs || env.snat_ip)) {
		fprintf(stderr, "Error: %s goes with --from-env\n", env.skip_invalid ?
			"--skip-invalid" : env.vpc_cidrs ? "--vpc-cidrs" : "--snat-ip");
		return EXIT_USAGE;
	}
	if (path && !*path) {
		fprintf(stderr, "Error: -f needs a file name\n");
		return EXIT_USAGE;
	}

	if (from_env) {
		env.external_snat = getenv(ENV_EXTERNAL_SNAT);
		env.exclude_cidrs = getenv(ENV_EXCLUDE_CIDRS);
		env.randomize = getenv(ENV_RANDOMIZE);
		name = "environment";
		bad = conf_from_env(&env, &c, stderr);
		if (bad > 0)
			fprintf(stderr, "Error: %ld invalid setting%s or entr%s; nothing was applied%s\n",
				bad, bad == 1 ? "" : "s", bad == 1 ? "y" : "ies",
				env.skip_invalid || !env.invalid_entries ? "" : " (--skip-invalid skips invalid "
				ENV_EXCLUDE_CIDRS " entries, as the VPC CNI does)");
		snprintf(what, sizeof(what), "apply --from-env");
	} else {
		size_t len;
		char *text;

		if (!path)
			path = CONFIG_DEFAULT_PATH;
		name = strcmp(path, "-") ? path : "<stdin>";
		errno = 0;
		text = read_all(path, &len);
		if (!text) {
			fprintf(stderr, "Error: Cannot read %s: %s\n", name, strerror(errno));
			return EXIT_USAGE;
		}
		bad = conf_parse(name, text, len, &c, stderr);
		free(text);
		if (bad > 0)
			fprintf(stderr, "Error: %s has %ld bad line%s; nothing was applied\n",
				name, bad, bad == 1 ? "" : "s");
		snprintf(what, sizeof(what), "apply -f %.200s", path);
	}
	if (bad) {
		if (bad < 0)
			fprintf(stderr, "Error: Out of memory reading %s\n", name);
		conf_free(&c);
		return bad < 0 ? EXIT_FAILURE : EXIT_USAGE;
	}
	if (print)
		conf_print(stdout, &c, from_env ?
			   "vpcsnat configuration from the VPC CNI's environment" :
			   "vpcsnat configuration");
	if (check || print) {
		conf_free(&c);
		return EXIT_SUCCESS;
	}
	if ((ret = nl_open(&nl, g.netns))) {
		conf_free(&c);
		return ret;
	}
	ret = replace_send(&nl, &c.cidrs, &c, name, "apply", what);
	nl_close(&nl);
	conf_free(&c);
	return ret;
}

int show_config_main(int argc, const char *argv[])
{
	struct conf c;
	struct nl nl;
	int ret;

	if (wants_help(argc, argv)) {
		printf("Usage: %s [-j|--json] show-config\n"
		       "Prints the running configuration and table in the format of %s,\n"
		       "so that %s show-config | %s apply -f - changes nothing.\n",
		       g.prog, CONFIG_DEFAULT_PATH, g.prog, g.prog);
		return EXIT_SUCCESS;
	}
	argc = take_json_flag(argc, argv);
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after show-config\n", argv[1]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	conf_init(&c);
	ret = running_conf(&nl, &c, "Cannot read the configuration");
	nl_close(&nl);
	if (ret < 0) {
		conf_free(&c);
		return EXIT_FAILURE;
	}
	if (g.json)
		conf_print_json(stdout, &c);
	else
		conf_print(stdout, &c, "vpcsnat configuration (snatctl show-config)");
	conf_free(&c);
	return EXIT_SUCCESS;
}
