// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "cidrfile.h"
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

static void cidr_usage(FILE *f)
{
	fprintf(f, "Usage: %s cidr add <CIDR> [vpc|exclude|snat]\n"
		"       %s cidr del <CIDR>\n"
		"       %s [-j|--json] cidr list [-s|--stats]\n"
		"       %s cidr flush\n"
		"       %s cidr replace -f FILE   (FILE: one CIDR [kind] per line; - for stdin)\n",
		g.prog, g.prog, g.prog, g.prog, g.prog);
}

void put_cidr(struct nlmsghdr *nlh, const struct cidr *c, bool kind)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDR);

	mnl_attr_put_u32(nlh, VPCSNAT_CIDR_A_ADDR, htonl(c->addr));
	mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_PREFIXLEN, c->prefixlen);
	if (kind)
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_KIND, c->kind);
	mnl_attr_nest_end(nlh, nest);
}

/* Runs one request that returns nothing but an ACK. */
static int simple(struct nlmsghdr *nlh, struct nl *nl, int quiet_errno, const char *fallback,
		  const char *what)
{
	struct nl_error e;

	if (!nl_talk(nl, nlh, NULL, NULL, &e)) {
		nl_close(nl);
		return EXIT_SUCCESS;
	}
	if (!e.has_msg && e.err == quiet_errno) {
		snprintf(e.msg, sizeof(e.msg), "%s", fallback);
		e.has_msg = true;
	}
	nl_perror(&e, "%s", what);
	nl_close(nl);
	return EXIT_FAILURE;
}

static int cidr_add_del(int argc, const char *argv[], bool add)
{
	char buf[NL_TX_SIZE], err[PARSE_ERR_LEN], what[128];
	struct nlmsghdr *nlh;
	struct cidr c;
	struct nl nl;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "Error: cidr %s needs a CIDR\n", argv[0]);
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	if (!parse_cidr(argv[1], &c, err) ||
	    (add && argc > 2 && !parse_kind(argv[2], &c.kind, err))) {
		fprintf(stderr, "Error: %s\n", err);
		return EXIT_USAGE;
	}
	if (argc > (add ? 3 : 2)) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[add ? 3 : 2],
			argv[add ? 2 : 1]);
		return EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "cidr %s %.64s", argv[0], argv[1]);
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, add ? VPCSNAT_CMD_ADD_CIDR : VPCSNAT_CMD_DEL_CIDR, 0);
	put_cidr(nlh, &c, add);
	if (add)
		return simple(nlh, &nl, EEXIST, "Prefix is already in the table", what);
	return simple(nlh, &nl, ENOENT, "Prefix is not in the table", what);
}

struct list_state {
	unsigned long n;
	bool stats;
};

bool cidr_from_attr(const struct nlattr *nest, struct cidr *c)
{
	const struct nlattr *ctb[VPCSNAT_CIDR_A_MAX + 1];

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    nl_parse_nested(nest, ctb, VPCSNAT_CIDR_A_MAX) < 0)
		return false;
	if (!ctb[VPCSNAT_CIDR_A_ADDR] || !ctb[VPCSNAT_CIDR_A_PREFIXLEN] ||
	    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_ADDR], MNL_TYPE_U32) < 0 ||
	    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_PREFIXLEN], MNL_TYPE_U8) < 0 ||
	    (ctb[VPCSNAT_CIDR_A_KIND] && mnl_attr_validate(ctb[VPCSNAT_CIDR_A_KIND], MNL_TYPE_U8) < 0))
		return false;
	c->addr = ntohl(mnl_attr_get_u32(ctb[VPCSNAT_CIDR_A_ADDR]));
	c->prefixlen = mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_PREFIXLEN]);
	c->kind = ctb[VPCSNAT_CIDR_A_KIND] ? mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_KIND]) : 0;
	return true;
}

/* The CIDR of one GET_CIDRS dump message. */
static bool dump_cidr(const struct nlmsghdr *nlh, struct cidr *c)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1];

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	return tb[VPCSNAT_A_CIDR] && cidr_from_attr(tb[VPCSNAT_A_CIDR], c);
}

