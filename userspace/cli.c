// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What every verb of snatctl shares; see cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "client.h"
#include "cnirules.h"
#include "fdio.h"
#include "routerule.h"

struct global g = { .prog = "snatctl" };

bool wants_help(int argc, const char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int take_json_flag(int argc, const char *argv[])
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			g.json = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int bad_input(const char *err)
{
	fprintf(stderr, "Error: %s\n", err);
	return EXIT_USAGE;
}

bool mixed_families(const char *sa, const struct ipaddr *a, const char *sb,
		    const struct ipaddr *b)
{
	char ta[TOKEN_LEN], tb[TOKEN_LEN];

	if (a->v6 == b->v6)
		return false;
	fprintf(stderr, "Error: %s is %s but %s is %s; a connection has one family\n",
		token(sa, ta), a->v6 ? "IPv6" : "IPv4", token(sb, tb), b->v6 ? "IPv6" : "IPv4");
	return true;
}

int json_flag_only(int argc, const char *argv[])
{
	argc = take_json_flag(argc, argv);
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[1], argv[0]);
		return EXIT_USAGE;
	}
	return 0;
}

int next_option(int argc, const char *argv[], const char *shortopts,
		const struct option *opts)
{
	char spec[32];
	int c;

	/* argv[0] is the verb; each process runs one verb. */
	if (!optind)
		optind = 1;
	opterr = 0;
	snprintf(spec, sizeof(spec), ":%s", shortopts);
	c = getopt_long(argc, (char *const *)argv, spec, opts, NULL);
	if (c == ':') {
		fprintf(stderr, "Error: %s needs a value\n", argv[optind - 1]);
		return '?';
	}
	if (c == '?') {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[optind - 1], argv[0]);
		return '?';
	}
	return c;
}

/* "NAME:LINE: " for something given on line of input name, "" if line is 0. */
static const char *where(const char *name, unsigned long line, char *buf, size_t size)
{
	if (line)
		snprintf(buf, size, "%s:%lu: ", name, line);
	else
		buf[0] = '\0';
	return buf;
}

int report_replace(int ret, const struct replace_result *r, const struct conf *settings,
		   const char *name, const char *verb, const char *what)
{
	const char *thing = settings ? "configuration" : "table";
	char at[300], s[CIDR_STR_LEN], v[300];

	if (!ret && !r->lost)
		return EXIT_SUCCESS;
	if (r->lost) {
		if (r->in_force == 1) {
			fprintf(stderr, "Warning: %s: the kernel's answer was lost (%s); read back, "
				"the %s in force is the one sent: applied\n", what,
				strerror(ENOBUFS), thing);
			return EXIT_SUCCESS;
		}
		fprintf(stderr, "Error: %s: the kernel's answer was lost (%s); ", what,
			strerror(ENOBUFS));
		if (r->in_force < 0)
			fputs("it may or may not have been applied\n", stderr);
		else
			fprintf(stderr, "read back, the %s in force is not the one sent: not applied\n",
				thing);
		return EXIT_FAILURE;
	}
	if (r->bad_cidr)
		nl_perror(&r->e, "%s: %s%s%s %s", verb, where(name, r->bad_cidr->line, at, sizeof(at)),
			  settings ? "cidr " : "", cidr_str(&r->bad_cidr->cidr, s),
			  kind_name(r->bad_cidr->cidr.kind));
	else if (r->bad_key >= 0)
		nl_perror(&r->e, "%s: %s%s %s", verb,
			  where(name, settings->line[r->bad_key], at, sizeof(at)),
			  conf_settings[r->bad_key].key,
			  conf_value_str(settings, r->bad_key, v, sizeof(v)));
	else
		nl_perror(&r->e, "%s", what);
	fputs("Nothing was changed\n", stderr);
	return EXIT_FAILURE;
}

int read_running(struct conf *c, bool table)
{
	struct nl_error e;
	struct nl nl;
	int ret;

	conf_init(c);
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	ret = table ? client_get_conf(&nl, c, &e) : client_get(&nl, c, &e);
	nl_close(&nl);
	if (ret < 0) {
		nl_perror(&e, "Cannot read the configuration");
		conf_free(c);
		return EXIT_FAILURE;
	}
	return 0;
}

/*
 * A kernel without policy routing (CONFIG_IP_MULTIPLE_TABLES, for IPv6
 * CONFIG_IPV6_MULTIPLE_TABLES) refuses rules: it routes every packet by the
 * main table anyway, so no rule is needed.
 */
static bool policy_routing_absent(const struct nl_error *e)
{
	return e->err == EOPNOTSUPP || e->err == EAFNOSUPPORT;
}

/* The same, said once when a change meets it: true if so, false for another error. */
static bool no_policy_routing(bool v6, const struct nl_error *e)
{
	if (!policy_routing_absent(e))
		return false;
	/* No IPv6 at all (ipv6.disable=1): the module's refusal of ipv6 on says so. */
	if (v6 && access("/proc/sys/net/ipv6", F_OK) < 0)
		return true;
	fprintf(stderr, "Warning: This kernel has no %s policy routing (%s): no fwmark rule, "
		"every packet takes the main table\n", v6 ? "IPv6" : "IPv4",
		v6 ? "CONFIG_IPV6_MULTIPLE_TABLES" : "CONFIG_IP_MULTIPLE_TABLES");
	return true;
}

void look_at_rules(struct conf *c)
{
	struct rule_state st;
	struct nl_error e;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		uint32_t want = conf_rule_mark(c, v6);

		if (!want)
			c->rule[v6] = CONF_RULE_NOT_WANTED;
		else if (rule_get(v6, want, &st, &e) < 0)
			c->rule[v6] = policy_routing_absent(&e) ? CONF_RULE_NO_POLICY_ROUTING :
				      CONF_RULE_UNKNOWN;
		else
			c->rule[v6] = st.ours ? CONF_RULE_OURS : st.others ? CONF_RULE_OTHERS :
				      CONF_RULE_MISSING;
	}
}

int with_rule(const struct conf *after, int (*change)(void *ctx), void *ctx)
{
	bool added[2] = { false, false }, rules[2] = { true, true };
	char r[RULE_STR_LEN];
	struct nl_error e;
	int ret, v6;

	for (v6 = 0; v6 < 2; v6++) {
		uint32_t want = conf_rule_mark(after, v6);

		if (!want || rule_sync(v6, want, false, &added[v6], &e) >= 0)
			continue;
		rules[v6] = false;
		if (!no_policy_routing(v6, &e)) {
			nl_perror(&e, "Cannot add the %s %s; nothing was changed", RULE_NAME(v6),
				  rule_str(want, r));
			ret = EXIT_FAILURE;
			goto undo;
		}
	}
	ret = change(ctx);
	if (ret)
		goto undo;
	for (v6 = 0; v6 < 2; v6++) {
		if (rules[v6] && rule_sync(v6, conf_rule_mark(after, v6), true, &added[v6], &e) < 0 &&
		    !no_policy_routing(v6, &e))
			nl_perror(&e, "Applied, but %ss no longer wanted could not be removed",
				  RULE_NAME(v6));
	}
	if (after->enabled)
		cni_rules_warn();
	return ret;
undo:
	for (v6 = 0; v6 < 2; v6++) {
		if (added[v6] && rule_del(v6, conf_rule_mark(after, v6), &e) < 0)
			nl_perror(&e, "Cannot remove the %s it added", RULE_NAME(v6));
	}
	return ret;
}

int replace_file(const char *path, const char *data, size_t len)
{
	char tmp[4096], dir[4096], *slash;
	int fd, saved, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len, &err) < len) {
		errno = err;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	saved = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}
