/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef SUBCOMMANDS_H
#define SUBCOMMANDS_H

#include <stdbool.h>
#include <string.h>

#include <uapi/linux/vpcsnat.h>
#include "cidrfile.h"
#include "config.h"
#include "netlink.h"
#include "parse.h"

#define EXIT_USAGE 2	/* bad command line or input; EXIT_FAILURE: refused or broken */

struct global {
	const char *prog;
	const char *netns;
	bool json;
};
extern struct global g;

static inline bool wants_help(int argc, const char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

/* What GET_CONFIG returned. */
struct kconfig {
	const struct nlattr *tb[VPCSNAT_A_MAX + 1];	/* which ones came back */
	bool enabled, external_snat;
	uint8_t random;
	uint32_t snat_ip, table_size, table_limit;
	struct iface_list skip;
	uint64_t ctr[VPCSNAT_CTR_A_MAX + 1];
};

/* GET_CONFIG into c; 0, or -1 with e filled in. */
int kconfig_get(struct nl *nl, struct kconfig *c, struct nl_error *e);

/* A VPCSNAT_A_CIDR nest into c; false if malformed. */
bool cidr_from_attr(const struct nlattr *nest, struct cidr *c);
void put_cidr(struct nlmsghdr *nlh, const struct cidr *c, bool kind);

/* Dumps the table into f (entries in kernel order, line 0); 0, or -1 with e filled in. */
int cidrs_get(struct nl *nl, struct cidr_file *f, struct nl_error *e);

/*
 * Replaces the table with f and, if conf is not NULL, every setting with
 * conf's, in one transaction: REPLACE_CIDRS messages of at most
 * REPLACE_CHUNK entries, all but the last with VPCSNAT_A_MORE, the settings
 * on the last. name is the input's name for FILE:LINE in errors, verb
 * prefixes errors that name a line, what the others. Returns an exit code
 * after printing why.
 */
int replace_send(struct nl *nl, const struct cidr_file *f, const struct conf *conf,
		 const char *name, const char *verb, const char *what);

/* Reads all of path ("-": stdin) into a malloc()ed buffer; NULL with errno set. */
char *read_all(const char *path, size_t *len);

/* Removes -j/--json from argv[1..], setting g.json; returns the new argc. */
int take_json_flag(int argc, const char *argv[]);

int status_main(int argc, const char *argv[]);
int enable_main(int argc, const char *argv[]);
int disable_main(int argc, const char *argv[]);
int set_main(int argc, const char *argv[]);
int cidr_main(int argc, const char *argv[]);
int explain_main(int argc, const char *argv[]);
int apply_main(int argc, const char *argv[]);
int show_config_main(int argc, const char *argv[]);
int monitor_main(int argc, const char *argv[]);
int log_main(int argc, const char *argv[]);
int who_main(int argc, const char *argv[]);

#endif
