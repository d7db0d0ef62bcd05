// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "cidrfile.h"
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

/*
 * Entries per REPLACE_CIDRS message. Each VPCSNAT_A_CIDR nest is 28 bytes
 * and the VPCSNAT_A_CIDRS nest around them has a 16-bit length, so a chunk
 * must stay under 65535 / 28 = 2340 entries.
 */
#define REPLACE_CHUNK 2048

static void cidr_usage(FILE *f)
{
	fprintf(f, "Usage: %s cidr add <CIDR> [vpc|exclude|snat]\n"
		"       %s cidr del <CIDR>\n"
		"       %s [-j|--json] cidr list\n"
		"       %s cidr flush\n"
		"       %s cidr replace -f FILE   (FILE: one CIDR [kind] per line; - for stdin)\n",
		g.prog, g.prog, g.prog, g.prog, g.prog);
}

static void put_cidr(struct nlmsghdr *nlh, const struct cidr *c, bool kind)
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
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1], *ctb[VPCSNAT_CIDR_A_MAX + 1];
	struct list_state *st = data;
	struct cidr c;
	char s[CIDR_STR_LEN];

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	if (!tb[VPCSNAT_A_CIDR] || mnl_attr_validate(tb[VPCSNAT_A_CIDR], MNL_TYPE_NESTED) < 0)
		goto bad;
	nl_parse_nested(tb[VPCSNAT_A_CIDR], ctb, VPCSNAT_CIDR_A_MAX);
	if (!ctb[VPCSNAT_CIDR_A_ADDR] || !ctb[VPCSNAT_CIDR_A_PREFIXLEN] ||
	    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_ADDR], MNL_TYPE_U32) < 0 ||
	    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_PREFIXLEN], MNL_TYPE_U8) < 0 ||
	    (ctb[VPCSNAT_CIDR_A_KIND] && mnl_attr_validate(ctb[VPCSNAT_CIDR_A_KIND], MNL_TYPE_U8) < 0))
		goto bad;
	c.addr = ntohl(mnl_attr_get_u32(ctb[VPCSNAT_CIDR_A_ADDR]));
	c.prefixlen = mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_PREFIXLEN]);
	c.kind = ctb[VPCSNAT_CIDR_A_KIND] ? mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_KIND]) : 0;
	if (g.json)
		printf("%s{\"cidr\":\"%s\",\"kind\":\"%s\"}", st->n ? "," : "", cidr_str(&c, s),
		       kind_name(c.kind));
	else
		printf("%s %s\n", cidr_str(&c, s), kind_name(c.kind));
	st->n++;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
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

static char *read_all(const char *path, size_t *len)
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

/* The entry whose VPCSNAT_A_CIDR nest holds byte off; offs[i] starts entry i. */
static const struct cidr_entry *blamed(const struct cidr_file *f, size_t first, size_t n,
				       const uint32_t *offs, uint32_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (offs[i] <= off && off < offs[i + 1])
			return &f->entries[first + i];
	return NULL;
}

static int cidr_replace(int argc, const char *argv[])
{
	static char buf[NL_TX_SIZE];
	static uint32_t offs[REPLACE_CHUNK + 1];
	const char *path = NULL, *name;
	struct cidr_file f;
	struct nl_error e;
	struct nl nl;
	size_t len, first;
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
	/* Staged entries survive only on this socket: one socket for every chunk. */
	first = 0;
	do {
		size_t n = f.n - first < REPLACE_CHUNK ? f.n - first : REPLACE_CHUNK, i;
		struct nlmsghdr *nlh = nl_request(&nl, buf, VPCSNAT_CMD_REPLACE_CIDRS, 0);
		struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDRS);

		for (i = 0; i < n; i++) {
			offs[i] = nlh->nlmsg_len;
			put_cidr(nlh, &f.entries[first + i].cidr, true);
		}
		offs[n] = nlh->nlmsg_len;
		mnl_attr_nest_end(nlh, nest);
		if (first + n < f.n)
			mnl_attr_put(nlh, VPCSNAT_A_MORE, 0, NULL);
		if (nl_talk(&nl, nlh, NULL, NULL, &e) < 0) {
			const struct cidr_entry *ent = e.has_offs ?
				blamed(&f, first, n, offs, e.offs) : NULL;
			char s[CIDR_STR_LEN];

			if (ent)
				nl_perror(&e, "cidr replace: %s:%lu: %s %s", name, ent->line,
					  cidr_str(&ent->cidr, s), kind_name(ent->cidr.kind));
			else
				nl_perror(&e, "cidr replace -f %s", path);
			ret = EXIT_FAILURE;
			break;
		}
		first += n;
	} while (first < f.n);
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
