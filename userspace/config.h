/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "cidrfile.h"
#include "parse.h"

#define CONFIG_DEFAULT_PATH "/etc/vpcsnat.conf"

/* The settings a config file may give, in the order show-config prints them. */
enum conf_key {
	CONF_ENABLED,
	CONF_EXTERNAL_SNAT,
	CONF_SNAT_IP,
	CONF_RANDOM,
	CONF_SKIP_IFACES,
	CONF_TABLE_LIMIT,
	CONF_NKEYS
};

/*
 * The whole state of one network namespace: every setting and the table.
 * Settings a file leaves out keep their defaults, so applying a conf sets
 * everything.
 */
struct conf {
	bool enabled, external_snat;
	uint32_t snat_ip;		/* host byte order; 0 = auto */
	uint8_t random;			/* enum vpcsnat_random */
	struct iface_list skip;
	uint32_t table_limit;
	struct cidr_file cidrs;		/* in the order given */
	unsigned long line[CONF_NKEYS];	/* where each setting was given; 0 = default */
	struct cidr_seen seen;
};

extern const char *const conf_key_names[CONF_NKEYS];	/* "enabled", ... */

void conf_init(struct conf *c);		/* the defaults, an empty table */
void conf_free(struct conf *c);

/*
 * Parses a whole config file held in buf (need not be NUL-terminated) into
 * c. Every bad line is reported to errs as "NAME:LINE: message". Returns the
 * number of errors (0 on success), or -1 if memory ran out. Free c with
 * conf_free() either way.
 */
long conf_parse(const char *name, const char *buf, size_t len, struct conf *c, FILE *errs);

/*
 * The VPC CNI's environment, and the two flags that stand for what it reads
 * from instance metadata. NULL means unset.
 */
struct conf_env {
	const char *external_snat;	/* AWS_VPC_K8S_CNI_EXTERNALSNAT */
	const char *exclude_cidrs;	/* AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS */
	const char *randomize;		/* AWS_VPC_K8S_CNI_RANDOMIZESNAT */
	const char *vpc_cidrs;		/* --vpc-cidrs */
	const char *snat_ip;		/* --snat-ip */
	bool skip_invalid;		/* --skip-invalid */
	unsigned long invalid_entries;	/* out: invalid exclusion entries, skipped or not */
};

#define ENV_EXTERNAL_SNAT "AWS_VPC_K8S_CNI_EXTERNALSNAT"
#define ENV_EXCLUDE_CIDRS "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS"
#define ENV_RANDOMIZE "AWS_VPC_K8S_CNI_RANDOMIZESNAT"

/*
 * Builds c from the VPC CNI's settings. Errors and warnings go to errs, one
 * line each, naming the variable or flag. Returns the number of errors (an
 * invalid exclusion entry skipped with skip_invalid is a warning), or -1 if
 * memory ran out.
 */
long conf_from_env(struct conf_env *env, struct conf *c, FILE *errs);

/*
 * Whether got holds what want does: the same table (as a set: the kernel
 * dumps in its own order) and, if settings, every setting. 1 if so, 0 if
 * not, -1 if memory ran out.
 */
int conf_same(const struct conf *want, const struct conf *got, bool settings);

/* Writes c in the config file format, after header (a comment) if not NULL. */
void conf_print(FILE *out, const struct conf *c, const char *header);
/* Writes c as one JSON object. */
void conf_print_json(FILE *out, const struct conf *c);

#endif
