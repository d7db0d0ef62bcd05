// SPDX-License-Identifier: GPL-2.0
/*
 * vpcsnat_test.ko: the KUnit suites of vpcsnat, built only on request
 * (VPCSNAT_TEST=1, see Kbuild) and never installed. The suites run when the
 * module loads; tests/kernel/kunit.sh loads it in a scratch network
 * namespace, after vpcsnat.ko, and reads the results from debugfs.
 */

#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>

#include "vpcsnat.h"
#include "vpcsnat_test.h"

struct net *vpcsnat_test_net;

/*
 * suite_init and suite_exit of a suite that changes state: the netns of
 * the task loading the module (suite_init runs in insmod), held until the
 * suite ends.
 */
int vpcsnat_test_suite_init(struct kunit_suite *suite)
{
	vpcsnat_test_net = get_net(current->nsproxy->net_ns);
	return 0;
}

void vpcsnat_test_suite_exit(struct kunit_suite *suite)
{
	put_net(vpcsnat_test_net);
}

/* The defaults, an empty table, disabled. */
int vpcsnat_test_reset(struct net *net)
{
	struct vpcsnat_change chg = {
		.set = VPCSNAT_SET_ALL,
		.op = VPCSNAT_TABLE_FLUSH,
	};

	vpcsnat_settings_default(&chg.s);
	return vpcsnat_apply(net, &chg, NULL);
}

/* Every case that changes state starts from the defaults, never in init_net. */
void vpcsnat_test_start(struct kunit *test, struct net *net)
{
	if (net == &init_net)
		kunit_skip(test, "load vpcsnat_test.ko in a scratch netns, not the initial one");
	KUNIT_ASSERT_EQ(test, vpcsnat_test_reset(net), 0);
	test->priv = net;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites of vpcsnat");
MODULE_IMPORT_NS(VPCSNAT_INTERNAL_NS);
