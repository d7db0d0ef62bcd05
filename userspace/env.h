/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The VPC CNI's environment as a configuration: snatctl apply --from-env. */
#ifndef ENV_H
#define ENV_H

#include <stdio.h>

#include "conf.h"

#define ENV_EXTERNAL_SNAT "AWS_VPC_K8S_CNI_EXTERNALSNAT"
#define ENV_EXCLUDE_CIDRS "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS"
#define ENV_RANDOMIZE "AWS_VPC_K8S_CNI_RANDOMIZESNAT"
#define ENV_CONNMARK "AWS_VPC_K8S_CNI_CONNMARK"
#define ENV_VETH_PREFIX "AWS_VPC_K8S_CNI_VETHPREFIX"
#define ENV_ENABLE_IPV6 "ENABLE_IPv6"
#define ENV_ENABLE_V6_EGRESS "ENABLE_V6_EGRESS"

/*
 * aws-node's variables (NULL: unset, which differs from empty for some),
 * and the two flags that stand for what the CNI reads from instance
 * metadata.
 */
struct conf_env {
	const char *external_snat;	/* AWS_VPC_K8S_CNI_EXTERNALSNAT */
	const char *exclude_cidrs;	/* AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS */
	const char *randomize;		/* AWS_VPC_K8S_CNI_RANDOMIZESNAT */
	const char *connmark;		/* AWS_VPC_K8S_CNI_CONNMARK */
	const char *veth_prefix;	/* AWS_VPC_K8S_CNI_VETHPREFIX */
	const char *enable_ipv6;	/* ENABLE_IPv6 */
	const char *v6_egress;		/* ENABLE_V6_EGRESS */
	const char *vpc_cidrs;		/* --vpc-cidrs: a list, or imds */
	const char *snat_ip;		/* --snat-ip: an address, auto or imds */
	const char *snat_ip6;		/* --snat-ip6: an address or auto */
};

/* The variables above from this process's environment. */
void conf_env_read(struct conf_env *env);

/*
 * Builds c from env as aws-node would behave with it: the VPC CIDRs (kind
 * vpc), the exclusions (kind exclude), external SNAT, random, mark,
 * pod-ifaces, skip-ifaces vlan (the chain's "! -o vlan+"), enabled unless
 * ENABLE_IPv6; in an IPv4 cluster, IPv6 as the egress plugin leaves it
 * (ENABLE_V6_EGRESS: translated to --snat-ip6 but multicast; else never
 * translated). Where the CNI logs a bad value and uses a default, a
 * "Warning: VAR: ..." line and the default; where it refuses to start, or a
 * flag is bad, an error line. Returns the number of errors, or -1 if memory
 * ran out.
 */
long conf_from_env(const struct conf_env *env, struct conf *c, FILE *errs);

#endif
