// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The two input files: the config file (conf_parse) and the CIDR file of
 * `cidr replace` (cidr_file_parse), read by one line loop. Every bad line is
 * reported as "NAME:LINE: message"; nothing is taken from a file that has
 * one.
 */
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>

#include "cli.h"
#include "conffile.h"

#define SEPARATORS " \t\r\v\f"
#define MAX_WORDS 4	/* the most any statement has, plus one to see extra text */

/* One line, comment stripped, split into words. */
struct words {
	unsigned long line;
	int n;			/* at most MAX_WORDS: more are not looked at */
	char *w[MAX_WORDS];
};

/* 0, 1 if the line is bad (err set), -1 if memory ran out. */
typedef int (*line_fn)(void *ctx, const struct words *w, char *err);

static long parse_lines(const char *name, const char *buf, size_t len, FILE *errs,
			line_fn fn, void *ctx)
{
	unsigned long lineno = 0;
	size_t pos = 0;
	long bad = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char line[CONFFILE_MAX_LINE + 1], err[PARSE_ERR_LEN], *save, *word;
		struct words w = { .line = ++lineno };
		int r = 1;

		if (llen > CONFFILE_MAX_LINE) {
			snprintf(err, sizeof(err), "Line is too long (%zu characters; at most %d)",
				 llen, CONFFILE_MAX_LINE);
			goto next;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		if (strlen(line) != llen) {
			snprintf(err, sizeof(err), "Line contains a NUL byte");
			goto next;
		}
		line[strcspn(line, "#")] = '\0';
		for (word = strtok_r(line, SEPARATORS, &save); word && w.n < MAX_WORDS;
		     word = strtok_r(NULL, SEPARATORS, &save))
			w.w[w.n++] = word;
		r = w.n ? fn(ctx, &w, err) : 0;
		if (r < 0)
			return -1;
next:
		if (r > 0) {
			fprintf(errs, "%s:%lu: %s\n", name, lineno, err);
			bad++;
		}
		pos += llen + 1;
	}
	return bad;
}

/* "CIDR [KIND]" into c; false with err set. */
static bool cidr_kind(const char *cidr, const char *kind, struct cidr *c, char *err)
{
	return parse_cidr(cidr, c, err) && (!kind || parse_kind(kind, &c->kind, err));
}

/* c into l, from line; 0, 1 with err set if listed already, -1 if memory ran out. */
static int add_cidr(struct cidr_list *l, const struct cidr *c, const char *as_given,
		    unsigned long line, char *err)
{
	const struct cidr_entry *dup;
	bool oom = false;

	dup = cidr_list_add(l, c, line, &oom);
	if (oom)
		return -1;
	if (dup) {
		snprintf(err, PARSE_ERR_LEN, "Duplicate prefix %s, first given on line %lu",
			 as_given, dup->line);
		return 1;
	}
	return 0;
}

static int cidr_line(void *ctx, const struct words *w, char *err)
{
	struct cidr c;

	if (!cidr_kind(w->w[0], w->n > 1 ? w->w[1] : NULL, &c, err))
		return 1;
	if (w->n > 2) {
		snprintf(err, PARSE_ERR_LEN, "Unexpected text after %s %s", w->w[0], w->w[1]);
		return 1;
	}
	return add_cidr(ctx, &c, w->w[0], w->line, err);
}

long cidr_file_parse(const char *name, const char *buf, size_t len, struct cidr_list *l,
		     FILE *errs)
{
	memset(l, 0, sizeof(*l));
	return parse_lines(name, buf, len, errs, cidr_line, l);
}

/*
 * "vpc-cidrs imds [ipv4]": every CIDR of the VPC (the IPv4 ones only), from
 * instance metadata, kind vpc.
 */
static int vpc_cidrs_line(struct conf *c, const struct words *w, char *err)
{
	bool ipv4 = w->n > 2 && !strcmp(w->w[2], "ipv4");
	char t[TOKEN_LEN];

	if (w->n < 2) {
		snprintf(err, PARSE_ERR_LEN, "Missing value for vpc-cidrs; expected imds");
		return 1;
	}
	if (strcmp(w->w[1], "imds")) {
		snprintf(err, PARSE_ERR_LEN, "Invalid vpc-cidrs %s; expected imds (list CIDRs as "
			 "cidr lines)", token(w->w[1], t));
		return 1;
	}
	if (w->n > 2 + ipv4) {
		snprintf(err, PARSE_ERR_LEN, "Unexpected text %s after vpc-cidrs imds%s%s",
			 token(w->w[2 + ipv4], t), ipv4 ? " " : "", ipv4 ? "ipv4" : "");
		return 1;
	}
	if (c->vpc_cidrs_imds) {
		snprintf(err, PARSE_ERR_LEN, "vpc-cidrs is given twice, first on line %lu",
			 c->vpc_cidrs_imds);
		return 1;
	}
	c->vpc_cidrs_imds = w->line;
	c->vpc_cidrs_ipv4 = ipv4;
	return 0;
}

