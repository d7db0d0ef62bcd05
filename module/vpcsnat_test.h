/* SPDX-License-Identifier: GPL-2.0 */
/* What the KUnit suites of vpcsnat_test.ko share. */
#ifndef _VPCSNAT_TEST_H
#define _VPCSNAT_TEST_H

#include <kunit/test.h>
#include <net/net_namespace.h>

extern struct net *vpcsnat_test_net;	/* between suite_init and suite_exit */
int vpcsnat_test_suite_init(struct kunit_suite *suite);
void vpcsnat_test_suite_exit(struct kunit_suite *suite);
void vpcsnat_test_start(struct kunit *test, struct net *net);
int vpcsnat_test_reset(struct net *net);

/*
 * The suite "vpcsnat_ID" of ID_cases, and whatever else the suite
 * sets (.init = ..., .suite_init = ...).
 */
#define VPCSNAT_SUITE(id, ...)						\
	static struct kunit_suite id##_suite = {			\
		.name = "vpcsnat_" #id,					\
		.test_cases = id##_cases,				\
		__VA_ARGS__						\
	};								\
	kunit_test_suite(id##_suite)

#endif /* _VPCSNAT_TEST_H */
