/* SPDX-License-Identifier: GPL-2.0 */
/* What the KUnit suites of vpcsnat_test.ko share. */
#ifndef _VPCSNAT_TEST_H
#define _VPCSNAT_TEST_H

#include <kunit/test.h>
#include <net/net_namespace.h>

struct net *vpcsnat_test_get_net(void);
void vpcsnat_test_start(struct kunit *test, struct net *net);
int vpcsnat_test_reset(struct net *net);

#endif /* _VPCSNAT_TEST_H */
