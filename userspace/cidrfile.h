/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef CIDRFILE_H
#define CIDRFILE_H

#include <stdio.h>
#include "parse.h"

#define CIDRFILE_MAX_LINE 256

struct cidr_entry {
	struct cidr cidr;
	unsigned long line;
};

struct cidr_file {
	struct cidr_entry *entries;
	size_t n, cap;
};

/*
 * Parses a whole CIDR file held in buf (need not be NUL-terminated). Every
 * bad line is reported to errs as "NAME:LINE: message". Returns the number
 * of bad lines (0 on success), or -1 if memory ran out. On success f holds
 * the entries in file order; free it with cidr_file_free() either way.
 */
long cidr_file_parse(const char *name, const char *buf, size_t len,
		     struct cidr_file *f, FILE *errs);
void cidr_file_free(struct cidr_file *f);

/* Finds duplicate prefixes as entries are appended to a cidr_file. */
struct cidr_seen {
	uint32_t *slot;		/* index into entries + 1; 0 = empty */
	size_t cap;
};

/*
 * Appends c (from line) to f unless its prefix is already there, whatever
 * the kind; returns the entry already holding it, or NULL. Sets *oom, and
 * returns NULL, if memory ran out.
 */
const struct cidr_entry *cidr_file_add(struct cidr_file *f, struct cidr_seen *s,
				       const struct cidr *c, unsigned long line, bool *oom);
void cidr_seen_free(struct cidr_seen *s);

#endif