static int conf_line(void *ctx, const struct words *w, char *err)
{
	static const char *const statements[] = { "cidr", "vpc-cidrs", NULL };
	struct conf *c = ctx;
	char t[TOKEN_LEN], keys[256];
	int key;

	if (!strcmp(w->w[0], "cidr")) {
		struct cidr cidr;

		if (w->n < 2) {
			snprintf(err, PARSE_ERR_LEN, "cidr needs a CIDR and an optional kind");
			return 1;
		}
		if (!cidr_kind(w->w[1], w->n > 2 ? w->w[2] : NULL, &cidr, err))
			return 1;
		if (w->n > 3) {
			snprintf(err, PARSE_ERR_LEN, "Unexpected text %s after cidr %s %s",
				 token(w->w[3], t), w->w[1], w->w[2]);
			return 1;
		}
		return add_cidr(&c->cidrs, &cidr, w->w[1], w->line, err);
	}
	if (!strcmp(w->w[0], "vpc-cidrs"))
		return vpc_cidrs_line(c, w, err);
	key = conf_find(w->w[0]);
	if (key < 0) {
		snprintf(err, PARSE_ERR_LEN, "Unknown setting %s; expected %s", token(w->w[0], t),
			 conf_key_list(keys, sizeof(keys), statements));
		return 1;
	}
	if (w->n < 2) {
		snprintf(err, PARSE_ERR_LEN, "Missing value for %s", w->w[0]);
		return 1;
	}
	if (w->n > 2) {
		snprintf(err, PARSE_ERR_LEN, "Unexpected text %s after %s %s", token(w->w[2], t),
			 w->w[0], w->w[1]);
		return 1;
	}
	if (c->line[key]) {
		snprintf(err, PARSE_ERR_LEN, "Setting %s is given twice, first on line %lu", w->w[0],
			 c->line[key]);
		return 1;
	}
	if (!conf_set(c, (enum conf_key)key, w->w[1], err))
		return 1;
	c->line[key] = w->line;
	return 0;
}

long conf_parse(const char *name, const char *buf, size_t len, struct conf *c, FILE *errs)
{
	long bad;

	conf_init(c);
	bad = parse_lines(name, buf, len, errs, conf_line, c);
	if (bad < 0)
		return -1;
	if (c->cidrs.n > c->table_limit) {
		if (c->line[CONF_TABLE_LIMIT])
			fprintf(errs, "%s:%lu: table-limit %u is below the %zu CIDRs of the file\n",
				name, c->line[CONF_TABLE_LIMIT], c->table_limit, c->cidrs.n);
		else
			fprintf(errs, "%s:%lu: CIDR number %u is over the default table-limit %u; "
				"raise it with a table-limit line\n", name,
				c->cidrs.entries[c->table_limit].line, c->table_limit + 1,
				c->table_limit);
		bad++;
	}
	return bad;
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

const char *input_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

static char *read_input(const char *path, size_t *len, FILE *errs)
{
	char *text;

	errno = 0;
	text = read_all(path, len);
	if (!text)
		fprintf(errs, "Error: Cannot read %s: %s\n", input_name(path), strerror(errno));
	return text;
}

/* The end of reading a file with bad lines or no memory: the exit code, after saying so. */
static int read_failed(const char *name, long bad, const char *consequence, FILE *errs)
{
	if (bad < 0) {
		fprintf(errs, "Error: Out of memory reading %s\n", name);
		return EXIT_FAILURE;
	}
	fprintf(errs, "Error: %s has %ld bad line%s; %s\n", name, bad, bad == 1 ? "" : "s",
		consequence);
	return EXIT_USAGE;
}

const char *conf_file_path(const char *path, char *buf, size_t size)
{
	struct stat st;

	if (strcmp(path, "-") && !stat(path, &st) && S_ISDIR(st.st_mode)) {
		snprintf(buf, size, "%s%s" CONFIG_DIR_FILE, path,
			 path[strlen(path) - 1] == '/' ? "" : "/");
		return buf;
	}
	return path;
}

int conf_load(const char *path, struct conf *c, const char *consequence, FILE *errs)
{
	char file[PATH_MAX + sizeof(CONFIG_DIR_FILE) + 1];
	size_t len;
	char *text;
	long bad;

	path = conf_file_path(path, file, sizeof(file));
	text = read_input(path, &len, errs);
	if (!text) {
		conf_init(c);
		return EXIT_USAGE;
	}
	bad = conf_parse(input_name(path), text, len, c, errs);
	free(text);
	return bad ? read_failed(input_name(path), bad, consequence, errs) : 0;
}

int conf_read(const char *path, struct conf *c)
{
	return conf_load(path, c, "nothing was applied", stderr);
}

int cidr_file_read(const char *path, struct cidr_list *l)
{
	size_t len;
	char *text = read_input(path, &len, stderr);
	long bad;

	memset(l, 0, sizeof(*l));
	if (!text)
		return EXIT_FAILURE;
	bad = cidr_file_parse(input_name(path), text, len, l, stderr);
	free(text);
	return bad ? read_failed(input_name(path), bad, "the table was not changed", stderr) : 0;
}
