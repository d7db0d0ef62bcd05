/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The input files. A config file (/etc/vpcsnat.conf): one statement per
 * line, "SETTING VALUE" for each setting of conf.h, "cidr CIDR [KIND]" or
 * "vpc-cidrs imds [ipv4]" (every VPC CIDR, or its IPv4 ones, from instance
 * metadata, kind vpc),
 * '#' comments, at most CONFFILE_MAX_LINE characters a line. A CIDR file
 * (cidr replace -f): "CIDR [KIND]" per line, the same comments and limit.
 */
#ifndef CONFFILE_H
#define CONFFILE_H

#include <stdio.h>

#include "cidrs.h"
#include "conf.h"

#define CONFFILE_MAX_LINE 256

/*
 * Parses a whole config file held in buf (need not be NUL-terminated) into
 * c; settings it leaves out keep their defaults. Every bad line is reported
 * to errs as "NAME:LINE: message". Returns the number of errors (0 on
 * success), or -1 if memory ran out. Free c with conf_free() either way.
 */
long conf_parse(const char *name, const char *buf, size_t len, struct conf *c, FILE *errs);

/* The same for a CIDR file, into l (in file order); free it with cidr_list_free(). */
long cidr_file_parse(const char *name, const char *buf, size_t len, struct cidr_list *l,
		     FILE *errs);

/* "<stdin>" for "-", else path: how an input names itself in FILE:LINE. */
const char *input_name(const char *path);

/*
 * A directory given as a config file holds CONFIG_DIR_FILE (a ConfigMap
 * mounted as a directory: DIR/vpcsnat.conf -> ..data/vpcsnat.conf): path,
 * or that file's path in buf if path is a directory.
 */
#define CONFIG_DIR_FILE "vpcsnat.conf"
const char *conf_file_path(const char *path, char *buf, size_t size);

/*
 * Reads path ("-": stdin; a directory: its CONFIG_DIR_FILE) and parses it;
 * 0, or the exit code after saying to errs what was wrong: every bad line,
 * then one line of what it means ("...; " consequence). The result is to be
 * freed either way. conf_read() says "nothing was applied" on stderr.
 */
int conf_load(const char *path, struct conf *c, const char *consequence, FILE *errs);
int conf_read(const char *path, struct conf *c);
int cidr_file_read(const char *path, struct cidr_list *l);

#endif
