// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>

#include "cidrfile.h"

#define SEPARATORS " \t\r\v\f"

static size_t seen_hash(const struct cidr *c, size_t cap)
{
	uint64_t h = ((uint64_t)c->addr << 8 | c->prefixlen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

static bool seen_grow(struct cidr_seen *s, const struct cidr_file *f)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, h;
	uint32_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return false;
	for (i = 0; i < f->n; i++) {
		for (h = seen_hash(&f->entries[i].cidr, cap); slot[h]; h = (h + 1) & (cap - 1))
			;
		slot[h] = (uint32_t)i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return true;
}

/* Open addressing on (addr, prefixlen), to name the first of two duplicates. */
const struct cidr_entry *cidr_file_add(struct cidr_file *f, struct cidr_seen *s,
				       const struct cidr *c, unsigned long line, bool *oom)
{
	size_t h;

	if ((f->n + 1) * 2 > s->cap && !seen_grow(s, f))
		goto nomem;
	for (h = seen_hash(c, s->cap); s->slot[h]; h = (h + 1) & (s->cap - 1)) {
		const struct cidr_entry *e = &f->entries[s->slot[h] - 1];

		if (e->cidr.addr == c->addr && e->cidr.prefixlen == c->prefixlen)
			return e;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct cidr_entry *n = realloc(f->entries, cap * sizeof(*n));

		if (!n)
			goto nomem;
		f->entries = n;
		f->cap = cap;
	}
	f->entries[f->n].cidr = *c;
	f->entries[f->n].line = line;
	s->slot[h] = (uint32_t)++f->n;
	return NULL;
nomem:
	*oom = true;
	return NULL;
}

long cidr_file_parse(const char *name, const char *buf, size_t len,
		     struct cidr_file *f, FILE *errs)
{
	struct cidr_seen seen = { 0 };
	unsigned long lineno = 0;
	size_t pos = 0;
	long bad = 0;
	bool oom = false;

	memset(f, 0, sizeof(*f));
	while (pos < len && !oom) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char line[CIDRFILE_MAX_LINE + 1], err[PARSE_ERR_LEN], *save, *tok, *kind, *extra;
		const struct cidr_entry *dup;
		struct cidr c;

		++lineno;
		if (llen > CIDRFILE_MAX_LINE) {
			fprintf(errs, "%s:%lu: Line is too long (%zu characters; at most %d)\n",
				name, lineno, llen, CIDRFILE_MAX_LINE);
			bad++;
			goto next;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		if (strlen(line) != llen) {
			fprintf(errs, "%s:%lu: Line contains a NUL byte\n", name, lineno);
			bad++;
			goto next;
		}
		line[strcspn(line, "#")] = '\0';
		tok = strtok_r(line, SEPARATORS, &save);
		if (!tok)
			goto next;
		kind = strtok_r(NULL, SEPARATORS, &save);
		extra = kind ? strtok_r(NULL, SEPARATORS, &save) : NULL;
		if (!parse_cidr(tok, &c, err) || (kind && !parse_kind(kind, &c.kind, err))) {
			fprintf(errs, "%s:%lu: %s\n", name, lineno, err);
			bad++;
			goto next;
		}
		if (extra) {
			fprintf(errs, "%s:%lu: Unexpected text after %s %s\n", name, lineno,
				tok, kind);
			bad++;
			goto next;
		}
		dup = cidr_file_add(f, &seen, &c, lineno, &oom);
		if (dup) {
			fprintf(errs, "%s:%lu: Duplicate prefix %s, first given on line %lu\n",
				name, lineno, tok, dup->line);
			bad++;
		}
next:
		pos += llen + 1;
	}
	cidr_seen_free(&seen);
	return oom ? -1 : bad;
}

void cidr_seen_free(struct cidr_seen *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

void cidr_file_free(struct cidr_file *f)
{
	free(f->entries);
	memset(f, 0, sizeof(*f));
}
