// SPDX-License-Identifier: GPL-2.0
/*
 * vpcsnat: source NAT of pod traffic to the node address, decided per new
 * connection from a table of CIDRs, as the Amazon VPC CNI's SNAT chain does.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netfilter/nf_nat_masquerade.h>

#include "vpcsnat.h"

static int __init vpcsnat_init(void)
{
	int err;

	err = vpcsnat_pernet_init();
	if (err)
		return err;
	/* Flush auto-mode translations when their address or device goes. */
	err = nf_nat_masquerade_inet_register_notifiers();
	if (err)
		goto err_pernet;
	err = vpcsnat_genl_init();
	if (err)
		goto err_masq;
	err = vpcsnat_sysfs_init();
	if (err)
		goto err_genl;
	vpcsnat_bench_init();
	pr_info("loaded\n");
	return 0;

err_genl:
	vpcsnat_genl_exit();
err_masq:
	nf_nat_masquerade_inet_unregister_notifiers();
err_pernet:
	vpcsnat_pernet_exit();
	/* A SET_CONFIG may have come in between: its call_rcu() too. */
	rcu_barrier();
	return err;
}

static void __exit vpcsnat_exit(void)
{
	vpcsnat_bench_exit();
	vpcsnat_sysfs_exit();
	vpcsnat_genl_exit();
	nf_nat_masquerade_inet_unregister_notifiers();
	vpcsnat_pernet_exit();
	/* Configurations retired with call_rcu() run our callback. */
	rcu_barrier();
}

module_init(vpcsnat_init);
module_exit(vpcsnat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VPC CNI style source NAT of pod traffic, from a CIDR table");
MODULE_AUTHOR("The vpcsnat authors");
MODULE_VERSION("0.1.0");
MODULE_ALIAS_GENL_FAMILY(VPCSNAT_GENL_NAME);