/* VPCSNAT_CIDR_A_HITS of a dump message (a sampled estimate); 0 if absent. */
static uint64_t dump_hits(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1], *ctb[VPCSNAT_CIDR_A_MAX + 1];

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	if (!tb[VPCSNAT_A_CIDR] || nl_parse_nested(tb[VPCSNAT_A_CIDR], ctb, VPCSNAT_CIDR_A_MAX) < 0 ||
	    !ctb[VPCSNAT_CIDR_A_HITS] || mnl_attr_validate(ctb[VPCSNAT_CIDR_A_HITS], MNL_TYPE_U64) < 0)
		return 0;
	return mnl_attr_get_u64(ctb[VPCSNAT_CIDR_A_HITS]);
}

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_state *st = data;
	struct cidr c;
	char s[CIDR_STR_LEN];

	if (!dump_cidr(nlh, &c)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (g.json)
		printf("%s{\"cidr\":\"%s\",\"kind\":\"%s\",\"hits\":%" PRIu64 "}", st->n ? "," : "",
		       cidr_str(&c, s), kind_name(c.kind), dump_hits(nlh));
	else if (st->stats)
		printf("%s %s # hits %" PRIu64 "\n", cidr_str(&c, s), kind_name(c.kind),
		       dump_hits(nlh));
	else
		printf("%s %s\n", cidr_str(&c, s), kind_name(c.kind));
	st->n++;
	return MNL_CB_OK;
}

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cidr_file *f = data;
	struct cidr c;

	if (!dump_cidr(nlh, &c)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct cidr_entry *n = realloc(f->entries, cap * sizeof(*n));

		if (!n)
			return MNL_CB_ERROR;
		f->entries = n;
		f->cap = cap;
	}
	f->entries[f->n].cidr = c;
	f->entries[f->n++].line = 0;
	return MNL_CB_OK;
}

int cidrs_get(struct nl *nl, struct cidr_file *f, struct nl_error *e)
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, VPCSNAT_CMD_GET_CIDRS, NLM_F_DUMP);

	return nl_talk(nl, nlh, collect_cb, f, e);
}

static int cidr_list(int argc, const char *argv[])
{
	char buf[NL_TX_SIZE];
	struct list_state st = { 0 };
	struct nlmsghdr *nlh;
	struct nl_error e;
	struct nl nl;
	int ret;

	argc = take_json_flag(argc, argv);
	/* -s adds the hits as a comment, so the output still reads back. */
	if (argc > 1 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "--stats"))) {
		st.stats = true;
		argv++;
		argc--;
	}
	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after cidr list\n", argv[1]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_GET_CIDRS, NLM_F_DUMP);
	if (g.json)
		putchar('[');
	ret = nl_talk(&nl, nlh, list_cb, &st, &e);
	nl_close(&nl);
	if (g.json)
		puts("]");
	if (ret < 0) {
		fflush(stdout);
		nl_perror(&e, "cidr list");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

static int cidr_flush(int argc, const char *argv[])
{
	char buf[NL_TX_SIZE];
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (argc > 1) {
		fprintf(stderr, "Error: Unexpected argument %s after cidr flush\n", argv[1]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_FLUSH_CIDRS, 0);
	return simple(nlh, &nl, 0, NULL, "cidr flush");
}

char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 65536, n = 0, r;
	char *buf = NULL, *nb;

	if (!f)
		return NULL;
	for (;;) {
		if (!(nb = realloc(buf, cap)))
			goto fail;
		buf = nb;
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n < cap) {
			if (ferror(f))
				goto fail;
			break;
		}
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	if (!errno)
		errno = EIO;
	return NULL;
}

static int cidr_replace(int argc, const char *argv[])
{
	const char *path = NULL, *name;
	struct cidr_file f;
	struct nl nl;
	char what[256];
	size_t len;
	long bad;
	char *text;
	int ret;

	if (argc == 3 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "--file")))
		path = argv[2];
	else if (argc == 2 && !strncmp(argv[1], "--file=", 7))
		path = argv[1] + 7;
	if (!path || !*path) {
		if (argc > 3)
			fprintf(stderr, "Error: Unexpected argument %s after cidr replace -f %s\n",
				argv[3], argv[2]);
		else
			fprintf(stderr, "Error: cidr replace needs -f FILE\n");
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	name = strcmp(path, "-") ? path : "<stdin>";
	errno = 0;
	text = read_all(path, &len);
	if (!text) {
		fprintf(stderr, "Error: Cannot read %s: %s\n", name, strerror(errno));
		return EXIT_FAILURE;
	}
	bad = cidr_file_parse(name, text, len, &f, stderr);
	free(text);
	if (bad) {
		if (bad < 0)
			fprintf(stderr, "Error: Out of memory reading %s\n", name);
		else
			fprintf(stderr, "Error: %s has %ld bad line%s; the table was not changed\n",
				name, bad, bad == 1 ? "" : "s");
		cidr_file_free(&f);
		return bad < 0 ? EXIT_FAILURE : EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns))) {
		cidr_file_free(&f);
		return ret;
	}
	snprintf(what, sizeof(what), "cidr replace -f %.200s", path);
	ret = replace_send(&nl, &f, NULL, name, "cidr replace", what);
	nl_close(&nl);
	cidr_file_free(&f);
	return ret;
}

int cidr_main(int argc, const char *argv[])
{
	if (argc < 2) {
		cidr_usage(stderr);
		return EXIT_USAGE;
	}
	if (wants_help(argc, argv)) {
		cidr_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (!strcmp(argv[1], "add"))
		return cidr_add_del(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "del"))
		return cidr_add_del(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "list"))
		return cidr_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flush"))
		return cidr_flush(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replace"))
		return cidr_replace(argc - 1, argv + 1);
	fprintf(stderr, "Error: Unknown cidr subcommand %s; expected add, del, list, flush or replace\n",
		argv[1]);
	return EXIT_USAGE;
}
