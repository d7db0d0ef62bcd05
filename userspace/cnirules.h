/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The VPC CNI's own SNAT pieces, if they are still in the network
 * namespace: they would act on the same connections as vpcsnat.
 */
#ifndef CNIRULES_H
#define CNIRULES_H

#include <stdbool.h>

#include "netlink.h"

#define CNI_RULES_MAX 8

struct cni_rules {
	unsigned int n;
	char name[CNI_RULES_MAX][64];	/* "AWS-SNAT-CHAIN-0 (iptables-nft)" */
	bool nft_table;
};

/* What is there; 0, or -1 if neither nftables nor iptables could be read. */
int cni_rules_find(struct cni_rules *r);

/* One "Warning: The VPC CNI's ... is still ..." line on stderr for each. */
void cni_rules_warn(void);

#endif
