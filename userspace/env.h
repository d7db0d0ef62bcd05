/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef ENV_H
#define ENV_H

#include <stdio.h>

#include "conf.h"

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

#endif
